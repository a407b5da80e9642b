import { advisoryLockKey } from '@bank-crm/persistence';
import type { Kafka, Message, Producer } from 'kafkajs';
import { Client } from 'pg';

import { createProducer, type LogSink } from '../kafka/kafka-factory';
import { messagingMetrics } from '../messaging-metrics';
import { sleep } from '../sleep';
import { BacklogEstimate } from './backlog-estimate';

export interface OutboxRelayOptions {
  databaseUrl: string;
  serviceName: string;
  kafka: Kafka;
  logger: LogSink;
  pollIntervalMs: number;
  batchSize?: number;
  /**
   * How long published rows are kept, marked published; 0 (the default) deletes each row as soon
   * as Kafka has acknowledged it.
   */
  retentionMs?: number;
  /** How often the clean-up (and, when due, the vacuum) runs; 60 s unless told. */
  cleanupIntervalMs?: number;
  /** The outbox is vacuumed at a clean-up once this many rows were published since the last. */
  vacuumAfterPublished?: number;
}

interface OutboxRow {
  seq: string;
  topic: string;
  aggregateid: string;
  payload: unknown;
  headers: Record<string, string>;
  created_at: Date;
}

const CONTEXT = 'OutboxRelay';

/**
 * Publishes committed outbox rows to Kafka, in commit order per key.
 *
 * - Reads rows that are still unpublished, never "rows after the last id": a transaction that
 *   took its sequence number early but committed late is still found.
 * - One relay per service: the replica holding a Postgres advisory lock on a dedicated
 *   connection publishes; the others wait. A killed leader's lock goes with its connection.
 * - At least once: a crash after the send and before the row is marked publishes it again;
 *   consumers deduplicate on the event id.
 */
