import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';

import {
  allTopics,
  ENVELOPE_SPEC_VERSION,
  SourcePartyRecordedV1,
  type EventEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { resolveBatch, type PartyRecord } from '@bank-crm/identity';
import { createKafka, createProducer, ensureTopics } from '@bank-crm/messaging';
import { dropDatabase } from '@bank-crm/persistence';
import { testAuthEnv } from '@bank-crm/testing';
import { Client } from 'pg';

import { freePort, privateBroker } from '../harness/broker';
import { startNullPipeline } from '../harness/null-pipeline';
import { percentile } from '../harness/stats';
import type { Benchmark, BenchContext, Figure } from '../harness/types';
import { pairwise, type PairwiseScores } from '../identity/evaluate';
import { generate } from '../identity/generate';

/**
 * Identity resolution's streaming path: SourcePartyRecord v1 events on Kafka -> customer-master
 * (validated, idempotent consumer; blocking-key locks, candidates from the blocking index,
 * scoring, customer create / link / merge, golden record, outbox events) -> PostgreSQL, against
 * a null pipeline on the same broker and database that only moves the same events through
 * kafkajs into PostgreSQL with COPY (the practical limit of this machine).
 */
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * A private broker started for the benchmark (the shared one on 9092 would keep the millions of
 * customer events every run publishes on the contract topics, which a developer's customer-view
 * replay then reads), or KAFKA_BROKERS when it is set. Either way every contract topic exists:
 * customer-master's set-up creates the topics it owns, the ones it consumes belong to the other
 * services' set-ups, which this benchmark does not run.
 */
async function brokersFor(ctx: BenchContext): Promise<string[]> {
  if (!process.env.KAFKA_BROKERS) return [await privateBroker(ctx.progress)];
  const brokers = process.env.KAFKA_BROKERS.split(',');
  await ensureTopics(createKafka({ brokers, clientId: 'bench-identity' }), allTopics());
  return brokers;
}

interface PathResult {
  seconds: number;
  lagsMs: number[];
}

interface StreamingResult extends PathResult {
  /** `sourceSystem:sourceKey` -> the customer customer-master put the record in (null: none). */
  assignments: Map<string, string | null>;
}

/**
 * Polls `probe` every 200 ms, or less often when the probe itself is costly: never more than
 * 1/20 of the time goes to probing (counting a million inbox rows takes a good part of a
 * second, and the benchmark must not load the machine it measures).
 */
async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const started = Date.now();
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    const tookMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, Math.max(200, 20 * tookMs)));
  }
}

function envelopes(records: SourcePartyRecordV1[]): EventEnvelope<SourcePartyRecordV1>[] {
  return records.map((payload) => ({
    specVersion: ENVELOPE_SPEC_VERSION,
    id: randomUUID(),
    type: SourcePartyRecordedV1.type,
    version: SourcePartyRecordedV1.version,
    occurredAt: new Date().toISOString(),
    producer: SourcePartyRecordedV1.owner,
    subject: `${payload.sourceSystem}:${payload.sourceKey}`,
    correlationId: randomUUID(),
    payload,
  }));
}

/** Produces in batches of 500, stamping each envelope with its send time; returns send times. */
async function produceAll(
  brokers: string[],
  topic: string,
  list: EventEnvelope<SourcePartyRecordV1>[],
  ctx: BenchContext,
  label: string,
): Promise<Map<string, number>> {
  const kafka = createKafka({ brokers, clientId: `bench-producer-${randomUUID()}` });
  const producer = createProducer(kafka);
  await producer.connect();
  const sentAt = new Map<string, number>();
  try {
    for (let i = 0; i < list.length; i += 500) {
      const now = Date.now();
      const slice = list
        .slice(i, i + 500)
        .map((e) => ({ ...e, occurredAt: new Date(now).toISOString() }));
      for (const e of slice) sentAt.set(e.id, now);
      await producer.send({
        topic,
        acks: -1,
        messages: slice.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
      });
      if ((i / 500) % 10 === 0)
        ctx.progress(`${label}: ${i + slice.length} of ${list.length} produced`);
    }
  } finally {
    await producer.disconnect();
  }
  return sentAt;
}

