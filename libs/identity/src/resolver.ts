import { blockingKeys } from './blocking';
import { DEFAULT_CONFIG, type MatchConfig } from './config';
import { uuidV5 } from './customer-id';
import { extractFeatures, recordRef, type Features, type PartyRecord } from './features';
import { checkedIdsOf, decide, type CandidateExplanation } from './decision';
import { Scorer, type PairScore } from './scoring';

export type Outcome = 'linked' | 'new' | 'review' | 'merged' | 'rejected';

export interface Decision {
  ref: string;
  customerId: string | null;
  outcome: Outcome;
  reason?: string;
  /** The best pair behind the link (or the best candidate when none was linked). */
  explanation: CandidateExplanation | null;
  /** Customers absorbed into customerId by this record (outcome 'merged'). */
  mergedCustomerIds: string[];
  /** Customers that were close enough to need a human look (review band or blocked links). */
  reviewCandidates: CandidateExplanation[];
  flags: string[];
}

interface Cluster {
  customerId: string;
  founderRef: string;
  /** Smallest member ref: the offline resolver names the final customer after it. */
  minRef: string;
  size: number;
  /** Checksum-valid identifiers by kind; two different ones never share a cluster. */
  checkedIds: Map<string, string>;
}

export interface ResolverStats {
  records: number;
  rejected: number;
  linked: number;
  created: number;
  merges: number;
  reviewItems: number;
  customers: number;
}

/**
 * Incremental in-memory identity resolver. Each `add` compares the record with the records that
 * share a blocking key, scores every pair (Fellegi-Sunter), and links / merges only through pairs
 * in the auto-link band whose clusters hold no conflicting checksum-valid identifiers and no
 * strongly negative pair. The streaming service mirrors the same decisions.
 */
export class IdentityResolver {
  readonly scorer: Scorer;
  private readonly features: Features[] = [];
  private readonly parent: number[] = [];
  private readonly clusters = new Map<number, Cluster>();
  private readonly blocks = new Map<string, number[]>();
  private readonly byRef = new Map<string, number>();
  private readonly rejectedRefs: {
    ref: string;
    sourceSystem: string;
    sourceKey: string;
    reason: string;
  }[] = [];
  /** Input order: a feature index, or -(rejected index + 1). */
  private readonly order: number[] = [];
  readonly stats: ResolverStats = {
    records: 0,
    rejected: 0,
    linked: 0,
    created: 0,
    merges: 0,
    reviewItems: 0,
    customers: 0,
  };

  constructor(readonly config: MatchConfig = DEFAULT_CONFIG) {
    this.scorer = new Scorer(config);
  }

