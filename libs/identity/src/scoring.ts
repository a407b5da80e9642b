import { compareLevels, fieldsOf, type FieldComparison } from './compare';
import type { FieldParams, MatchConfig } from './config';
import type { Features } from './features';
import { SHARED_NAME_BEARERS, type NameFrequencies } from './name-frequency';
import type { PersonName } from './normalize/name';

export type Band = 'autoLink' | 'review' | 'noLink';

export interface FieldExplanation {
  field: string;
  /** Comparison level, or null when either record lacks the value (weight 0). */
  level: string | null;
  /** log2(m / u) of the level. */
  weight: number;
}

/** An explainable pair decision: per-field outcome and weight, the total and its band. */
export interface PairScore {
  total: number;
  band: Band;
  fields: FieldExplanation[];
}

type WeightTable = Map<string, Map<string, number>>;
/** Weights by level for each field, in the field order of `compareLevels`. */
type FieldWeights = Map<string, number>[];
/** Index of the name field in `fieldsOf(party)`. */
const NAME = 1;

function buildTable(params: Record<string, FieldParams>): WeightTable {
  const t: WeightTable = new Map();
  for (const [field, levels] of Object.entries(params)) {
    const m = new Map<string, number>();
    for (const [level, p] of Object.entries(levels))
      m.set(level, Math.round(Math.log2(p.m / p.u) * 100) / 100);
    t.set(field, m);
  }
  return t;
}

/** Fellegi-Sunter scorer: sums per-field log2(m/u) weights and bands the total. */
export class Scorer {
  private readonly tables: Record<'individual' | 'organization', WeightTable>;
  private readonly ordered: Record<'individual' | 'organization', FieldWeights>;
  private readonly levels: (string | null)[] = [];
  /**
   * Name frequencies for the term-frequency adjustment of the name weight (individuals), or null
   * for the configured weights alone. The in-memory resolver counts the names it has seen.
   */
  names: NameFrequencies | null = null;

  constructor(readonly config: MatchConfig) {
    this.tables = {
      individual: buildTable(config.individual),
      organization: buildTable(config.organization),
    };
    const order = (party: 'individual' | 'organization'): FieldWeights =>
      fieldsOf(party).map((field) => this.tables[party].get(field) ?? new Map<string, number>());
    this.ordered = { individual: order('individual'), organization: order('organization') };
  }

  /**
   * The total of `score(a, b)` without its explanation: the same weights summed in the same order
   * and rounded the same way, so it decides exactly as `score` does, without allocating.
   */
  total(a: Features, b: Features): number {
    const weights = this.ordered[a.party];
    const levels = this.levels;
    compareLevels(a, b, levels, this.names);
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += this.weightOf(a, b, weights, levels, i);
    return Math.round(total * 100) / 100;
  }

  private weightOf(
    a: Features,
    b: Features,
    weights: FieldWeights,
    levels: (string | null)[],
    i: number,
  ): number {
    const level = levels[i];
    if (level === null) return 0;
    const w = weights[i].get(level) ?? 0;
    if (i !== NAME || this.names === null || !a.person || !b.person || a.party !== 'individual')
      return w;
    const adjust = this.nameAdjustment(level, a.person, b.person, this.names);
    return adjust === 0 ? w : Math.round((w - adjust) * 100) / 100;
  }

  /**
   * log2 of how many times more people bear the pair's name than `SHARED_NAME_BEARERS` (at most
   * 8 bits): the weight of a name agreement falls by as much. Levels other than the same Han
   * characters count the commonest spelling or sound of the two (a typo of a common name is a
   * common name).
   */
  private nameAdjustment(
    level: string,
    a: PersonName,
    b: PersonName,
    names: NameFrequencies,
  ): number {
    if (level === 'different') return 0;
    const bearers =
      level === 'exact' && a.han
        ? names.name(a)
        : Math.max(names.name(a), names.name(b), names.sound(a), names.sound(b));
    return bearers <= SHARED_NAME_BEARERS
      ? 0
      : Math.min(Math.log2(bearers / SHARED_NAME_BEARERS), 8);
  }

  weigh(party: 'individual' | 'organization', comparisons: FieldComparison[]): PairScore {
    const table = this.tables[party];
    let total = 0;
    const fields: FieldExplanation[] = [];
    for (const c of comparisons) {
      const weight = c.level === null ? 0 : (table.get(c.field)?.get(c.level) ?? 0);
      total += weight;
      fields.push({ field: c.field, level: c.level, weight });
    }
    total = Math.round(total * 100) / 100;
    return { total, band: this.band(total), fields };
  }

  band(total: number): Band {
    const { autoLink, review } = this.config.thresholds;
    return total >= autoLink ? 'autoLink' : total >= review ? 'review' : 'noLink';
  }