function spawnService(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '-r',
      '@swc-node/register',
      'apps/customer-master/src/main.ts',
      ...args,
    ],
    {
      env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
      // BENCH_VERBOSE: the service's logs (stdout) and errors go to the benchmark's stderr
      stdio: ['ignore', process.env.BENCH_VERBOSE ? process.stderr : 'ignore', 'pipe'],
    },
  );
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    text = (text + d).slice(-4000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  });
  child.on('exit', (code) => {
    if (code && code !== 0 && args[0] !== 'setup') process.stderr.write(text);
  });
  return child;
}

/**
 * Where customer-master's chunks spent their time, from its Prometheus metrics: seconds per
 * phase summed over every chunk, and how many records took the bulk path and the full one.
 */
async function timeBreakdown(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const pick = (prefix: string, label: string) =>
    [
      ...text.matchAll(new RegExp(`^${prefix}\\{[^}]*${label}="([a-z]+)"[^}]*\\} (\\S+)$`, 'gm')),
    ].map((m) => `${m[1]} ${Number(m[2]).toFixed(1)}`);
  const phases = pick('bankcrm_resolution_batch_phase_seconds_sum', 'phase');
  const chunks =
    /^bankcrm_resolution_batch_phase_seconds_count\{[^}]*phase="lock"[^}]*\} (\S+)$/m.exec(
      text,
    )?.[1];
  const paths = pick('bankcrm_resolution_batch_records_total', 'path');
  const fallbacks = [
    ...text.matchAll(/^bankcrm_consumer_chunk_fallbacks_total\{[^}]*\} (\S+)$/gm),
  ].reduce((n, m) => n + Number(m[1]), 0);
  const named = /^bankcrm_resolution_name_statistics_records(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1];
  const counting = /^bankcrm_resolution_name_statistics_count_seconds(?:\{[^}]*\})? (\S+)$/m.exec(
    text,
  )?.[1];
  return `${chunks ?? 0} chunks; seconds per phase: ${phases.join(', ')}; records by path: ${paths.join(', ')}; chunks rolled back: ${fallbacks}; person records in the name statistics in use: ${named ?? 'none'} (counted in ${Number(counting ?? 0).toFixed(2)} s)`;
}

