import {
  blockingKeys,
  checkedIdsOf,
  decide,
  extractFeatures,
  recordRef,
  uuidV5,
  type ClusterDecision,
  type Features,
} from '@bank-crm/identity';
import { SourceRecordLinkedV1, type SourcePartyRecordV1 } from '@bank-crm/contracts';
import type { OutboxAppend } from '@bank-crm/messaging';
import { counter, histogram } from '@bank-crm/observability';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { EventPublisher } from '../customer-view/event-publisher';
import { lockCustomers } from '../customers/customer-locks';
import { CustomersService } from '../customers/customers.service';
import {
  keyHash,
  ResolutionService,
  type ResolutionResult,
  type ResolveMeta,
  type StoredDecision,
} from './resolution.service';

/** Where a resolution chunk's time goes (labels are phase and path names only). */
const batchMetrics = {
  phaseSeconds: histogram(
    'bankcrm_resolution_batch_phase_seconds',
    'Time a resolution chunk spends per phase: lock (blocking-key locks, waits for other chunks included), read (candidates of every record), decide (in memory), write (bulk writes of new customers and links), full (records resolved one by one: updates, merges, rejections, with the chunk view refreshed after each).',
    ['phase'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  records: counter(
    'bankcrm_resolution_batch_records_total',
    'Records of resolution chunks, by path: batch (decided in memory, written in bulk), full (resolved one by one) or deferred (left to a transaction of their own: a blocking key was held by another chunk).',
    ['path'],
  ),
};

type Phase = 'lock' | 'read' | 'decide' | 'write' | 'full';

/** Adds up a chunk's time per phase; observed once per chunk. */
class PhaseClock {
  private readonly spent = new Map<Phase, number>();
  private last = process.hrtime.bigint();

  /** Charges the time since the previous mark to `phase`. */
  mark(phase: Phase): void {
    const now = process.hrtime.bigint();
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + Number(now - this.last) / 1e9);
    this.last = now;
  }

  observe(): void {
    for (const [phase, seconds] of this.spent)
      batchMetrics.phaseSeconds.observe({ phase }, seconds);
  }
}

export interface BatchItem {
  record: SourcePartyRecordV1;
  meta: ResolveMeta;
}

/** Leaves records (by event id) to a follow-up transaction (see `BatchResolver.resolveMany`). */
export type Defer = (eventIds: string[]) => void;

interface Prepared extends BatchItem {
  ref: string;
  features: Features | string;
  hashes: string[];
  observedAt: string;
}

interface Member {
  ref: string;
  features: Features;
  /** Changes when the customer is merged into another one within the chunk. */
  customerId: string;
}

/** A record the fast path decided: a new customer or a link to one customer (and review items). */
interface Simple {
  item: Prepared & { features: Features };
  target: string;
  created: boolean;
  decision: ClusterDecision<string>;
}

/**
 * The chunk's view of the blocking index and of customer membership: what the database held when
 * the chunk began, plus the records decided since (kept up to date after a record that went the
 * full way: its old entries dropped, merged customers redirected, the survivor's members read).
 */
class ChunkState {
  readonly blocks = new Map<string, Member[]>();
  readonly membership = new Map<string, Member[]>();
  /** Where each record is filed: the blocks listing it, the customers whose members list it. */
  private readonly blocksOf = new Map<string, Set<string>>();
  private readonly customersOf = new Map<string, Set<string>>();

  constructor(
    readonly known: ReadonlySet<string>,
    readonly nonMatches: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  file(block: string, member: Member): void {
    const list = this.blocks.get(block);
    if (list) list.push(member);
    else this.blocks.set(block, [member]);
    track(this.blocksOf, member.ref, block);
  }

  /** `member` listed among the members of its customer. */
  addMember(member: Member): void {
    const list = this.membership.get(member.customerId);
    if (list) list.push(member);
    else this.membership.set(member.customerId, [member]);
    track(this.customersOf, member.ref, member.customerId);
  }

  /** A record now in `member.customerId`, filed under its blocks (and its customer's members). */
  add(member: Member, hashes: readonly string[], asMember = true): void {
    for (const h of hashes) this.file(h, member);
    if (asMember) this.addMember(member);
  }

  /** Forgets every entry of a record (before its new version is added). */
  remove(ref: string): void {
    for (const h of this.blocksOf.get(ref) ?? []) {
      const list = this.blocks.get(h);
      if (list)
        this.blocks.set(
          h,
          list.filter((m) => m.ref !== ref),
        );
    }
    this.blocksOf.delete(ref);
    for (const c of this.customersOf.get(ref) ?? []) {
      const list = this.membership.get(c);
      if (list)
        this.membership.set(
          c,
          list.filter((m) => m.ref !== ref),
        );
    }
    this.customersOf.delete(ref);
  }

  /** Records of merged-away customers now belong to the survivor. */
  redirect(absorbed: ReadonlySet<string>, survivor: string): void {
    if (absorbed.size === 0) return;
    for (const list of this.blocks.values()) {
      for (const m of list) if (absorbed.has(m.customerId)) m.customerId = survivor;
    }
    for (const id of absorbed) this.membership.delete(id);
  }

  setMembers(customerId: string, members: Member[]): void {
    this.membership.set(customerId, members);
    for (const m of members) track(this.customersOf, m.ref, customerId);
  }
}

function track(index: Map<string, Set<string>>, ref: string, where: string): void {
  const set = index.get(ref);
  if (set) set.add(where);
  else index.set(ref, new Set([where]));
}

/** As `resolve()` names it: a new customer with review items is a 'review' outcome. */
function outcomeOf(d: Simple): 'new' | 'linked' | 'review' {
  if (!d.created) return 'linked';
  return d.decision.review.length > 0 ? 'review' : 'new';
}

/**
 * Identity resolution of a consumer chunk with set-based SQL: the same decisions as resolving the
 * records one by one (`ResolutionService.resolve`), in order, with a few statements per chunk
 * instead of some twenty per record.
 *
 * All blocking keys of the chunk are locked first (one statement, in key order, so replicas
 * cannot deadlock on them), and the candidates of all its records are read at once. Records are
 * then decided in order in memory, each seeing the database plus the records decided before it
 * (`ChunkState`: an overlay of the blocking index and of customer membership); the records whose
 * outcome is a new customer or a link to one customer (review items included) are written in
 * bulk. A record that needs more — an update of a known record, a merge, a rejection, a second
 * copy — has what came before it written, goes through `resolve()` on its own, and the chunk's
 * view is brought up to date (its old entries dropped, merged customers redirected to the
 * survivor, the survivor's members read again) before the next record is decided.
 */
@Injectable()
export class BatchResolver {
  constructor(
    private readonly resolution: ResolutionService,
    private readonly customers: CustomersService,
    private readonly events: EventPublisher,
  ) {}

  async resolveMany(
    manager: EntityManager,
    items: readonly BatchItem[],
    defer?: Defer,
  ): Promise<ResolutionResult[]> {
    if (items.length === 1) {
      batchMetrics.records.inc({ path: 'full' });
      return [await this.resolution.resolve(manager, items[0].record, items[0].meta)];
    }
    const clock = new PhaseClock();
    const prepared: Prepared[] = items.map((item) => {
      const features = extractFeatures(item.record);
      const keys = typeof features === 'string' ? [] : [...new Set(blockingKeys(features))];
      return {
        ...item,
        ref: recordRef(item.record),
        features,
        hashes: keys.map(keyHash),
        observedAt: item.record.observedAt ?? item.meta.occurredAt,
      };
    });
    const claimed = defer
      ? await this.claim(manager, prepared, defer)
      : await this.resolution
          .lockAll(
            manager,
            prepared.flatMap((p) => [keyHash(`ref:${p.ref}`), ...p.hashes]),
          )
          .then(() => prepared);
    clock.mark('lock');
    const state = await this.read(manager, claimed);
    clock.mark('read');
    const max = this.resolution.matchConfig.maxBlockSize;
    const results: ResolutionResult[] = [];
    let pending: Simple[] = [];
    let batched = 0;
    const seen = new Set<string>();
    for (const item of claimed) {
      const decision =
        typeof item.features === 'string' || state.known.has(item.ref) || seen.has(item.ref)
          ? null
          : this.decideOne(item.features, item, state, max);
      seen.add(item.ref);
      if (decision && decision.chosen.length <= 1 && typeof item.features !== 'string') {
        const f = item.features;
        const created = decision.chosen.length === 0;
        const target = created ? uuidV5(item.ref) : decision.chosen[0];
        pending.push({ item: { ...item, features: f }, target, created, decision });
        batched += 1;
        this.resolution.rememberFeatures(item.ref, item.observedAt, f);
        // later records see this one as if it were in the database
        state.add({ ref: item.ref, customerId: target, features: f }, item.hashes);
        continue;
      }
      // an update, a merge, a rejection, a second copy: what came before is written, this
      // record goes the full way on its own, and the chunk's view is brought up to date
      clock.mark('decide');
      results.push(...(await this.write(manager, pending)));
      clock.mark('write');
      pending = [];
      batchMetrics.records.inc({ path: 'full' });
      const result = await this.resolution.resolve(manager, item.record, item.meta);
      results.push(result);
      if (result.status === 'stale' || result.status !== 'resolved' || !result.customerId) {
        if (result.status !== 'stale') state.remove(item.ref);
        clock.mark('full');
        continue;
      }
      state.remove(item.ref);
      const absorbed = new Set(result.mergedCustomerIds);
      if (result.previousCustomerId && result.previousCustomerId !== result.customerId)
        absorbed.add(result.previousCustomerId);
      state.redirect(absorbed, result.customerId);
      state.setMembers(
        result.customerId,
        await this.resolution.memberFeaturesOf(manager, [result.customerId]),
      );
      if (typeof item.features !== 'string') {
        const f = this.resolution.featuresOf({
          source_system: item.record.sourceSystem,
          source_key: item.record.sourceKey,
          record: item.record,
          observed_at: new Date(item.observedAt),
          customer_id: result.customerId,
        });
        state.add(
          { ref: item.ref, customerId: result.customerId, features: f },
          item.hashes,
          false,
        );
      }
      clock.mark('full');
    }
    clock.mark('decide');
    batchMetrics.records.inc({ path: 'batch' }, batched);
    results.push(...(await this.write(manager, pending)));
    clock.mark('write');
    clock.observe();
    return results;
  }

  /**
   * Takes the chunk's blocking keys without waiting and keeps the records whose keys it got; the
   * others — a key held by another consumer's chunk, or a key shared with an earlier record left
   * out (records of one key keep their order) — are deferred to a transaction of their own after
   * this one commits, where their keys are waited for. Waiting here instead would hold every key
   * of this chunk meanwhile: with many consumers over a stream full of duplicates, nearly every
   * pair of chunks in flight shares a key, and the chunks would run one after another.
   */
  private async claim(
    manager: EntityManager,
    prepared: Prepared[],
    defer: Defer,
  ): Promise<Prepared[]> {
    const keysOf = prepared.map((p) => [keyHash(`ref:${p.ref}`), ...p.hashes]);
    const held = await this.resolution.tryLockAll(manager, keysOf.flat());
    if (held.size === 0) return prepared;
    const kept: Prepared[] = [];
    const later: string[] = [];
    keysOf.forEach((keys, n) => {
      if (keys.some((k) => held.has(k))) {
        for (const k of keys) held.add(k);
        later.push(prepared[n].meta.eventId);
      } else kept.push(prepared[n]);
    });
    defer(later);
    batchMetrics.records.inc({ path: 'deferred' }, later.length);
    return kept;
  }

  private decideOne(
    f: Features,
    item: Prepared,
    state: ChunkState,
    max: number,
  ): ClusterDecision<string> {
    const candidates = new Map<string, Member>();
    for (const h of item.hashes) {
      const block = state.blocks.get(h) ?? [];
      if (block.length > max) continue;
      for (const m of block) if (m.ref !== item.ref) candidates.set(m.ref, m);
    }
    const refused = state.nonMatches.get(item.ref);
    return decide(
      f,
      [...candidates.values()].map((c) => ({ features: c.features, cluster: c.customerId })),
      (customerId) => {
        const checkedIds = new Map<string, string>();
        for (const m of state.membership.get(customerId) ?? []) {
          for (const [kind, id] of checkedIdsOf(m.features)) checkedIds.set(kind, id);
        }
        return { customerId, checkedIds };
      },
      this.resolution.scorer,
      this.resolution.matchConfig,
      (_a, b) => refused?.has(b) ?? false,
    );
  }

  /** What the chunk's decisions need from the database, read once. */
  private async read(manager: EntityManager, items: Prepared[]): Promise<ChunkState> {
    const usable = items.filter(
      (p): p is Prepared & { features: Features } => typeof p.features !== 'string',
    );
    const known = await this.knownRefs(manager, items);
    const hits = await this.resolution.blockHits(manager, [
      ...new Set(usable.flatMap((p) => p.hashes)),
    ]);
    const nonMatches = await this.nonMatchesOf(
      manager,
      usable.map((p) => p.ref),
    );
    const hitFeatures = await this.resolution.featuresOfRefs(manager, hits);
    const state = new ChunkState(known, nonMatches);
    hits.forEach((h, n) => {
      state.file(h.block, {
        ref: `${h.source_system}:${h.source_key}`,
        customerId: h.customer_id,
        features: hitFeatures[n],
      });
    });
    const customerIds = [...new Set(hits.map((h) => h.customer_id))];
    for (const m of await this.resolution.memberFeaturesOf(manager, customerIds))
      state.addMember(m);
    return state;
  }

  /** Writes a segment's decisions: records, history, blocking index, customers, events. */
  private async write(manager: EntityManager, decided: Simple[]): Promise<ResolutionResult[]> {
    if (decided.length === 0) return [];
    const now = new Date().toISOString();
    const stored = decided.map((d): StoredDecision => ({
      outcome: outcomeOf(d),
      decidedAt: now,
      explanation: d.decision.best,
      mergedCustomerIds: [],
      review: d.decision.review,
      flags: d.item.features.flags,
    }));
    // the customers first: source_record.customer_id references them
    const created = new Map<string, Simple[]>();
    const linked = new Set<string>();
    for (const d of decided) {
      if (d.created) created.set(d.target, [d]);
      else if (created.has(d.target)) created.get(d.target)?.push(d);
      else linked.add(d.target);
    }
    // the customers that gain records are locked now, in id order: the source records' foreign
    // key would otherwise take their rows (FOR KEY SHARE) one by one in insert order, and a chunk
    // of holdings snapshots locking the same customers in id order could deadlock with that
    await lockCustomers(manager, [...linked]);
    await this.customers.createManyFromSource(
      manager,
      [...created.entries()].map(([id, members]) => ({
        id,
        values: this.resolution.golden(
          members.map((m) => ({
            record: m.item.record,
            features: m.item.features,
            observedAt: m.item.observedAt,
          })),
        ),
        meta: {
          correlationId: members[0].item.meta.correlationId,
          causationId: members[0].item.meta.eventId,
        },
      })),
    );
    const items = decided.map((d) => d.item);
    await manager.query(
      `WITH rec AS (
         INSERT INTO source_record (source_system, source_key, party_type, record, observed_at,
           received_at, last_event_id, customer_id, resolution_status, decision, resolved_at)
         SELECT s, k, t, r, o, now(), e, c, 'resolved', d, now()
         FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], ${jsonbElements('$4')},
                     $5::timestamptz[], $6::uuid[], $7::uuid[], ${jsonbElements('$8')})
           AS x(s, k, t, r, o, e, c, d)
         RETURNING 1
       ), history AS (
         INSERT INTO source_record_link_history
           (source_system, source_key, customer_id, previous_customer_id, cause, actor_user_id)
         SELECT s, k, c, NULL, 'resolution', a
         FROM unnest($1::varchar[], $2::varchar[], $7::uuid[], $9::varchar[]) AS x(s, k, c, a)
         RETURNING 1
       )
       INSERT INTO resolution_block (block_hash, source_system, source_key)
       SELECT h, s, k FROM unnest($10::bigint[], $11::varchar[], $12::varchar[]) AS x(h, s, k)
       ON CONFLICT DO NOTHING`,
      [
        items.map((p) => p.record.sourceSystem),
        items.map((p) => p.record.sourceKey),
        items.map((p) => p.record.partyType),
        jsonbArray(items.map((p) => p.record)),
        items.map((p) => p.observedAt),
        items.map((p) => p.meta.eventId),
        decided.map((d) => d.target),
        jsonbArray(stored),
        items.map((p) => p.meta.actorUserId ?? null),
        items.flatMap((p) => p.hashes),
        items.flatMap((p) => p.hashes.map(() => p.record.sourceSystem)),
        items.flatMap((p) => p.hashes.map(() => p.record.sourceKey)),
      ],
    );
    // customers that gained records: golden record again
    const firstOf = new Map<string, Simple>();
    for (const d of decided)
      if (linked.has(d.target) && !firstOf.has(d.target)) firstOf.set(d.target, d);
    await this.resolution.refreshGoldenMany(
      manager,
      [...firstOf.values()].map((d) => ({ customerId: d.target, meta: d.item.meta })),
    );
    const linkedAt = new Date().toISOString();
    const events: OutboxAppend[] = decided.map((d) => ({
      definition: SourceRecordLinkedV1,
      input: {
        subject: d.item.ref,
        correlationId: d.item.meta.correlationId,
        causationId: d.item.meta.eventId,
        payload: {
          sourceSystem: d.item.record.sourceSystem,
          sourceKey: d.item.record.sourceKey,
          customerId: d.target,
          linkedAt,
        },
      },
    }));
    await this.events.publishMany(manager, events);
    const reviews = decided.flatMap((d, n) =>
      d.decision.review.map((expl) => ({
        n,
        kind: 'possible-match' as const,
        ref: d.item.ref,
        recordCustomerId: d.target,
        expl,
        meta: d.item.meta,
      })),
    );
    const reviewIds = await this.resolution.openReviewItems(manager, reviews);
    const reviewItemIds = decided.map((): string[] => []);
    reviews.forEach((r, k) => {
      const id = reviewIds[k];
      if (id) reviewItemIds[r.n].push(id);
    });
    return decided.map((d, n) => ({
      sourceSystem: d.item.record.sourceSystem,
      sourceKey: d.item.record.sourceKey,
      status: 'resolved',
      outcome: outcomeOf(d),
      customerId: d.target,
      previousCustomerId: null,
      mergedCustomerIds: [],
      reviewItemIds: reviewItemIds[n],
    }));
  }

  private async knownRefs(manager: EntityManager, items: Prepared[]): Promise<Set<string>> {
    const rows = (await manager.query(
      `SELECT x.source_system || ':' || x.source_key AS ref
       FROM unnest($1::varchar[], $2::varchar[]) AS x(source_system, source_key)
       CROSS JOIN LATERAL (
         SELECT 1 FROM source_record s
          WHERE s.source_system = x.source_system AND s.source_key = x.source_key
          LIMIT 1
       ) s`,
      [items.map((p) => p.record.sourceSystem), items.map((p) => p.record.sourceKey)],
    )) as { ref: string }[];
    return new Set(rows.map((r) => r.ref));
  }

  private async nonMatchesOf(
    manager: EntityManager,
    refs: string[],
  ): Promise<Map<string, Set<string>>> {
    const rows = (await manager.query(
      `SELECT ref_a AS a, ref_b AS b FROM non_match WHERE ref_a = ANY($1::varchar[])
       UNION ALL SELECT ref_b, ref_a FROM non_match WHERE ref_b = ANY($1::varchar[])`,
      [refs],
    )) as { a: string; b: string }[];
    const out = new Map<string, Set<string>>();
    for (const { a, b } of rows) out.set(a, (out.get(a) ?? new Set()).add(b));
    return out;
  }
}