export class OutboxRelay {
  private client: Client | null = null;
  private producer: Producer | null = null;
  private leader = false;
  private abort = new AbortController();
  private wake: (() => void) | null = null;
  /** A NOTIFY arrived while a batch was being published: look again at once. */
  private notified = false;
  private loop: Promise<void> | null = null;
  private lastCleanup = 0;
  private publishedSinceVacuum = 0;
  private readonly batchSize: number;
  private readonly retentionMs: number;
  private readonly cleanupIntervalMs: number;
  private readonly vacuumAfterPublished: number;
  private lastError: string | null = null;
  private readonly backlog = new BacklogEstimate();

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.retentionMs = options.retentionMs ?? 0;
    this.cleanupIntervalMs = options.cleanupIntervalMs ?? 60_000;
    this.vacuumAfterPublished = options.vacuumAfterPublished ?? VACUUM_AFTER_PUBLISHED;
  }

  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  status(): { leader: boolean; lastError: string | null } {
    return { leader: this.leader, lastError: this.lastError };
  }

  /** Publishes everything pending now (tests and shutdown). */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        if (!this.leader) {
          // a lost connection leaves its client and producer behind: release them first
          await this.dropLeadership();
          if (!(await this.tryBecomeLeader())) {
            await sleep(2_000, signal);
            continue;
          }
        }
        const published = await this.publishBatch();
        await this.cleanupIfDue();
        if (published < this.batchSize) await this.waitForWork(signal);
        this.lastError = null;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.options.logger.error(`outbox relay error: ${(error as Error).message}`, CONTEXT);
        await this.dropLeadership();
        await sleep(1_000, signal);
      }
    }
    await this.dropLeadership();
  }

  private async tryBecomeLeader(): Promise<boolean> {
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: `${this.options.serviceName}-outbox-relay`,
    });
    client.on('error', (error) => {
      this.options.logger.warn(`outbox relay connection lost: ${error.message}`, CONTEXT);
      this.leader = false;
      messagingMetrics.outboxLeader.set(0);
      this.wake?.();
    });
    await client.connect();
    let producer: Producer | null = null;
    try {
      const key = advisoryLockKey(`outbox-relay:${this.options.serviceName}`);
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [key],
      );
      if (!rows[0]?.locked) {
        await client.end();
        return false;
      }
      client.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      await client.query('LISTEN outbox');
      for (const setting of OUTBOX_RELAY_SESSION_SETTINGS) await client.query(setting);
      producer = createProducer(this.options.kafka);
      await producer.connect();
    } catch (error) {
      // never keep the lock on a connection nobody uses: the other replicas would wait forever
      await producer?.disconnect().catch(() => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    this.client = client;
    this.leader = true;
    messagingMetrics.outboxLeader.set(1);
    this.options.logger.log('outbox relay is the leader for this service', CONTEXT);
    return true;
  }

  private async dropLeadership(): Promise<void> {
    this.leader = false;
    messagingMetrics.outboxLeader.set(0);
    const client = this.client;
    const producer = this.producer;
    this.client = null;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private waitForWork(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (this.notified || signal.aborted) {
        this.notified = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private async publishBatch(): Promise<number> {
    const client = this.client;
    const producer = this.producer;
    if (!client || !producer || !this.leader) return 0;
    // a NOTIFY from here on means rows this SELECT may not see: the next wait returns at once
    this.notified = false;
    const { rows } = await client.query<OutboxRow>(OUTBOX_HEAD_SQL, [this.batchSize]);
    if (rows.length === 0) {
      messagingMetrics.outboxBacklog.set(0);
      return 0;
    }
    // the backlog is known before the send, so it shows (and grows) while Kafka is unreachable;
    // counted only as often as BacklogEstimate allows (a count reads every unpublished row)
    if (rows.length === this.batchSize && this.backlog.countDue(Date.now())) {
      const started = Date.now();
      const value = await this.countBacklog(client);
      this.backlog.recordCount(value, Date.now() - started, Date.now());
    }
    messagingMetrics.outboxBacklog.set(this.backlog.value(rows.length, this.batchSize, false));
    // one sendBatch keeps the per-topic (and so per-key) order of the rows
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({
        key: row.aggregateid,
        value: JSON.stringify(row.payload),
        headers: row.headers,
      });
      byTopic.set(row.topic, messages);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    await client.query(
      this.retentionMs > 0 ? OUTBOX_MARK_PUBLISHED_SQL : OUTBOX_DELETE_PUBLISHED_SQL,
      [rows.map((r) => r.seq)],
    );
    const now = Date.now();
    for (const row of rows) {
      messagingMetrics.outboxPublished.inc({ topic: row.topic });
      messagingMetrics.outboxPublishLatency.observe(
        Math.max(0, now - new Date(row.created_at).getTime()) / 1000,
      );
    }
    this.backlog.recordPublished(rows.length);
    this.publishedSinceVacuum += rows.length;
    messagingMetrics.outboxBacklog.set(this.backlog.value(rows.length, this.batchSize, true));
    return rows.length;
  }

  private async countBacklog(client: Client): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async cleanupIfDue(): Promise<void> {
    if (!this.client || Date.now() - this.lastCleanup < this.cleanupIntervalMs) return;
    this.lastCleanup = Date.now();
    // with no retention this still clears rows marked published before (a retention set earlier)
    await deletePublishedOutboxRows(this.client, this.retentionMs);
    if (this.publishedSinceVacuum >= this.vacuumAfterPublished) {
      const started = Date.now();
      await vacuumOutbox(this.client);
      this.publishedSinceVacuum = 0;
      messagingMetrics.outboxVacuum.observe((Date.now() - started) / 1000);
    }
  }
}

/**
 * What the relay does with rows Kafka has acknowledged ($1 = their seqs): marks them published
 * (kept for a retention) or deletes them. Marking writes each row again (a new version with its
 * payload and two new index entries), and a table that keeps what it published grows with the
 * publishing rate: in the 1M import, account-bridge's outbox held 1.2M rows (2.4 GB) with a
 * 10-minute retention, its vacuum took 10 s a minute, and marking was its most frequent statement.
 * Deleting leaves the table holding only what waits to be published.
 */
export const OUTBOX_MARK_PUBLISHED_SQL =
  'UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])';
export const OUTBOX_DELETE_PUBLISHED_SQL = 'DELETE FROM outbox WHERE seq = ANY($1::bigint[])';

/** The relay's read: the oldest unpublished rows ($1 of them), in sequence order. */
export const OUTBOX_HEAD_SQL = `SELECT seq, topic, aggregateid, payload, headers, created_at
  FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`;

/**
 * Set on the relay's own connection: its reads go through the outbox's indexes in their order,
 * whatever the planner's statistics say. For OUTBOX_HEAD_SQL the planner, told by the statistics
 * that few rows wait, chose a bitmap scan of outbox_unpublished and a sort: that visits the heap
 * page of every index entry, the published (deleted) rows' included, until the next vacuum, and
 * never marks them dead in the index. In the identity-streaming benchmark (30,000 records, 2.4
 * events each) it found 35,000-44,000 entries and read 4,600-5,800 heap pages for each 500 rows,
 * 11-20 ms a read and 3.4 s in all, the most costly statement after the chunks' lock waits. An
 * index scan in seq order stops at the 500th live row, and marks the dead entries it passes so
 * that later reads skip them without a heap visit. The relay's other statements are key lookups,
 * a count the partial index answers, and the clean-up, which forces its index anyway.
 */
export const OUTBOX_RELAY_SESSION_SETTINGS = [
  'SET enable_bitmapscan = off',
  'SET enable_seqscan = off',
  'SET enable_sort = off',
];

/** The relay vacuums the outbox (at its minutely clean-up) once it has published this many rows. */
export const VACUUM_AFTER_PUBLISHED = 10_000;

/**
 * Vacuums the outbox, so that the relay's read stops walking the rows it has published. Deleting
 * a published row, or marking it, leaves its entry in the outbox_unpublished index until a vacuum
 * removes it, and OUTBOX_HEAD_SQL walks all of those from the oldest before it finds a row to
 * send: in the 1M-account import, customer-master's relay spent 44 ms a read behind 124,000
 * published rows, and the cost grows with every row published. Autovacuum does not keep up with
 * a queue table like this one (by default it waits until a fifth of the table is dead, and a
 * server may run with it off), so the relay does it for its own table. VACUUM takes no lock that
 * holds up writers; for a database user that does not own the table it is a warning, not an
 * error. No ANALYZE: the relay's reads do not need statistics (the clean-up forces its index), and
 * sampling a large outbox took longer than the vacuum (3.2 s against 0.8 s on customer-master's
 * 800,000 rows, 1 GB).
 */
export async function vacuumOutbox(client: Client): Promise<void> {
  await client.query('VACUUM outbox');
}

/** Set for the clean-up's transaction only (see deletePublishedOutboxRows). */
export const OUTBOX_CLEANUP_SETTINGS = ['SET LOCAL enable_seqscan = off'];

/** Published rows older than the retention ($1, in ms). */
export const OUTBOX_CLEANUP_SQL = `DELETE FROM outbox
  WHERE published_at < now() - ($1::bigint * interval '1 millisecond')`;

/**
 * Deletes the published rows older than `retentionMs`, through the published_at index whatever
 * the planner's statistics say: while autoanalyze lags behind a bulk load, the planner took the
 * outbox for a small table and read all of it every minute (0.27–0.63 s a minute per service in the 100k end-to-end import, on the relay's
 * own connection, so nothing was published meanwhile), although there was nothing to delete.
 * `enable_seqscan = off` for this one transaction leaves the index as the only cheap way in.
 */
export async function deletePublishedOutboxRows(
  client: Client,
  retentionMs: number,
): Promise<void> {
  await client.query('BEGIN');
  try {
    for (const setting of OUTBOX_CLEANUP_SETTINGS) await client.query(setting);
    await client.query(OUTBOX_CLEANUP_SQL, [retentionMs]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
