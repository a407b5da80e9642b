import { compareDates } from './compare';
import type { MatchConfig } from './config';
import type { Features } from './features';
import type { PairScore, Scorer } from './scoring';

export interface CandidateExplanation {
  /** The record of the customer that was compared (`sourceSystem:sourceKey`). */
  candidate: string;
  customerId: string;
  score: PairScore;
  /** Why an auto-link band pair was not linked (cluster conflict, veto). */
  blockedBy?: string;
}

/** A record already resolved: its features and the customer (cluster) it belongs to now. */
export interface Candidate<K> {
  features: Features;
  cluster: K;
}

/** What the engine knows about a candidate customer. */
export interface ClusterInfo {
  customerId: string;
  /** Checksum-valid identifiers by kind held by the customer's records. */
  checkedIds: ReadonlyMap<string, string>;
}

export interface ClusterDecision<K> {
  /** Clusters to link the record into, best first (more than one: the record merges them). */
  chosen: K[];
  /** Close customers that need a human look (review band, or auto-link band but blocked). */
  review: CandidateExplanation[];
  /** The pair behind the link, or the best candidate when nothing was linked. */
  best: CandidateExplanation | null;
}

/** Checksum-valid identifiers of one record, by kind: two different ones never share a customer. */
export function checkedIdsOf(f: Features): Map<string, string> {
  const m = new Map<string, string>();
  if (f.id && f.idChecksumValid && f.idKind) m.set(f.idKind, f.id);
  if (f.orgCode && f.orgCodeChecksumValid) m.set('ORG_CODE', f.orgCode);
  return m;
}

export function idConflict(
  a: ReadonlyMap<string, string>,
  b: ReadonlyMap<string, string>,
): string | null {
  for (const [kind, v] of a) {
    const w = b.get(kind);
    if (w !== undefined && w !== v) return `different valid ${kind}`;
  }
  return null;
}

/**
 * A candidate explanation whose customer id and per-field score are worked out when first read
 * (the in-memory resolver reads neither for most records, and an id is a SHA-1). Serialises to
 * the plain `CandidateExplanation` shape.
 */
class Explanation implements CandidateExplanation {
  declare readonly blockedBy?: string;
  readonly #cluster: ClusterInfo;
  #score: PairScore | (() => PairScore);

  constructor(
    readonly candidate: string,
    cluster: ClusterInfo,
    score: () => PairScore,
    blockedBy?: string,
  ) {
    this.#cluster = cluster;
    this.#score = score;
    if (blockedBy !== undefined) (this as { blockedBy?: string }).blockedBy = blockedBy;
  }

  get customerId(): string {
    return this.#cluster.customerId;
  }

