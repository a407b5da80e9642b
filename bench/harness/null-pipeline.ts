import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { createKafka, ensureTopics } from '@bank-crm/messaging';
import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface NullPipelineOptions {
  brokers: string[];
  /** PostgreSQL server URL without a database; the pipeline creates its own database. */
  pg: string;
  /** The topic's name, given a fresh suffix (a topic per run). */
  topic: (suffix: string) => string;
  /** The database's name, given the same suffix. */
  database: (suffix: string) => string;
  /** CREATE TABLE of the one table the pipeline writes. */
  table: string;
  /** The COPY ... FROM STDIN statement for that table. */
  copy: string;
  /** One COPY text line (tab-separated, ending in a newline) per message; now = batch arrival. */
  line: (message: KafkaMessage, now: number) => string;
  /** kafkajs' partitionsConsumedConcurrently (default 1). */
  partitionsConsumedConcurrently?: number;
}

export interface NullPipeline {
  readonly topic: string;
  readonly kafka: Kafka;
  /** The pipeline's own connection to its database, for reading what it wrote. */
  readonly db: Client;
  /** Messages copied into the table so far. */
  consumed(): number;
  /** Stops the consumer, drops the database and deletes the topic. */
  close(): Promise<void>;
}

/**
 * The baseline every streaming benchmark sets beside its figure: a kafkajs consumer that moves
 * each batch of a topic into one PostgreSQL table with COPY and does nothing else (no
 * validation, no inbox, no outbox, no per-chunk transaction). It is the practical limit of Kafka
 * into PostgreSQL on the machine the benchmark runs on. The benchmark produces to `topic`.
 */
export async function startNullPipeline(options: NullPipelineOptions): Promise<NullPipeline> {
  const suffix = randomUUID().slice(0, 8);
  const topic = options.topic(suffix);
  const url = `${options.pg}/${options.database(suffix)}`;
  await ensureDatabase(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query(options.table);
  // the COPYs have a connection of their own and run one at a time (as one connection would run
  // them), while the benchmark reads through `db`; a pg client must not be handed a second query
  // while one runs
  const writer = new Client({ connectionString: url });
  await writer.connect();
  let copying: Promise<unknown> = Promise.resolve();
  const kafka = createKafka({ brokers: options.brokers, clientId: `bench-null-${suffix}` });
  await ensureTopics(kafka, [{ topic, partitions: 6 }]);
  const consumer = kafka.consumer({ groupId: `bench-null-${suffix}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      const lines = batch.messages.map((m) => options.line(m, now));
      const copied = copying.then(() =>
        pipeline(Readable.from(lines), writer.query(copyFrom(options.copy))),
      );
      copying = copied.catch(() => undefined);
      await copied;
      consumed += lines.length;
    },
  });
  return {
    topic,
    kafka,
    db,
    consumed: () => consumed,
    async close() {
      await consumer.disconnect();
      await writer.end();
      await db.end();
      await dropDatabase(url);
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
