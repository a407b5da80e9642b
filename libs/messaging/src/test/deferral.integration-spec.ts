/**
 * Deferral through the real ReliableKafkaServer (in its own process, on the real broker and
 * database): a handler that leaves some messages of a chunk to a second transaction sees them
 * handled right after the chunk's first transaction, once each, after the chunk's other messages;
 * a deferred event with a subjectVersion rolls the chunk back to one message per transaction.
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
  metricValue,
  probeEnvelope,
  startFixture,
  testKafka,
  uniqueSuffix,
  waitFor,
  type FixtureProcess,
} from './support';

describe('messages deferred to a second transaction', () => {
  const suffix = uniqueSuffix();
  const probe = probeEvent(`probe-defer-${suffix}`, 1);
  const dlq = `service.probe-defer-${suffix}.dead-lettered.v1`;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let url: string;
  let consumer: FixtureProcess | undefined;

  beforeAll(async () => {
    ({ url, db } = await createFixtureDatabase('defer'));
    kafka = testKafka();
    await createTopics(kafka, [
      { topic: probe.topic, partitions: 1 },
      { topic: dlq, partitions: 1 },
    ]);
    producer = createProducer(kafka);
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.killAndWait('SIGTERM');
    await producer?.disconnect();
    if (url) await dropFixtureDatabase(url, db);
    if (kafka) await deleteTopics(kafka, [probe.topic, dlq]);
  });

  const send = (events: [string, number, number?][]) =>
    producer.send({
      topic: probe.topic,
      acks: -1,
      messages: events.map(([key, seq, subjectVersion]) => ({
        key,
        value: JSON.stringify(
          probeEnvelope(probe, key, seq, subjectVersion ? { subjectVersion } : {}),
        ),
      })),
    });
  const effects = async () =>
    (
      (await db.query('SELECT key, seq FROM effects ORDER BY id')) as {
        key: string;
        seq: number;
      }[]
    ).map((e) => `${e.key}#${e.seq}`);

  it('handles deferred messages once, after the rest of their chunk, keeping per-key order', async () => {
    // on the partition before the consumer starts: its first fetch is one chunk
    await send([
      ['a', 1],
      ['b', 5], // a multiple of DEFER_MOD: deferred
      ['a', 2],
      ['b', 6], // after a deferred message of its key: deferred too
      ['c', 1],
      ['c', 10], // deferred
      ['a', 3],
    ]);
    consumer = startFixture('consumer-app.ts', {
      DATABASE_URL: url,
      GROUP_ID: `msg-test-defer-${suffix}`,
      PROBE_AGGREGATE: probe.aggregate,
      PROBE_PARTITIONS: '1',
      DEAD_LETTER_TOPIC: dlq,
      DEFER_MOD: '5',
    });
    const port = Number((await consumer.line('listening')).port);
    await waitFor(async () => ((await effects()).length >= 7 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the first chunk to be handled',
    });
    expect(await effects()).toEqual(['a#1', 'a#2', 'c#1', 'a#3', 'b#5', 'b#6', 'c#10']);

    // a deferred event with a subjectVersion: the chunk is rolled back, then one by one in order
    await send([
      ['d', 1],
      ['e', 5, 1],
      ['d', 2],
    ]);
    await waitFor(async () => ((await effects()).length >= 10 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the second chunk to be handled',
    });
    expect((await effects()).slice(7)).toEqual(['d#1', 'e#5', 'd#2']);

    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM inbox')) as { n: number }[];
    expect(n).toBe(10);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const topic = probe.topic;
    expect(metricValue(metrics, 'bankcrm_consumer_deferred_total', { topic })).toBe(3);
    expect(metricValue(metrics, 'bankcrm_consumer_chunk_fallbacks_total', { topic })).toBe(1);
    expect(
      metricValue(metrics, 'bankcrm_consumer_messages_total', { topic, outcome: 'processed' }),
    ).toBe(10);
    expect(
      metricValue(metrics, 'bankcrm_consumer_messages_total', { topic, outcome: 'duplicate' }),
    ).toBe(0);
  });
});
