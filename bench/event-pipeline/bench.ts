import { randomUUID } from 'node:crypto';

import { defineEvent, type EventEnvelope } from '@bank-crm/contracts';
import {
  createKafka,
  createProducer,
  ensureTopics,
  KafkaEventContext,
  MESSAGING_ENTITIES,
  MESSAGING_MIGRATIONS,
  OutboxRelay,
  OutboxWriter,
  ReliableKafkaServer,
  type LogSink,
} from '@bank-crm/messaging';
import { dropDatabase, ensureDatabase, postgresOptions } from '@bank-crm/persistence';
import { Type } from '@sinclair/typebox';
import { DataSource } from 'typeorm';

import { startNullPipeline } from '../harness/null-pipeline';
import { percentile } from '../harness/stats';
import type { Benchmark, BenchContext, Figure } from '../harness/types';

/**
 * Event propagation through the platform's delivery path — state change + outbox row in one
 * transaction, relay to Kafka, consumer validating the contract and committing effect + inbox
 * record in one transaction — against a null pipeline on the same broker and database: kafkajs
 * produce, consume, COPY into PostgreSQL (no outbox, inbox, validation or transactions per event).
 */
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const quiet: LogSink = {
  log: () => undefined,
  warn: () => undefined,
  error: (m) => process.stderr.write(`${m}\n`),
};

