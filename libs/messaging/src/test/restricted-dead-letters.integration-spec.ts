/**
 * Dead letters of restricted topics (contracts marked `restricted: true`, which carry personal
 * data unmasked) through the real ReliableKafkaServer in its own process and the real broker:
 * poison on a restricted topic - unparseable, invalid, failing after its retries, failing
 * permanently - lands on the restricted dead-letter topic, never on the ordinary one that every
 * operator reads; poison on an ordinary topic of the same consumer still lands on the ordinary
 * one. `npm run dlq:redrive -- --restricted` re-drives the restricted dead letters.
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
  type ConsumedMessage,
  type FixtureProcess,
} from './support';

describe('dead letters of restricted topics', () => {
  const suffix = uniqueSuffix();
  const open = probeEvent(`probe-open-${suffix}`, 1);
  const secret = probeEvent(`probe-secret-${suffix}`, 1, true);
  const dlq = `service.probe-dlq-${suffix}.dead-lettered.v1`;
  const restrictedDlq = `service.probe-dlq-${suffix}.dead-lettered-restricted.v1`;
  /** An unmasked identity number, as a restricted topic may carry one. */
  const canary = `11010519491231${suffix.slice(-4).toUpperCase()}`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess;
  let port = 0;

  beforeAll(async () => {
    expect(secret.restricted).toBe(true);
    expect(open.restricted).toBe(false);
    ({ url, db } = await createFixtureDatabase('restricted_dlq'));
    kafka = testKafka();
    await createTopics(kafka, [
      { topic: open.topic, partitions: 1 },
      { topic: secret.topic, partitions: 1 },
      { topic: dlq, partitions: 1 },
      { topic: restrictedDlq, partitions: 1 },
    ]);
    producer = createProducer(kafka);
    await producer.connect();
    await db.query(`INSERT INTO failures (key, mode) VALUES ('secret-blocked', 'transient'),
      ('secret-permanent', 'permanent'), ('open-permanent', 'permanent')`);
    consumer = startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      GROUP_ID: `msg-test-restricted-dlq-${suffix}`,
      PROBE_AGGREGATE: open.aggregate,
      RESTRICTED_PROBE_AGGREGATE: secret.aggregate,
      PROBE_PARTITIONS: '1',
      DEAD_LETTER_TOPIC: dlq,
      RESTRICTED_DEAD_LETTER_TOPIC: restrictedDlq,
      MAX_ATTEMPTS: '2',
      RETRY_BACKOFF_MS: '20',
      FAILURES: '1',
    });
    port = Number((await consumer.line('listening')).port);
    await consumer.line('state', (l) => l.phase === 'running');
  });

  afterAll(async () => {
    await consumer?.killAndWait('SIGTERM');
    await producer?.disconnect();
    if (url) await dropFixtureDatabase(url, db);
    if (kafka) await deleteTopics(kafka, [open.topic, secret.topic, dlq, restrictedDlq]);
  });

  const effectsOf = async (key: string) =>
    ((await db.query('SELECT seq FROM effects WHERE key = $1', [key])) as unknown[]).length;
  const text = (m: ConsumedMessage) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`;

  it('parks poison of a restricted topic on the restricted dead-letter topic only; ordinary poison on the ordinary one', async () => {
    const json = (topic: typeof open, key: string, extra = {}) =>
      JSON.stringify(probeEnvelope(topic, key, 1, extra));
    const withCanary = { payload: { seq: 1, note: `idNumber ${canary}` } };
    await producer.send({
      topic: secret.topic,
      acks: -1,
      messages: [
        { key: 'secret-junk', value: `{"idNumber": "${canary}", not json` },
        {
          key: 'secret-invalid',
          value: json(secret, 'secret-invalid', { payload: { seq: 'x', note: canary } }),
        },
        { key: 'secret-blocked', value: json(secret, 'secret-blocked', withCanary) },
        { key: 'secret-permanent', value: json(secret, 'secret-permanent', withCanary) },
        { key: 'secret-ok', value: json(secret, 'secret-ok', withCanary) },
      ],
    });
    await producer.send({
      topic: open.topic,
      acks: -1,
      messages: [
        { key: 'open-junk', value: 'not json' },
        { key: 'open-permanent', value: json(open, 'open-permanent') },
        { key: 'open-ok', value: json(open, 'open-ok') },
      ],
    });

    // both partitions kept moving past their poison
    await waitFor(
      async () =>
        (await effectsOf('secret-ok')) && (await effectsOf('open-ok')) ? true : undefined,
      { timeoutMs: 30_000, what: 'the messages after the poison to be processed' },
    );
    await waitFor(
      async () =>
        (await topicEndOffsets(kafka, restrictedDlq)).get(0) === 4 &&
        (await topicEndOffsets(kafka, dlq)).get(0) === 2
          ? true
          : undefined,
      { timeoutMs: 30_000, what: '4 restricted and 2 ordinary dead letters' },
    );
    await sleep(1_000); // nothing more arrives on either
    expect((await topicEndOffsets(kafka, restrictedDlq)).get(0)).toBe(4);
    expect((await topicEndOffsets(kafka, dlq)).get(0)).toBe(2);

    const restricted = await readTopic(kafka, restrictedDlq, (ms) => ms.length >= 4, 30_000);
    expect(
      restricted
        .map((m) => [
          m.key,
          m.headers[DEAD_LETTER_HEADERS.originalTopic],
          m.headers[DEAD_LETTER_HEADERS.reason],
          m.headers[DEAD_LETTER_HEADERS.attempts],
        ])
        .sort(),
    ).toEqual(
      [
        ['secret-junk', secret.topic, 'unparseable', '0'],
        ['secret-invalid', secret.topic, 'invalid', '0'],
        ['secret-blocked', secret.topic, 'handler-failed', '2'],
        ['secret-permanent', secret.topic, 'handler-failed', '1'],
      ].sort(),
    );
    // the original values, unchanged: the personal data is there, and only there
    for (const letter of restricted) expect(letter.value).toContain(canary);

    const ordinary = await readTopic(kafka, dlq, (ms) => ms.length >= 2, 30_000);
    expect(
      ordinary.map((m) => [m.key, m.headers[DEAD_LETTER_HEADERS.originalTopic]]).sort(),
    ).toEqual([
      ['open-junk', open.topic],
      ['open-permanent', open.topic],
    ]);
    expect(
      ordinary.filter((m) => text(m).includes(canary) || text(m).includes(secret.topic)),
    ).toEqual([]);

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(
      metricValue(metrics, 'bankcrm_consumer_dead_letters_total', { topic: secret.topic }),
    ).toBe(4);
    expect(metricValue(metrics, 'bankcrm_consumer_dead_letters_total', { topic: open.topic })).toBe(
      2,
    );
  });

  it('re-drives restricted dead letters with `npm run dlq:redrive -- --restricted`; nothing reaches the ordinary dead-letter topic', async () => {
    const redriveGroup = `msg-test-restricted-redrive-${suffix}`;
    await db.query(`DELETE FROM failures WHERE key IN ('secret-blocked', 'secret-permanent')`);
    const result = await run(
      'npm',
      [
        'run',
        '--silent',
        'dlq:redrive',
        '--',
        '--service',
        'service',
        '--restricted',
        '--dead-letter-topic',
        restrictedDlq,
        '--group',
        redriveGroup,
        '--brokers',
        TEST_BROKERS,
        '--reason',
        'handler-failed',
      ],
      {},
      120_000,
    );
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toContain(`re-driving ${restrictedDlq} as ${redriveGroup}`);
    const summary = JSON.parse(lines[lines.length - 1]) as RedriveSummary;
    expect(summary).toMatchObject({
      complete: true,
      pending: 4,
      redriven: 2,
      requeued: 2, // the unparseable and the invalid one, moved to the end of the restricted topic
      byTopic: { [secret.topic]: 2 },
    });
    // the re-drive prints positions and ids, never keys or values
    expect(result.stdout + result.stderr).not.toContain(canary);

    await waitFor(
      async () =>
        (await effectsOf('secret-blocked')) && (await effectsOf('secret-permanent'))
          ? true
          : undefined,
      { timeoutMs: 30_000, what: 'the re-driven restricted events to take effect' },
    );
    await sleep(1_000);
    expect((await topicEndOffsets(kafka, dlq)).get(0)).toBe(2);
    expect((await topicEndOffsets(kafka, restrictedDlq)).get(0)).toBe(6); // 4 + 2 moved

    report('messaging-restricted-dead-letters', {
      restrictedDeadLetters: 4,
      ordinaryDeadLetters: 2,
      canaryOnOrdinaryDeadLetterTopic: 0,
      redriven: summary.redriven,
    });
  });
});
