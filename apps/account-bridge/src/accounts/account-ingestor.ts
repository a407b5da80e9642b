import { randomUUID } from 'node:crypto';

import {
  AccountBalanceChangedV1,
  AccountClosedV1,
  AccountHolderLinkedV1,
  AccountHolderUnlinkedV1,
  AccountOpenedV1,
  AccountStatusChangedV1,
  type EventDefinition,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
} from '@bank-crm/contracts';
import type { OutboxWriter, TransactionHooks } from '@bank-crm/messaging';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import type { EntityManager } from 'typeorm';

import { accountKey, isoMillis, publishedAccount, type AccountState } from './account-state';
import { maskAccountNumber, normaliseAccountNumber } from './contract-mapping';
import { HoldingsChanges, HoldingsPublisher } from './holdings';
import {
  ACCOUNTS_BY_KEY_SQL,
  CUSTOMERS_OF_ACCOUNTS_SQL,
  HOLDERS_OF_SQL,
  PARTY_LINKS_SQL,
  PENDING_BALANCES_SQL,
} from './key-reads';
import {
  DEFAULT_BALANCE_THRESHOLD,
  fromMinor,
  isSignificantMove,
  normaliseMoney,
  toMinor,
  type BalanceThreshold,
} from './money';
import { contentHash } from './record-hash';
import { returnedRows } from './sql';

export type IngestOutcome = 'recorded' | 'unchanged' | 'older-ignored' | 'rejected';

export interface IngestResult {
  key: string;
  outcome: IngestOutcome;
  accountId: string | null;
  /** Why a valid record could not apply (outcome rejected), e.g. a balance in another currency. */
  reason?: string;
}

/** Where a change came from, carried by the events it causes. */
export interface IngestTrace {
  correlationId: string;
  causationId?: string;
}

export interface IngestMeta extends IngestTrace {
  /** The consumer transaction's hooks: holdings snapshots are then published at its end. */
  hooks?: TransactionHooks;
  /**
   * One trace per input record (a Kafka chunk: each message's own ids), for the events that
   * record causes; without it every event carries correlationId/causationId above.
   */
  traces?: IngestTrace[];
}

interface HolderRow {
  accountId: string;
  partySourceKey: string;
  role: string;
  validFrom: string | null;
  active: boolean;
  customerId: string | null;
}

interface PendingEvent {
  definition: EventDefinition;
  subject: string;
  subjectVersion?: number;
  payload: unknown;
  /** The input record's trace, when the caller gave one per record. */
  trace?: IngestTrace;
}

