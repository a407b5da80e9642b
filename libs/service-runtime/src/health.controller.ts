import { Public } from '@bank-crm/auth';
import { ConsumerState } from '@bank-crm/messaging';
import { migrationsApplied } from '@bank-crm/persistence';
import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly consumer: ConsumerState,
  ) {}

  async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('migrations');
    try {
      return (await migrationsApplied(this.dataSource))
        ? check.up()
        : check.down({ message: 'pending migrations' });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  kafkaConsumer(): HealthIndicatorResult {
    const check = this.indicator.check('kafkaConsumer');
    const { phase, lastError, restarts } = this.consumer;
    return this.consumer.ready
      ? check.up({ phase, restarts })
      : check.down({ phase, lastError, restarts });
  }
}

/** Liveness: the process answers. Readiness: database reachable, migrations applied, consumer in its group. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: ReadinessIndicators,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2_000 }),
      () => this.indicators.migrations(),
      () => this.indicators.kafkaConsumer(),
    ]);
  }
}