  /** The explained score of a pair: per-field level and weight, total and band. */
  score(a: Features, b: Features): PairScore {
    const weights = this.ordered[a.party];
    const names = fieldsOf(a.party);
    const levels: (string | null)[] = [];
    compareLevels(a, b, levels, this.names);
    let total = 0;
    const fields: FieldExplanation[] = [];
    for (let i = 0; i < weights.length; i++) {
      const weight = this.weightOf(a, b, weights, levels, i);
      total += weight;
      fields.push({ field: names[i], level: levels[i], weight });
    }
    total = Math.round(total * 100) / 100;
    return { total, band: this.band(total), fields };
  }
}

/** Renders an explanation as one line: `id=exactChecked(+23.02) name=phonetic(+8.06) ... = 44.1 autoLink`. */
export function formatExplanation(s: PairScore): string {
  const parts = s.fields
    .filter((f) => f.level !== null)
    .map((f) => `${f.field}=${f.level}(${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(2)})`);
  return `${parts.join(' ')} = ${s.total.toFixed(2)} ${s.band}`;
}

/* ------------------------------------------------------------------------------------------ */
/* Unsupervised estimation: u from random pairs, m (and the match rate) by EM on candidate pairs */
/* ------------------------------------------------------------------------------------------ */

const FLOOR = 1e-7;

function patternCounts(
  vectors: FieldComparison[][],
): Map<string, { v: FieldComparison[]; n: number }> {
  const out = new Map<string, { v: FieldComparison[]; n: number }>();
  for (const v of vectors) {
    const key = v.map((c) => c.level ?? '-').join('|');
    const hit = out.get(key);
    if (hit) hit.n++;
    else out.set(key, { v, n: 1 });
  }
  return out;
}

/**
 * u probabilities from comparisons of random record pairs (almost all non-matches): the chance
 * that two unrelated records agree at each level. Levels never seen keep the configured u.
 */
export function estimateU(
  randomPairs: FieldComparison[][],
  params: Record<string, FieldParams>,
): Record<string, FieldParams> {
  const out: Record<string, FieldParams> = structuredClone(params);
  for (const [field, levels] of Object.entries(out)) {
    let total = 0;
    const counts = new Map<string, number>();
    for (const v of randomPairs) {
      const c = v.find((x) => x.field === field);
      if (!c?.level) continue;
      total++;
      counts.set(c.level, (counts.get(c.level) ?? 0) + 1);
    }
    if (total < 100) continue;
    for (const [level, p] of Object.entries(levels)) {
      const n = counts.get(level) ?? 0;
      p.u = Math.max((n + 0.5) / (total + 1), FLOOR, n === 0 ? p.u : 0);
    }
  }
  return out;
}

export interface EmResult {
  params: Record<string, FieldParams>;
  matchRate: number;
  iterations: number;
}

/** EM for m (u held fixed) and the match rate over candidate-pair comparison vectors. */
export function estimateM(
  vectors: FieldComparison[][],
  params: Record<string, FieldParams>,
  maxIterations = 30,
): EmResult {
  const patterns = [...patternCounts(vectors).values()];
  const out: Record<string, FieldParams> = structuredClone(params);
  let lambda = 0.3;
  let it = 0;
  for (; it < maxIterations; it++) {
    const mCounts = new Map<string, number>();
    const fieldTotals = new Map<string, number>();
    let matchMass = 0;
    let mass = 0;
    for (const { v, n } of patterns) {
      let pm = lambda;
      let pu = 1 - lambda;
      for (const c of v) {
        if (!c.level) continue;
        const lp = out[c.field]?.[c.level];
        if (!lp) continue;
        pm *= lp.m;
        pu *= lp.u;
      }
      const w = pm + pu > 0 ? pm / (pm + pu) : 0;
      matchMass += w * n;
      mass += n;
      for (const c of v) {
        if (!c.level) continue;
        mCounts.set(`${c.field}|${c.level}`, (mCounts.get(`${c.field}|${c.level}`) ?? 0) + w * n);
        fieldTotals.set(c.field, (fieldTotals.get(c.field) ?? 0) + w * n);
      }
    }
    let delta = 0;
    for (const [field, levels] of Object.entries(out)) {
      const total = fieldTotals.get(field) ?? 0;
      if (total <= 0) continue;
      const k = Object.keys(levels).length;
      for (const [level, p] of Object.entries(levels)) {
        const next = Math.max(
          ((mCounts.get(`${field}|${level}`) ?? 0) + 0.1) / (total + 0.1 * k),
          FLOOR,
        );
        delta = Math.max(delta, Math.abs(next - p.m));
        p.m = next;
      }
    }
    lambda = mass > 0 ? matchMass / mass : lambda;
    if (delta < 1e-5) break;
  }
  return { params: out, matchRate: lambda, iterations: it };
}
