import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';
import { createServiceApp } from '@bank-crm/service-runtime';
import { Writable } from 'node:stream';

import { teeLogsTo } from '@bank-crm/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ReliableKafkaServer } from '@bank-crm/messaging';
import { DataSource } from 'typeorm';

import { testAuthEnv } from './auth';
import { ensureAllTopics } from './kafka';
import {
  createRestrictedTestDatabase,
  createTestDatabase,
  dropTestDatabase,
  dropTestRole,
  TEST_KAFKA_BROKERS,
  uniqueSuffix,
  waitFor,
} from './infra';

let topicsReady: Promise<unknown> | undefined;

export interface RunningService<C extends BaseConfig> {
  app: NestExpressApplication;
  consumer: ReliableKafkaServer;
  config: C;
  url: string;
  dataSource: DataSource;
  /** The URL the service connects with. */
  databaseUrl: string;
  /** The same database as the superuser (for set-up and tampering in tests). */
  adminDatabaseUrl: string;
  /** The role the service connects as, when started with `restrictedRole`. */
  databaseRole?: string;
  /** Every log line the service wrote so far (with `captureLogs`; otherwise empty). */
  logLines(): string[];
  close(): Promise<void>;
}

export interface StartTestServiceOptions {
  /**
   * Run the service as a fresh non-superuser login role that owns its database (as in
   * production), instead of the superuser: row-level security and revoked privileges then
   * apply to it. Default false.
   */
  restrictedRole?: boolean;
  /** Keep the service's log lines (all levels from LOG_LEVEL up) for `logLines()`. */
  captureLogs?: boolean;
}

/**
 * Starts a real service in-process against the real PostgreSQL (a fresh database) and the real
 * broker (its own consumer group), listening on a free port, and waits until it is ready.
 */
export async function startTestService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  env: Record<string, string> = {},
  options: StartTestServiceOptions = {},
): Promise<RunningService<C>> {
  topicsReady ??= ensureAllTopics();
  await topicsReady;
  let adminDatabaseUrl: string;
  let databaseUrl: string;
  let databaseRole: string | undefined;
  if (env.DATABASE_URL) {
    databaseUrl = adminDatabaseUrl = env.DATABASE_URL;
  } else if (options.restrictedRole) {
    ({
      adminDatabaseUrl,
      databaseUrl,
      role: databaseRole,
    } = await createRestrictedTestDatabase(def.serviceName));
  } else {
    databaseUrl = adminDatabaseUrl = await createTestDatabase(def.serviceName);
  }
  const config = def.loadConfig({
    ...(await testAuthEnv()),
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: TEST_KAFKA_BROKERS,
    KAFKA_GROUP_ID: `test-${def.serviceName}-${uniqueSuffix()}`,
    KAFKA_RETRY_BACKOFF_MS: '50',
    // a test's new consumer group reads what the test produces, not every earlier test's events
    KAFKA_NEW_GROUP_START_AT: new Date(Date.now() - 1000).toISOString(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    // tests read the outbox to see what a transaction wrote, published or not (the default,
    // deleting once published, is tested in libs/messaging)
    OUTBOX_RETENTION_MS: '3600000',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const lines: string[] = [];
  if (options.captureLogs) {
    teeLogsTo(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      }),
    );
  }
  let created: Awaited<ReturnType<typeof createServiceApp<C>>>;
  try {
    created = await createServiceApp(def, config);
  } finally {
    teeLogsTo(undefined);
  }
  const { app, consumer } = created;
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  await waitFor(
    async () => ((await fetch(`${url}/health/ready`)).status === 200 ? true : undefined),
    { timeoutMs: 60_000, what: `${def.serviceName} /health/ready` },
  );
  return {
    app,
    consumer,
    config,
    url,
    dataSource: app.get(DataSource),
    databaseUrl,
    adminDatabaseUrl,
    ...(databaseRole ? { databaseRole } : {}),
    logLines: () => [...lines],
    close: async () => {
      await app.close();
      if (!env.DATABASE_URL) await dropTestDatabase(adminDatabaseUrl);
      if (databaseRole) await dropTestRole(databaseRole);
    },
  };
}
