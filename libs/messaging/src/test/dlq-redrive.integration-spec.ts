/**
 * Re-driving dead letters with `npm run dlq:redrive` (scripts/dlq-redrive.ts, run as a process):
 * events dead-lettered because of a cause that is then fixed are re-driven and take effect once;
 * a dead letter of an event that had in fact been processed is a no-op (inbox); each dead letter is
 * re-driven once per group; filters move what they pass over to the end of the dead-letter topic.
 */
import { DEAD_LETTER_HEADERS } from '@bank-crm/contracts';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import type { RedriveSummary } from '../dead-letter/redrive';
import { createProducer } from '../kafka/kafka-factory';
import { probeEvent } from './fixtures/probe';
import {
  createFixtureDatabase,
  createTopics,
  deleteTopics,
  dropFixtureDatabase,
  metricValue,
  probeEnvelope,
  readTopic,
  report,
  run,
  sleep,
  startFixture,
  TEST_BROKERS,
  testKafka,
  topicEndOffsets,
  uniqueSuffix,
  waitFor,
  type FixtureProcess,
} from './support';

describe('dead-letter re-drive', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-redrive-${suffix}`, 1);
  const dlq = `service.probe-redrive-${suffix}.dead-lettered.v1`;
  const redriveGroup = `msg-test-redrive-${suffix}`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess;
  let port = 0;

  beforeAll(async () => {
    ({ url, db } = await createFixtureDatabase('redrive'));
    kafka = testKafka();
    await createTopics(kafka, [
      { topic: probe.topic, partitions: 1 },
      { topic: dlq, partitions: 1 },
    ]);
    producer = createProducer(kafka);
    await producer.connect();
    consumer = startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      GROUP_ID: `msg-test-redrive-consumer-${suffix}`,
      PROBE_AGGREGATE: probe.aggregate,
      PROBE_PARTITIONS: '1',
      DEAD_LETTER_TOPIC: dlq,
      MAX_ATTEMPTS: '2',
      RETRY_BACKOFF_MS: '10',
      FAILURES: '1',
    });
    port = Number((await consumer.line('listening')).port);
    await consumer.line('state', (l) => l.phase === 'running');
  });

  afterAll(async () => {
    await consumer?.killAndWait('SIGTERM');
    await producer?.disconnect();
    if (url) await dropFixtureDatabase(url, db);
    if (kafka) await deleteTopics(kafka, [probe.topic, dlq]);
  });

  const redrive = async (...args: string[]) => {
    const result = await run(
      'npm',
      [
        'run',
        '--silent',
        'dlq:redrive',
        '--',
        '--service',
        'service',
        '--dead-letter-topic',
        dlq,
        '--group',
        redriveGroup,
        '--brokers',
        TEST_BROKERS,
        ...args,
      ],
      {},
      120_000,
    );
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]) as RedriveSummary;
    return { ...result, summary };
  };

  const effectsOf = async (key: string) =>
    (
      (await db.query('SELECT seq FROM effects WHERE key = $1 ORDER BY id', [key])) as {
        seq: number;
      }[]
    ).map((r) => r.seq);

  it('re-drives fixed dead letters once; an already processed one is a no-op', async () => {
    await db.query(`INSERT INTO failures (key, mode) VALUES ('blocked', 'transient')`);
    const processed = probeEnvelope(probe, 'fine', 1);
    const messages = [
      { key: 'blocked', value: JSON.stringify(probeEnvelope(probe, 'blocked', 1)) },
      { key: 'junk', value: 'not json at all' },
      { key: 'blocked', value: JSON.stringify(probeEnvelope(probe, 'blocked', 2)) },
      { key: 'fine', value: JSON.stringify(processed), headers: { 'event-id': processed.id } },
    ];
    await producer.send({ topic: probe.topic, acks: -1, messages });
    await waitFor(async () => ((await effectsOf('fine')).length ? true : undefined), {
      what: 'the fine event to be processed',
    });
    // as if 'fine' had been dead-lettered although its transaction committed (e.g. a timeout)
    await producer.send({
      topic: dlq,
      acks: -1,
      messages: [
        {
          key: 'fine',
          value: JSON.stringify(processed),
          headers: {
            'event-id': processed.id,
            [DEAD_LETTER_HEADERS.originalTopic]: probe.topic,
            [DEAD_LETTER_HEADERS.originalPartition]: '0',
            [DEAD_LETTER_HEADERS.originalOffset]: '3',
            [DEAD_LETTER_HEADERS.originalKey]: 'fine',
            [DEAD_LETTER_HEADERS.reason]: 'handler-failed',
            [DEAD_LETTER_HEADERS.error]: 'Error: timeout',
            [DEAD_LETTER_HEADERS.attempts]: '2',
          },
        },
      ],
    });
    await waitFor(
      async () => ((await topicEndOffsets(kafka, dlq)).get(0) === 4 ? true : undefined),
      {
        what: '4 dead letters',
      },
    );
    expect(await effectsOf('blocked')).toEqual([]);

    // a dry run changes nothing
    const dry = await redrive('--dry-run', '--reason', 'handler-failed');
    expect(dry.code).toBe(0);
    expect(dry.summary).toMatchObject({
      dryRun: true,
      complete: true,
      pending: 4,
      redriven: 3,
      requeued: 1,
    });
    expect(dry.stdout).toContain('would re-drive 0/0');
    expect((await topicEndOffsets(kafka, dlq)).get(0)).toBe(4);

    // the cause is fixed; re-drive one, then the rest
    await db.query(`DELETE FROM failures WHERE key = 'blocked'`);
    const first = await redrive('--reason', 'handler-failed', '--limit', '1');
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ complete: true, pending: 4, examined: 1, redriven: 1 });
    const rest = await redrive('--reason', 'handler-failed');
    expect(rest.code).toBe(0);
    expect(rest.summary).toMatchObject({
      complete: true,
      pending: 3,
      redriven: 2,
      requeued: 1, // the unparseable one, moved to the end
      byTopic: { [probe.topic]: 2 },
      byReason: { 'handler-failed': 2 },
    });

    await waitFor(async () => ((await effectsOf('blocked')).length === 2 ? true : undefined), {
      what: 'the re-driven events to take effect',
    });
    await sleep(1_000);
    expect(await effectsOf('blocked')).toEqual([1, 2]);
    expect(await effectsOf('fine')).toEqual([1]); // the inbox made its re-drive a no-op
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metricValue(metrics, 'bankcrm_consumer_messages_total', { outcome: 'duplicate' })).toBe(
      1,
    );

    // re-driven messages: original key and value, dlq-* headers replaced by the re-drive's own
    const redriven = (await readTopic(kafka, probe.topic, (ms) => ms.length >= 7, 15_000)).filter(
      (m) => m.headers['dlq-redrive-count'],
    );
    expect(redriven.map((m) => m.key).sort()).toEqual(['blocked', 'blocked', 'fine']);
    for (const m of redriven) {
      expect(m.headers['dlq-redrive-count']).toBe('1');
      expect(new Date(m.headers['dlq-redriven-at']).getTime()).toBeGreaterThan(0);
      expect(
        Object.keys(m.headers)
          .filter((h) => h.startsWith('dlq-'))
          .sort(),
      ).toEqual(['dlq-redrive-count', 'dlq-redriven-at']);
    }
    expect(redriven.find((m) => m.key === 'fine')?.headers['event-id']).toBe(processed.id);

    // once per group: nothing matching is left
    const again = await redrive('--reason', 'handler-failed');
    expect(again.summary).toMatchObject({ complete: true, pending: 1, redriven: 0, requeued: 1 });
    // the moved dead letter keeps its headers, so a run without the filter re-drives it
    const letters = await readTopic(kafka, dlq, (ms) => ms.length >= 6, 15_000);
    const moved = letters.filter((m) => m.headers['dlq-requeued-at']);
    expect(moved.map((m) => [m.key, m.headers[DEAD_LETTER_HEADERS.reason]])).toEqual([
      ['junk', 'unparseable'],
      ['junk', 'unparseable'],
    ]);
    const unfiltered = await redrive();
    expect(unfiltered.summary).toMatchObject({
      complete: true,
      redriven: 1,
      byReason: { unparseable: 1 },
    });

    // bad arguments
    const bad = await run('npm', ['run', '--silent', 'dlq:redrive', '--', '--service', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown service "nope"');

    report('messaging-dlq-redrive', {
      deadLetters: 4,
      dryRun: dry.summary.redriven,
      redriven: first.summary.redriven + rest.summary.redriven,
      redrivenAgain: again.summary.redriven,
      blockedEffects: (await effectsOf('blocked')).length,
      fineEffects: (await effectsOf('fine')).length,
    });
  });
});