/** customer-master as it runs in production: its own process, set up, then serving. */
async function streamingPath(
  brokers: string[],
  records: SourcePartyRecordV1[],
  ctx: BenchContext,
): Promise<StreamingResult> {
  const url = `${PG}/bench_resolution_${randomUUID().slice(0, 8)}`;
  const replicas = Math.max(1, Number(process.env.BENCH_REPLICAS ?? 1));
  const ports: number[] = [];
  for (let r = 0; r < replicas; r += 1) ports.push(await freePort());
  const port = ports[0];
  const env = {
    ...(await testAuthEnv()),
    NODE_ENV: 'production',
    DATABASE_URL: url,
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_GROUP_ID: `bench-resolution-${randomUUID().slice(0, 8)}`,
    KAFKA_NEW_GROUP_START_AT: new Date().toISOString(),
    // the topic's 6 partitions shared among the replicas
    KAFKA_CONSUMER_CONCURRENCY:
      process.env.BENCH_CONSUMER_CONCURRENCY ?? String(Math.ceil(6 / replicas)),
    ...(process.env.BENCH_CHUNK_SIZE ? { KAFKA_CHUNK_SIZE: process.env.BENCH_CHUNK_SIZE } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // any other customer-master setting, for experiments: BENCH_SERVICE_ENV='KEY=value KEY2=value'
    ...Object.fromEntries(
      (process.env.BENCH_SERVICE_ENV ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
  const setup = spawnService(['setup'], env);
  const [code] = (await once(setup, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`customer-master setup exited with ${code}`);
  // BENCH_REPLICAS: more customer-master processes in one consumer group on one database
  const children = ports.map((p, r) => {
    // the group's start is set by the first replica
    const { KAFKA_NEW_GROUP_START_AT: startAt, ...rest } = env;
    return spawnService([], {
      ...rest,
      PORT: String(p),
      ...(r === 0 ? { KAFKA_NEW_GROUP_START_AT: startAt } : {}),
    });
  });
  const db = new Client({ connectionString: url });
  try {
    for (const p of ports) {
      let readiness = 'no answer';
      await waitUntil(
        () =>
          fetch(`http://127.0.0.1:${p}/health/ready`)
            .then(async (r) => {
              readiness = `${r.status} ${await r.text()}`;
              return r.status === 200;
            })
            .catch(() => false),
        180_000,
      ).catch((e: Error) => {
        throw new Error(`customer-master not ready: ${e.message}; last readiness: ${readiness}`);
      });
    }
    await db.connect();
    const list = envelopes(records);
    const started = Date.now();
    const sentAt = await produceAll(brokers, SourcePartyRecordedV1.topic, list, ctx, 'streaming');
    let last = 0;
    await waitUntil(async () => {
      // every event handled (a source record may arrive more than once: its updates)
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM inbox WHERE topic = $1',
        [SourcePartyRecordedV1.topic],
      );
      const n = rows[0].n;
      if (n - last >= 2_000 || n === list.length) {
        ctx.progress(`streaming: ${n} of ${list.length} resolved`);
        last = n;
      }
      if (children.some((c) => c.exitCode !== null)) throw new Error('customer-master exited');
      return n >= list.length;
    }, 1_800_000);
    const seconds = (Date.now() - started) / 1000;
    for (const p of ports)
      ctx.progress(`streaming: ${await timeBreakdown(p).catch((e: Error) => e.message)}`);
    const { rows } = await db.query<{ id: string; at: number }>(
      `SELECT event_id AS id, (extract(epoch FROM processed_at) * 1000)::float8 AS at
       FROM inbox WHERE topic = $1`,
      [SourcePartyRecordedV1.topic],
    );
    const lagsMs = rows
      .filter((r) => sentAt.has(r.id))
      .map((r) => Math.max(0, r.at - (sentAt.get(r.id) ?? r.at)));
    // where each record ended up (merges move a record's customer_id to the survivor)
    const placed = await db.query<{ ref: string; customer_id: string | null }>(
      `SELECT source_system || ':' || source_key AS ref, customer_id FROM source_record`,
    );
    const assignments = new Map(placed.rows.map((r) => [r.ref, r.customer_id]));
    return { seconds, lagsMs, assignments };
  } finally {
    await db.end().catch(() => undefined);
    for (const c of children) {
      if (c.exitCode !== null) continue;
      const exited = once(c, 'exit');
      c.kill('SIGTERM');
      await exited;
    }
    await dropDatabase(url);
  }
}

async function nullPath(
  brokers: string[],
  records: SourcePartyRecordV1[],
  ctx: BenchContext,
): Promise<PathResult> {
  const nul = await startNullPipeline({
    brokers,
    pg: PG,
    topic: (suffix) => `account-bridge.bench-null-${suffix}.recorded.v1`,
    database: (suffix) => `bench_null_resolution_${suffix}`,
    table:
      'CREATE TABLE received (event_id uuid NOT NULL, source_key text NOT NULL, record jsonb NOT NULL, lag_ms double precision NOT NULL)',
    copy: 'COPY received FROM STDIN',
    partitionsConsumedConcurrently: 6,
    line: (m, now) => {
      const e = JSON.parse(m.value?.toString() ?? '{}') as EventEnvelope<SourcePartyRecordV1>;
      const json = JSON.stringify(e.payload).replace(/\\/g, '\\\\').replace(/\t/g, '\\t');
      return `${e.id}\t${e.payload.sourceKey}\t${json}\t${now - Date.parse(e.occurredAt)}\n`;
    },
  });
  try {
    const list = envelopes(records);
    const started = Date.now();
    await produceAll(brokers, nul.topic, list, ctx, 'null pipeline');
    await waitUntil(async () => nul.consumed() >= list.length, 600_000);
    const seconds = (Date.now() - started) / 1000;
    const lagsMs = (
      (await nul.db.query('SELECT lag_ms FROM received')).rows as { lag_ms: number }[]
    ).map((r) => r.lag_ms);
    return { seconds, lagsMs };
  } finally {
    await nul.close();
  }
}

/**
 * Pairwise precision, recall and F1 against the generator's truth: of customer-master's
 * placement of the records, and of the offline resolver (the same engine, in memory) resolving
 * the same records in the order they were sent. The streaming path decides in Kafka's order
 * across partitions, chunk by chunk, and counts no name frequencies; this shows what that costs.
 */
function resolutionQuality(
  input: SourcePartyRecordV1[],
  truthAll: Map<string, string>,
  streamed: Map<string, string | null>,
): { streaming: PairwiseScores; offline: PairwiseScores; missing: number } {
  const truth = new Map<string, string>();
  for (const r of input) {
    const ref = `${r.sourceSystem}:${r.sourceKey}`;
    const entity = truthAll.get(ref);
    if (entity !== undefined) truth.set(ref, entity);
  }
  const offline = new Map<string, string | null>();
  for (const a of resolveBatch(input as unknown as PartyRecord[]).assignments) {
    offline.set(`${a.sourceSystem}:${a.sourceKey}`, a.customerId);
  }
  let missing = 0;
  for (const ref of truth.keys()) if (!streamed.has(ref)) missing++;
  return { streaming: pairwise(truth, streamed), offline: pairwise(truth, offline), missing };
}

const bench: Benchmark = {
  name: 'identity-streaming',
  description:
    "Identity resolution through Kafka and PostgreSQL: generated Chinese bank records (duplicates across systems, noise, hard negatives) published as SourcePartyRecord v1 events and resolved by customer-master to golden customers (records/s from first send to last decision, send-to-decision lag), against a null pipeline moving the same events through kafkajs into PostgreSQL with COPY, both on a private Kafka broker started for the benchmark (KAFKA_BROKERS picks another). One customer-master process consuming the topic's 6 partitions 6 at a time (BENCH_REPLICAS=n: n processes in one consumer group on one database, the partitions shared). Quality of the same run: pairwise precision, recall and F1 of where customer-master put each record (source_record.customer_id) against the generator's truth, beside the offline resolver (the same engine in memory) on the same records in send order.",
  async run(ctx) {
    const figures: Figure[] = [];
    const brokers = await brokersFor(ctx);
    for (const n of ctx.sizes ?? [5_000]) {
      const generated = generate({ people: Math.ceil(n / 2), seed: 7 });
      const input = generated.records.slice(0, n) as unknown as SourcePartyRecordV1[];
      const streaming = await streamingPath(brokers, input, ctx);
      const baseline = await nullPath(brokers, input, ctx);
      const quality = resolutionQuality(input, generated.truth, streaming.assignments);
      ctx.progress(
        `quality: streaming P ${quality.streaming.precision.toFixed(4)} R ${quality.streaming.recall.toFixed(4)} F1 ${quality.streaming.f1.toFixed(4)}; offline resolver on the same records P ${quality.offline.precision.toFixed(4)} R ${quality.offline.recall.toFixed(4)} F1 ${quality.offline.f1.toFixed(4)}; ${quality.missing} records without a decision`,
      );
      const base = {
        scenario: `${input.length} records`,
        size: input.length,
        baselineName: 'kafkajs + COPY',
      };
      figures.push(
        {
          ...base,
          metric: 'throughput',
          unit: 'records/s',
          better: 'higher',
          value: input.length / streaming.seconds,
          baseline: input.length / baseline.seconds,
        },
        {
          ...base,
          metric: 'lag p50',
          unit: 'ms',
          better: 'lower',
          value: percentile(streaming.lagsMs, 50),
          baseline: percentile(baseline.lagsMs, 50),
        },
        {
          ...base,
          metric: 'lag p99',
          unit: 'ms',
          better: 'lower',
          value: percentile(streaming.lagsMs, 99),
          baseline: percentile(baseline.lagsMs, 99),
        },
        ...(['precision', 'recall', 'f1'] as const).map((m): Figure => ({
          ...base,
          metric: `pairwise ${m === 'f1' ? 'F1' : m}`,
          unit: 'ratio',
          better: 'higher',
          value: quality.streaming[m],
          baseline: quality.offline[m],
          baselineName: 'offline resolver, same records in send order',
        })),
      );
    }
    return figures;
  },
};

export default bench;
