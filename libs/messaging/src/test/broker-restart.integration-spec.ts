/**
 * Broker restart under load: a second, throw-away broker (scripts/kafka/kafka.sh with its own home
 * dir and ports 39092/39093; the developers' broker on 9092 is never touched) is stopped and
 * started again while events keep being produced. The consumer (real ReliableKafkaServer in its
 * own process) must report not-ready during the outage, resume by itself, and lose nothing.
 */
import path from 'node:path';

import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import { createProducer } from '../kafka/kafka-factory';
import { probeEvent } from './fixtures/probe';
import {
  createFixtureDatabase,
  createTopics,
  dropFixtureDatabase,
  effectStats,
  probeEnvelope,
  report,
  REPO_ROOT,
  run,
  sleep,
  startFixture,
  testKafka,
  uniqueSuffix,
  waitFor,
  type FixtureProcess,
} from './support';

const PORT = 39092;
const BROKERS = `127.0.0.1:${PORT}`;
const KAFKA_ENV = {
  KAFKA_HOME_DIR: path.join(REPO_ROOT, '.local', 'kafka-restart-test'),
  KAFKA_PORT: String(PORT),
  KAFKA_CONTROLLER_PORT: '39093',
  KAFKA_LIBS_DIR: path.join(REPO_ROOT, '.local', 'kafka', 'libs'),
};
const KEYS = 20;
/** How long the broker stays down between stop and start (longer outages: kafkajs gives up). */
const PAUSE_MS = Number(process.env.BROKER_RESTART_PAUSE_MS ?? 2_000);

async function kafkaSh(command: 'start' | 'stop' | 'reset'): Promise<number> {
  const started = Date.now();
  const result = await run('bash', ['scripts/kafka/kafka.sh', command], KAFKA_ENV, 240_000);
  if (result.code !== 0) {
    throw new Error(`kafka.sh ${command} failed (${result.code}):\n${result.stderr.slice(-4000)}`);
  }
  return Date.now() - started;
}

