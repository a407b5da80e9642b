import { randomUUID } from 'node:crypto';

import {
  allTopics,
  ENVELOPE_SPEC_VERSION,
  type EventDefinition,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { createKafka, createProducer, ensureTopics } from '@bank-crm/messaging';
import type { IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';

import { TEST_KAFKA_BROKERS, uniqueSuffix } from './infra';

let kafka: Kafka | null = null;
let producer: Promise<Producer> | null = null;

export function testKafka(): Kafka {
  kafka ??= createKafka({
    brokers: TEST_KAFKA_BROKERS.split(','),
    clientId: `test-${uniqueSuffix()}`,
  });
  return kafka;
}

export async function ensureAllTopics(): Promise<string[]> {
  return ensureTopics(testKafka(), allTopics());
}

/** The shared producer; callers racing to use it first all wait for the one connection. */
export async function testProducer(): Promise<Producer> {
  producer ??= (async () => {
    const p = createProducer(testKafka());
    await p.connect();
    return p;
  })();
  return producer;
}

export async function closeTestKafka(): Promise<void> {
  const p = producer;
  producer = null;
  kafka = null;
  await (await p)?.disconnect();
}

/** A valid envelope for a definition, as its owner would publish it. */
export function makeEnvelope<P>(
  definition: EventDefinition,
  payload: P,
  overrides: Partial<EventEnvelope<P>> = {},
): EventEnvelope<P> {
  return {
    specVersion: ENVELOPE_SPEC_VERSION,
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    producer: definition.owner,
    subject: randomUUID(),
    correlationId: randomUUID(),
    payload,
    ...overrides,
  };
}

export async function produce(
  topic: string,
  messages: { key: string; value: string | Buffer | null; headers?: IHeaders }[],
): Promise<void> {
  const p = await testProducer();
  await p.send({ topic, acks: -1, messages });
}

export async function produceEnvelope(topic: string, envelope: EventEnvelope): Promise<void> {
  await produce(topic, [{ key: envelope.subject, value: JSON.stringify(envelope) }]);
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key?.toString('utf8') ?? null,
    value: m.value?.toString('utf8') ?? null,
    headers,
  };
}

/**
 * Reads a topic from the beginning (or from `since`, epoch ms) with a throw-away consumer group
 * until `done` says the collected messages are enough, or the timeout passes (then returns what
 * it has).
 */
export async function readTopic(
  topic: string,
  done: (messages: ConsumedMessage[]) => boolean,
  timeoutMs = 30_000,
  options: { since?: number } = {},
): Promise<ConsumedMessage[]> {
  const groupId = `test-reader-${uniqueSuffix()}`;
  if (options.since !== undefined) {
    // start at the first message produced at or after `since`, not at the topic's beginning
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const partitions = await admin.fetchTopicOffsetsByTimestamp(topic, options.since);
      await admin.setOffsets({ groupId, topic, partitions });
    } finally {
      await admin.disconnect();
    }
  }
  const consumer = testKafka().consumer({ groupId, maxWaitTimeInMs: 200 });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic: t, partition, message }) => {
          messages.push(toConsumed(t, partition, message));
          if (done(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/**
 * Every message of a topic up to its current end (high watermark of each partition), read with a
 * throw-away consumer group. For scans such as the PII canary test.
 */
export async function readTopicToEnd(
  topic: string,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const admin = testKafka().admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const total = [...ends.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return [];
  const reached = (messages: ConsumedMessage[]) =>
    [...ends.entries()].every(
      ([partition, end]) =>
        end === 0n ||
        messages.some((m) => m.partition === partition && BigInt(m.offset) + 1n >= end),
    );
  return readTopic(topic, reached, timeoutMs);
}
