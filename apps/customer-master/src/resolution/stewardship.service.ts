import { randomUUID } from 'node:crypto';

import { AuditService, type AuditActor } from '@bank-crm/audit';
import { dataScopeOf, withDataScope, type AuthUser, type DataScope } from '@bank-crm/auth';
import { ReviewItemDecidedV1, SourceRecordLinkedV1 } from '@bank-crm/contracts';
import { recordRef, type PartyRecord } from '@bank-crm/identity';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { FieldErrorException } from '../common/field-error.exception';
import { pageWindow, type Page } from '../common/pagination';
import { updateReturning } from '../common/pg-errors';
import { EventPublisher } from '../customer-view/event-publisher';
import {
  CustomerMergedException,
  CustomerNotFoundException,
} from '../customers/customer.exception';
import { CustomersService } from '../customers/customers.service';
import { MergesService } from '../merges/merges.service';
import { recordLinkHistory } from '../source-records/link-history';
import { maskSourceRecord } from '../source-records/source-records.service';
import type { ListReviewItemsQuery, SplitSourceRecordsDto } from './dto/resolution.dto';
import { ResolutionService, type StoredDecision } from './resolution.service';

interface ReviewRow {
  id: string;
  kind: 'possible-match' | 'record-changed';
  status: string;
  record_system: string;
  record_key: string;
  candidate_system: string;
  candidate_key: string;
  score: string;
  explanation: unknown;
  blocked_by: string | null;
  opened_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  decision_note: string | null;
}

export interface ReviewItemView {
  id: string;
  kind: string;
  status: string;
  record: { sourceSystem: string; sourceKey: string };
  candidate: { sourceSystem: string; sourceKey: string };
  score: number;
  explanation: unknown;
  blockedBy: string | null;
  openedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

function toView(r: ReviewRow): ReviewItemView {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    record: { sourceSystem: r.record_system, sourceKey: r.record_key },
    candidate: { sourceSystem: r.candidate_system, sourceKey: r.candidate_key },
    score: Number(r.score),
    explanation: r.explanation,
    blockedBy: r.blocked_by,
    openedAt: r.opened_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    decidedBy: r.decided_by,
    note: r.decision_note,
  };
}

const actorOf = (user: AuthUser): AuditActor => ({
  id: user.id,
  roles: user.roles,
  tokenId: user.tokenId,
});

/**
 * What data stewards do with identity resolution: the review queue (list, side by side, confirm
 * or reject), splitting wrongly linked records out of a customer, and reading why a record
 * belongs where it does. Every change is audited and published.
 */