describe('consumer across a broker restart', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-restart-${suffix}`, 3);
  const dlq = `service.probe-restart-${suffix}.dead-lettered.v1`;
  let kafka: Kafka;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess | undefined;
  let brokerStartMs = 0;

  beforeAll(async () => {
    await kafkaSh('reset'); // a leftover broker or data dir of an interrupted run
    brokerStartMs = await kafkaSh('start');
    kafka = testKafka(BROKERS);
    await createTopics(kafka, [
      { topic: probe.topic, partitions: 3 },
      { topic: dlq, partitions: 1 },
    ]);
    ({ url, db } = await createFixtureDatabase('restart'));
  }, 300_000);

  afterAll(async () => {
    await consumer?.killAndWait('SIGKILL');
    if (url) await dropFixtureDatabase(url, db);
    await kafkaSh('stop').catch(() => undefined);
    await kafkaSh('reset');
  }, 300_000);

  it('goes not-ready while the broker is down, resumes by itself and loses nothing', async () => {
    consumer = startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      KAFKA_BROKERS: BROKERS,
      GROUP_ID: `msg-test-restart-${suffix}`,
      PROBE_AGGREGATE: probe.aggregate,
      PROBE_PARTITIONS: '3',
      DEAD_LETTER_TOPIC: dlq,
      SESSION_TIMEOUT_MS: '6000',
      HEARTBEAT_INTERVAL_MS: '1000',
      UNHEALTHY_AFTER_MS: '2000',
      STALL_TIMEOUT_MS: '20000',
    });
    const port = Number((await consumer.line('listening')).port);
    await consumer.line('state', (l) => l.phase === 'running');

    // readiness as a probe sees it, sampled all along
    const readiness: { at: number; ready: boolean }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ready = await fetch(`http://127.0.0.1:${port}/ready`)
          .then((r) => r.status === 200)
          .catch(() => false);
        if (readiness[readiness.length - 1]?.ready !== ready)
          readiness.push({ at: Date.now(), ready });
        await sleep(100);
      }
    })();

    // the producer keeps going through the outage: failed batches are retried, in order
    const seqs = new Map<string, number>();
    let producing = true;
    let produced = 0;
    let sendFailures = 0;
    let producer: Producer = createProducer(kafka);
    await producer.connect();
    const producerLoop = (async () => {
      while (producing) {
        const messages = Array.from({ length: KEYS }, (_, i) => {
          const key = `key-${i}`;
          const seq = (seqs.get(key) ?? 0) + 1;
          seqs.set(key, seq);
          return { key, value: JSON.stringify(probeEnvelope(probe, key, seq)) };
        });
        for (;;) {
          try {
            await producer.send({ topic: probe.topic, acks: -1, messages });
            produced += messages.length;
            break;
          } catch {
            sendFailures += 1;
            await producer.disconnect().catch(() => undefined);
            await sleep(500);
            producer = createProducer(kafka);
            await producer.connect().catch(() => undefined);
          }
        }
        await sleep(100);
      }
      await producer.disconnect().catch(() => undefined);
    })();

    const effects = async () =>
      Number(((await db.query('SELECT count(*)::int AS n FROM effects')) as { n: number }[])[0].n);
    await waitFor(async () => ((await effects()) >= 200 ? true : undefined), {
      what: 'events to flow before the restart',
    });

    const stoppedAt = Date.now();
    const stopMs = await kafkaSh('stop');
    await sleep(PAUSE_MS);
    const restartMs = await kafkaSh('start');
    const brokerBackAt = Date.now();
    const producedBeforeBack = produced;

    const readyAgain = await consumer.line(
      'state',
      (l) => l.phase === 'running' && l.at > stoppedAt,
      120_000,
    );
    // events produced after the broker came back are processed
    await waitFor(async () => ((await effects()) > producedBeforeBack ? true : undefined), {
      timeoutMs: 120_000,
      what: 'events produced after the restart to be processed',
    });
    const flowingAgainAt = Date.now();
    await sleep(2_000);
    producing = false;
    await producerLoop;

    const expected = new Map([...seqs].map(([k, n]) => [k, n]));
    await waitFor(
      async () => ((await effectStats(db, expected)).distinct === produced ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200, what: `all ${produced} events to be processed` },
    );
    await sleep(1_000);
    sampling = false;
    await sampler;
    const stats = await effectStats(db, expected);

    const phases = consumer.lines
      .filter((l) => l.t === 'state')
      .map((l) => ({ phase: String(l.phase), atMs: (l.at as number) - stoppedAt }));
    const notReadyDuringOutage = readiness.some((r) => !r.ready && r.at > stoppedAt);
    const readyAtEnd = readiness[readiness.length - 1]?.ready === true;
    const figures = {
      pauseMs: PAUSE_MS,
      consumerRestarts: Math.max(0, ...consumer.lines.map((l) => Number(l.restarts ?? 0))),
      produced,
      sendFailures,
      lost: stats.missing,
      duplicates: stats.duplicates,
      orderViolations: stats.orderViolations,
      brokerFirstStartMs: brokerStartMs,
      brokerStopMs: stopMs,
      brokerRestartMs: restartMs,
      brokerDownMs: brokerBackAt - stoppedAt,
      consumerReadyAfterBrokerBackMs: Math.max(0, readyAgain.at - brokerBackAt),
      consumerProcessingAfterBrokerBackMs: flowingAgainAt - brokerBackAt,
      notReadyDuringOutage,
      readyAtEnd,
      phases,
      readiness: readiness.map((r) => ({ ready: r.ready, atMs: r.at - stoppedAt })),
    };
    report('messaging-broker-restart', figures);

    expect(notReadyDuringOutage).toBe(true);
    expect(readyAtEnd).toBe(true);
    expect(phases.some((p) => p.atMs > 0 && p.phase !== 'running')).toBe(true);
    expect(stats).toEqual({
      rows: produced,
      distinct: produced,
      duplicates: 0,
      missing: 0,
      orderViolations: 0,
    });
  });
});