  get score(): PairScore {
    if (typeof this.#score === 'function') this.#score = this.#score();
    return this.#score;
  }

  toJSON(): CandidateExplanation {
    const { candidate, customerId, score, blockedBy } = this;
    return blockedBy === undefined
      ? { candidate, customerId, score }
      : { candidate, customerId, score, blockedBy };
  }
}

/** What a record's candidates tell about one candidate customer. */
interface PerCluster<K> {
  cluster: K;
  /** The best pair's total, its record and features. */
  total: number;
  bestRef: string;
  bestFeatures: Features;
  worst: number;
  nonMatch: boolean;
  /** Birth dates of the customer's compared records (people); `NO_DATES` until the first. */
  dates: string[];
}

/** The dates of a customer without any, shared: most candidate customers never get a list. */
const NO_DATES: string[] = Object.freeze([]) as unknown as string[];

/** Ranking of candidate customers: higher best total first, then the smaller best ref. */
const ahead = <K>(a: PerCluster<K>, b: PerCluster<K>): boolean =>
  a.total > b.total || (a.total === b.total && a.bestRef < b.bestRef);

function datesConflict(linked: readonly string[], dates: readonly string[]): string | null {
  for (const a of linked)
    for (const b of dates)
      if (compareDates(a, b, true) === 'different') return `birth dates ${a} and ${b} differ`;
  return null;
}

/**
 * The resolution rule shared by the offline resolver and the streaming service, so both make the
 * same decision from the same candidates: score the record against every candidate of its party
 * type (Fellegi-Sunter), keep the best and the worst pair per candidate customer, and link only
 * through auto-link band pairs whose customer holds no conflicting checksum-valid identifier, no
 * strongly negative pair (below `vetoBelow`) and, for people, no birth date that contradicts the
 * record's or those of the other customers it links. A pair a data steward declared "not the same"
 * (`isNonMatch`) keeps its whole customer apart and is not queued for review again.
 */
export function decide<K>(
  f: Features,
  candidates: Iterable<Candidate<K>>,
  info: (cluster: K) => ClusterInfo,
  scorer: Scorer,
  config: MatchConfig,
  isNonMatch?: (a: string, b: string) => boolean,
): ClusterDecision<K> {
  const perCluster = new Map<K, PerCluster<K>>();
  const person = f.party === 'individual';
  for (const { features: other, cluster } of candidates) {
    if (other.party !== f.party || other.ref === f.ref) continue;
    // totals only here: the explanation is built for the customers that end up in the decision
    const total = scorer.total(f, other);
    const nonMatch = isNonMatch?.(f.ref, other.ref) ?? false;
    const cur = perCluster.get(cluster);
    if (!cur)
      perCluster.set(cluster, {
        cluster,
        total,
        bestRef: other.ref,
        bestFeatures: other,
        worst: total,
        nonMatch,
        dates: person && other.birthDate ? [other.birthDate] : NO_DATES,
      });
    else {
      if (total > cur.total || (total === cur.total && other.ref < cur.bestRef)) {
        cur.total = total;
        cur.bestRef = other.ref;
        cur.bestFeatures = other;
      }
      if (total < cur.worst) cur.worst = total;
      cur.nonMatch ||= nonMatch;
      if (person && other.birthDate && !cur.dates.includes(other.birthDate)) {
        if (cur.dates === NO_DATES) cur.dates = [other.birthDate];
        else cur.dates.push(other.birthDate);
      }
    }
  }
  // best first; only the best and the customers in the review or auto-link band matter
  let top: PerCluster<K> | null = null;
  const ranked: PerCluster<K>[] = [];
  for (const e of perCluster.values()) {
    if (!top || ahead(e, top)) top = e;
    if (scorer.band(e.total) !== 'noLink') ranked.push(e);
  }
  if (!top) return { chosen: [], review: [], best: null };
  if (ranked.length > 1) ranked.sort((a, b) => (ahead(a, b) ? -1 : 1));
  else if (ranked.length === 0) ranked.push(top);
  const chosen: K[] = [];
  const review: CandidateExplanation[] = [];
  // made when a customer first reaches the auto-link band (most records link none)
  let accumulated: Map<string, string> | null = null;
  // birth dates of the record and of the customers it links: a customer holding a birth date
  // that contradicts them is another person (a namesake in the household, a parent and child)
  let datesLinked: string[] | null = null;
  let best: CandidateExplanation | null = null;
  for (const { cluster, total, bestRef, bestFeatures, worst, nonMatch, dates } of ranked) {
    const band = scorer.band(total);
    if (best && (nonMatch || band === 'noLink')) continue;
    const c = info(cluster);
    const expl = new Explanation(bestRef, c, () => scorer.score(f, bestFeatures));
    best ??= expl;
    if (nonMatch || band === 'noLink') continue;
    if (band === 'review') {
      review.push(expl);
      continue;
    }
    accumulated ??= checkedIdsOf(f);
    datesLinked ??= f.birthDate && f.party === 'individual' ? [f.birthDate] : [];
    const blockedBy =
      idConflict(accumulated, c.checkedIds) ??
      (worst < config.vetoBelow
        ? `a pair in the customer scores ${worst.toFixed(2)} < veto ${config.vetoBelow}`
        : null) ??
      (f.party === 'individual' ? datesConflict(datesLinked, dates) : null);
    if (blockedBy) {
      review.push(new Explanation(bestRef, c, () => expl.score, blockedBy));
      continue;
    }
    chosen.push(cluster);
    for (const [k, v] of c.checkedIds) accumulated.set(k, v);
    for (const d of dates) if (!datesLinked.includes(d)) datesLinked.push(d);
    if (chosen.length === 1) best = expl;
  }
  return { chosen, review, best };
}
