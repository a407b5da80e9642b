import { AUDIT_MIGRATIONS, AuditModule } from '@bank-crm/audit';
import { AuthGuard, createTokenVerifier, TOKEN_VERIFIER } from '@bank-crm/auth';
import type { ServiceName } from '@bank-crm/contracts';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@bank-crm/messaging';
import { HttpMetricsMiddleware, loggerParams, MetricsController } from '@bank-crm/observability';
import { postgresOptions } from '@bank-crm/persistence';
import {
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';

import type { BaseConfig } from './config';
import { EXPENSIVE_THROTTLER, ExpensiveRouteThrottlerGuard } from './hardening';
import { HealthController, ReadinessIndicators } from './health.controller';
import { HttpErrorFilter } from './http-exception.filter';
import { strictValidationPipe } from './validation';

export interface ServiceCoreOptions {
  serviceName: ServiceName;
  config: BaseConfig;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export function dataSourceOptions(options: ServiceCoreOptions) {
  return postgresOptions({
    url: options.config.DATABASE_URL,
    poolSize: options.config.DATABASE_POOL_SIZE,
    applicationName: options.serviceName,
    entities: [...MESSAGING_ENTITIES, ...options.entities],
    migrations: [...MESSAGING_MIGRATIONS, ...AUDIT_MIGRATIONS, ...options.migrations],
  });
}

/** The token verification settings of a service's configuration. */
export function authSettings(config: BaseConfig) {
  return {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    publicKey: config.JWT_PUBLIC_KEY,
    publicKeyFile: config.JWT_PUBLIC_KEY_FILE,
    jwksUrl: config.JWT_JWKS_URL,
    clockSkewSeconds: config.JWT_CLOCK_SKEW_SECONDS,
    maxTokenAgeSeconds: config.JWT_MAX_TOKEN_AGE_SECONDS,
  };
}

/**
 * What every service has: JSON logs, its database (TypeORM, migrations only), messaging (outbox
 * relay, inbox), the audit trail, health, metrics, authentication and role checks on every HTTP
 * route (deny by default), rate limits on expensive routes, the strict validation pipe and the one
 * error filter.
 */
@Module({})
export class ServiceCoreModule implements NestModule {
  static forRoot(options: ServiceCoreOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServiceCoreModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(options.serviceName, config.LOG_LEVEL)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options),
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        MessagingModule.forRoot({
          serviceName: options.serviceName,
          databaseUrl: config.DATABASE_URL,
          outboxPollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
          outboxRetentionMs: config.OUTBOX_RETENTION_MS,
          kafka: {
            brokers: config.KAFKA_BROKERS.split(','),
            clientId: config.KAFKA_CLIENT_ID,
            groupId: config.KAFKA_GROUP_ID,
            consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
            batchSize: config.KAFKA_CHUNK_SIZE,
            maxAttempts: config.KAFKA_MAX_ATTEMPTS,
            retryBackoffMs: config.KAFKA_RETRY_BACKOFF_MS,
          },
        }),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: EXPENSIVE_THROTTLER,
              ttl: 60_000,
              limit: config.RATE_LIMIT_EXPENSIVE_PER_MINUTE,
            },
          ],
        }),
        AuditModule.forRoot({ serviceName: options.serviceName }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ReadinessIndicators,
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: TOKEN_VERIFIER, useFactory: () => createTokenVerifier(authSettings(config)) },
        // guards run in this order: who is calling (401/403), then the rate limit (429)
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: ExpensiveRouteThrottlerGuard },
        { provide: APP_PIPE, useFactory: strictValidationPipe },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
      exports: [SERVICE_CONFIG],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
