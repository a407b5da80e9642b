import {
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  type CustomerAccountV2,
  type CustomerHoldingsChangedV2Payload,
} from '@bank-crm/contracts';
import type { OutboxAppend, OutboxWriter, TransactionHooks } from '@bank-crm/messaging';
import type { EntityManager } from 'typeorm';

import {
  holdingsV1,
  productTypeV2,
  roleV2,
  ROLE_PRIORITY,
  statusV2,
  sumHoldings,
} from './contract-mapping';
import { contentHash } from './record-hash';

export type HoldingsChange = CustomerHoldingsChangedV2Payload['change'];

/** Which change to name when several touched one customer in one transaction. */
const CHANGE_PRIORITY: HoldingsChange[] = [
  'account-opened',
  'account-closed',
  'link-changed',
  'balance',
  'activity',
  'snapshot',
];

/** Customers whose holdings may have changed in the current transaction, with what changed. */
export class HoldingsChanges {
  private readonly byCustomer = new Map<string, { change: HoldingsChange; accountId?: string }>();

  add(customerId: string | null | undefined, change: HoldingsChange, accountId?: string): void {
    if (!customerId) return;
    const current = this.byCustomer.get(customerId);
    if (!current || CHANGE_PRIORITY.indexOf(change) < CHANGE_PRIORITY.indexOf(current.change)) {
      this.byCustomer.set(customerId, { change, ...(accountId ? { accountId } : {}) });
    }
  }

  /** Takes in another transaction part's changes (the higher-priority change wins). */
  merge(other: HoldingsChanges): void {
    for (const [customerId, { change, accountId }] of other.byCustomer) {
      this.add(customerId, change, accountId);
    }
  }

  get size(): number {
    return this.byCustomer.size;
  }

