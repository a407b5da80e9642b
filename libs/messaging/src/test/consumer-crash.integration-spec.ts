/**
 * Crash test of the idempotent consumer: 10,000 keyed events (200 keys x 50 per-key sequence
 * numbers) stream through the real ReliableKafkaServer in its own process, which is SIGKILLed at
 * random points at least 10 times (and stopped gracefully once) and restarted each time. The
 * handler defers some events of each chunk to the chunk's second transaction.
 * Expected: no event missing, no duplicate effect (the effects table has no unique constraint, so
 * a duplicate would be a second row), every key's effects in ascending sequence.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import { createProducer } from '../kafka/kafka-factory';
import { probeEvent } from './fixtures/probe';
import {
  createFixtureDatabase,
  createTopics,
  deleteTopics,
  dropFixtureDatabase,
  effectStats,
  metricValue,
  probeEnvelope,
  report,
  sleep,
  startFixture,
  testKafka,
  uniqueSuffix,
  waitFor,
  type FixtureProcess,
} from './support';

const KEYS = 200;
const PER_KEY = 50;
const EVENTS = KEYS * PER_KEY;
const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 10);
const PARTITIONS = 6;

function randomStopPoints(count: number, from: number, to: number, minGap: number): number[] {
  for (;;) {
    const points = Array.from({ length: count }, () =>
      Math.floor(from + Math.random() * (to - from)),
    ).sort((a, b) => a - b);
    if (points.every((p, i) => i === 0 || p - points[i - 1] >= minGap)) return points;
  }
}

describe('consumer crash test (SIGKILL at random points)', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-crash-${suffix}`, PARTITIONS);
  const dlq = `service.probe-crash-${suffix}.dead-lettered.v1`;
  const group = `msg-test-crash-${suffix}`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess | undefined;

  beforeAll(async () => {
    ({ url, db } = await createFixtureDatabase('crash'));
    kafka = testKafka();
    await createTopics(kafka, [
      { topic: probe.topic, partitions: PARTITIONS },
      { topic: dlq, partitions: 1 },
    ]);
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.killAndWait('SIGKILL');
    await producer?.disconnect();
    if (url) await dropFixtureDatabase(url, db);
    if (kafka) await deleteTopics(kafka, [probe.topic, dlq]);
  });

  const start = () =>
    startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      GROUP_ID: group,
      PROBE_AGGREGATE: probe.aggregate,
      PROBE_PARTITIONS: String(PARTITIONS),
      DEAD_LETTER_TOPIC: dlq,
      CONCURRENCY: '3',
      // every 7th event of a key (and the key's later events in that chunk) is deferred to the
      // chunk's second transaction: a kill can land between the two
      DEFER_MOD: '7',
      SESSION_TIMEOUT_MS: '6000',
      HEARTBEAT_INTERVAL_MS: '1000',
    });

  const progress = async (pid: number) => {
    const [row] = (await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE pid = $1)::int AS mine FROM effects`,
      [pid],
    )) as { total: number; mine: number }[];
    return row;
  };

  it('loses nothing, duplicates nothing and keeps per-key order across SIGKILLs', async () => {
    const keys = Array.from({ length: KEYS }, (_, i) => `key-${String(i).padStart(3, '0')}`);
    const started = Date.now();
    // produced in the background while the consumer runs (and is killed)
    const producing = (async () => {
      for (let seq = 1; seq <= PER_KEY; seq += 5) {
        const messages = [];
        for (let s = seq; s < seq + 5; s += 1) {
          for (const key of keys) {
            messages.push({ key, value: JSON.stringify(probeEnvelope(probe, key, s)) });
          }
        }
        await producer.send({ topic: probe.topic, acks: -1, messages });
        await sleep(150);
      }
    })();

    consumer = start();
    // first a graceful stop (SIGTERM), then the SIGKILLs, all at random progress points
    const [gracefulAt, ...killAt] = [
      ...randomStopPoints(1, EVENTS * 0.03, EVENTS * 0.08, 0),
      // the last kill leaves at least 20 % of the events: a consumer applying chunks of 250 can
      // finish a smaller rest between reaching its kill point and the SIGKILL landing (up to
      // ~175 ms), and its successor would then have nothing left to process
      ...randomStopPoints(KILLS, EVENTS * 0.1, EVENTS * 0.8, Math.floor(EVENTS / (KILLS * 3))),
    ];
    const recoveries: number[] = [];
    let graceful: { exitMs: number; recoveryMs: number; duplicatesAfter: number } | undefined;
    let committedMatchesProcessed = false;

    const stopAt = async (threshold: number, signal: 'SIGTERM' | 'SIGKILL') => {
      const current = consumer!;
      await waitFor(
        async () => ((await progress(current.pid)).total >= threshold ? true : undefined),
        {
          timeoutMs: 90_000,
          intervalMs: 25,
          what: `${threshold} effects before ${signal}`,
        },
      );
      await sleep(Math.floor(Math.random() * 150));
      const stoppedAt = Date.now();
      const code = await current.killAndWait(signal);
      const exitMs = Date.now() - stoppedAt;
      if (signal === 'SIGTERM') expect(code).toBe(0);
      return { stoppedAt, exitMs };
    };
    const restartAndMeasure = async (stoppedAt: number) => {
      consumer = start();
      const pid = consumer.pid;
      await waitFor(async () => ((await progress(pid)).mine > 0 ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 25,
        what: 'the restarted consumer to process again',
      });
      return Date.now() - stoppedAt;
    };

    // graceful stop: the in-flight message finishes, offsets are committed, the group is left
    {
      const { stoppedAt, exitMs } = await stopAt(gracefulAt, 'SIGTERM');
      const processed: { partition: number; last: string }[] = await db.query(
        `SELECT partition, max("offset")::text AS last FROM effects GROUP BY partition`,
      );
      const admin = kafka.admin();
      await admin.connect();
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [probe.topic] });
      const [described] = (await admin.describeGroups([group])).groups;
      await admin.disconnect();
      committedMatchesProcessed = processed.every(
        (p) =>
          committed.partitions.find((c) => c.partition === p.partition)?.offset ===
          String(BigInt(p.last) + 1n),
      );
      expect(committedMatchesProcessed).toBe(true);
      expect(described.members).toEqual([]); // it left the group
      const recoveryMs = await restartAndMeasure(stoppedAt);
      const port = Number((await consumer!.line('listening')).port);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      graceful = {
        exitMs,
        recoveryMs,
        duplicatesAfter: metricValue(metrics, 'bankcrm_consumer_messages_total', {
          outcome: 'duplicate',
        }),
      };
      // everything the stopped consumer did was committed: nothing is redelivered
      expect(graceful.duplicatesAfter).toBe(0);
    }

    for (const threshold of killAt) {
      const { stoppedAt } = await stopAt(threshold, 'SIGKILL');
      recoveries.push(await restartAndMeasure(stoppedAt));
    }
    await producing;

    const expected = new Map(keys.map((k) => [k, PER_KEY]));
    await waitFor(
      async () => ((await effectStats(db, expected)).distinct === EVENTS ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 200, what: `all ${EVENTS} events to be processed` },
    );
    await sleep(1_000); // a late duplicate would show up now
    const lastPort = Number((await consumer!.line('listening')).port);
    const deferredByLast = metricValue(
      await (await fetch(`http://127.0.0.1:${lastPort}/metrics`)).text(),
      'bankcrm_consumer_deferred_total',
    );
    await consumer!.killAndWait('SIGTERM');
    const stats = await effectStats(db, expected);

    const figures = {
      events: EVENTS,
      keys: KEYS,
      partitions: PARTITIONS,
      kills: recoveries.length,
      gracefulStops: 1,
      lost: stats.missing,
      duplicates: stats.duplicates,
      orderViolations: stats.orderViolations,
      effectRows: stats.rows,
      maxRecoveryMs: Math.max(...recoveries),
      avgRecoveryMs: Math.round(recoveries.reduce((a, b) => a + b, 0) / recoveries.length),
      recoveriesMs: recoveries,
      gracefulExitMs: graceful?.exitMs,
      recoveryAfterGracefulMs: graceful?.recoveryMs,
      duplicatesAfterGracefulStop: graceful?.duplicatesAfter,
      committedMatchesProcessedAfterGracefulStop: committedMatchesProcessed,
      deferredByLastConsumer: deferredByLast,
      totalMs: Date.now() - started,
    };
    report('messaging-crash', figures);

    expect(recoveries.length).toBeGreaterThanOrEqual(10);
    // the second-transaction path was taken (the last consumer alone handles a fifth of the events)
    expect(deferredByLast).toBeGreaterThan(0);
    expect(stats).toEqual({
      rows: EVENTS,
      distinct: EVENTS,
      duplicates: 0,
      missing: 0,
      orderViolations: 0,
    });
  });
});
