import { randomUUID } from 'node:crypto';

import {
  ENVELOPE_SPEC_VERSION,
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
  type EventDefinition,
  type EventEnvelope,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
} from '@bank-crm/contracts';
import type { Producer } from 'kafkajs';

import { percentile } from '../harness/stats';
import type { SeedAccount } from './seed';

/**
 * What a business system's CDC feed does to the seeded accounts, and what the branch staff do
 * meanwhile: account changes published on account-bridge's inbound Kafka topics at a fixed rate
 * (SourceAccountBalance v1, every 10th a status flip open <-> dormant as a whole
 * SourceAccountRecord v1), and GET /customers/{id}/360 of random customers at a fixed rate.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function envelope<P>(
  definition: EventDefinition,
  producer: string,
  subject: string,
  payload: P,
): EventEnvelope<P> {
  return {
    specVersion: ENVELOPE_SPEC_VERSION,
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    producer,
    subject,
    correlationId: randomUUID(),
    payload,
  };
}

/** The source side of each account: its current balance, status and newest timestamps. */
export class AccountBook {
  private readonly balance = new Map<number, number>();
  private readonly status = new Map<number, SourceAccountRecordV1['status']>();
  private readonly lastAt = new Map<number, number>();

  constructor(readonly accounts: SeedAccount[]) {
    for (const a of accounts) this.balance.set(a.index, Number(a.record.balance));
  }

  /** A timestamp newer than any earlier one of this account (the newest balanceAsOf wins). */
  private stamp(a: SeedAccount): string {
    const at = Math.max(Date.now(), (this.lastAt.get(a.index) ?? 0) + 1);
    this.lastAt.set(a.index, at);
    return new Date(at).toISOString();
  }

  /** A balance update to `balance` (default: a random move of 1000..9000, always published). */
  balanceUpdate(a: SeedAccount, balance?: number): { topic: string; key: string; value: string } {
    const current = this.balance.get(a.index) ?? 0;
    const move = 1_000 * (1 + Math.floor(Math.random() * 9));
    const next = balance ?? (current > 50_000 ? current - move : current + move);
    this.balance.set(a.index, next);
    const asOf = this.stamp(a);
    const payload: SourceAccountBalanceV1 = {
      sourceSystem: a.record.sourceSystem,
      sourceKey: a.record.sourceKey,
      currency: a.record.currency,
      balance: next.toFixed(2),
      balanceAsOf: asOf,
      lastActivityOn: asOf.slice(0, 10),
    };
    const subject = `${a.record.sourceSystem}:${a.record.sourceKey}`;
    return {
      topic: SourceAccountBalanceRecordedV1.topic,
      key: subject,
      value: JSON.stringify(
        envelope(SourceAccountBalanceRecordedV1, a.record.sourceSystem, subject, payload),
      ),
    };
  }

  /** The whole account record again, its status flipped between open and dormant. */
  statusFlip(a: SeedAccount): { topic: string; key: string; value: string } {
    const status = this.status.get(a.index) === 'dormant' ? 'open' : 'dormant';
    this.status.set(a.index, status);
    const at = this.stamp(a);
    const payload: SourceAccountRecordV1 = {
      ...a.record,
      balance: (this.balance.get(a.index) ?? 0).toFixed(2),
      balanceAsOf: at,
      status,
      observedAt: at,
    };
    const subject = `${a.record.sourceSystem}:${a.record.sourceKey}`;
    return {
      topic: SourceAccountRecordedV1.topic,
      key: subject,
      value: JSON.stringify(
        envelope(SourceAccountRecordedV1, a.record.sourceSystem, subject, payload),
      ),
    };
  }
}

export interface LoadStats {
  seconds: number;
  changesSent: number;
  reads: number;
  readErrors: number;
  readP50Ms: number;
  readP99Ms: number;
}

/**
 * Starts the background: `changesPerSecond` account changes (sent every 50 ms, as many as are
 * due, acks=all) and `readsPerSecond` 360 reads (not waiting for each other). stop() ends both
 * and waits for what is in flight.
 */
export function startLoad(opts: {
  producer: Producer;
  book: AccountBook;
  accounts: SeedAccount[];
  changesPerSecond: number;
  readsPerSecond: number;
  viewUrl: (i: number) => string;
  customers: number;
  token: string;
}): { sent(): number; stop(): Promise<LoadStats> } {
  const started = performance.now();
  let running = true;
  let changesSent = 0;
  let reads = 0;
  let readErrors = 0;
  const readMs: number[] = [];
  const inFlight = new Set<Promise<unknown>>();

  const writer = (async () => {
    if (opts.changesPerSecond <= 0) return;
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * opts.changesPerSecond);
      const messages: { topic: string; key: string; value: string }[] = [];
      while (changesSent + messages.length < due) {
        const a = opts.accounts[Math.floor(Math.random() * opts.accounts.length)];
        const n = changesSent + messages.length;
        messages.push(n % 10 === 9 ? opts.book.statusFlip(a) : opts.book.balanceUpdate(a));
      }
      if (messages.length) {
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const m of messages)
          byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), { key: m.key, value: m.value }]);
        await opts.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
        });
        changesSent += messages.length;
      }
      await sleep(50);
    }
  })();

  // reads are started as they fall due (checked every 10 ms), not waiting for each other
  const reader = (async () => {
    if (opts.readsPerSecond <= 0) return;
    let launched = 0;
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * opts.readsPerSecond);
      for (; launched < due; launched += 1) {
        const i = Math.floor(Math.random() * opts.customers);
        const t = performance.now();
        const p = fetch(opts.viewUrl(i), { headers: { authorization: `Bearer ${opts.token}` } })
          .then(async (r) => {
            await r.arrayBuffer();
            if (r.status === 200) {
              reads += 1;
              readMs.push(performance.now() - t);
            } else readErrors += 1;
          })
          .catch(() => {
            readErrors += 1;
          });
        inFlight.add(p);
        void p.finally(() => inFlight.delete(p));
      }
      await sleep(10);
    }
  })();

  return {
    sent: () => changesSent,
    async stop() {
      running = false;
      const seconds = (performance.now() - started) / 1000;
      await writer;
      await reader;
      await Promise.all([...inFlight]);
      return {
        seconds,
        changesSent,
        reads,
        readErrors,
        readP50Ms: percentile(readMs, 50),
        readP99Ms: percentile(readMs, 99),
      };
    },
  };
}
