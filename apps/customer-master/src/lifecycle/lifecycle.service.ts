import { randomUUID } from 'node:crypto';

import { SYSTEM_SCOPE, withDataScope, type DataScope } from '@bank-crm/auth';
import {
  CustomerStatusChangedV1,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { EventPublisher } from '../customer-view/event-publisher';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { requireInScope } from '../common/caller';
import { addDays, maxDate, todayUtc } from '../common/dates';
import { updateReturning } from '../common/pg-errors';
import {
  CustomerMergedException,
  CustomerNotFoundException,
} from '../customers/customer.exception';
import { lockCustomers } from '../customers/customer-locks';
import {
  decideTransition,
  foldHoldings,
  overrideProblem,
  type AccountFacts,
  type CustomerStatus,
  type StatusChangeTrigger,
  type Transition,
} from './customer-lifecycle';
import { StatusOverrideRefusedException } from './lifecycle.exception';

export interface StatusHistoryEntry {
  from: CustomerStatus;
  to: CustomerStatus;
  cause: string;
  trigger: StatusChangeTrigger;
  changedAt: string;
  actorUserId: string | null;
  reason: string | null;
  sourceEventId: string | null;
}

interface Evaluation {
  trigger: Exclude<StatusChangeTrigger, 'manual'>;
  today?: string;
}

interface CustomerRow {
  id: string;
  status: CustomerStatus;
  merged_into: string | null;
}

/**
 * Per customer ($1): its row, its account facts, and whether a manual override is its latest
 * status change and newer than the facts. Each table is read by key for each customer (LATERAL,
 * fenced), the latest change through customer_status_history_latest: the tables grow under a
 * bulk load with no statistics to plan by (lifecycle-plan.integration-spec.ts checks the plan).
 */
export const LIFECYCLE_STATE_SQL = `
  SELECT k.id AS customer_id, c.status, c.merged_into, s.sequence, s.open_account_count,
         s.ever_had_account, to_char(s.last_activity_on, 'YYYY-MM-DD') AS last_activity_on,
         coalesce(h.cause = 'manual-override' AND h.changed_at > s.as_of, false) AS override_in_force
    FROM unnest($1::uuid[]) AS k(id)
    LEFT JOIN LATERAL (SELECT status, merged_into FROM customer WHERE id = k.id OFFSET 0) c ON true
    LEFT JOIN LATERAL (SELECT * FROM customer_account_state WHERE customer_id = k.id OFFSET 0) s
      ON true
    LEFT JOIN LATERAL (SELECT cause, changed_at FROM customer_status_history
                        WHERE customer_id = k.id ORDER BY id DESC LIMIT 1) h ON true`;

interface LifecycleRow {
  customer_id: string;
  status: CustomerStatus | null;
  merged_into: string | null;
  sequence: string | null;
  open_account_count: number | null;
  ever_had_account: boolean | null;
  last_activity_on: string | null;
  override_in_force: boolean;
}

/** Keeps each customer's facts unless newer ones are stored (one row per customer in $1). */
const STORE_FACTS_SQL = `
  INSERT INTO customer_account_state
    (customer_id, sequence, open_account_count, ever_had_account, last_activity_on, as_of, last_event_id)
  SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::int[], $4::boolean[], $5::date[],
                       $6::timestamptz[], $7::uuid[])
  ON CONFLICT (customer_id) DO UPDATE SET sequence = EXCLUDED.sequence,
    open_account_count = EXCLUDED.open_account_count, ever_had_account = EXCLUDED.ever_had_account,
    last_activity_on = EXCLUDED.last_activity_on, as_of = EXCLUDED.as_of,
    last_event_id = EXCLUDED.last_event_id
  WHERE customer_account_state.sequence < EXCLUDED.sequence`;

/**
 * Sets each customer's status ($1 ids, $2 statuses) after $3 changes (one version each). The
 * customers are locked by the caller. The primary key's uniqueness tells the planner each id
 * matches one row, statistics or not (lifecycle-plan.integration-spec.ts checks the plan).
 */
export const SET_STATUS_SQL = `
  UPDATE customer c SET status = v.status, status_changed_at = now(),
         version = c.version + v.changes, updated_at = now()
    FROM unnest($1::uuid[], $2::varchar[], $3::int[]) AS v(id, status, changes)
   WHERE c.id = v.id
   RETURNING c.id, c.version, c.status_changed_at`;

/** A status change to record: the transition, and who or what caused it. */
interface StatusChange {
  customerId: string;
  transition: Transition;
  trigger: StatusChangeTrigger;
  correlationId: string;
  sourceEventId?: string;
  causationId?: string;
  actorUserId?: string;
  reason?: string;
}

/** Derives customer status from account-bridge facts (customer-lifecycle.ts) and records it. */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger(LifecycleService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: CustomerMasterConfig,
  ) {}

  get dormantAfterDays(): number {
    return this.config.LIFECYCLE_DORMANT_AFTER_DAYS;
  }

  /**
   * Applies a chunk of holdings snapshots in order, as one by one would (foldHoldings): each
   * customer keeps its newest snapshot's facts (by sequence; an older one changes nothing) and
   * takes the transitions they call for. A fixed number of statements for the chunk. The caller
   * holds the customers' row locks. Returns each snapshot's transition.
   */
  async recordHoldingsMany(
    manager: EntityManager,
    events: readonly EventEnvelope<CustomerHoldingsChangedV2Payload>[],
  ): Promise<(Transition | null)[]> {
    if (events.length === 0) return [];
    const rows = (await manager.query(LIFECYCLE_STATE_SQL, [
      [...new Set(events.map((e) => e.payload.customerId))],
    ])) as LifecycleRow[];
    const stored = new Map(
      rows.map((r) => [
        r.customer_id,
        {
          status: r.merged_into ? null : r.status, // account-bridge re-keys to the survivor
          sequence: r.sequence === null ? null : Number(r.sequence),
        },
      ]),
    );
    const outcomes = foldHoldings(
      stored,
      events.map((e) => ({
        customerId: e.payload.customerId,
        sequence: e.payload.sequence,
        facts: factsOf(e.payload),
      })),
      todayUtc(),
      { dormantAfterDays: this.dormantAfterDays },
    );
    const newest = new Map<string, EventEnvelope<CustomerHoldingsChangedV2Payload>>();
    events.forEach((e, i) => {
      if (outcomes[i].applied) newest.set(e.payload.customerId, e);
    });
    const kept = [...newest.values()];
    if (kept.length) {
      const facts = kept.map((e) => factsOf(e.payload));
      await manager.query(STORE_FACTS_SQL, [
        kept.map((e) => e.payload.customerId),
        kept.map((e) => e.payload.sequence),
        facts.map((f) => f.openAccountCount),
        facts.map((f) => f.everHadAccount),
        facts.map((f) => f.lastActivityOn),
        kept.map((e) => e.payload.asOf),
        kept.map((e) => e.id),
      ]);
    }
    const changes: StatusChange[] = [];
    events.forEach((e, i) => {
      const transition = outcomes[i].transition;
      if (!transition) return;
      changes.push({
        customerId: e.payload.customerId,
        transition,
        trigger: 'account-event',
        correlationId: e.correlationId,
        sourceEventId: e.id,
        causationId: e.id,
      });
    });
    await this.applyMany(manager, changes);
    return outcomes.map((o) => o.transition);
  }

  /** Applies the state machine to one customer, inside the caller's transaction. */
  async evaluate(
    manager: EntityManager,
    customerId: string,
    evaluation: Evaluation,
    correlationId: string,
  ): Promise<Transition | null> {
    await lockCustomers(manager, [customerId]);
    const [state] = (await manager.query(LIFECYCLE_STATE_SQL, [[customerId]])) as LifecycleRow[];
    if (!state.status) {
      this.logger.debug(`account facts for ${customerId}, not a customer here (yet)`);
      return null;
    }
    if (state.merged_into) return null; // account-bridge re-keys the accounts to the survivor
    const facts: AccountFacts | null =
      state.sequence !== null
        ? {
            openAccountCount: Number(state.open_account_count),
            everHadAccount: Boolean(state.ever_had_account),
            lastActivityOn: state.last_activity_on,
          }
        : null;
    const transition = decideTransition({
      current: state.status,
      facts,
      today: evaluation.today ?? todayUtc(),
      policy: { dormantAfterDays: this.dormantAfterDays },
      trigger: evaluation.trigger,
      overrideInForce: state.override_in_force,
    });
    if (transition) {
      await this.applyMany(manager, [
        {
          customerId,
          transition,
          trigger: evaluation.trigger,
          correlationId,
        },
      ]);
    }
    return transition;
  }

  /** A manual status change by an authorised user: recorded with who and why, and published. */
  async override(
    customerId: string,
    to: CustomerStatus,
    reason: string,
    actorUserId: string | undefined,
    correlationId: string,
    scope: DataScope,
  ): Promise<StatusHistoryEntry> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      await requireInScope(manager, scope, customerId);
      const [customer] = (await manager.query(
        'SELECT id, status, merged_into FROM customer WHERE id = $1 FOR UPDATE',
        [customerId],
      )) as CustomerRow[];
      if (!customer) throw new CustomerNotFoundException(customerId);
      if (customer.merged_into) throw new CustomerMergedException(customerId, customer.merged_into);
      const problem = overrideProblem(customer.status, to);
      if (problem) throw new StatusOverrideRefusedException(problem);
      const [entry] = await this.applyMany(manager, [
        {
          customerId,
          transition: { from: customer.status, to, cause: 'manual-override' },
          trigger: 'manual',
          correlationId,
          actorUserId,
          reason,
        },
      ]);
      return entry;
    });
  }

  /**
   * The scheduled dormancy check: active customers whose open accounts have seen no activity for
   * the configured period become dormant. Safe with several replicas (rows are locked, skipped
   * when another one holds them). Returns how many customers changed.
   */
  async sweepDormant(today: string = todayUtc()): Promise<number> {
    const cutoff = addDays(today, -this.dormantAfterDays);
    let changed = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await withDataScope(
        this.dataSource,
        SYSTEM_SCOPE,
        async (manager) =>
          (await manager.query(
            `SELECT c.id FROM customer c JOIN customer_account_state s ON s.customer_id = c.id
             WHERE c.status = 'active' AND c.merged_into IS NULL AND s.open_account_count > 0
               AND s.last_activity_on <= $1::date AND c.id > $2
             ORDER BY c.id LIMIT 200`,
            [cutoff, after],
          )) as { id: string }[],
      );
      if (batch.length === 0) return changed;
      for (const { id } of batch) {
        const correlationId = randomUUID();
        // system work: the sweep lifts the data scope for its own transactions
        const t = await withDataScope(this.dataSource, SYSTEM_SCOPE, async (manager) => {
          const locked: unknown[] = await manager.query(
            'SELECT id FROM customer WHERE id = $1 FOR UPDATE SKIP LOCKED',
            [id],
          );
          if (locked.length === 0) return null;
          return this.evaluate(manager, id, { trigger: 'dormancy-sweep', today }, correlationId);
        });
        if (t) changed += 1;
      }
      after = batch[batch.length - 1].id;
    }
  }

  async history(id: string, scope: DataScope): Promise<StatusHistoryEntry[]> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [found] = (await manager.query(
        'SELECT coalesce(merged_into, id) AS id FROM customer WHERE id = $1',
        [id],
      )) as { id: string }[];
      if (!found) throw new CustomerNotFoundException(id);
      const customerId = found.id;
      await requireInScope(manager, scope, customerId, id);
      const rows = (await manager.query(
        `SELECT from_status, to_status, cause, trigger, changed_at, actor_user_id, reason, source_event_id
         FROM customer_status_history WHERE customer_id = $1 ORDER BY changed_at, id`,
        [customerId],
      )) as HistoryRow[];
      return rows.map(toEntry);
    });
  }

  /**
   * Records status changes in order (several of one customer are consecutive versions): the
   * customers' rows, their history, customer.status-changed events. The caller holds the
   * customers' row locks. A fixed number of statements, however many changes.
   */
  private async applyMany(
    manager: EntityManager,
    changes: readonly StatusChange[],
  ): Promise<StatusHistoryEntry[]> {
    if (changes.length === 0) return [];
    const final = new Map<string, { status: CustomerStatus; changes: number }>();
    for (const c of changes) {
      final.set(c.customerId, {
        status: c.transition.to,
        changes: (final.get(c.customerId)?.changes ?? 0) + 1,
      });
    }
    const ids = [...final.keys()];
    const updated = await updateReturning<{ id: string; version: number; status_changed_at: Date }>(
      manager,
      SET_STATUS_SQL,
      [ids, ids.map((id) => final.get(id)?.status), ids.map((id) => final.get(id)?.changes)],
    );
    // the version each customer's first change takes
    const next = new Map(
      updated.map((u) => [
        u.id,
        { version: u.version - (final.get(u.id)?.changes ?? 0) + 1, at: u.status_changed_at },
      ]),
    );
    const recorded = changes.map((c) => {
      const row = next.get(c.customerId);
      if (!row) throw new Error(`customer ${c.customerId} is not here to change its status`);
      const version = row.version++;
      return { ...c, version, changedAt: row.at };
    });
    await manager.query(
      `INSERT INTO customer_status_history
         (customer_id, from_status, to_status, cause, trigger, changed_at, actor_user_id, reason,
          source_event_id)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                            $6::timestamptz[], $7::varchar[], $8::varchar[], $9::uuid[])`,
      [
        recorded.map((c) => c.customerId),
        recorded.map((c) => c.transition.from),
        recorded.map((c) => c.transition.to),
        recorded.map((c) => c.transition.cause),
        recorded.map((c) => c.trigger),
        recorded.map((c) => c.changedAt),
        recorded.map((c) => c.actorUserId ?? null),
        recorded.map((c) => c.reason ?? null),
        recorded.map((c) => c.sourceEventId ?? null),
      ],
    );
    await this.events.publishMany(
      manager,
      recorded.map((c) => ({
        definition: CustomerStatusChangedV1,
        input: {
          subject: c.customerId,
          subjectVersion: c.version,
          correlationId: c.correlationId,
          ...(c.causationId ? { causationId: c.causationId } : {}),
          payload: {
            customerId: c.customerId,
            from: c.transition.from,
            to: c.transition.to,
            cause: c.transition.cause,
            trigger: c.trigger,
            changedAt: c.changedAt.toISOString(),
            ...(c.actorUserId ? { actorUserId: c.actorUserId } : {}),
            ...(c.reason ? { reason: c.reason } : {}),
            ...(c.sourceEventId ? { sourceEventId: c.sourceEventId } : {}),
          },
        },
      })),
    );
    return recorded.map((c) => ({
      from: c.transition.from,
      to: c.transition.to,
      cause: c.transition.cause,
      trigger: c.trigger,
      changedAt: c.changedAt.toISOString(),
      actorUserId: c.actorUserId ?? null,
      reason: c.reason ?? null,
      sourceEventId: c.sourceEventId ?? null,
    }));
  }
}

/** A snapshot's facts: open accounts, and the latest activity or opening of an open one. */
function factsOf(p: CustomerHoldingsChangedV2Payload): AccountFacts {
  const openedOn = p.accounts
    .filter((a) => a.status !== 'closed')
    .reduce<string | null>((latest, a) => maxDate(latest, a.openedOn), null);
  return {
    openAccountCount: p.openAccountCount,
    everHadAccount: p.everHadAccount || p.accounts.length > 0,
    lastActivityOn: maxDate(p.lastActivityOn, openedOn),
  };
}

interface HistoryRow {
  from_status: CustomerStatus;
  to_status: CustomerStatus;
  cause: string;
  trigger: StatusChangeTrigger;
  changed_at: Date;
  actor_user_id: string | null;
  reason: string | null;
  source_event_id: string | null;
}

function toEntry(r: HistoryRow): StatusHistoryEntry {
  return {
    from: r.from_status,
    to: r.to_status,
    cause: r.cause,
    trigger: r.trigger,
    changedAt: r.changed_at.toISOString(),
    actorUserId: r.actor_user_id,
    reason: r.reason,
    sourceEventId: r.source_event_id,
  };
}