@Injectable()
export class StewardshipService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly resolution: ResolutionService,
    private readonly customers: CustomersService,
    private readonly merges: MergesService,
    private readonly events: EventPublisher,
    private readonly audit: AuditService,
  ) {}

  async listReviewItems(
    query: ListReviewItemsQuery,
    scope: DataScope,
  ): Promise<Page<ReviewItemView>> {
    return withDataScope(this.dataSource, scope, async (m) => {
      const window = pageWindow(query);
      const status = query.status ?? 'open';
      const rows = (await m.query(
        `SELECT *, count(*) OVER () AS total FROM review_item WHERE status = $1
         ORDER BY opened_at, id LIMIT $2 OFFSET $3`,
        [status, window.pageSize, window.offset],
      )) as (ReviewRow & { total: string })[];
      let total = rows.length > 0 ? Number(rows[0].total) : 0;
      if (rows.length === 0 && window.offset > 0) {
        const [c] = (await m.query('SELECT count(*)::int AS n FROM review_item WHERE status = $1', [
          status,
        ])) as { n: number }[];
        total = c.n;
      }
      return { items: rows.map(toView), page: window.page, pageSize: window.pageSize, total };
    });
  }

  /** One review item with both records side by side (masked) and their customers now. */
  async reviewItem(id: string, scope: DataScope): Promise<Record<string, unknown>> {
    return withDataScope(this.dataSource, scope, async (m) => {
      const item = await this.findItem(m, id);
      const rows = (await m.query(
        `SELECT source_system, source_key, record, observed_at, customer_id FROM source_record
         WHERE (source_system, source_key) IN (($1, $2), ($3, $4))`,
        [item.record_system, item.record_key, item.candidate_system, item.candidate_key],
      )) as {
        source_system: string;
        source_key: string;
        record: Record<string, unknown>;
        observed_at: Date;
        customer_id: string | null;
      }[];
      const side = (system: string, key: string) => {
        const row = rows.find((r) => r.source_system === system && r.source_key === key);
        return row
          ? {
              sourceSystem: system,
              sourceKey: key,
              customerId: row.customer_id,
              observedAt: row.observed_at.toISOString(),
              record: maskSourceRecord(row.record),
            }
          : null;
      };
      return {
        ...toView(item),
        sides: [
          side(item.record_system, item.record_key),
          side(item.candidate_system, item.candidate_key),
        ],
      };
    });
  }

  /**
   * The steward says the two records are one customer: their customers are merged (the older
   * survives). For a record-changed item it confirms the record still belongs to its customer.
   */
  async confirm(
    id: string,
    note: string | undefined,
    user: AuthUser,
    correlationId: string,
  ): Promise<ReviewItemView> {
    return withDataScope(this.dataSource, dataScopeOf(user), async (manager) => {
      const item = await this.openItem(manager, id);
      const [a, b] = await this.customersOf(manager, item);
      let survivorId = a;
      if (a !== b) {
        const [older] = (await manager.query(
          'SELECT id FROM customer WHERE id = ANY($1::uuid[]) ORDER BY created_at, id LIMIT 1',
          [[a, b]],
        )) as { id: string }[];
        survivorId = older.id;
        await this.merges.mergeCustomers(
          survivorId,
          [survivorId === a ? b : a],
          `data steward confirmed review item ${id}${note ? `: ${note}` : ''}`.slice(0, 500),
          manager,
          { correlationId, actorUserId: user.id },
        );
      }
      const decided = await this.decide(manager, item, 'linked', note, user, correlationId, {
        survivorId,
      });
      await this.resolution.supersedeReviewItems(manager, survivorId, {
        correlationId,
        eventId: id,
      });
      await this.resolution.refreshGolden(manager, survivorId, { correlationId, eventId: id });
      return decided;
    });
  }

  /**
   * The steward says they are different: the pair is remembered and never linked automatically
   * again. For a record-changed item the record also leaves its customer for a new one.
   */
  async reject(
    id: string,
    note: string | undefined,
    user: AuthUser,
    correlationId: string,
  ): Promise<ReviewItemView> {
    return withDataScope(this.dataSource, dataScopeOf(user), async (manager) => {
      const item = await this.openItem(manager, id);
      const refA = `${item.record_system}:${item.record_key}`;
      const refB = `${item.candidate_system}:${item.candidate_key}`;
      const [lo, hi] = [refA, refB].sort();
      await manager.query(
        `INSERT INTO non_match (ref_a, ref_b, review_item_id, cause, decided_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ref_a, ref_b) DO NOTHING`,
        [lo, hi, id, (note ?? 'review item rejected').slice(0, 500), user.id],
      );
      const decided = await this.decide(manager, item, 'rejected', note, user, correlationId, {});
      if (item.kind === 'record-changed') {
        const [customerId] = await this.customersOf(manager, item);
        await this.splitIn(
          manager,
          customerId,
          [{ sourceSystem: item.record_system, sourceKey: item.record_key }],
          undefined,
          `review item ${id} rejected${note ? `: ${note}` : ''}`,
          user,
          correlationId,
        );
      }
      return decided;
    });
  }

  /** Takes source records out of a customer into a new customer or another one. */
  async split(
    customerId: string,
    dto: SplitSourceRecordsDto,
    user: AuthUser,
    correlationId: string,
  ): Promise<{ customerId: string; targetCustomerId: string; moved: string[] }> {
    return withDataScope(this.dataSource, dataScopeOf(user), (manager) =>
      this.splitIn(
        manager,
        customerId,
        dto.sourceRecords,
        dto.targetCustomerId,
        dto.reason.trim(),
        user,
        correlationId,
      ),
    );
  }

  /** Why a source record belongs where it does, and every change of its customer. */
  async resolutionOf(
    sourceSystem: string,
    sourceKey: string,
    scope: DataScope,
  ): Promise<Record<string, unknown>> {
    return withDataScope(this.dataSource, scope, async (m) => {
      const [row] = (await m.query(
        `SELECT customer_id, resolution_status, reject_reason, decision, resolved_at, observed_at
         FROM source_record WHERE source_system = $1 AND source_key = $2`,
        [sourceSystem, sourceKey],
      )) as {
        customer_id: string | null;
        resolution_status: string;
        reject_reason: string | null;
        decision: StoredDecision | null;
        resolved_at: Date | null;
        observed_at: Date;
      }[];
      if (!row) throw new NotFoundException(`source record ${sourceSystem}/${sourceKey} not found`);
      const history = (await m.query(
        `SELECT customer_id AS "customerId", previous_customer_id AS "previousCustomerId", cause, note,
           actor_user_id AS "actorUserId", linked_at AS "linkedAt"
         FROM source_record_link_history WHERE source_system = $1 AND source_key = $2 ORDER BY id`,
        [sourceSystem, sourceKey],
      )) as Record<string, unknown>[];
      const reviewItems = (await m.query(
        `SELECT * FROM review_item WHERE (record_system = $1 AND record_key = $2)
           OR (candidate_system = $1 AND candidate_key = $2) ORDER BY opened_at, id LIMIT 50`,
        [sourceSystem, sourceKey],
      )) as ReviewRow[];
      return {
        sourceSystem,
        sourceKey,
        status: row.resolution_status,
        customerId: row.customer_id,
        observedAt: row.observed_at.toISOString(),
        resolvedAt: row.resolved_at?.toISOString() ?? null,
        ...(row.reject_reason ? { rejectReason: row.reject_reason } : {}),
        decision: row.decision,
        history,
        reviewItems: reviewItems.map(toView),
      };
    });
  }

  /** The source records of a customer (an absorbed id answers for its survivor) and the lineage. */
  async sourceRecordsOf(customerId: string, scope: DataScope): Promise<Record<string, unknown>> {
    return withDataScope(this.dataSource, scope, async (m) => {
      const [c] = (await m.query('SELECT id, merged_into, lineage FROM customer WHERE id = $1', [
        customerId,
      ])) as { id: string; merged_into: string | null; lineage: unknown }[];
      if (!c) throw new CustomerNotFoundException(customerId);
      let current = c;
      if (c.merged_into) {
        [current] = (await m.query('SELECT id, merged_into, lineage FROM customer WHERE id = $1', [
          c.merged_into,
        ])) as { id: string; merged_into: string | null; lineage: unknown }[];
      }
      const rows = (await m.query(
        `SELECT source_system, source_key, party_type, observed_at, resolved_at, decision
         FROM source_record WHERE customer_id = $1 ORDER BY source_system, source_key LIMIT 1000`,
        [current.id],
      )) as {
        source_system: string;
        source_key: string;
        party_type: string;
        observed_at: Date;
        resolved_at: Date | null;
        decision: StoredDecision | null;
      }[];
      return {
        customerId: current.id,
        ...(current.id !== customerId ? { redirectedFrom: customerId } : {}),
        lineage: current.lineage,
        sourceRecords: rows.map((r) => ({
          sourceSystem: r.source_system,
          sourceKey: r.source_key,
          partyType: r.party_type,
          observedAt: r.observed_at.toISOString(),
          resolvedAt: r.resolved_at?.toISOString() ?? null,
          outcome: r.decision?.outcome ?? null,
          score: r.decision?.explanation?.score.total ?? null,
        })),
      };
    });
  }

  private async splitIn(
    manager: EntityManager,
    customerId: string,
    refs: { sourceSystem: string; sourceKey: string }[],
    targetCustomerId: string | undefined,
    reason: string,
    user: AuthUser,
    correlationId: string,
  ): Promise<{ customerId: string; targetCustomerId: string; moved: string[] }> {
    const locked = (await manager.query(
      'SELECT id, party_type, merged_into FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [[customerId, ...(targetCustomerId ? [targetCustomerId] : [])]],
    )) as { id: string; party_type: string; merged_into: string | null }[];
    const source = locked.find((c) => c.id === customerId);
    if (!source) throw new CustomerNotFoundException(customerId);
    if (source.merged_into) throw new CustomerMergedException(customerId, source.merged_into);
    if (targetCustomerId) {
      const target = locked.find((c) => c.id === targetCustomerId);
      if (!target || target.id === customerId) {
        throw new FieldErrorException([
          { field: 'targetCustomerId', message: 'name another existing customer' },
        ]);
      }
      if (target.merged_into) throw new CustomerMergedException(target.id, target.merged_into);
      if (target.party_type !== source.party_type) {
        throw new FieldErrorException([
          { field: 'targetCustomerId', message: `is not an ${source.party_type}` },
        ]);
      }
    }
    const members = await this.resolution.membersOf(manager, [customerId]);
    const wanted = new Set(refs.map((r) => recordRef(r)));
    const moving = members.filter((m) => wanted.has(m.features.ref));
    const staying = members.filter((m) => !wanted.has(m.features.ref));
    const missing = [...wanted].filter((ref) => !moving.some((m) => m.features.ref === ref));
    if (missing.length > 0) {
      throw new FieldErrorException(
        missing.map((ref) => ({
          field: 'sourceRecords',
          message: `${ref} is not a resolved record of customer ${customerId}`,
        })),
      );
    }
    if (staying.length === 0) {
      throw new FieldErrorException([
        {
          field: 'sourceRecords',
          message: 'would leave the customer without records; merge it instead',
        },
      ]);
    }
    const meta = { correlationId, eventId: randomUUID() };
    const movedIds = (list: typeof members) =>
      this.resolution.golden(
        list.map((m) => ({
          record: m.row.record,
          features: m.features,
          observedAt: m.row.observed_at.toISOString(),
        })),
      ).identifiers;
    let target = targetCustomerId;
    if (!target) {
      target = randomUUID();
      await this.customers.createFromSource(
        manager,
        target,
        this.resolution.golden(
          moving.map((m) => ({
            record: m.row.record as PartyRecord,
            features: m.features,
            observedAt: m.row.observed_at.toISOString(),
          })),
        ),
        meta,
      );
    }
    const keep = new Set(movedIds(staying).map((i) => `${i.idType}:${i.number}`));
    const takeBack = movedIds(moving).filter((i) => !keep.has(`${i.idType}:${i.number}`));
    const movedRefs = moving.map((m) => ({
      sourceSystem: m.features.sourceSystem,
      sourceKey: m.features.sourceKey,
    }));
    for (const r of movedRefs) {
      await manager.query(
        'UPDATE source_record SET customer_id = $3 WHERE source_system = $1 AND source_key = $2',
        [r.sourceSystem, r.sourceKey, target],
      );
    }
    // never linked automatically again to the records they were taken from
    const pairs = moving.flatMap((m) =>
      staying.map((s) => [m.features.ref, s.features.ref].sort() as [string, string]),
    );
    await manager.query(
      `INSERT INTO non_match (ref_a, ref_b, cause, decided_by)
       SELECT a, b, $3, $4 FROM unnest($1::text[], $2::text[]) AS p(a, b)
       ON CONFLICT (ref_a, ref_b) DO NOTHING`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), `split: ${reason}`.slice(0, 500), user.id],
    );
    await recordLinkHistory(manager, movedRefs, target, customerId, 'split', {
      note: reason,
      actorUserId: user.id,
    });
    await this.resolution.refreshGolden(manager, customerId, meta, takeBack);
    await this.resolution.refreshGolden(manager, target, meta);
    const linkedAt = new Date().toISOString();
    for (const r of movedRefs) {
      await this.events.publish(manager, SourceRecordLinkedV1, {
        subject: `${r.sourceSystem}:${r.sourceKey}`,
        correlationId,
        payload: { ...r, customerId: target, previousCustomerId: customerId, linkedAt },
      });
    }
    await this.audit.record(manager, {
      actor: actorOf(user),
      action: 'customer.source-records.split',
      entityType: 'customer',
      entityId: customerId,
      before: { customerId, sourceRecords: movedRefs },
      after: { customerId: target, sourceRecords: movedRefs, reason },
      correlationId,
    });
    return { customerId, targetCustomerId: target, moved: moving.map((m) => m.features.ref) };
  }

  private async findItem(manager: EntityManager, id: string, lock = false): Promise<ReviewRow> {
    const [item] = (await manager.query(
      `SELECT * FROM review_item WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )) as ReviewRow[];
    if (!item) throw new NotFoundException(`review item ${id} not found`);
    return item;
  }

  private async openItem(manager: EntityManager, id: string): Promise<ReviewRow> {
    const item = await this.findItem(manager, id, true);
    if (item.status !== 'open') {
      throw new ConflictException(`review item ${id} is already ${item.status}`);
    }
    return item;
  }

  private async customersOf(manager: EntityManager, item: ReviewRow): Promise<[string, string]> {
    const rows = (await manager.query(
      `SELECT source_system, source_key, customer_id FROM source_record
       WHERE (source_system, source_key) IN (($1, $2), ($3, $4))`,
      [item.record_system, item.record_key, item.candidate_system, item.candidate_key],
    )) as { source_system: string; source_key: string; customer_id: string | null }[];
    const of = (s: string, k: string) =>
      rows.find((r) => r.source_system === s && r.source_key === k)?.customer_id;
    const a = of(item.record_system, item.record_key);
    const b = of(item.candidate_system, item.candidate_key);
    if (!a || !b) throw new ConflictException(`a record of review item ${item.id} is unresolved`);
    return [a, b];
  }

  private async decide(
    manager: EntityManager,
    item: ReviewRow,
    decision: 'linked' | 'rejected',
    note: string | undefined,
    user: AuthUser,
    correlationId: string,
    extra: { survivorId?: string },
  ): Promise<ReviewItemView> {
    const [updated] = await updateReturning<ReviewRow>(
      manager,
      `UPDATE review_item SET status = $2, decided_at = now(), decided_by = $3, decision_note = $4
       WHERE id = $1 RETURNING *`,
      [item.id, decision, user.id, note?.trim() || null],
    );
    await this.events.publish(manager, ReviewItemDecidedV1, {
      subject: item.id,
      correlationId,
      payload: {
        reviewItemId: item.id,
        decision,
        ...(extra.survivorId ? { survivorId: extra.survivorId } : {}),
        ...(note?.trim() ? { note: note.trim().slice(0, 500) } : {}),
        decidedAt: (updated.decided_at ?? new Date()).toISOString(),
        actorUserId: user.id,
      },
    });
    await this.audit.record(manager, {
      actor: actorOf(user),
      action: `review-item.${decision}`,
      entityType: 'review-item',
      entityId: item.id,
      before: { status: item.status },
      after: { status: decision, note: note ?? null, ...extra },
      correlationId,
    });
    return toView(updated);
  }
}
