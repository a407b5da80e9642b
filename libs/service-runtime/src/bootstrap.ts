import type { Server } from 'node:http';

import { allTopics, type ServiceName } from '@bank-crm/contracts';
import {
  ConsumerState,
  createKafka,
  ensureTopics,
  nestLogSink,
  ReliableKafkaServer,
  connectReliableKafkaServer,
} from '@bank-crm/messaging';
import { startDefaultMetrics } from '@bank-crm/observability';
import { ensureDatabase, runMigrationsLocked } from '@bank-crm/persistence';
import {
  ConsoleLogger,
  Logger as NestLogger,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import helmet from 'helmet';
import { DataSource } from 'typeorm';

import { ConfigError, corsOrigins, type BaseConfig } from './config';
import { dataSourceOptions, type ServiceCoreOptions } from './service-core.module';

export interface ServiceDefinition<C extends BaseConfig> {
  serviceName: ServiceName;
  title: string;
  description: string;
  loadConfig: (env?: NodeJS.ProcessEnv) => C;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  appModule: (config: C) => Type<unknown>;
}

/** A one-line JSON error on stderr (for start-up failures, before the logger exists). */
function fatal(service: string, message: string): never {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service, message })}\n`,
  );
  process.exit(1);
}

function loadOrExit<C extends BaseConfig>(def: ServiceDefinition<C>): C {
  try {
    return def.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError)
      fatal(def.serviceName, `${def.serviceName}: ${error.message}`);
    throw error;
  }
}

/** Topics this service owns (it publishes to them) and its dead-letter topic. */
export function ownedTopics(service: ServiceName) {
  return allTopics().filter((t) => t.owner === service);
}

/**
 * One-shot set-up (the migration Job in Kubernetes, `<service>-setup` in compose): creates the
 * database if missing, runs migrations under an advisory lock, creates the owned topics.
 */
export async function setupService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  config: C,
): Promise<void> {
  const log = new NestLogger(`${def.serviceName}:setup`);
  if (config.DATABASE_CREATE_IF_MISSING)
    log.log(`database: ${await ensureDatabase(config.DATABASE_URL)}`);
  const dataSource = new DataSource(dataSourceOptions(coreOptions(def, config)));
  await dataSource.initialize();
  try {
    const ran = await runMigrationsLocked(dataSource, def.serviceName);
    log.log(`migrations run: ${ran.length ? ran.join(', ') : 'none pending'}`);
  } finally {
    await dataSource.destroy();
  }
  const created = await ensureTopics(
    createKafka({
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: `${config.KAFKA_CLIENT_ID}-setup`,
    }),
    ownedTopics(def.serviceName),
  );
  log.log(`topics created: ${created.length ? created.join(', ') : 'none missing'}`);
}

function coreOptions<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  config: C,
): ServiceCoreOptions {
  return {
    serviceName: def.serviceName,
    config,
    entities: def.entities,
    migrations: def.migrations,
  };
}

/**
 * Node ends a request whose whole body has not arrived within `requestTimeout` (408). A streamed
 * upload arrives at the speed its consumer reads it, so a bulk import needs 0 (no limit); the
 * headers keep their own limit (headersTimeout, 60 s), which must not exceed requestTimeout.
 */
export function applyRequestTimeout(server: Server, ms: number): void {
  server.requestTimeout = ms;
  if (ms > 0 && server.headersTimeout > ms) server.headersTimeout = ms;
}

/** Builds the hybrid (HTTP + Kafka) application without starting to listen; tests use it too. */
export async function createServiceApp<C extends BaseConfig>(
  def: ServiceDefinition<C>,
  config: C,
): Promise<{ app: NestExpressApplication; consumer: ReliableKafkaServer }> {
  startDefaultMetrics(def.serviceName);
  if (config.DATABASE_CREATE_IF_MISSING) await ensureDatabase(config.DATABASE_URL);
  const app = await NestFactory.create<NestExpressApplication>(def.appModule(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  applyRequestTimeout(app.getHttpServer() as Server, config.HTTP_REQUEST_TIMEOUT_MS);
  // security headers; the API serves JSON only, so the strict defaults hold (the /docs UI
  // needs its inline styles, which helmet's default style-src allows)
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  const origins = corsOrigins(config);
  if (origins.length) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-correlation-id'],
      exposedHeaders: ['x-correlation-id'],
      credentials: false,
      maxAge: 600,
    });
  }
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  app.enableShutdownHooks();

  if (config.DATABASE_MIGRATIONS === 'run') {
    const ran = await runMigrationsLocked(app.get(DataSource), def.serviceName);
    if (ran.length) new NestLogger('Migrations').log(`applied: ${ran.join(', ')}`);
  }

  if (config.OPENAPI_ENABLED) setupOpenApi(app, def);

  const consumer = new ReliableKafkaServer({
    serviceName: def.serviceName,
    dataSource: app.get(DataSource),
    logger: nestLogSink,
    state: app.get(ConsumerState),
    settings: {
      brokers: config.KAFKA_BROKERS.split(','),
      clientId: config.KAFKA_CLIENT_ID,
      groupId: config.KAFKA_GROUP_ID,
      consumerConcurrency: config.KAFKA_CONSUMER_CONCURRENCY,
      batchSize: config.KAFKA_CHUNK_SIZE,
      maxAttempts: config.KAFKA_MAX_ATTEMPTS,
      retryBackoffMs: config.KAFKA_RETRY_BACKOFF_MS,
      ...(config.KAFKA_NEW_GROUP_START_AT
        ? { newGroupStartAt: Date.parse(config.KAFKA_NEW_GROUP_START_AT) }
        : {}),
    },
  });
  connectReliableKafkaServer(app, consumer);
  return { app, consumer };
}

function setupOpenApi(app: INestApplication, def: { title: string; description: string }): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`bank-crm ${def.title}`)
      .setDescription(def.description)
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** Entry point of every service binary: `main.js` serves, `main.js setup` runs the one-shot set-up. */
export async function runService<C extends BaseConfig>(def: ServiceDefinition<C>): Promise<void> {
  const config = loadOrExit(def);
  // JSON lines until the application's own (pino) logger takes over
  NestLogger.overrideLogger(new ConsoleLogger(def.serviceName, { json: true, colors: false }));
  const mode = process.argv[2] ?? 'serve';
  try {
    if (mode === 'setup') {
      await setupService(def, config);
      process.exit(0);
    }
    if (mode !== 'serve')
      fatal(def.serviceName, `unknown command "${mode}" (expected: serve | setup)`);
    const { app } = await createServiceApp(def, config);
    const shutdownTimer = () =>
      setTimeout(
        () => fatal(def.serviceName, 'graceful shutdown timed out'),
        config.SHUTDOWN_TIMEOUT_MS,
      ).unref();
    process.once('SIGTERM', shutdownTimer);
    process.once('SIGINT', shutdownTimer);
    await app.startAllMicroservices();
    await app.listen(config.PORT, config.HOST);
    new NestLogger('Bootstrap').log(
      `${def.serviceName} listening on ${config.HOST}:${config.PORT}`,
    );
  } catch (error) {
    fatal(def.serviceName, `${def.serviceName} failed to start: ${(error as Error).message}`);
  }
}
