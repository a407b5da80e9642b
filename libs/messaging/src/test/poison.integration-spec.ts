/**
 * Poison messages through the real ReliableKafkaServer (NestJS @EventPattern handler in its own
 * process): unparseable and schema-invalid messages go straight to the dead-letter topic, a handler
 * that keeps failing is dead-lettered after exactly the configured attempts, a PermanentHandlerError
 * after one, and the partition keeps moving. Stale and duplicate events are skipped and counted.
 */
import { DEAD_LETTER_HEADERS } from '@bank-crm/contracts';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

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
  startFixture,
  testKafka,
  uniqueSuffix,
  waitFor,
  type FixtureProcess,
} from './support';

const MAX_ATTEMPTS = 3;

describe('poison messages, retries and dead letters', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-poison-${suffix}`, 1);
  const dlq = `service.probe-poison-${suffix}.dead-lettered.v1`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess;
  let port = 0;

  beforeAll(async () => {
    ({ url, db } = await createFixtureDatabase('poison'));
    kafka = testKafka();
    await createTopics(kafka, [
      { topic: probe.topic, partitions: 1 },
      { topic: dlq, partitions: 1 },
    ]);
    producer = createProducer(kafka);
    await producer.connect();
    await db.query(`INSERT INTO failures (key, mode) VALUES ('bad-transient', 'transient'),
      ('bad-permanent', 'permanent')`);
    consumer = startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      GROUP_ID: `msg-test-poison-${suffix}`,
      PROBE_AGGREGATE: probe.aggregate,
      PROBE_PARTITIONS: '1',
      DEAD_LETTER_TOPIC: dlq,
      MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      RETRY_BACKOFF_MS: '30',
      FAILURES: '1',
      RECORD_INVOCATIONS: '1',
      LAG_INTERVAL_MS: '500',
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

  it('dead-letters poison with full headers after exactly the configured attempts, and keeps the partition moving', async () => {
    const send = async (key: string, value: string) => {
      const [meta] = await producer.send({
        topic: probe.topic,
        acks: -1,
        messages: [{ key, value }],
      });
      return { partition: meta.partition, offset: meta.baseOffset ?? '' };
    };
    const json = (key: string, seq: number, extra = {}) =>
      JSON.stringify(probeEnvelope(probe, key, seq, extra));
    const duplicate = json('dup', 1);

    const sent = {
      good1: await send('good-1', json('good-1', 1)),
      unparseable: await send('junk', '{"this is": not json'),
      invalid: await send(
        'invalid',
        JSON.stringify({ ...probeEnvelope(probe, 'invalid', 1), payload: { seq: 'x' } }),
      ),
      wrongType: await send('wrong-type', json('wrong-type', 1, { type: 'service.other.changed' })),
      transient: await send('bad-transient', json('bad-transient', 1)),
      good2: await send('good-2', json('good-2', 1)),
      permanent: await send('bad-permanent', json('bad-permanent', 1)),
      v5: await send('versioned', json('versioned', 1, { subjectVersion: 5 })),
      v3: await send('versioned', json('versioned', 2, { subjectVersion: 3 })),
      v6: await send('versioned', json('versioned', 3, { subjectVersion: 6 })),
      dup1: await send('dup', duplicate),
      dup2: await send('dup', duplicate),
      good3: await send('good-3', json('good-3', 1)),
    };

    // the last message of the partition is processed: nothing before it blocked the partition
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM effects WHERE key = 'good-3'`)).length ? true : undefined,
      { timeoutMs: 30_000, what: 'the message after the poison to be processed' },
    );
    const effects: { key: string; seq: number; offset: string }[] = await db.query(
      'SELECT key, seq, "offset" FROM effects ORDER BY id',
    );
    expect(effects.map((e) => `${e.key}#${e.seq}`)).toEqual([
      'good-1#1',
      'good-2#1',
      'versioned#1',
      'versioned#3',
      'dup#1',
      'good-3#1',
    ]);

    const letters = await readTopic(kafka, dlq, (ms) => ms.length >= 5, 30_000);
    expect(letters).toHaveLength(5);
    const byKey = new Map(letters.map((m) => [m.key, m]));
    const expectLetter = (
      key: string,
      at: { partition: number; offset: string },
      reason: string,
      attempts: number,
      error: RegExp,
    ) => {
      const letter = byKey.get(key);
      expect(letter).toBeDefined();
      const h = letter!.headers;
      expect({
        topic: h[DEAD_LETTER_HEADERS.originalTopic],
        partition: h[DEAD_LETTER_HEADERS.originalPartition],
        offset: h[DEAD_LETTER_HEADERS.originalOffset],
        key: h[DEAD_LETTER_HEADERS.originalKey],
        group: h[DEAD_LETTER_HEADERS.consumerGroup],
        reason: h[DEAD_LETTER_HEADERS.reason],
        attempts: h[DEAD_LETTER_HEADERS.attempts],
      }).toEqual({
        topic: probe.topic,
        partition: String(at.partition),
        offset: at.offset,
        key,
        group: `msg-test-poison-${suffix}`,
        reason,
        attempts: String(attempts),
      });
      expect(h[DEAD_LETTER_HEADERS.error]).toMatch(error);
      expect(new Date(h[DEAD_LETTER_HEADERS.failedAt]).getTime()).toBeGreaterThan(0);
      return letter!;
    };
    const junk = expectLetter('junk', sent.unparseable, 'unparseable', 0, /JSON/);
    expect(junk.value).toBe('{"this is": not json'); // the original value, unchanged
    expectLetter('invalid', sent.invalid, 'invalid', 0, /payload\.seq/);
    expectLetter('wrong-type', sent.wrongType, 'invalid', 0, /expected service\.probe-poison/);
    // through NestJS's exception path: the original error, not "Internal server error"
    expectLetter(
      'bad-transient',
      sent.transient,
      'handler-failed',
      MAX_ATTEMPTS,
      /^Error: key bad-transient is blocked/,
    );
    expectLetter(
      'bad-permanent',
      sent.permanent,
      'handler-failed',
      1,
      /^PermanentHandlerError: key can never apply/,
    );

    const invocations: { key: string; attempts: number[] }[] = await db.query(
      `SELECT key, array_agg(attempt ORDER BY id) AS attempts FROM invocations
        WHERE key IN ('bad-transient', 'bad-permanent') GROUP BY key ORDER BY key`,
    );
    expect(invocations).toEqual([
      { key: 'bad-permanent', attempts: [1] },
      { key: 'bad-transient', attempts: [1, 2, 3] },
    ]);

    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        // the lag gauge is refreshed every 500 ms here: wait until it has seen the end
        return text.includes(`bankcrm_consumer_lag{topic="${probe.topic}",partition="0"} 0`)
          ? text
          : undefined;
      },
      { timeoutMs: 15_000, what: 'the consumer lag gauge to reach 0' },
    );
    const topic = probe.topic;
    const figures = {
      processed: metricValue(metrics, 'bankcrm_consumer_messages_total', {
        topic,
        outcome: 'processed',
      }),
      duplicate: metricValue(metrics, 'bankcrm_consumer_messages_total', {
        topic,
        outcome: 'duplicate',
      }),
      stale: metricValue(metrics, 'bankcrm_consumer_messages_total', { topic, outcome: 'stale' }),
      deadLettered: metricValue(metrics, 'bankcrm_consumer_messages_total', {
        topic,
        outcome: 'dead-lettered',
      }),
      retries: metricValue(metrics, 'bankcrm_consumer_retries_total', { topic }),
      deadLettersUnparseable: metricValue(metrics, 'bankcrm_consumer_dead_letters_total', {
        topic,
        reason: 'unparseable',
      }),
      deadLettersInvalid: metricValue(metrics, 'bankcrm_consumer_dead_letters_total', {
        topic,
        reason: 'invalid',
      }),
      deadLettersHandlerFailed: metricValue(metrics, 'bankcrm_consumer_dead_letters_total', {
        topic,
        reason: 'handler-failed',
      }),
      lag: metricValue(metrics, 'bankcrm_consumer_lag', { topic }),
      up: metricValue(metrics, 'bankcrm_consumer_up'),
    };
    expect(figures).toEqual({
      processed: 6,
      duplicate: 1,
      stale: 1,
      deadLettered: 5,
      retries: MAX_ATTEMPTS - 1,
      deadLettersUnparseable: 1,
      deadLettersInvalid: 2,
      deadLettersHandlerFailed: 2,
      lag: 0,
      up: 1,
    });
    report('messaging-poison', {
      deadLetters: letters.length,
      transientAttempts: invocations.find((i) => i.key === 'bad-transient')?.attempts.length,
      permanentAttempts: invocations.find((i) => i.key === 'bad-permanent')?.attempts.length,
      ...figures,
    });
  });

  it("checks subject versions of a whole chunk at once: an event no newer than its subject's last, stored or earlier in the chunk, is stale and skipped", async () => {
    const metricsText = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const counters = (text: string) => ({
      stale: metricValue(text, 'bankcrm_consumer_messages_total', {
        topic: probe.topic,
        outcome: 'stale',
      }),
      fallbacks: metricValue(text, 'bankcrm_consumer_chunk_fallbacks_total', {
        topic: probe.topic,
      }),
    });
    const before = counters(await metricsText());
    // one send: one fetch, one chunk; 'versioned' stands at 6 after the first test
    const sent: [string, number, number][] = [
      ['versioned', 10, 6], // equal to the stored version: stale
      ['chunked', 1, 1],
      ['chunked', 2, 3],
      ['versioned', 11, 8],
      ['chunked', 3, 2], // older than the chunk's earlier 3: stale
      ['chunked', 4, 4],
      ['chunk-end', 1, 1],
    ];
    await producer.send({
      topic: probe.topic,
      acks: -1,
      messages: sent.map(([key, seq, subjectVersion]) => ({
        key,
        value: JSON.stringify(probeEnvelope(probe, key, seq, { subjectVersion })),
      })),
    });
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM effects WHERE key = 'chunk-end'`)).length ? true : undefined,
      { timeoutMs: 30_000, what: 'the last message of the chunk to be processed' },
    );
    const effects: { key: string; seq: number }[] = await db.query(
      `SELECT key, seq FROM effects
        WHERE key = 'chunked' OR (key = 'versioned' AND seq >= 10) ORDER BY id`,
    );
    expect(effects.map((e) => `${e.key}#${e.seq}`)).toEqual([
      'chunked#1',
      'chunked#2',
      'versioned#11',
      'chunked#4',
    ]);
    const versions: { subject: string; version: string }[] = await db.query(
      `SELECT subject, version::text AS version FROM inbox_subject_version
        WHERE subject IN ('versioned', 'chunked', 'chunk-end') ORDER BY subject`,
    );
    expect(versions).toEqual([
      { subject: 'chunk-end', version: '1' },
      { subject: 'chunked', version: '4' },
      { subject: 'versioned', version: '8' },
    ]);
    const after = counters(await metricsText());
    expect(after.stale - before.stale).toBe(2);
    // and it went through the chunk path: no chunk of the topic was rolled back since
    expect(after.fallbacks).toBe(before.fallbacks);
  });
});