/** Serialises work on one party record's links (sorted: no deadlocks). */
export async function lockParties(manager: EntityManager, partyKeys: string[]): Promise<void> {
  if (partyKeys.length === 0) return;
  await manager.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('party:' || k, 0))
       FROM (SELECT DISTINCT k FROM unnest($1::text[]) AS k ORDER BY k) AS s`,
    [partyKeys],
  );
}

const holderId = (partySourceKey: string, role: string) => `${role}\u0000${partySourceKey}`;

function maxDate(a: string | null, b: string | null | undefined): string | null {
  if (!b) return a;
  if (!a) return b;
  return a > b ? a : b;
}

/**
 * Applies SourceAccountRecord v1 records and SourceAccountBalance v1 updates, in batches, inside
 * the caller's transaction (REST: one record; Kafka: one message; bulk import: one batch of
 * rows together with the job checkpoint). Idempotent by content hash; the newest observedAt wins
 * for the record, the newest balanceAsOf for the balances. Holders are stored by their source
 * party key, so an account may arrive before its holders are resolved: the customer id is looked
 * up in the cross-reference kept from customer-master, now or when it arrives later.
 */
export class AccountIngestor {
  private readonly holdings: HoldingsPublisher;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly threshold: BalanceThreshold = DEFAULT_BALANCE_THRESHOLD,
  ) {
    this.holdings = new HoldingsPublisher(outbox);
  }

  /** Records must be valid SourceAccountRecord v1 payloads. */
  async applyRecords(
    manager: EntityManager,
    records: SourceAccountRecordV1[],
    meta: IngestMeta,
  ): Promise<IngestResult[]> {
    if (records.length === 0) return [];
    // within one batch, the newest observedAt per account wins (a later row on a tie)
    const newest = new Map<string, SourceAccountRecordV1>();
    const traceOf = new Map<SourceAccountRecordV1, IngestTrace>();
    if (meta.traces) for (const [i, r] of records.entries()) traceOf.set(r, meta.traces[i]);
    const results: IngestResult[] = records.map((r) => ({
      key: accountKey(r.sourceSystem, r.sourceKey),
      outcome: 'older-ignored',
      accountId: null,
    }));
    for (const r of records) {
      const key = accountKey(r.sourceSystem, r.sourceKey);
      const seen = newest.get(key);
      if (!seen || Date.parse(seen.observedAt) <= Date.parse(r.observedAt)) newest.set(key, r);
    }
    const keys = [...newest.keys()].sort();
    await this.lockAccounts(manager, keys);
    // a party resolved at this very moment (ResolutionHandler takes the same lock) is seen either
    // here or there: never in neither, which would lose the holder's link events
    await lockParties(
      manager,
      [...newest.values()].flatMap((r) =>
        r.holders.map((h) => accountKey(r.sourceSystem, h.sourceKey)),
      ),
    );
    const systems = keys.map((k) => newest.get(k)!.sourceSystem);
    const sourceKeys = keys.map((k) => newest.get(k)!.sourceKey);
    const existingRows: AccountState[] = await manager.query(ACCOUNTS_BY_KEY_SQL, [
      systems,
      sourceKeys,
    ]);
    const existing = new Map(existingRows.map((a) => [accountKey(a.sourceSystem, a.sourceKey), a]));
    const pending = await this.takePendingBalances(
      manager,
      keys.filter((k) => !existing.has(k)).map((k) => newest.get(k)!),
    );
    const holdersBefore = await this.holdersOf(
      manager,
      existingRows.map((a) => a.id),
    );

    const outcome = new Map<string, IngestResult>();
    const changed: {
      before: AccountState | undefined;
      after: AccountState;
      record: SourceAccountRecordV1;
    }[] = [];
    const recordOf = new Map<string, SourceAccountRecordV1>();
    for (const key of keys) {
      const record = newest.get(key)!;
      const before = existing.get(key);
      const hash = contentHash(record);
      if (before && before.contentHash === hash) {
        outcome.set(key, { key, outcome: 'unchanged', accountId: before.id });
        continue;
      }
      if (before && Date.parse(before.observedAt) > Date.parse(record.observedAt)) {
        outcome.set(key, { key, outcome: 'older-ignored', accountId: before.id });
        continue;
      }
      const after = this.stateFrom(record, hash, before, pending.get(key));
      changed.push({ before, after, record });
      recordOf.set(after.id, record);
      outcome.set(key, { key, outcome: 'recorded', accountId: after.id });
    }
    // each record of the input gets the outcome of its account (older duplicates in the batch: older-ignored)
    for (const [i, r] of records.entries()) {
      const key = accountKey(r.sourceSystem, r.sourceKey);
      const o = outcome.get(key)!;
      results[i] = newest.get(key) === r ? o : { ...o, outcome: 'older-ignored' };
    }
    if (changed.length === 0) return results;

    const changes = new HoldingsChanges();
    const events: PendingEvent[] = [];
    const now = new Date().toISOString();

    // holders: the new set from each record against the stored one
    const holderUpserts: HolderRow[] = [];
    const holderRemovals: HolderRow[] = [];
    const added: HolderRow[] = [];
    for (const { after, record } of changed) {
      const current = new Map(
        (holdersBefore.get(after.id) ?? []).map((h) => [holderId(h.partySourceKey, h.role), h]),
      );
      const next = new Map<string, HolderRow>();
      for (const h of record.holders) {
        next.set(holderId(h.sourceKey, h.role), {
          accountId: after.id,
          partySourceKey: h.sourceKey,
          role: h.role,
          validFrom: h.validFrom ?? null,
          active: true,
          customerId: null,
        });
      }
      for (const [id, h] of next) {
        const was = current.get(id);
        if (!was || !was.active) added.push(h);
        if (!was || !was.active || was.validFrom !== h.validFrom) holderUpserts.push(h);
      }
      for (const [id, h] of current) {
        if (h.active && !next.has(id)) holderRemovals.push(h);
      }
    }

    await this.writeAccounts(
      manager,
      changed.map((c) => c.after),
    );
    if (holderUpserts.length) {
      await manager.query(
        `INSERT INTO account_holder (account_id, party_source_key, role, source_system, valid_from, valid_to, linked_at)
         SELECT h.account_id, h.party_source_key, h.role, a.source_system, h.valid_from, NULL, now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[])
                AS h(account_id, party_source_key, role, valid_from)
           JOIN account a ON a.id = h.account_id
         ON CONFLICT (account_id, party_source_key, role) DO UPDATE
           SET valid_from = EXCLUDED.valid_from,
               linked_at = CASE WHEN account_holder.valid_to IS NULL THEN account_holder.linked_at ELSE now() END,
               valid_to = NULL`,
        [
          holderUpserts.map((h) => h.accountId),
          holderUpserts.map((h) => h.partySourceKey),
          holderUpserts.map((h) => h.role),
          holderUpserts.map((h) => h.validFrom),
        ],
      );
    }
    if (holderRemovals.length) {
      await manager.query(
        `UPDATE account_holder h SET valid_to = now()
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(account_id, party_source_key, role)
          WHERE h.account_id = r.account_id AND h.party_source_key = r.party_source_key
            AND h.role = r.role AND h.valid_to IS NULL`,
        [
          holderRemovals.map((h) => h.accountId),
          holderRemovals.map((h) => h.partySourceKey),
          holderRemovals.map((h) => h.role),
        ],
      );
    }

    // customers of the added holders (the removed ones carry theirs from holdersBefore)
    const systemOf = new Map(changed.map((c) => [c.after.id, c.after.sourceSystem]));
    const resolved = await this.customersOfParties(
      manager,
      added.map((h) => ({ sourceSystem: systemOf.get(h.accountId)!, sourceKey: h.partySourceKey })),
    );
    for (const h of added) {
      h.customerId = resolved.get(accountKey(systemOf.get(h.accountId)!, h.partySourceKey)) ?? null;
    }
    const customersAfter = await this.customersOfAccounts(
      manager,
      changed.map((c) => c.after.id),
    );

    for (const { before, after, record } of changed) {
      const customers = customersAfter.get(after.id) ?? [];
      const account = publishedAccount(after, customers);
      let version = before?.version ?? 0;
      const push = (definition: EventDefinition, payload: Record<string, unknown>) => {
        version += 1;
        events.push({
          definition,
          subject: after.id,
          subjectVersion: version,
          payload: { accountId: after.id, account, ...payload, recordedAt: now },
          trace: traceOf.get(record),
        });
      };
      let change:
        'account-opened' | 'account-closed' | 'link-changed' | 'balance' | 'activity' | null = null;
      if (!before) {
        push(AccountOpenedV1, {});
        change = 'account-opened';
      } else {
        if (before.status !== after.status) {
          push(AccountStatusChangedV1, { from: before.status, to: after.status });
          if (after.status === 'closed') push(AccountClosedV1, { previousStatus: before.status });
          if (after.status === 'closed') change = 'account-closed';
          else if (before.status === 'closed') change = 'account-opened';
          else change = 'activity';
        }
        if (before.publishedBalance !== after.publishedBalance) {
          push(AccountBalanceChangedV1, {
            previousBalance: before.publishedBalance,
            delta: fromMinor(toMinor(after.publishedBalance) - toMinor(before.publishedBalance)),
          });
          change ??= 'balance';
        }
        if (before.lastActivityOn !== after.lastActivityOn) change ??= 'activity';
        change ??= 'link-changed';
      }
      after.version = Math.max(version, (before?.version ?? 0) + 1);
      for (const customerId of customers) changes.add(customerId, change, after.id);
      for (const h of holdersBefore.get(after.id) ?? [])
        changes.add(h.customerId, change, after.id);
    }
    // versions moved with the events: store them
    await manager.query(
      `UPDATE account a SET version = v.version
         FROM unnest($1::uuid[], $2::int[]) AS v(id, version) WHERE a.id = v.id`,
      [changed.map((c) => c.after.id), changed.map((c) => c.after.version)],
    );

    for (const h of added) {
      if (!h.customerId) continue;
      events.push({
        definition: AccountHolderLinkedV1,
        subject: h.accountId,
        trace: traceOf.get(recordOf.get(h.accountId)!),
        payload: {
          accountId: h.accountId,
          customerId: h.customerId,
          role: h.role,
          sourceSystem: systemOf.get(h.accountId)!,
          partySourceKey: h.partySourceKey,
          validFrom: h.validFrom,
          cause: 'holder-added',
          linkedAt: now,
        },
      });
      changes.add(h.customerId, 'link-changed', h.accountId);
    }
    for (const h of holderRemovals) {
      if (!h.customerId) continue;
      events.push({
        definition: AccountHolderUnlinkedV1,
        subject: h.accountId,
        trace: traceOf.get(recordOf.get(h.accountId)!),
        payload: {
          accountId: h.accountId,
          customerId: h.customerId,
          role: h.role,
          sourceSystem: systemOf.get(h.accountId)!,
          partySourceKey: h.partySourceKey,
          cause: 'holder-removed',
          unlinkedAt: now,
        },
      });
      changes.add(h.customerId, 'link-changed', h.accountId);
    }
    await this.appendAll(manager, events, meta);
    await this.publishHoldings(manager, changes, meta);
    return results;
  }

  /**
   * Updates must be valid SourceAccountBalance v1 payloads. A batch takes a fixed number of
   * statements whatever its size: its accounts (and the pending balances of accounts not there
   * yet) are read once, the updates are applied in order in memory (several updates of one
   * account in a batch apply one after the other, as if sent one by one), and what changed is
   * written with one statement per table.
   */
  async applyBalances(
    manager: EntityManager,
    updates: SourceAccountBalanceV1[],
    meta: IngestMeta,
  ): Promise<IngestResult[]> {
    if (updates.length === 0) return [];
    const now = new Date().toISOString();
    const keyOf = (u: { sourceSystem: string; sourceKey: string }) =>
      accountKey(u.sourceSystem, u.sourceKey);
    // every account of the batch in one sorted statement: a batch locking them update by update
    // could deadlock with another batch (or a batch of records) holding them in another order
    const keys = [...new Set(updates.map(keyOf))].sort();
    await this.lockAccounts(manager, keys);
    const firstOf = new Map(updates.map((u) => [keyOf(u), u]));
    const stored: AccountState[] = await manager.query(ACCOUNTS_BY_KEY_SQL, [
      keys.map((k) => firstOf.get(k)?.sourceSystem),
      keys.map((k) => firstOf.get(k)?.sourceKey),
    ]);
    const current = new Map(stored.map((a) => [keyOf(a), a]));
    const missing = keys.filter((k) => !current.has(k));
    const pendingAsOf = new Map<string, number>();
    if (missing.length > 0) {
      const rows: { key: string; asOf: Date }[] = await manager.query(PENDING_BALANCES_SQL, [
        missing.map((k) => firstOf.get(k)?.sourceSystem),
        missing.map((k) => firstOf.get(k)?.sourceKey),
      ]);
      for (const r of rows) pendingAsOf.set(r.key, r.asOf.getTime());
    }
    const results: IngestResult[] = [];
    const pending = new Map<string, SourceAccountBalanceV1>();
    // i: the update's index, whose trace (meta.traces[i]) its event carries
    const moves: { i: number; before: AccountState; after: AccountState }[] = [];
    for (const [i, u] of updates.entries()) {
      const key = keyOf(u);
      const before = current.get(key);
      if (!before) {
        // the account has not arrived yet: keep the newest update until it does
        const asOf = Date.parse(u.balanceAsOf);
        const kept = pendingAsOf.get(key);
        if (kept === undefined || kept < asOf) {
          pendingAsOf.set(key, asOf);
          pending.set(key, u);
          results.push({ key, outcome: 'recorded', accountId: null });
        } else {
          results.push({ key, outcome: 'older-ignored', accountId: null });
        }
        continue;
      }
      if (u.currency !== before.currency) {
        results.push({
          key,
          outcome: 'rejected',
          accountId: before.id,
          reason: `currency: ${u.currency} is not the currency ${before.currency} of the account`,
        });
        continue;
      }
      const after: AccountState = { ...before };
      const newer = Date.parse(u.balanceAsOf) > Date.parse(before.balanceAsOf);
      if (newer) {
        after.balance = normaliseMoney(u.balance);
        after.availableBalance =
          u.availableBalance !== undefined ? normaliseMoney(u.availableBalance) : null;
        after.balanceAsOf = isoMillis(u.balanceAsOf);
      }
      after.lastActivityOn = maxDate(before.lastActivityOn, u.lastActivityOn);
      this.applyThreshold(before, after);
      const same =
        after.balance === before.balance &&
        after.availableBalance === before.availableBalance &&
        after.balanceAsOf === before.balanceAsOf &&
        after.lastActivityOn === before.lastActivityOn;
      if (same) {
        results.push({ key, outcome: newer ? 'unchanged' : 'older-ignored', accountId: before.id });
        continue;
      }
      if (after.publishedBalance !== before.publishedBalance) after.version = before.version + 1;
      moves.push({ i, before, after });
      current.set(key, after);
      results.push({ key, outcome: 'recorded', accountId: before.id });
    }
    if (pending.size > 0) {
      const kept = [...pending.values()];
      await manager.query(
        `INSERT INTO pending_balance (source_system, source_key, update, balance_as_of)
         SELECT * FROM unnest($1::text[], $2::text[], ${jsonbElements('$3')}, $4::timestamptz[])
         ON CONFLICT (source_system, source_key) DO UPDATE
           SET update = EXCLUDED.update, balance_as_of = EXCLUDED.balance_as_of, received_at = now()
           WHERE pending_balance.balance_as_of < EXCLUDED.balance_as_of`,
        [
          kept.map((u) => u.sourceSystem),
          kept.map((u) => u.sourceKey),
          jsonbArray(kept),
          kept.map((u) => u.balanceAsOf),
        ],
      );
    }
    if (moves.length === 0) return results;
    // each changed account's final state (a later update of it in the batch replaces an earlier)
    const changed = [...new Map(moves.map((m) => [m.after.id, m.after])).values()];
    await this.writeAccounts(manager, changed);
    const customersOf = await this.customersOfAccounts(
      manager,
      changed.map((a) => a.id),
    );
    const changes = new HoldingsChanges();
    const events: PendingEvent[] = [];
    for (const { i, before, after } of moves) {
      const customers = customersOf.get(before.id) ?? [];
      let change: 'balance' | 'activity' | null = null;
      if (after.publishedBalance !== before.publishedBalance) {
        events.push({
          definition: AccountBalanceChangedV1,
          subject: before.id,
          subjectVersion: after.version,
          payload: {
            accountId: before.id,
            account: publishedAccount(after, customers),
            previousBalance: before.publishedBalance,
            delta: fromMinor(toMinor(after.publishedBalance) - toMinor(before.publishedBalance)),
            recordedAt: now,
          },
          trace: meta.traces?.[i],
        });
        change = 'balance';
      } else if (after.lastActivityOn !== before.lastActivityOn) {
        change = 'activity';
      }
      if (change) for (const c of customers) changes.add(c, change, before.id);
    }
    await this.appendAll(manager, events, meta);
    await this.publishHoldings(manager, changes, meta);
    return results;
  }

  /** Publishes holdings for customers whose links changed elsewhere (resolution, merges). */
  async publishHoldings(
    manager: EntityManager,
    changes: HoldingsChanges,
    meta: IngestMeta,
  ): Promise<void> {
    const { hooks, ...trace } = meta;
    if (hooks) this.holdings.publishAtCommit(hooks, manager, changes, trace);
    else await this.holdings.publish(manager, changes, trace);
  }

  private stateFrom(
    record: SourceAccountRecordV1,
    hash: string,
    before: AccountState | undefined,
    pending: SourceAccountBalanceV1 | undefined,
  ): AccountState {
    const accountNumber = normaliseAccountNumber(record.accountNumber);
    let balance = normaliseMoney(record.balance);
    let availableBalance =
      record.availableBalance !== undefined ? normaliseMoney(record.availableBalance) : null;
    let balanceAsOf = isoMillis(record.balanceAsOf);
    let lastActivityOn = maxDate(record.lastActivityOn ?? null, before?.lastActivityOn);
    // a balance taken later than this record's (an update, or a pending one) stays
    const later =
      before && Date.parse(before.balanceAsOf) > Date.parse(balanceAsOf)
        ? {
            balance: before.balance,
            availableBalance: before.availableBalance,
            balanceAsOf: before.balanceAsOf,
          }
        : pending &&
            pending.currency === record.currency &&
            Date.parse(pending.balanceAsOf) > Date.parse(balanceAsOf)
          ? {
              balance: normaliseMoney(pending.balance),
              availableBalance:
                pending.availableBalance !== undefined
                  ? normaliseMoney(pending.availableBalance)
                  : null,
              balanceAsOf: isoMillis(pending.balanceAsOf),
            }
          : null;
    if (later) ({ balance, availableBalance, balanceAsOf } = later);
    if (pending) lastActivityOn = maxDate(lastActivityOn, pending.lastActivityOn);
    const after: AccountState = {
      id: before?.id ?? randomUUID(),
      sourceSystem: record.sourceSystem,
      sourceKey: record.sourceKey,
      accountNumber,
      accountNumberMasked: maskAccountNumber(accountNumber),
      productType: record.productType,
      productCode: record.productCode ?? null,
      currency: record.currency,
      balance,
      availableBalance,
      balanceAsOf,
      publishedBalance: before?.publishedBalance ?? balance,
      status: record.status,
      openedOn: record.openedOn,
      closedOn: record.closedOn ?? null,
      branch: record.branch ?? null,
      lastActivityOn,
      contentHash: hash,
      observedAt: isoMillis(record.observedAt),
      version: before?.version ?? 0,
    };
    if (before) {
      // a status or currency change publishes the balance with it
      if (before.status !== after.status || before.currency !== after.currency) {
        after.publishedBalance = after.balance;
      } else {
        this.applyThreshold(before, after);
      }
    }
    return after;
  }

  /** Moves publishedBalance to the balance when the move since the last published one is significant. */
  private applyThreshold(before: AccountState, after: AccountState): void {
    if (
      isSignificantMove(toMinor(before.publishedBalance), toMinor(after.balance), this.threshold)
    ) {
      after.publishedBalance = after.balance;
    }
  }

  private async lockAccounts(manager: EntityManager, keys: string[]): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('account:' || k, 0))
         FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS s`,
      [keys],
    );
  }

  private async writeAccounts(manager: EntityManager, accounts: AccountState[]): Promise<void> {
    const col = <K extends keyof AccountState>(k: K) => accounts.map((a) => a[k]);
    await manager.query(
      `INSERT INTO account (id, source_system, source_key, account_number, account_number_masked,
         product_type, product_code, currency, balance, available_balance, balance_as_of,
         published_balance, status, opened_on, closed_on, branch, last_activity_on, content_hash,
         observed_at, version, created_at, updated_at)
       SELECT *, now(), now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::text[], $9::numeric[], $10::numeric[], $11::timestamptz[],
         $12::numeric[], $13::text[], $14::date[], $15::date[], $16::text[], $17::date[], $18::text[],
         $19::timestamptz[], $20::int[])
       ON CONFLICT (id) DO UPDATE SET account_number = EXCLUDED.account_number,
         account_number_masked = EXCLUDED.account_number_masked, product_type = EXCLUDED.product_type,
         product_code = EXCLUDED.product_code, currency = EXCLUDED.currency, balance = EXCLUDED.balance,
         available_balance = EXCLUDED.available_balance, balance_as_of = EXCLUDED.balance_as_of,
         published_balance = EXCLUDED.published_balance, status = EXCLUDED.status,
         opened_on = EXCLUDED.opened_on, closed_on = EXCLUDED.closed_on, branch = EXCLUDED.branch,
         last_activity_on = EXCLUDED.last_activity_on, content_hash = EXCLUDED.content_hash,
         observed_at = EXCLUDED.observed_at, version = EXCLUDED.version, updated_at = now()`,
      [
        col('id'),
        col('sourceSystem'),
        col('sourceKey'),
        col('accountNumber'),
        col('accountNumberMasked'),
        col('productType'),
        col('productCode'),
        col('currency'),
        col('balance'),
        col('availableBalance'),
        col('balanceAsOf'),
        col('publishedBalance'),
        col('status'),
        col('openedOn'),
        col('closedOn'),
        col('branch'),
        col('lastActivityOn'),
        col('contentHash'),
        col('observedAt'),
        col('version'),
      ],
    );
  }

  private async takePendingBalances(
    manager: EntityManager,
    records: SourceAccountRecordV1[],
  ): Promise<Map<string, SourceAccountBalanceV1>> {
    if (records.length === 0) return new Map();
    const rows = returnedRows<{ update: SourceAccountBalanceV1 }>(
      await manager.query(
        `DELETE FROM pending_balance
        WHERE (source_system, source_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        RETURNING update`,
        [records.map((r) => r.sourceSystem), records.map((r) => r.sourceKey)],
      ),
    );
    return new Map(
      rows.map((r) => [accountKey(r.update.sourceSystem, r.update.sourceKey), r.update]),
    );
  }

  /** Every holder row (active or not) of the accounts, with the customer of its party if known. */
  private async holdersOf(
    manager: EntityManager,
    accountIds: string[],
  ): Promise<Map<string, HolderRow[]>> {
    const out = new Map<string, HolderRow[]>();
    if (accountIds.length === 0) return out;
    const rows: HolderRow[] = await manager.query(HOLDERS_OF_SQL, [accountIds]);
    for (const r of rows) {
      const list = out.get(r.accountId) ?? [];
      list.push(r);
      out.set(r.accountId, list);
    }
    return out;
  }

  private async customersOfParties(
    manager: EntityManager,
    parties: { sourceSystem: string; sourceKey: string }[],
  ): Promise<Map<string, string>> {
    if (parties.length === 0) return new Map();
    const rows: { sourceSystem: string; sourceKey: string; customerId: string }[] =
      await manager.query(PARTY_LINKS_SQL, [
        parties.map((p) => p.sourceSystem),
        parties.map((p) => p.sourceKey),
      ]);
    return new Map(rows.map((r) => [accountKey(r.sourceSystem, r.sourceKey), r.customerId]));
  }

  /** The customers currently linked (any role) to each account. */
  async customersOfAccounts(
    manager: EntityManager,
    accountIds: string[],
  ): Promise<Map<string, string[]>> {
    if (accountIds.length === 0) return new Map();
    const rows: { accountId: string; customerIds: string[] }[] = await manager.query(
      CUSTOMERS_OF_ACCOUNTS_SQL,
      [accountIds],
    );
    return new Map(rows.map((r) => [r.accountId, r.customerIds]));
  }

  /** The batch's events with one outbox insert, each with its record's trace. */
  private async appendAll(manager: EntityManager, events: PendingEvent[], meta: IngestMeta) {
    await this.outbox.appendMany(
      manager,
      events.map((e) => {
        const trace = e.trace ?? meta;
        return {
          definition: e.definition,
          input: {
            subject: e.subject,
            ...(e.subjectVersion !== undefined ? { subjectVersion: e.subjectVersion } : {}),
            payload: e.payload,
            correlationId: trace.correlationId,
            ...(trace.causationId ? { causationId: trace.causationId } : {}),
          },
        };
      }),
    );
  }
}
