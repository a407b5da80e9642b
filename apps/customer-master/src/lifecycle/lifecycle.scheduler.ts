import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { PeriodicTask } from '../common/periodic-task';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { LifecycleService } from './lifecycle.service';

/** Runs the dormancy sweep every LIFECYCLE_SWEEP_INTERVAL_MS (0 = off), one run at a time. */
@Injectable()
export class LifecycleScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleScheduler.name);
  private readonly sweep = new PeriodicTask(() =>
    this.lifecycle
      .sweepDormant()
      .then((n) => {
        if (n > 0) this.logger.log(`dormancy sweep: ${n} customer(s) became dormant`);
      })
      .catch((error: unknown) =>
        this.logger.error(`dormancy sweep failed: ${(error as Error).message}`),
      ),
  );

  constructor(
    private readonly lifecycle: LifecycleService,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerMasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep.every(this.config.LIFECYCLE_SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sweep.stop();
  }

  /** One sweep, unless one is still running. */
  runOnce(): Promise<void> {
    return this.sweep.run();
  }
}
