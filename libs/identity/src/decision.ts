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
 * The resolution rule shared by the offline resolver and the streaming service, so both make the
 * same decision from the same candidates: score the record against every candidate of its party
 * type (Fellegi-Sunter), keep the best and the worst pair per candidate customer, and link only
 * through auto-link band pairs whose customer holds no conflicting checksum-valid identifier and
 * no strongly negative pair (below `vetoBelow`). A pair a data steward declared "not the same"
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
  const perCluster = new Map<
    K,
    { best: PairScore; bestRef: string; worst: number; nonMatch: boolean }
  >();
  for (const { features: other, cluster } of candidates) {
    if (other.party !== f.party || other.ref === f.ref) continue;
    const s = scorer.score(f, other);
    const nonMatch = isNonMatch?.(f.ref, other.ref) ?? false;
    const cur = perCluster.get(cluster);
    if (!cur) perCluster.set(cluster, { best: s, bestRef: other.ref, worst: s.total, nonMatch });
    else {
      if (s.total > cur.best.total || (s.total === cur.best.total && other.ref < cur.bestRef)) {
        cur.best = s;
        cur.bestRef = other.ref;
      }
      cur.worst = Math.min(cur.worst, s.total);
      cur.nonMatch ||= nonMatch;
    }
  }
  const ranked = [...perCluster.entries()].sort(
    (a, b) => b[1].best.total - a[1].best.total || (a[1].bestRef < b[1].bestRef ? -1 : 1),
  );
  const chosen: K[] = [];
  const review: CandidateExplanation[] = [];
  const accumulated = checkedIdsOf(f);
  let best: CandidateExplanation | null = null;
  for (const [cluster, { best: top, bestRef, worst, nonMatch }] of ranked) {
    const c = info(cluster);
    const expl: CandidateExplanation = { candidate: bestRef, customerId: c.customerId, score: top };
    best ??= expl;
    if (nonMatch || top.band === 'noLink') continue;
    if (top.band === 'review') {
      review.push(expl);
      continue;
    }
    const blockedBy =
      idConflict(accumulated, c.checkedIds) ??
      (worst < config.vetoBelow
        ? `a pair in the customer scores ${worst.toFixed(2)} < veto ${config.vetoBelow}`
        : null);
    if (blockedBy) {
      review.push({ ...expl, blockedBy });
      continue;
    }
    chosen.push(cluster);
    for (const [k, v] of c.checkedIds) accumulated.set(k, v);
    if (chosen.length === 1) best = expl;
  }
  return { chosen, review, best };
}
