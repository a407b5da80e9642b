import { randomUUID } from 'node:crypto';

import { CustomerHoldingsChangedV2, SourceAccountBalanceRecordedV1 } from '@bank-crm/contracts';
import { ensureTopics } from '@bank-crm/messaging';
import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { Client, Pool } from 'pg';

import type { AccountBook } from './load';
import type { SeedAccount } from './seed';

/**
 * One timed change and the wait until it can be seen.
 *
 * Real path: a balance update of a probe account (one no background change touches) published on
 * account-bridge's inbound topic (or POSTed to /source-account-balances with
 * BENCH_PROPAGATION_VIA=rest). One shared watcher reads the 360 view's accounts table
 * (view_customer_holdings, what GET /customers/{id}/360 reads) of every probe still waiting, every
 * 10 ms; once a probe's balance is there, GET /customers/{id}/360 confirms it (again every 10 ms
 * until the account shows the new balance). Propagation = from just before the send to the
 * arrival of the 360 response that shows it. Watching the table instead of polling the endpoint
 * for each waiting probe keeps the probes' own read load at one GET per probe, however many wait.
 *
 * Baseline: a null pipeline with the same two Kafka hops and two database writes, in the bench
 * process, on the same broker and PostgreSQL server: kafkajs produce -> consume -> INSERT ->
 * produce -> consume -> INSERT, its table watched the same way (one SELECT every 10 ms).
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TIMEOUT_MS = 180_000;
const POLL_MS = 10;

/**
 * Waits for keys to appear: while any key is waited for, `check(keys)` runs every POLL_MS (one at
 * a time) and answers which of them are there now.
 */
export class Watcher {
  private readonly waiting = new Map<string, { done(): void; fail(e: Error): void; at: number }>();
  private running = false;

  constructor(private readonly check: (keys: string[]) => Promise<Set<string>>) {}

  wait(key: string): Promise<void> {
    return new Promise<void>((done, fail) => {
      this.waiting.set(key, { done, fail, at: performance.now() });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.size) {
        const keys = [...this.waiting.keys()];
        let seen: Set<string>;
        try {
          seen = await this.check(keys);
        } catch (error) {
          for (const w of this.waiting.values()) w.fail(error as Error);
          this.waiting.clear();
          break;
        }
        for (const key of keys) {
          const w = this.waiting.get(key);
          if (!w) continue;
          if (seen.has(key)) {
            this.waiting.delete(key);
            w.done();
          } else if (performance.now() - w.at > TIMEOUT_MS) {
            this.waiting.delete(key);
            w.fail(new Error(`${key} not visible after ${TIMEOUT_MS} ms`));
          }
        }
        await sleep(POLL_MS);
      }
    } finally {
      this.running = false;
    }
  }
}

export interface ProbeTarget {
  account: SeedAccount;
  customerId: string;
}

interface Holdings {
  accounts: { accountNumberMasked: string; balance: string }[];
}

const shows = (h: Holdings | undefined, last4: string, balance: number) =>
  h?.accounts.some((a) => a.accountNumberMasked.endsWith(last4) && Number(a.balance) === balance) ??
  false;

/** Watches customer-master's view_customer_holdings for `customerId|last4|balance` keys. */
export function holdingsWatcher(db: Pool): Watcher {
  return new Watcher(async (keys) => {
    const wanted = keys.map((k) => {
      const [customerId, last4, balance] = k.split('|');
      return { k, customerId, last4, balance: Number(balance) };
    });
    const { rows } = await db.query<{ customer_id: string; data: Holdings }>(
      'SELECT customer_id, data FROM view_customer_holdings WHERE customer_id = ANY($1::uuid[])',
      [[...new Set(wanted.map((w) => w.customerId))]],
    );
    const byCustomer = new Map(rows.map((r) => [r.customer_id, r.data]));
    return new Set(
      wanted.filter((w) => shows(byCustomer.get(w.customerId), w.last4, w.balance)).map((w) => w.k),
    );
  });
}

let probeSeq = 0;

/** One real probe: its event id and wall-clock times (ms since the epoch), for the breakdown. */
export interface ProbeResult {
  ms: number;
  eventId: string;
  sentAt: number;
  /** When the watcher saw it in view_customer_holdings. */
  inViewAt: number;
  /** When GET /customers/{id}/360 answered with it. */
  confirmedAt: number;
}

