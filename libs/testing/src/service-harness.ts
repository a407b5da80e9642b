import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';
import { createServiceApp } from '@bank-crm/service-runtime';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ReliableKafkaServer } from '@bank-crm/messaging';
import { DataSource } from 'typeorm';

import { ensureAllTopics } from './kafka';
import {
  createTestDatabase,
  dropTestDatabase,
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
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a real service in-process against the real PostgreSQL (a fresh database) and the real
 * broker (its own consumer group), listening on a free port, and waits until it is ready.
 */
export async function startTestService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  env: Record<string, string> = {},
): Promise<RunningService<C>> {
  topicsReady ??= ensureAllTopics();
  await topicsReady;
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase(def.serviceName));
  const config = def.loadConfig({
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: TEST_KAFKA_BROKERS,
    KAFKA_GROUP_ID: `test-${def.serviceName}-${uniqueSuffix()}`,
    KAFKA_RETRY_BACKOFF_MS: '50',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const { app, consumer } = await createServiceApp(def, config);
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
    close: async () => {
      await app.close();
      if (!env.DATABASE_URL) await dropTestDatabase(databaseUrl);
    },
  };
}