  private find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[i] !== r) {
      const next = this.parent[i];
      this.parent[i] = r;
      i = next;
    }
    return r;
  }

  private cluster(root: number): Cluster {
    const c = this.clusters.get(root);
    if (!c) throw new Error(`no cluster at ${root}`);
    return c;
  }

  /** Resolves one record. */
  add(record: PartyRecord): Decision {
    this.stats.records++;
    const known =
      record.sourceSystem && record.sourceKey ? this.byRef.get(recordRef(record)) : undefined;
    if (known !== undefined) {
      this.stats.linked++;
      this.order.push(known);
      const c = this.cluster(this.find(known));
      return {
        ref: recordRef(record),
        customerId: c.customerId,
        outcome: 'linked',
        reason: 'known source record',
        explanation: null,
        mergedCustomerIds: [],
        reviewCandidates: [],
        flags: [],
      };
    }
    const f = extractFeatures(record);
    if (typeof f === 'string') {
      this.stats.rejected++;
      const ref = `${record.sourceSystem ?? ''}:${record.sourceKey ?? ''}`;
      this.order.push(-(this.rejectedRefs.length + 1));
      this.rejectedRefs.push({
        ref,
        sourceSystem: String(record.sourceSystem ?? ''),
        sourceKey: String(record.sourceKey ?? ''),
        reason: f,
      });
      return {
        ref,
        customerId: null,
        outcome: 'rejected',
        reason: f,
        explanation: null,
        mergedCustomerIds: [],
        reviewCandidates: [],
        flags: [],
      };
    }
    return this.resolve(f);
  }

  private resolve(f: Features): Decision {
    const keys = blockingKeys(f);
    const max = this.config.maxBlockSize;
    const candidates = new Set<number>();
    for (const k of keys) {
      const list = this.blocks.get(k);
      if (list && list.length <= max) for (const i of list) candidates.add(i);
    }
    const mine = checkedIdsOf(f);
    const {
      chosen,
      review,
      best: bestExplanation,
    } = decide(
      f,
      [...candidates].map((i) => ({ features: this.features[i], cluster: this.find(i) })),
      (root) => this.cluster(root),
      this.scorer,
      this.config,
    );

    const idx = this.features.length;
    this.features.push(f);
    this.parent.push(idx);
    this.byRef.set(f.ref, idx);
    this.order.push(idx);
    for (const k of keys) {
      const list = this.blocks.get(k);
      if (!list) this.blocks.set(k, [idx]);
      else if (list.length <= max) list.push(idx);
    }
    this.stats.reviewItems += review.length;

    if (chosen.length === 0) {
      const customerId = uuidV5(f.ref);
      this.clusters.set(idx, {
        customerId,
        founderRef: f.ref,
        minRef: f.ref,
        size: 1,
        checkedIds: mine,
      });
      this.stats.created++;
      this.stats.customers++;
      return {
        ref: f.ref,
        customerId,
        outcome: review.length > 0 ? 'review' : 'new',
        explanation: bestExplanation,
        mergedCustomerIds: [],
        reviewCandidates: review,
        flags: f.flags,
      };
    }

    // merge all chosen clusters and the record; the survivor is the cluster founded by the smallest ref
    const survivorRoot = chosen.reduce((a, b) =>
      this.cluster(a).founderRef <= this.cluster(b).founderRef ? a : b,
    );
    const survivor = this.cluster(survivorRoot);
    const merged: string[] = [];
    for (const root of chosen) {
      if (root === survivorRoot) continue;
      const c = this.cluster(root);
      merged.push(c.customerId);
      this.parent[root] = survivorRoot;
      survivor.size += c.size;
      if (c.minRef < survivor.minRef) survivor.minRef = c.minRef;
      for (const [k, v] of c.checkedIds) survivor.checkedIds.set(k, v);
      this.clusters.delete(root);
      this.stats.customers--;
      this.stats.merges++;
    }
    this.parent[idx] = survivorRoot;
    survivor.size++;
    if (f.ref < survivor.minRef) survivor.minRef = f.ref;
    for (const [k, v] of mine) survivor.checkedIds.set(k, v);
    this.stats.linked++;
    return {
      ref: f.ref,
      customerId: survivor.customerId,
      outcome: merged.length > 0 ? 'merged' : 'linked',
      explanation: bestExplanation,
      mergedCustomerIds: merged,
      reviewCandidates: review,
      flags: f.flags,
    };
  }

  /**
   * Final assignments in input order. Offline customer ids are derived from the smallest
   * `sourceSystem:sourceKey` in each cluster, so they do not depend on which record came first.
   */
  *assignments(): Generator<{
    sourceSystem: string;
    sourceKey: string;
    customerId: string | null;
    reason?: string;
  }> {
    const finalIds = new Map<number, string>();
    for (const i of this.order) {
      if (i < 0) {
        const r = this.rejectedRefs[-i - 1];
        yield {
          sourceSystem: r.sourceSystem,
          sourceKey: r.sourceKey,
          customerId: null,
          reason: r.reason,
        };
        continue;
      }
      const root = this.find(i);
      let id = finalIds.get(root);
      if (id === undefined) {
        id = uuidV5(this.cluster(root).minRef);
        finalIds.set(root, id);
      }
      yield {
        sourceSystem: this.features[i].sourceSystem,
        sourceKey: this.features[i].sourceKey,
        customerId: id,
      };
    }
  }

  /** The resolved record's current customer id (incremental id: stable from its founder). */
  customerOf(ref: string): string | null {
    const i = this.byRef.get(ref);
    return i === undefined ? null : this.cluster(this.find(i)).customerId;
  }

  /** Compares two records directly (for explanations and tests). */
  explainPair(a: PartyRecord, b: PartyRecord): PairScore | string {
    const fa = extractFeatures(a);
    const fb = extractFeatures(b);
    if (typeof fa === 'string') return fa;
    if (typeof fb === 'string') return fb;
    return this.scorer.score(fa, fb);
  }
}

/** Batch API: resolves records in the given order and returns the assignments and stats. */
export function resolveBatch(records: Iterable<PartyRecord>, config: MatchConfig = DEFAULT_CONFIG) {
  const resolver = new IdentityResolver(config);
  for (const r of records) resolver.add(r);
  return { assignments: [...resolver.assignments()], stats: { ...resolver.stats } };
}
