import { BlockIndex } from './block-index';
import { blockingKeys } from './blocking';
import { DEFAULT_CONFIG, type MatchConfig } from './config';
import { uuidV5 } from './customer-id';
import { extractFeatures, recordRef, type Features, type PartyRecord } from './features';
import { NameFrequencies } from './name-frequency';
import { checkedIdsOf, decide, type Candidate, type CandidateExplanation } from './decision';
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

const NO_IDS: ReadonlyMap<string, string> = new Map();
/** Up to this many candidates, duplicates are found by scanning them. */
const SCAN = 32;

class Cluster {
  private id: string | null = null;
  private ids: Map<string, string> | null = null;

  constructor(
    readonly founderRef: string,
    /** Smallest member ref: the offline resolver names the final customer after it. */
    public minRef: string,
    public size: number,
    /**
     * The founding record until its identifiers are first needed: most clusters are never read
     * for them, and a million small maps made up front would stay on the heap.
     */
    private founder: Features | null = null,
  ) {}

  /** Checksum-valid identifiers by kind; two different ones never share a cluster. */
  get checkedIds(): ReadonlyMap<string, string> {
    return this.ownIds() ?? NO_IDS;
  }

  /** The identifiers, the founder's taken in first. */
  private ownIds(): Map<string, string> | null {
    if (this.founder !== null) {
      const mine = checkedIdsOf(this.founder);
      this.founder = null;
      if (mine.size > 0) this.ids = mine;
    }
    return this.ids;
  }

  addIds(ids: ReadonlyMap<string, string>): void {
    if (ids.size === 0) return;
    this.ids = this.ownIds() ?? new Map();
    for (const [k, v] of ids) this.ids.set(k, v);
  }

  /** Derived from the founding record (a SHA-1 name-based UUID) when first asked for. */
  get customerId(): string {
    return (this.id ??= uuidV5(this.founderRef));
  }
}

/**
 * The decision for a resolved record; its customer id (a SHA-1 name-based UUID) is worked out
 * when first read: most callers of the offline resolver never read it. Serialises to the plain
 * `Decision` shape.
 */
class ResolvedRecord implements Decision {
  readonly #cluster: Cluster;

  constructor(
    readonly ref: string,
    cluster: Cluster,
    readonly outcome: Outcome,
    readonly explanation: CandidateExplanation | null,
    readonly mergedCustomerIds: string[],
    readonly reviewCandidates: CandidateExplanation[],
    readonly flags: string[],
  ) {
    this.#cluster = cluster;
  }

  get customerId(): string {
    return this.#cluster.customerId;
  }

  toJSON(): Decision {
    return {
      ref: this.ref,
      customerId: this.customerId,
      outcome: this.outcome,
      explanation: this.explanation,
      mergedCustomerIds: this.mergedCustomerIds,
      reviewCandidates: this.reviewCandidates,
      flags: this.flags,
    };
  }
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
  /** Union-find parent of each record (a typed array: dense, and read at random). */
  private parent = new Int32Array(1 << 16);
  /** Cluster by root record index (undefined: not a root). */
  private readonly clusters: (Cluster | undefined)[] = [];
  private readonly blocks = new BlockIndex();
  /** Per record: the last record whose candidates included it (dedups many candidates). */
  private seenBy = new Int32Array(1 << 16).fill(-1);
  /** The first candidates of the record being resolved (dedups few candidates). */
  private readonly seen = new Int32Array(SCAN + 1);
  private readonly candidateBuffer: Candidate<number>[] = [];
  private readonly candidatePool: Candidate<number>[] = [];
  /** The block of each blocking key of the record being resolved (-1: a new key). */
  private readonly keyBlocks: number[] = [];
  /** Record index by `sourceSystem:sourceKey`, hashed (a million refs as map keys cost more). */
  private readonly byRef = new BlockIndex();
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
    this.scorer.names = new NameFrequencies();
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

  /** The index of a resolved record, by ref. */
  private indexOf(ref: string): number | undefined {
    const block = this.byRef.find(ref);
    if (block < 0) return undefined;
    for (let p = this.byRef.firstPosting(block); p >= 0; p = this.byRef.nextPosting(p)) {
      const i = this.byRef.recordAt(p);
      if (this.features[i].ref === ref) return i;
    }
    return undefined;
  }

  private cluster(root: number): Cluster {
    const c = this.clusters[root];
    if (!c) throw new Error(`no cluster at ${root}`);
    return c;
  }

