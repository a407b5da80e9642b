import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import { LifecycleService } from './lifecycle.service';

/** Runs the dormancy sweep every LIFECYCLE_SWEEP_INTERVAL_MS (0 = off), one run at a time. */
@Injectable()
export class LifecycleScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly lifecycle: LifecycleService,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerMasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.LIFECYCLE_SWEEP_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep, unless one is still running. */
  runOnce(): Promise<void> {
    this.running ??= this.lifecycle
      .sweepDormant()
      .then((n) => {
        if (n > 0) this.logger.log(`dormancy sweep: ${n} customer(s) became dormant`);
      })
      .catch((error: unknown) =>
        this.logger.error(`dormancy sweep failed: ${(error as Error).message}`),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
