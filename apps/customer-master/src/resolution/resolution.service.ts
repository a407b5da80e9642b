import { createHash, randomUUID } from 'node:crypto';

import {
  ReviewItemDecidedV1,
  ReviewItemOpenedV1,
  SourceRecordLinkedV1,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import {
  blockingKeys,
  checkedIdsOf,
  decide,
  extractFeatures,
  lineageOf,
  recordRef,
  Scorer,
  survive,
  uuidV5,
  type CandidateExplanation,
  type Features,
  type MatchConfig,
  type MemberRecord,
  type PairScore,
  type PartyRecord,
  type SurvivorshipConfig,
} from '@bank-crm/identity';
import type { OutboxAppend } from '@bank-crm/messaging';
import { SERVICE_CONFIG } from '@bank-crm/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';

import { updateReturning } from '../common/pg-errors';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { EventPublisher } from '../customer-view/event-publisher';
import { lockCustomers } from '../customers/customer-locks';
import { CustomersService, type SourceCustomerValues } from '../customers/customers.service';
import { MergesService } from '../merges/merges.service';
import { matchConfigFrom, survivorshipConfigFrom } from './resolution.config';

export type ResolutionOutcome = 'new' | 'linked' | 'merged' | 'review' | 'unchanged';

export interface ResolutionResult {
  sourceSystem: string;
  sourceKey: string;
  status: 'resolved' | 'rejected' | 'stale';
  outcome?: ResolutionOutcome;
  customerId: string | null;
  previousCustomerId?: string | null;
  mergedCustomerIds: string[];
  reviewItemIds: string[];
  reason?: string;
}

export interface ResolveMeta {
  /** Id of the event (or request) that carried the record: the causation of what follows. */
  eventId: string;
  correlationId: string;
  /** When the source changed the record, if the record does not say (`observedAt`). */
  occurredAt: string;
  actorUserId?: string;
}

/** Stored with the source record and returned by the API: why it belongs where it does. */
export interface StoredDecision {
  outcome: ResolutionOutcome;
  decidedAt: string;
  /** The pair behind the link, or the best candidate when nothing was linked. */
  explanation: CandidateExplanation | null;
  mergedCustomerIds: string[];
  review: CandidateExplanation[];
  flags: string[];
}

/** Another transaction holds a blocking key this batch needs: retry the message on its own. */
export class BlockingKeyContention extends Error {
  constructor() {
    super('a blocking key is locked by a concurrent resolution; retrying this message alone');
    this.name = 'BlockingKeyContention';
  }
}

interface StoredRow {
  source_system: string;
  source_key: string;
  record: PartyRecord;
  observed_at: Date;
  customer_id: string;
}

/** 64-bit signed hash of a blocking key (advisory lock id and block index entry). */
export function keyHash(key: string): string {
  return createHash('sha1').update(key).digest().readBigInt64BE(0).toString();
}

const PHONE_LIMIT = 10;
const EMAIL_LIMIT = 10;
const ADDRESS_LIMIT = 5;

/**
 * Identity resolution on arrival. For each source record, inside the caller's transaction:
 *
 * 1. lock the record's blocking keys (sorted, `pg_advisory_xact_lock`): two records that could
 *    match share a key, so replicas resolving them at the same moment take turns and the second
 *    sees the first — no duplicate customers from a race;
 * 2. keep the newest version of the record (an older `observedAt` changes nothing);
 * 3. find candidates through the blocking index, score them with the same engine and default
 *    configuration as the offline resolver (`decide()`), and link, create, merge (the oldest
 *    customer survives) or open review items — every decision stored with its explanation;
 * 4. rebuild the customer's golden record by survivorship, with lineage, and publish
 *    source-record.linked / customer.* / review-item.* through the outbox.
 */
@Injectable()
export class ResolutionService {
  readonly matchConfig: MatchConfig;
  readonly survivorship: SurvivorshipConfig;
  readonly scorer: Scorer;
  private readonly features = new LRUCache<string, Features>({ max: 100_000 });
  /** Transactions that already hold blocking-key locks (a consumer chunk). */
  private readonly locking = new WeakSet<EntityManager>();

  constructor(
    private readonly customers: CustomersService,
    private readonly merges: MergesService,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) config: CustomerMasterConfig,
  ) {
    this.matchConfig = matchConfigFrom(config);
    this.survivorship = survivorshipConfigFrom(config);
    this.scorer = new Scorer(this.matchConfig);
  }

  async resolve(
    manager: EntityManager,
    r: SourcePartyRecordV1,
    meta: ResolveMeta,
  ): Promise<ResolutionResult> {
    const ref = recordRef(r);
    const base = { sourceSystem: r.sourceSystem, sourceKey: r.sourceKey };
    const f = extractFeatures(r);
    const keys = typeof f === 'string' ? [] : [...new Set(blockingKeys(f))];
    const hashes = keys.map(keyHash);
    await this.lock(manager, [keyHash(`ref:${ref}`), ...hashes]);

    const observedAt = r.observedAt ?? meta.occurredAt;
    const stored = (await manager.query(
      `WITH before AS (
         SELECT customer_id FROM source_record WHERE source_system = $1 AND source_key = $2
       ), up AS (
         INSERT INTO source_record (source_system, source_key, party_type, record, observed_at, received_at, last_event_id)
         VALUES ($1, $2, $3, $4, $5, now(), $6)
         ON CONFLICT (source_system, source_key) DO UPDATE
           SET party_type = EXCLUDED.party_type, record = EXCLUDED.record, observed_at = EXCLUDED.observed_at,
               received_at = EXCLUDED.received_at, last_event_id = EXCLUDED.last_event_id
           WHERE source_record.observed_at <= EXCLUDED.observed_at
         RETURNING 1
       )
       SELECT (SELECT customer_id FROM before) AS customer_id, (SELECT count(*) FROM up)::int AS written`,
      [r.sourceSystem, r.sourceKey, r.partyType, JSON.stringify(r), observedAt, meta.eventId],
    )) as { customer_id: string | null; written: number }[];
    const existing = stored[0].customer_id;
    if (stored[0].written === 0) {
      return {
        ...base,
        status: 'stale',
        customerId: existing,
        mergedCustomerIds: [],
        reviewItemIds: [],
      };
    }

    if (typeof f === 'string') {
      await manager.query(
        `UPDATE source_record SET resolution_status = 'rejected', reject_reason = $3, decision = NULL,
           resolved_at = now() WHERE source_system = $1 AND source_key = $2`,
        [r.sourceSystem, r.sourceKey, f],
      );
      await manager.query(
        'DELETE FROM resolution_block WHERE source_system = $1 AND source_key = $2',
        [r.sourceSystem, r.sourceKey],
      );
      return {
        ...base,
        status: 'rejected',
        reason: f,
        customerId: existing,
        mergedCustomerIds: [],
        reviewItemIds: [],
      };
    }
    this.rememberFeatures(ref, observedAt, f);

    // candidates: records sharing a blocking key (blocks too large to tell anything are skipped)
    const max = this.matchConfig.maxBlockSize;
    const hits = await this.blockHits(manager, hashes);
    const hitFeatures = await this.featuresOfRefs(manager, hits);
    const perBlock = new Map<string, number>();
    for (const h of hits) perBlock.set(h.block, (perBlock.get(h.block) ?? 0) + 1);
    const candidates = new Map<string, { customer_id: string; features: Features }>();
    hits.forEach((h, n) => {
      const hitRef = `${h.source_system}:${h.source_key}`;
      if (hitRef !== ref && (perBlock.get(h.block) ?? 0) <= max)
        candidates.set(hitRef, { customer_id: h.customer_id, features: hitFeatures[n] });
    });

    // every record of the candidate customers (and of the record's own customer): checked ids
    const clusterIds = [...new Set([...candidates.values()].map((c) => c.customer_id))];
    if (existing && !clusterIds.includes(existing)) clusterIds.push(existing);
    const members = await this.membersOf(manager, clusterIds);
    const byCustomer = new Map<string, { features: Features; row: StoredRow }[]>();
    for (const m of members) {
      const list = byCustomer.get(m.row.customer_id) ?? [];
      list.push(m);
      byCustomer.set(m.row.customer_id, list);
    }
    const nonMatches =
      candidates.size > 0 ? await this.nonMatchesOf(manager, ref) : new Set<string>();
    const decision = decide(
      f,
      [...candidates.values()].map((c) => ({ features: c.features, cluster: c.customer_id })),
      (customerId) => {
        const checkedIds = new Map<string, string>();
        for (const m of byCustomer.get(customerId) ?? []) {
          if (m.features.ref === ref) continue;
          for (const [kind, id] of checkedIdsOf(m.features)) checkedIds.set(kind, id);
        }
        return { customerId, checkedIds };
      },
      this.scorer,
      this.matchConfig,
      (_a, b) => nonMatches.has(b),
    );

    const review: { kind: 'possible-match' | 'record-changed'; expl: CandidateExplanation }[] =
      decision.review.map((expl) => ({ kind: 'possible-match', expl }));
    let target: string;
    let outcome: ResolutionOutcome;
    let toMerge: string[] = [];
    let created = false;
    const others = (byCustomer.get(existing ?? '') ?? []).filter((m) => m.features.ref !== ref);
    if (!existing) {
      if (decision.chosen.length === 0) {
        target = uuidV5(ref);
        created = true;
        outcome = review.length > 0 ? 'review' : 'new';
      } else {
        toMerge = decision.chosen;
        target = decision.chosen[0];
        outcome = decision.chosen.length > 1 ? 'merged' : 'linked';
      }
    } else if (others.length === 0 || decision.chosen.includes(existing)) {
      toMerge = [...new Set([existing, ...decision.chosen])];
      target = existing;
      outcome = toMerge.length > 1 ? 'merged' : 'unchanged';
    } else {
      // an update that no longer matches its own customer: keep the link, ask a steward (an
      // automatic split or move on one changed record would be a guess)
      target = existing;
      outcome = 'review';
      const bestOwn = others
        .map((m) => ({ m, s: this.scorer.score(f, m.features) }))
        .sort((a, b) => b.s.total - a.s.total || (a.m.features.ref < b.m.features.ref ? -1 : 1))[0];
      review.unshift({
        kind: 'record-changed',
        expl: { candidate: bestOwn.m.features.ref, customerId: existing, score: bestOwn.s },
      });
    }

    const mergedCustomerIds: string[] = [];
    if (toMerge.length > 1) {
      const ordered = (await manager.query(
        'SELECT id FROM customer WHERE id = ANY($1::uuid[]) ORDER BY created_at, id',
        [toMerge],
      )) as { id: string }[];
      target = ordered[0].id;
      const absorbed = toMerge.filter((id) => id !== target);
      await this.merges.mergeCustomers(
        target,
        absorbed,
        `identity-resolution: ${r.sourceSystem} record ${r.sourceKey} matches them (score ${decision.best?.score.total.toFixed(2) ?? '-'})`,
        manager,
        {
          correlationId: meta.correlationId,
          causationId: meta.eventId,
          actorUserId: meta.actorUserId,
        },
      );
      mergedCustomerIds.push(...absorbed);
      await this.supersedeReviewItems(manager, target, meta);
    }

    const stored2: StoredDecision = {
      outcome,
      decidedAt: new Date().toISOString(),
      explanation: decision.best,
      mergedCustomerIds,
      review: review.map((x) => x.expl),
      flags: f.flags,
    };
    if (created) {
      const golden = this.golden([{ record: r, features: f, observedAt }]);
      await this.customers.createFromSource(manager, target, golden, {
        correlationId: meta.correlationId,
        causationId: meta.eventId,
      });
    }
    if (existing) {
      await manager.query(
        `DELETE FROM resolution_block WHERE source_system = $1 AND source_key = $2
           AND NOT (block_hash = ANY($3::bigint[]))`,
        [r.sourceSystem, r.sourceKey, hashes],
      );
    }
    // one round trip: the record's customer and decision, its history row (when its customer
    // changed; `existing` may have been absorbed into target by a merge above: still a move for
    // this record) and its blocking keys
    await manager.query(
      `WITH record AS (
         UPDATE source_record SET customer_id = $3, resolution_status = 'resolved',
           reject_reason = NULL, decision = $4, resolved_at = now()
         WHERE source_system = $1 AND source_key = $2 RETURNING 1
       ), history AS (
         INSERT INTO source_record_link_history
           (source_system, source_key, customer_id, previous_customer_id, cause, actor_user_id)
         SELECT $1, $2, $3, $6, 'resolution', $7 WHERE $8::boolean RETURNING 1
       )
       INSERT INTO resolution_block (block_hash, source_system, source_key)
       SELECT h, $1, $2 FROM unnest($5::bigint[]) AS h ON CONFLICT DO NOTHING`,
      [
        r.sourceSystem,
        r.sourceKey,
        target,
        JSON.stringify(stored2),
        hashes,
        existing,
        meta.actorUserId ?? null,
        existing !== target,
      ],
    );
    if (!created) await this.refreshGolden(manager, target, meta);

    // `existing` may have been absorbed into target by the merge above: still a move for this record
    if (existing !== target) {
      await this.events.publish(manager, SourceRecordLinkedV1, {
        subject: ref,
        correlationId: meta.correlationId,
        causationId: meta.eventId,
        payload: {
          ...base,
          customerId: target,
          ...(existing ? { previousCustomerId: existing } : {}),
          linkedAt: new Date().toISOString(),
        },
      });
    }
    const reviewItemIds: string[] = [];
    for (const { kind, expl } of review) {
      const id = await this.openReviewItem(manager, kind, ref, target, expl, meta);
      if (id) reviewItemIds.push(id);
    }
    return {
      ...base,
      status: 'resolved',
      outcome,
      customerId: target,
      previousCustomerId: existing,
      mergedCustomerIds,
      reviewItemIds,
    };
  }

  /** Rebuilds a customer's golden record from its records (survivorship + lineage). */
  async refreshGolden(
    manager: EntityManager,
    customerId: string,
    meta: Pick<ResolveMeta, 'correlationId' | 'eventId'>,
    removeIdentifiers: { idType: string; number: string }[] = [],
  ): Promise<void> {
    // lock first: a concurrent link commits before we read the members, so none is left out
    await manager.query('SELECT 1 FROM customer WHERE id = $1 FOR UPDATE', [customerId]);
    const members = await this.membersOf(manager, [customerId]);
    if (members.length === 0) return;
    const golden = this.golden(
      members.map((m) => ({
        record: m.row.record,
        features: m.features,
        observedAt: m.row.observed_at.toISOString(),
      })),
    );
    await this.customers.applySourceValues(
      manager,
      customerId,
      golden,
      { correlationId: meta.correlationId, causationId: meta.eventId },
      removeIdentifiers,
    );
  }

  /**
   * `refreshGolden` for many customers: their rows locked in id order (one statement), their
   * records read at once, the changes written in bulk.
   */
  async refreshGoldenMany(
    manager: EntityManager,
    targets: readonly {
      customerId: string;
      meta: Pick<ResolveMeta, 'correlationId' | 'eventId'>;
    }[],
  ): Promise<void> {
    if (targets.length === 0) return;
    const ids = [...new Set(targets.map((t) => t.customerId))].sort();
    await lockCustomers(manager, ids);
    const byCustomer = new Map<string, { features: Features; row: StoredRow }[]>();
    for (const m of await this.membersOf(manager, ids)) {
      byCustomer.set(m.row.customer_id, [...(byCustomer.get(m.row.customer_id) ?? []), m]);
    }
    await this.customers.applySourceValuesMany(
      manager,
      targets
        .filter((t) => byCustomer.has(t.customerId))
        .map((t) => ({
          id: t.customerId,
          values: this.golden(
            (byCustomer.get(t.customerId) ?? []).map((m) => ({
              record: m.row.record,
              features: m.features,
              observedAt: m.row.observed_at.toISOString(),
            })),
          ),
          meta: { correlationId: t.meta.correlationId, causationId: t.meta.eventId },
        })),
    );
  }

  /** Golden customer values from member records. */
  golden(members: MemberRecord[]): SourceCustomerValues {
    const g = survive(members, this.survivorship);
    const org = g.partyType === 'organization';
    return {
      partyType: g.partyType,
      displayName: (g.name?.value ?? g.nameLatin?.value ?? '?').slice(0, 512),
      nameLatin: g.nameLatin?.value.slice(0, 512) ?? null,
      birthDate: g.birthDate?.value ?? null,
      gender: g.gender?.value ?? null,
      phones: g.phones.slice(0, PHONE_LIMIT).map((p) => ({
        type: /^1\d{10}$/.test(p.value) ? 'mobile' : org ? 'work' : 'other',
        number: p.value,
      })),
      emails: g.emails
        .slice(0, EMAIL_LIMIT)
        .map((e) => ({ type: org ? 'work' : 'personal', address: e.value })),
      addresses: g.addresses
        .slice(0, ADDRESS_LIMIT)
        .map((a) => ({ type: org ? 'registered' : 'home', line: a.value })),
      identifiers: g.identifiers
        .filter((i) => i.value.checksumValid)
        .map((i) => ({ idType: i.value.idType, number: i.value.number })),
      lineage: lineageOf(g),
    };
  }

  /** Caches the features of a record version the caller has extracted. */
  rememberFeatures(ref: string, observedAt: string, f: Features): void {
    this.features.set(`${ref}|${new Date(observedAt).toISOString()}`, f);
  }

  /**
   * Locks many blocking keys at once, waiting, in key order (one statement: the order is the
   * same in every transaction, so two holders of overlapping sets cannot deadlock). A later
   * `resolve()` in the same transaction finds its keys already held.
   */
  async lockAll(manager: EntityManager, hashes: string[]): Promise<void> {
    const sorted = [...new Set(hashes)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    if (this.locking.has(manager)) {
      // keys held from earlier records of this transaction: only try, as lock() does
      await this.lock(manager, sorted);
      return;
    }
    this.locking.add(manager);
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(h))
       FROM (SELECT h FROM unnest($1::bigint[]) WITH ORDINALITY AS x(h, n) ORDER BY n) AS k`,
      [sorted],
    );
  }

  /**
   * Takes the free ones among many blocking keys without waiting (one statement) and returns the
   * keys another transaction holds. A later `resolve()` in the same transaction finds the taken
   * keys held (and only tries for others, as after `lockAll`).
   */
  async tryLockAll(manager: EntityManager, hashes: string[]): Promise<Set<string>> {
    this.locking.add(manager);
    const rows = (await manager.query(
      `SELECT h::text AS h FROM unnest($1::bigint[]) AS h WHERE NOT pg_try_advisory_xact_lock(h)`,
      [[...new Set(hashes)]],
    )) as { h: string }[];
    return new Set(rows.map((r) => r.h));
  }

  /** Features of a stored record (cached by record version). */
  featuresOf(row: StoredRow): Features {
    const key = `${row.source_system}:${row.source_key}|${row.observed_at.toISOString()}`;
    let f = this.features.get(key);
    if (!f) {
      const extracted = extractFeatures(row.record);
      if (typeof extracted === 'string') throw new Error(`stored record ${key} is unusable`);
      f = extracted;
      this.features.set(key, f);
    }
    return f;
  }

  /**
   * Resolved records filed under the given blocking-key hashes (at most `maxBlockSize + 1` per
   * key: a block larger than the limit tells nothing and is skipped by the callers).
   */
  async blockHits(
    manager: EntityManager,
    hashes: readonly string[],
  ): Promise<(Omit<StoredRow, 'record'> & { block: string })[]> {
    return (await manager.query(
      // every join is a LATERAL key lookup that the planner cannot flatten (LIMIT), so the plan
      // cannot turn into a scan of source_record when its statistics lag behind a table growing
      // fast (a bulk load's first minutes, or a database without autovacuum)
      `SELECT k.h::text AS block, s.source_system, s.source_key, s.observed_at, s.customer_id
       FROM unnest($1::bigint[]) AS k(h)
       CROSS JOIN LATERAL (
         SELECT source_system, source_key FROM resolution_block b WHERE b.block_hash = k.h LIMIT $2
       ) b
       CROSS JOIN LATERAL (
         SELECT s.source_system, s.source_key, s.observed_at, s.customer_id FROM source_record s
          WHERE s.source_system = b.source_system AND s.source_key = b.source_key
            AND s.customer_id IS NOT NULL AND s.resolution_status = 'resolved'
          LIMIT 1
       ) s`,
      [hashes, this.matchConfig.maxBlockSize + 1],
    )) as (Omit<StoredRow, 'record'> & { block: string })[];
  }

  /**
   * Features of stored records given by key and version. Only records missing from the feature
   * cache are read (the json of a record is the costly part of a read).
   */
  async featuresOfRefs(
    manager: EntityManager,
    rows: readonly { source_system: string; source_key: string; observed_at: Date }[],
  ): Promise<Features[]> {
    const keyOf = (r: { source_system: string; source_key: string; observed_at: Date }) =>
      `${r.source_system}:${r.source_key}|${r.observed_at.toISOString()}`;
    const missing = rows.filter((r) => !this.features.has(keyOf(r)));
    // a record changed between the two reads is taken as read now (the newer version)
    const read = new Map<string, Features>();
    if (missing.length > 0) {
      const stored = (await manager.query(
        `SELECT s.source_system, s.source_key, s.record, s.observed_at, s.customer_id
         FROM unnest($1::varchar[], $2::varchar[]) AS x(source_system, source_key)
         CROSS JOIN LATERAL (
           SELECT * FROM source_record s
            WHERE s.source_system = x.source_system AND s.source_key = x.source_key
            LIMIT 1
         ) s`,
        [missing.map((r) => r.source_system), missing.map((r) => r.source_key)],
      )) as StoredRow[];
      for (const row of stored)
        read.set(`${row.source_system}:${row.source_key}`, this.featuresOf(row));
    }
    return rows.map((r) => {
      const f = this.features.get(keyOf(r)) ?? read.get(`${r.source_system}:${r.source_key}`);
      if (!f) throw new Error(`stored record ${keyOf(r)} disappeared while it was read`);
      return f;
    });
  }

  /** The resolved records of customers, as features only (see `featuresOfRefs`). */
  async memberFeaturesOf(
    manager: EntityManager,
    customerIds: string[],
  ): Promise<{ ref: string; customerId: string; features: Features }[]> {
    if (customerIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT s.source_system, s.source_key, s.observed_at, s.customer_id
       FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS id) AS c
       CROSS JOIN LATERAL (
         SELECT * FROM source_record s WHERE s.customer_id = c.id AND s.resolution_status = 'resolved'
         OFFSET 0
       ) s
       ORDER BY s.source_system, s.source_key`,
      [customerIds],
    )) as Omit<StoredRow, 'record'>[];
    const features = await this.featuresOfRefs(manager, rows);
    return rows.map((r, i) => ({
      ref: `${r.source_system}:${r.source_key}`,
      customerId: r.customer_id,
      features: features[i],
    }));
  }

  async membersOf(
    manager: EntityManager,
    customerIds: string[],
  ): Promise<{ features: Features; row: StoredRow }[]> {
    if (customerIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT s.source_system, s.source_key, s.record, s.observed_at, s.customer_id
       FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS id) AS c
       CROSS JOIN LATERAL (
         SELECT * FROM source_record s WHERE s.customer_id = c.id AND s.resolution_status = 'resolved'
         OFFSET 0
       ) s
       ORDER BY s.source_system, s.source_key`,
      [customerIds],
    )) as StoredRow[];
    return rows.map((row) => ({ row, features: this.featuresOf(row) }));
  }

  scorePair(a: Features, b: Features): PairScore {
    return this.scorer.score(a, b);
  }

  private async nonMatchesOf(manager: EntityManager, ref: string): Promise<Set<string>> {
    const rows = (await manager.query(
      `SELECT ref_b AS other FROM non_match WHERE ref_a = $1
       UNION ALL SELECT ref_a FROM non_match WHERE ref_b = $1`,
      [ref],
    )) as { other: string }[];
    return new Set(rows.map((x) => x.other));
  }

  /**
   * Locks the keys in a fixed (sorted) order. The first record of a transaction waits for its
   * keys; later records of the same transaction (a consumer chunk) only try, and on contention
   * the chunk is rolled back and retried one message per transaction: a transaction never waits
   * while holding keys, so two replicas cannot deadlock on them.
   */
  private async lock(manager: EntityManager, hashes: string[]): Promise<void> {
    const sorted = [...new Set(hashes)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    if (!this.locking.has(manager)) {
      this.locking.add(manager);
      await manager.query('SELECT pg_advisory_xact_lock(h) FROM unnest($1::bigint[]) AS h', [
        sorted,
      ]);
      return;
    }
    const [row] = (await manager.query(
      'SELECT bool_and(pg_try_advisory_xact_lock(h)) AS ok FROM unnest($1::bigint[]) AS h',
      [sorted],
    )) as { ok: boolean }[];
    if (!row.ok) throw new BlockingKeyContention();
  }

  private async openReviewItem(
    manager: EntityManager,
    kind: 'possible-match' | 'record-changed',
    ref: string,
    recordCustomerId: string,
    expl: CandidateExplanation,
    meta: ResolveMeta,
  ): Promise<string | null> {
    const [id] = await this.openReviewItems(manager, [{ kind, ref, recordCustomerId, expl, meta }]);
    return id;
  }

  /**
   * Opens review items with one insert (a pair with an open item already gets none: null in its
   * place) and publishes review-item.opened for each new one.
   */
  async openReviewItems(
    manager: EntityManager,
    items: readonly {
      kind: 'possible-match' | 'record-changed';
      ref: string;
      recordCustomerId: string;
      expl: CandidateExplanation;
      meta: Pick<ResolveMeta, 'correlationId' | 'eventId'>;
    }[],
  ): Promise<(string | null)[]> {
    if (items.length === 0) return [];
    const split = (ref: string) => {
      const [system, ...rest] = ref.split(':');
      return { system, key: rest.join(':') };
    };
    const rows = items.map((item) => ({
      item,
      id: randomUUID(),
      record: split(item.ref),
      candidate: split(item.expl.candidate),
      pairKey: [item.ref, item.expl.candidate].sort().join('|'),
    }));
    const opened = (await manager.query(
      `INSERT INTO review_item (id, kind, record_system, record_key, candidate_system, candidate_key,
         pair_key, score, explanation, blocked_by)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                            $6::varchar[], $7::varchar[], $8::float8[], $9::jsonb[], $10::varchar[])
       ON CONFLICT (pair_key) WHERE status = 'open' DO NOTHING
       RETURNING id, opened_at`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.item.kind),
        rows.map((r) => r.record.system),
        rows.map((r) => r.record.key),
        rows.map((r) => r.candidate.system),
        rows.map((r) => r.candidate.key),
        rows.map((r) => r.pairKey),
        rows.map((r) => r.item.expl.score.total),
        rows.map((r) => JSON.stringify(r.item.expl.score)),
        rows.map((r) => r.item.expl.blockedBy?.slice(0, 200) ?? null),
      ],
    )) as { id: string; opened_at: Date }[];
    const openedAt = new Map(opened.map((o) => [o.id, o.opened_at]));
    const events: OutboxAppend[] = [];
    for (const r of rows) {
      const at = openedAt.get(r.id);
      if (!at) continue;
      const { kind, recordCustomerId, expl, meta } = r.item;
      events.push({
        definition: ReviewItemOpenedV1,
        input: {
          subject: r.id,
          correlationId: meta.correlationId,
          causationId: meta.eventId,
          payload: {
            reviewItemId: r.id,
            kind,
            record: { sourceSystem: r.record.system, sourceKey: r.record.key },
            recordCustomerId,
            candidate: { sourceSystem: r.candidate.system, sourceKey: r.candidate.key },
            candidateCustomerId: expl.customerId,
            score: expl.score,
            ...(expl.blockedBy ? { blockedBy: expl.blockedBy.slice(0, 200) } : {}),
            openedAt: at.toISOString(),
          },
        },
      });
    }
    await this.events.publishMany(manager, events);
    return rows.map((r) => (openedAt.has(r.id) ? r.id : null));
  }

  /** Open review items whose two records now share a customer are moot. */
  async supersedeReviewItems(
    manager: EntityManager,
    customerId: string,
    meta: Pick<ResolveMeta, 'correlationId' | 'eventId'>,
  ): Promise<void> {
    const rows = await updateReturning<{ id: string; decided_at: Date }>(
      manager,
      `UPDATE review_item ri SET status = 'superseded', decided_at = now()
       FROM source_record a, source_record b
       WHERE ri.status = 'open'
         AND a.source_system = ri.record_system AND a.source_key = ri.record_key
         AND b.source_system = ri.candidate_system AND b.source_key = ri.candidate_key
         AND a.customer_id = $1 AND b.customer_id = $1
       RETURNING ri.id, ri.decided_at`,
      [customerId],
    );
    for (const row of rows) {
      await this.events.publish(manager, ReviewItemDecidedV1, {
        subject: row.id,
        correlationId: meta.correlationId,
        causationId: meta.eventId,
        payload: {
          reviewItemId: row.id,
          decision: 'superseded',
          survivorId: customerId,
          decidedAt: row.decided_at.toISOString(),
        },
      });
    }
  }
}