  /** Resolves one record. */
  add(record: PartyRecord): Decision {
    this.stats.records++;
    const known =
      record.sourceSystem && record.sourceKey ? this.indexOf(recordRef(record)) : undefined;
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

  /** The records sharing a usable blocking key with the record about to get index `idx`. */
  private candidatesOf(keys: string[], idx: number): Candidate<number>[] {
    const max = this.config.maxBlockSize;
    // candidate objects are reused from record to record: decide() keeps none of them
    const out = this.candidateBuffer;
    out.length = 0;
    let n = 0;
    if (this.seenBy.length <= idx) {
      const grown = new Int32Array(this.seenBy.length * 2).fill(-1);
      grown.set(this.seenBy);
      this.seenBy = grown;
    }
    const seen = this.seen;
    this.keyBlocks.length = 0;
    for (const k of keys) {
      const block = this.blocks.find(k);
      this.keyBlocks.push(block);
      if (block < 0 || this.blocks.sizeOf(block) > max) continue;
      for (let p = this.blocks.firstPosting(block); p >= 0; p = this.blocks.nextPosting(p)) {
        const i = this.blocks.recordAt(p);
        // few candidates: a scan of those taken beats a random read into a per-record array
        if (n <= SCAN) {
          let dup = false;
          for (let j = 0; j < n; j++)
            if (seen[j] === i) {
              dup = true;
              break;
            }
          if (dup) continue;
          seen[n] = i;
          if (n === SCAN) for (let j = 0; j <= SCAN; j++) this.seenBy[seen[j]] = idx;
        } else {
          if (this.seenBy[i] === idx) continue;
          this.seenBy[i] = idx;
        }
        if (n === this.candidatePool.length)
          this.candidatePool.push({ features: this.features[i], cluster: 0 });
        const c = this.candidatePool[n++];
        c.features = this.features[i];
        c.cluster = this.find(i);
        out.push(c);
      }
    }
    return out;
  }

  private resolve(f: Features): Decision {
    const keys = blockingKeys(f);
    const max = this.config.maxBlockSize;
    const idx = this.features.length;
    const names = this.scorer.names;
    if (f.person && names) {
      names.observe(f.person);
      names.recordsPerPerson = this.stats.customers > 0 ? idx / this.stats.customers : 1;
    }
    const {
      chosen,
      review,
      best: bestExplanation,
    } = decide(
      f,
      this.candidatesOf(keys, idx),
      (root) => this.cluster(root),
      this.scorer,
      this.config,
    );

    this.features.push(f);
    if (idx >= this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[idx] = idx;
    this.byRef.add(f.ref, idx, Number.MAX_SAFE_INTEGER);
    this.order.push(idx);
    for (let j = 0; j < keys.length; j++) {
      const block = this.keyBlocks[j];
      if (block >= 0) this.blocks.addTo(block, idx, max);
      else this.blocks.add(keys[j], idx, max);
    }
    this.stats.reviewItems += review.length;

    if (chosen.length === 0) {
      const cluster = new Cluster(f.ref, f.ref, 1, f);
      this.clusters[idx] = cluster;
      this.stats.created++;
      this.stats.customers++;
      return new ResolvedRecord(
        f.ref,
        cluster,
        review.length > 0 ? 'review' : 'new',
        bestExplanation,
        [],
        review,
        f.flags,
      );
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
      survivor.addIds(c.checkedIds);
      this.clusters[root] = undefined;
      this.stats.customers--;
      this.stats.merges++;
    }
    this.parent[idx] = survivorRoot;
    survivor.size++;
    if (f.ref < survivor.minRef) survivor.minRef = f.ref;
    survivor.addIds(checkedIdsOf(f));
    this.stats.linked++;
    return new ResolvedRecord(
      f.ref,
      survivor,
      merged.length > 0 ? 'merged' : 'linked',
      bestExplanation,
      merged,
      review,
      f.flags,
    );
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
    // root -> position in `ids` + 1 (0: not named yet); a typed array, as a million-entry map
    // of numbers costs a hash probe and a cache miss per record
    let idAt = new Int32Array(this.features.length);
    const ids: string[] = [];
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
      if (root >= idAt.length) {
        // records added while iterating
        const grown = new Int32Array(this.features.length);
        grown.set(idAt);
        idAt = grown;
      }
      let id: string;
      if (idAt[root] > 0) id = ids[idAt[root] - 1];
      else {
        id = uuidV5(this.cluster(root).minRef);
        ids.push(id);
        idAt[root] = ids.length;
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
    const i = this.indexOf(ref);
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