interface PathResult {
  seconds: number;
  latenciesMs: number[];
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function platformPath(n: number, keys: number, ctx: BenchContext): Promise<PathResult> {
  const suffix = randomUUID().slice(0, 8);
  const definition = defineEvent({
    owner: 'service',
    aggregate: `bench-${suffix}`,
    event: 'changed',
    version: 1,
    summary: 'benchmark event',
    key: 'key',
    payload: Type.Object({ key: Type.String(), seq: Type.Integer(), note: Type.String() }),
    example: { key: 'k', seq: 1, note: 'x' },
  });
  const url = `${PG}/bench_events_${suffix}`;
  await ensureDatabase(url);
  const ds = new DataSource(
    postgresOptions({
      url,
      poolSize: 12,
      applicationName: 'bench',
      entities: MESSAGING_ENTITIES,
      migrations: MESSAGING_MIGRATIONS,
    }),
  );
  await ds.initialize();
  await ds.runMigrations();
  await ds.query('CREATE TABLE aggregate (key text PRIMARY KEY, seq int NOT NULL)');
  await ds.query(
    'CREATE TABLE effect (event_id uuid NOT NULL, key text NOT NULL, seq int NOT NULL, latency_ms double precision NOT NULL)',
  );
  const kafka = createKafka({ brokers: BROKERS, clientId: `bench-${suffix}` });
  await ensureTopics(kafka, [{ topic: definition.topic, partitions: 6 }]);

  const relay = new OutboxRelay({
    databaseUrl: url,
    serviceName: `bench-${suffix}`,
    kafka,
    logger: quiet,
    pollIntervalMs: 100,
  });
  const server = new ReliableKafkaServer({
    serviceName: 'service',
    dataSource: ds,
    logger: quiet,
    definitions: [definition],
    settings: {
      brokers: BROKERS,
      clientId: `bench-consumer-${suffix}`,
      groupId: `bench-${suffix}`,
      consumerConcurrency: 6,
      maxAttempts: 3,
      retryBackoffMs: 50,
    },
  });
  server.addHandler(
    definition.topic,
    async (envelope: EventEnvelope<{ key: string; seq: number }>, context: KafkaEventContext) => {
      await context.manager.query('INSERT INTO effect VALUES ($1, $2, $3, $4)', [
        envelope.id,
        envelope.payload.key,
        envelope.payload.seq,
        Date.now() - Date.parse(envelope.occurredAt),
      ]);
    },
    true,
  );
  server.listen(() => undefined);
  relay.start();
  await waitUntil(async () => server.state.ready, 60_000);

  const writer = new OutboxWriter('service');
  const started = Date.now();
  const writers = 8;
  let next = 0;
  // 8 concurrent writers, one state change + its event per transaction, like request handlers
  await Promise.all(
    Array.from({ length: writers }, async () => {
      for (let i = next++; i < n; i = next++) {
        const key = `k${i % keys}`;
        await ds.transaction(async (manager) => {
          const [row] = (await manager.query(
            `INSERT INTO aggregate VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET seq = aggregate.seq + 1 RETURNING seq`,
            [key],
          )) as { seq: number }[];
          await writer.append(manager, definition, {
            subject: key,
            correlationId: key,
            payload: { key, seq: row.seq, note: 'benchmark' },
          });
        });
        if (i % 5_000 === 0) ctx.progress(`platform path: ${i} of ${n} written`);
      }
    }),
  );
  ctx.progress(`platform path: ${n} written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await waitUntil(
    async () => Number((await ds.query('SELECT count(*) AS n FROM effect'))[0].n) >= n,
    600_000,
  );
  const seconds = (Date.now() - started) / 1000;
  const latenciesMs = (
    (await ds.query('SELECT latency_ms FROM effect')) as { latency_ms: number }[]
  ).map((r) => r.latency_ms);
  await relay.stop();
  await server.close();
  await ds.destroy();
  await dropDatabase(url);
  return { seconds, latenciesMs };
}

async function nullPath(n: number, keys: number, ctx: BenchContext): Promise<PathResult> {
  const nul = await startNullPipeline({
    brokers: BROKERS,
    pg: PG,
    topic: (suffix) => `service.bench-null-${suffix}.changed.v1`,
    database: (suffix) => `bench_null_${suffix}`,
    table:
      'CREATE TABLE effect (event_id uuid NOT NULL, key text NOT NULL, seq int NOT NULL, latency_ms double precision NOT NULL)',
    copy: 'COPY effect FROM STDIN',
    line: (m, now) => {
      const e = JSON.parse(m.value?.toString() ?? '{}') as {
        id: string;
        key: string;
        seq: number;
        at: number;
      };
      return `${e.id}\t${e.key}\t${e.seq}\t${now - e.at}\n`;
    },
  });
  const producer = createProducer(nul.kafka);
  await producer.connect();
  try {
    const started = Date.now();
    for (let i = 0; i < n; i += 500) {
      const messages = Array.from({ length: Math.min(500, n - i) }, (_, j) => {
        const seq = i + j;
        return {
          key: `k${seq % keys}`,
          value: JSON.stringify({ id: randomUUID(), key: `k${seq % keys}`, seq, at: Date.now() }),
        };
      });
      await producer.send({ topic: nul.topic, acks: -1, messages });
      if (i % 5_000 === 0) ctx.progress(`null path: ${i} of ${n} produced`);
    }
    await waitUntil(async () => nul.consumed() >= n, 600_000);
    const seconds = (Date.now() - started) / 1000;
    const latenciesMs = (
      (await nul.db.query('SELECT latency_ms FROM effect')).rows as { latency_ms: number }[]
    ).map((r) => r.latency_ms);
    return { seconds, latenciesMs };
  } finally {
    await producer.disconnect();
    await nul.close();
  }
}

const bench: Benchmark = {
  name: 'event-pipeline',
  description:
    'Events per second and commit-to-effect latency through outbox -> Kafka -> validated, idempotent consumer, against kafkajs -> COPY (null pipeline) on the same broker and database.',
  async run(ctx) {
    const figures: Figure[] = [];
    for (const n of ctx.sizes ?? [20_000]) {
      const keys = 500;
      const platform = await platformPath(n, keys, ctx);
      const baseline = await nullPath(n, keys, ctx);
      const scenario = `${n} events, ${keys} keys`;
      const base = { scenario, baselineName: 'kafkajs + COPY' };
      figures.push(
        {
          ...base,
          metric: 'throughput',
          unit: 'events/s',
          better: 'higher',
          value: n / platform.seconds,
          baseline: n / baseline.seconds,
        },
        {
          ...base,
          metric: 'latency p50',
          unit: 'ms',
          better: 'lower',
          value: percentile(platform.latenciesMs, 50),
          baseline: percentile(baseline.latenciesMs, 50),
        },
        {
          ...base,
          metric: 'latency p99',
          unit: 'ms',
          better: 'lower',
          value: percentile(platform.latenciesMs, 99),
          baseline: percentile(baseline.latenciesMs, 99),
        },
      );
    }
    return figures;
  },
};

export default bench;