export async function probeReal(opts: {
  target: ProbeTarget;
  book: AccountBook;
  producer: Producer;
  watcher: Watcher;
  via: 'kafka' | 'rest';
  customerMasterUrl: string;
  accountBridgeUrl: string;
  readToken: string;
  writeToken: string;
}): Promise<ProbeResult> {
  probeSeq += 1;
  // unique per probe, and far from the last value: always above the publishing threshold
  const balance = 1_000_000 + probeSeq * 1_000;
  const { account, customerId } = opts.target;
  const message = opts.book.balanceUpdate(account, balance);
  const { id: eventId } = JSON.parse(message.value) as { id: string };
  const started = performance.now();
  const sentAt = Date.now();
  if (opts.via === 'kafka') {
    await opts.producer.send({
      topic: SourceAccountBalanceRecordedV1.topic,
      acks: -1,
      messages: [{ key: message.key, value: message.value }],
    });
  } else {
    const res = await fetch(`${opts.accountBridgeUrl}/source-account-balances`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${opts.writeToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify((JSON.parse(message.value) as { payload: unknown }).payload),
    });
    const text = await res.text();
    if (res.status !== 202) throw new Error(`POST /source-account-balances: ${res.status} ${text}`);
  }
  await opts.watcher.wait(`${customerId}|${account.last4}|${balance}`);
  const inViewAt = Date.now();
  const url = `${opts.customerMasterUrl}/customers/${customerId}/360`;
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${opts.readToken}` } });
    const body = (await res.json()) as { parts?: { accounts?: Holdings } };
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
    if (shows(body.parts?.accounts, account.last4, balance)) {
      const ms = performance.now() - started;
      return { ms, eventId, sentAt, inViewAt, confirmedAt: Date.now() };
    }
    if (performance.now() - started > TIMEOUT_MS)
      throw new Error(`probe change of ${message.key} not in the 360 view after ${TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

/** The null pipeline: two topics, two consumers and two tables of a database of its own. */
export class NullPipeline {
  private readonly suffix = randomUUID().slice(0, 8);
  private readonly topicA = `account-bridge.bench-propagation-${this.suffix}.recorded.v1`;
  private readonly topicB = `account-bridge.bench-propagation-${this.suffix}.changed.v1`;
  private readonly url: string;
  private readonly consumers: Consumer[] = [];
  private readonly clients: Client[] = [];
  private poll?: Pool;
  private watcher?: Watcher;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    pgBase: string,
  ) {
    this.url = `${pgBase}/bench_propagation_null_${this.suffix}`;
  }

  async start(): Promise<void> {
    await ensureDatabase(this.url);
    const client = async () => {
      const c = new Client({ connectionString: this.url });
      await c.connect();
      this.clients.push(c);
      return c;
    };
    const hopA = await client();
    const hopB = await client();
    const poll = new Pool({ connectionString: this.url, max: 1 });
    this.poll = poll;
    this.watcher = new Watcher(async (ids) => {
      const { rows } = await poll.query<{ id: string }>(
        'SELECT id FROM visible WHERE id = ANY($1::uuid[])',
        [ids],
      );
      return new Set(rows.map((r) => r.id));
    });
    await hopA.query('CREATE TABLE hop (id uuid PRIMARY KEY, at timestamptz NOT NULL)');
    await hopA.query('CREATE TABLE visible (id uuid PRIMARY KEY, at timestamptz NOT NULL)');
    // the same partition counts as the two topics of the real path
    await this.createTopics([
      { topic: this.topicA, partitions: SourceAccountBalanceRecordedV1.partitions },
      { topic: this.topicB, partitions: CustomerHoldingsChangedV2.partitions },
    ]);
    const consume = async (topic: string, handle: (id: string) => Promise<void>) => {
      const consumer = this.kafka.consumer({
        groupId: `bench-propagation-null-${this.suffix}-${topic.slice(-12)}`,
        maxWaitTimeInMs: 1_000, // as the services' consumers
      });
      this.consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const joined = new Promise<void>((done) =>
        consumer.on(consumer.events.GROUP_JOIN, () => done()),
      );
      await consumer.run({
        eachMessage: async ({ message }) => handle(message.value?.toString() ?? ''),
      });
      await joined;
    };
    await consume(this.topicA, async (id) => {
      await hopA.query('INSERT INTO hop VALUES ($1, now())', [id]);
      await this.producer.send({
        topic: this.topicB,
        acks: -1,
        messages: [{ key: id, value: id }],
      });
    });
    await consume(this.topicB, async (id) => {
      await hopB.query('INSERT INTO visible VALUES ($1, now())', [id]);
    });
  }

  /**
   * Creates the topics and waits until every partition has a leader. A broker started moments
   * ago may answer the creation's own wait with "does not host this topic-partition": retried.
   */
  private async createTopics(topics: { topic: string; partitions: number }[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await ensureTopics(this.kafka, topics);
          const { topics: meta } = await admin.fetchTopicMetadata({
            topics: topics.map((t) => t.topic),
          });
          if (
            meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
          )
            return;
        } catch (error) {
          if (attempt >= 20) throw error;
        }
        await sleep(500);
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** One change through the null pipeline, in ms from the send until its row is seen. */
  async probe(): Promise<number> {
    const id = randomUUID();
    const started = performance.now();
    await this.producer.send({ topic: this.topicA, acks: -1, messages: [{ key: id, value: id }] });
    await this.watcher?.wait(id);
    return performance.now() - started;
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    await this.poll?.end().catch(() => undefined);
    await dropDatabase(this.url);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [this.topicA, this.topicB] }).catch(() => undefined);
    await admin.disconnect();
  }
}
