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
import {
  decideTransition,
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
  sourceEventId?: string;
  causationId?: string;
  today?: string;
}

interface CustomerRow {
  id: string;
  status: CustomerStatus;
  merged_into: string | null;
}

/** Derives customer status from account-bridge facts (customer-lifecycle.ts) and records it. */
/**
 * A customer's account facts ($1), and whether a manual override is the latest status change made
 * since them. "Latest" is max(id) per customer, through customer_status_history_latest
 * (lifecycle-plan.integration-spec.ts checks the plan).
 */
export const ACCOUNT_STATE_SQL = `
  SELECT s.open_account_count, s.ever_had_account,
         to_char(s.last_activity_on, 'YYYY-MM-DD') AS last_activity_on,
         EXISTS (SELECT 1 FROM customer_status_history h WHERE h.customer_id = s.customer_id
           AND h.cause = 'manual-override' AND h.changed_at > s.as_of
           AND h.id = (SELECT max(id) FROM customer_status_history WHERE customer_id = s.customer_id)
         ) AS override_in_force
    FROM customer_account_state s WHERE s.customer_id = $1`;

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
   * Keeps the newest holdings snapshot's facts (by sequence; an older one is ignored) and
   * evaluates the customer's status against them.
   */
  async recordHoldings(
    manager: EntityManager,
    event: EventEnvelope<CustomerHoldingsChangedV2Payload>,
  ): Promise<Transition | null> {
    const p = event.payload;
    const openedOn = p.accounts
      .filter((a) => a.status !== 'closed')
      .reduce<string | null>((latest, a) => maxDate(latest, a.openedOn), null);
    const lastActivityOn = maxDate(p.lastActivityOn, openedOn);
    const applied: unknown[] = await manager.query(
      `INSERT INTO customer_account_state
         (customer_id, sequence, open_account_count, ever_had_account, last_activity_on, as_of, last_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (customer_id) DO UPDATE SET sequence = EXCLUDED.sequence,
         open_account_count = EXCLUDED.open_account_count, ever_had_account = EXCLUDED.ever_had_account,
         last_activity_on = EXCLUDED.last_activity_on, as_of = EXCLUDED.as_of,
         last_event_id = EXCLUDED.last_event_id
       WHERE customer_account_state.sequence < EXCLUDED.sequence
       RETURNING customer_id`,
      [
        p.customerId,
        p.sequence,
        p.openAccountCount,
        p.everHadAccount || p.accounts.length > 0,
        lastActivityOn,
        p.asOf,
        event.id,
      ],
    );
    if (applied.length === 0) return null; // an older snapshot than the one applied
    return this.evaluate(
      manager,
      p.customerId,
      { trigger: 'account-event', sourceEventId: event.id, causationId: event.id },
      event.correlationId,
    );
  }

  /** Applies the state machine to one customer, inside the caller's transaction. */
  async evaluate(
    manager: EntityManager,
    customerId: string,
    evaluation: Evaluation,
    correlationId: string,
  ): Promise<Transition | null> {
    const [customer] = (await manager.query(
      'SELECT id, status, merged_into FROM customer WHERE id = $1 FOR UPDATE',
      [customerId],
    )) as CustomerRow[];
    if (!customer) {
      this.logger.debug(`account facts for ${customerId}, not a customer here (yet)`);
      return null;
    }
    if (customer.merged_into) return null; // account-bridge re-keys the accounts to the survivor
    const [state] = (await manager.query(ACCOUNT_STATE_SQL, [customerId])) as {
      open_account_count: number;
      ever_had_account: boolean;
      last_activity_on: string | null;
      override_in_force: boolean;
    }[];
    const facts: AccountFacts | null = state
      ? {
          openAccountCount: state.open_account_count,
          everHadAccount: state.ever_had_account,
          lastActivityOn: state.last_activity_on,
        }
      : null;
    const transition = decideTransition({
      current: customer.status,
      facts,
      today: evaluation.today ?? todayUtc(),
      policy: { dormantAfterDays: this.dormantAfterDays },
      trigger: evaluation.trigger,
      overrideInForce: state?.override_in_force ?? false,
    });
    if (transition) {
      await this.apply(manager, customerId, transition, evaluation.trigger, correlationId, {
        sourceEventId: evaluation.sourceEventId,
        causationId: evaluation.causationId,
      });
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
      return this.apply(
        manager,
        customerId,
        { from: customer.status, to, cause: 'manual-override' },
        'manual',
        correlationId,
        { actorUserId, reason },
      );
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

  private async apply(
    manager: EntityManager,
    customerId: string,
    t: Transition,
    trigger: StatusChangeTrigger,
    correlationId: string,
    extra: { sourceEventId?: string; causationId?: string; actorUserId?: string; reason?: string },
  ): Promise<StatusHistoryEntry> {
    const [updated] = await updateReturning<{ version: number; status_changed_at: Date }>(
      manager,
      `UPDATE customer SET status = $2, status_changed_at = now(), version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING version, status_changed_at`,
      [customerId, t.to],
    );
    const [row] = (await manager.query(
      `INSERT INTO customer_status_history
         (customer_id, from_status, to_status, cause, trigger, changed_at, actor_user_id, reason, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING from_status, to_status, cause, trigger, changed_at, actor_user_id, reason, source_event_id`,
      [
        customerId,
        t.from,
        t.to,
        t.cause,
        trigger,
        updated.status_changed_at,
        extra.actorUserId ?? null,
        extra.reason ?? null,
        extra.sourceEventId ?? null,
      ],
    )) as HistoryRow[];
    await this.events.publish(manager, CustomerStatusChangedV1, {
      subject: customerId,
      subjectVersion: updated.version,
      correlationId,
      ...(extra.causationId ? { causationId: extra.causationId } : {}),
      payload: {
        customerId,
        from: t.from,
        to: t.to,
        cause: t.cause,
        trigger,
        changedAt: updated.status_changed_at.toISOString(),
        ...(extra.actorUserId ? { actorUserId: extra.actorUserId } : {}),
        ...(extra.reason ? { reason: extra.reason } : {}),
        ...(extra.sourceEventId ? { sourceEventId: extra.sourceEventId } : {}),
      },
    });
    return toEntry(row);
  }
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