  entries(): [string, { change: HoldingsChange; accountId?: string }][] {
    return [...this.byCustomer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

interface HoldingRow {
  customerId: string;
  accountId: string;
  sourceSystem: string;
  productType: string;
  productCode: string | null;
  accountNumberMasked: string;
  role: string;
  status: string;
  currency: string;
  publishedBalance: string;
  openedOn: string;
  closedOn: string | null;
  lastActivityOn: string | null;
}

const MAX_ACCOUNTS = 1000;

/**
 * Every account a customer holds now, with the role it holds it in, for the customers in $1.
 * Key lookups only, whatever the planner's statistics say: customer -> its parties
 * (party_customer_customer_idx) -> their current holder rows (account_holder_party_idx) -> the
 * account (primary key). As a plain three-way join, a planner without statistics for a table
 * growing under a bulk load (autoanalyze lags behind) scanned all of account_holder for every
 * chunk: 1.4 s per chunk at 70k holder rows in the 1M end-to-end import, and growing with it.
 * The OFFSET 0 / LIMIT 1 fences keep each lookup a parameterised index scan.
 */
export const HOLDINGS_SQL = `
  SELECT pc.customer_id AS "customerId", a.id AS "accountId", a.source_system AS "sourceSystem",
         a.product_type AS "productType", a.product_code AS "productCode",
         a.account_number_masked AS "accountNumberMasked", h.role, a.status, a.currency,
         a.published_balance::text AS "publishedBalance", a.opened_on::text AS "openedOn",
         a.closed_on::text AS "closedOn", a.last_activity_on::text AS "lastActivityOn"
    FROM unnest($1::uuid[]) AS c(id)
   CROSS JOIN LATERAL (
     SELECT p.customer_id, p.source_system, p.source_key FROM party_customer p
      WHERE p.customer_id = c.id OFFSET 0) pc
   CROSS JOIN LATERAL (
     SELECT x.account_id, x.role FROM account_holder x
      WHERE x.source_system = pc.source_system AND x.party_source_key = pc.source_key
        AND x.valid_to IS NULL OFFSET 0) h
   CROSS JOIN LATERAL (
     SELECT * FROM account y WHERE y.id = h.account_id LIMIT 1) a`;

/**
 * Publishes customer-holdings.changed (the contract customer-master consumes for the lifecycle
 * and the 360 view): a full snapshot per customer, only when it differs from the last one
 * published. Balances in it are the last *published* balances, so movements below the balance
 * threshold do not produce snapshots either. Every snapshot goes out as v2 and, while v1 is
 * deprecated, as v1 derived from it (same sequence, same transaction). The snapshot is compared in
 * v2's finer vocabulary, so a change only v2 shows (e.g. open -> frozen) publishes both.
 */
export class HoldingsPublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  /**
   * Publishes at the end of the consumer's transaction instead of now: the messages of a chunk
   * then lock each customer's snapshot once, all customers in one sorted statement after every
   * account lock of the chunk (two chunks locking customers message by message could deadlock),
   * and a customer touched by several messages gets one snapshot of the final state.
   */
  publishAtCommit(
    hooks: TransactionHooks,
    manager: EntityManager,
    changes: HoldingsChanges,
    meta: { correlationId: string; causationId?: string },
  ): void {
    hooks.collect(this, { changes, meta }, async (parts) => {
      const all = new HoldingsChanges();
      for (const part of parts) all.merge(part.changes);
      await this.publish(manager, all, parts[0].meta);
    });
  }

  async publish(
    manager: EntityManager,
    changes: HoldingsChanges,
    meta: { correlationId: string; causationId?: string },
  ): Promise<number> {
    if (changes.size === 0) return 0;
    const entries = changes.entries();
    const ids = entries.map(([id]) => id);
    // one customer's snapshots are taken one transaction at a time (sorted: no deadlocks)
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('holdings:' || c, 0))
         FROM (SELECT c FROM unnest($1::text[]) AS c ORDER BY c) AS s`,
      [ids],
    );
    const rows: HoldingRow[] = await manager.query(HOLDINGS_SQL, [ids]);
    const state: {
      customerId: string;
      sequence: number;
      snapshotHash: string;
      everHad: boolean;
    }[] = await manager.query(
      `SELECT customer_id AS "customerId", sequence, snapshot_hash AS "snapshotHash",
                ever_had_account AS "everHad"
           FROM customer_holdings WHERE customer_id = ANY($1::uuid[])`,
      [ids],
    );
    const previous = new Map(state.map((s) => [s.customerId, s]));
    const byCustomer = new Map<string, HoldingRow[]>();
    for (const row of rows) {
      const list = byCustomer.get(row.customerId) ?? [];
      list.push(row);
      byCustomer.set(row.customerId, list);
    }

    let published = 0;
    const events: OutboxAppend[] = [];
    const upserts: {
      id: string;
      sequence: number;
      hash: string;
      everHad: boolean;
      open: number;
    }[] = [];
    for (const [customerId, { change, accountId }] of entries) {
      const prior = previous.get(customerId);
      const snapshot = this.snapshot(byCustomer.get(customerId) ?? [], prior?.everHad ?? false);
      if (!prior && snapshot.accounts.length === 0) continue; // never held anything: nothing to say
      const hash = contentHash(snapshot);
      if (prior?.snapshotHash === hash) continue;
      const sequence = (prior?.sequence ?? 0) + 1;
      const payload: CustomerHoldingsChangedV2Payload = {
        customerId,
        sequence,
        asOf: new Date().toISOString(),
        change,
        ...(accountId ? { changedAccountRef: accountId } : {}),
        ...snapshot,
      };
      const input = {
        subject: customerId,
        correlationId: meta.correlationId,
        ...(meta.causationId ? { causationId: meta.causationId } : {}),
      };
      events.push(
        {
          definition: CustomerHoldingsChangedV1,
          input: { ...input, payload: holdingsV1(payload) },
        },
        { definition: CustomerHoldingsChangedV2, input: { ...input, payload } },
      );
      upserts.push({
        id: customerId,
        sequence,
        hash,
        everHad: snapshot.everHadAccount,
        open: snapshot.openAccountCount,
      });
      published += 1;
    }
    await this.outbox.appendMany(manager, events);
    if (upserts.length) {
      await manager.query(
        `INSERT INTO customer_holdings (customer_id, sequence, snapshot_hash, ever_had_account, open_account_count, updated_at)
         SELECT * , now() FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bool[], $5::int[])
         ON CONFLICT (customer_id) DO UPDATE SET sequence = EXCLUDED.sequence,
           snapshot_hash = EXCLUDED.snapshot_hash, ever_had_account = EXCLUDED.ever_had_account,
           open_account_count = EXCLUDED.open_account_count, updated_at = now()`,
        [
          upserts.map((u) => u.id),
          upserts.map((u) => u.sequence),
          upserts.map((u) => u.hash),
          upserts.map((u) => u.everHad),
          upserts.map((u) => u.open),
        ],
      );
    }
    return published;
  }

  /** The snapshot part of the payload (everything but sequence, asOf and the change). */
  private snapshot(rows: HoldingRow[], everHad: boolean) {
    // one entry per account: the customer's strongest role on it
    const byAccount = new Map<string, HoldingRow>();
    for (const row of rows) {
      const seen = byAccount.get(row.accountId);
      if (!seen || ROLE_PRIORITY.indexOf(row.role) < ROLE_PRIORITY.indexOf(seen.role)) {
        byAccount.set(row.accountId, row);
      }
    }
    const all = [...byAccount.values()].sort(
      (a, b) => a.openedOn.localeCompare(b.openedOn) || (a.accountId < b.accountId ? -1 : 1),
    );
    const accounts: CustomerAccountV2[] = all.slice(-MAX_ACCOUNTS).map((r) => ({
      accountRef: r.accountId,
      sourceSystem: r.sourceSystem,
      productType: productTypeV2(r.productType),
      ...(r.productCode ? { productCode: r.productCode } : {}),
      accountNumberMasked: r.accountNumberMasked,
      role: roleV2(r.role),
      status: statusV2(r.status),
      currency: r.currency,
      balance: r.publishedBalance,
      openedOn: r.openedOn,
      closedOn: r.closedOn,
      lastActivityOn: r.lastActivityOn,
    }));
    // held = not closed: a frozen account is still the customer's (openAccountCount as in v1)
    const open = all.filter((r) => statusV2(r.status) !== 'closed');
    let lastActivityOn: string | null = null;
    for (const r of all) {
      const candidate = r.lastActivityOn ?? r.openedOn;
      if (!lastActivityOn || candidate > lastActivityOn) lastActivityOn = candidate;
    }
    return {
      openAccountCount: open.length,
      everHadAccount: everHad || all.length > 0,
      lastActivityOn,
      accounts,
      holdings: sumHoldings(
        open.map((r) => ({
          productType: productTypeV2(r.productType),
          currency: r.currency,
          accountCount: 1,
          balance: r.publishedBalance,
        })),
      ),
    };
  }
}
