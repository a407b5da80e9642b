import type { SummarisedFigure } from './types';

/**
 * How cost grows with size (issue #8): the figures of one run that measure the same thing at
 * several data sizes, side by side, with the growth from each size to the next.
 *
 * Grouping. Only figures with a `size` take part. Two figures are the same measurement at
 * different sizes when metric, unit, `better` and baseline name are equal and their scenarios are
 * equal once the figure's own size is taken out of its scenario. Taking the size out means
 * replacing every whole number in the scenario that equals `size` with `N`: written plainly
 * ("100000"), with thousands separators ("100,000", "100_000") or short ("100k", "1M", "1.5k").
 * Numbers that are not the size stay, so "N customers, 50 req/s asked" and "N customers, flat
 * out" are different groups, and so are two locales. A scenario that does not mention its size
 * is compared as it is, which also groups correctly since the size is a field of its own. (A
 * scenario holding another number that happens to equal the size, e.g. "50 customers, 50 req/s",
 * loses both; such a figure simply finds no partner and is left out.) Should two figures of a
 * group have the same size, the first one counts.
 *
 * Growth between consecutive sizes (small -> large): size ×, value × = large / small, and the
 * cost growth: for `better: 'higher'` figures (throughput, records/s) the cost of one item is
 * 1 / value, so it grows by small / large; for `better: 'lower'` figures (latency, memory, CPU)
 * the figure is the cost, so it grows by large / small. 1.00x = the cost did not grow. The same
 * for the baseline when both sizes have one, and the ratio of the two cost growths (above 1 =
 * bank-crm's cost grows faster than the baseline's).
 */

export interface ScalingStep {
  size: number;
  value: number;
  baseline?: number;
  /** Growth from the previous (smaller) size; absent on a group's first row. */
  growth?: {
    size: number;
    value?: number;
    cost?: number;
    baselineValue?: number;
    baselineCost?: number;
    /** cost / baselineCost: above 1, bank-crm's cost grows faster than the baseline's. */
    costVsBaseline?: number;
  };
}

export interface ScalingGroup {
  /** The scenario with the size written as `N`. */
  scenario: string;
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  baselineName?: string;
  /** One per size, smallest first; at least two. */
  steps: ScalingStep[];
}

/** A whole number: not part of a word, a decimal or a longer number with separators. */
const NUMBER = /(?<![\w.]|\d[,_])(\d{1,3}(?:[,_]\d{3})+|\d+(?:\.\d+)?)([kKmM])?(?![\w]|[.,_]\d)/g;

/** The scenario with every number equal to `size` written as `N` (see above). */
export function normaliseScenario(scenario: string, size: number): string {
  return scenario.replace(NUMBER, (whole: string, digits: string, suffix?: string) => {
    const multiplier = !suffix ? 1 : suffix.toLowerCase() === 'k' ? 1e3 : 1e6;
    const value = Number(digits.replace(/[,_]/g, '')) * multiplier;
    return Math.abs(value - size) < 1e-9 * Math.max(1, size) ? 'N' : whole;
  });
}

/** a / b, or undefined when either is missing or zero (no meaningful ratio). */
const div = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || a === 0 || b === 0 ? undefined : a / b;

function growth(
  better: 'higher' | 'lower',
  prev: ScalingStep,
  next: ScalingStep,
): ScalingStep['growth'] {
  const cost = (small?: number, large?: number) =>
    better === 'higher' ? div(small, large) : div(large, small);
  const costs = cost(prev.value, next.value);
  const baselineCost = cost(prev.baseline, next.baseline);
  return {
    size: next.size / prev.size,
    value: div(next.value, prev.value),
    cost: costs,
    baselineValue: div(next.baseline, prev.baseline),
    baselineCost,
    costVsBaseline: div(costs, baselineCost),
  };
}

/**
 * The figures of one run that were measured at two or more sizes, grouped as described at the
 * top of this file, in the order their first figure appears; figures without a size are ignored.
 */
export function scalingGroups(figures: SummarisedFigure[]): ScalingGroup[] {
  const groups = new Map<string, ScalingGroup>();
  for (const f of figures) {
    if (f.size === undefined || !Number.isFinite(f.size) || f.size <= 0) continue;
    const scenario = normaliseScenario(f.scenario ?? '', f.size);
    const key = JSON.stringify([scenario, f.metric, f.unit, f.better, f.baselineName ?? '']);
    const group = groups.get(key) ?? {
      scenario,
      metric: f.metric,
      unit: f.unit,
      better: f.better,
      ...(f.baselineName === undefined ? {} : { baselineName: f.baselineName }),
      steps: [],
    };
    groups.set(key, group);
    if (!group.steps.some((s) => s.size === f.size))
      group.steps.push({
        size: f.size,
        value: f.value,
        ...(f.baseline === undefined ? {} : { baseline: f.baseline }),
      });
  }
  return [...groups.values()]
    .filter((g) => g.steps.length >= 2)
    .map((g) => {
      const steps = [...g.steps].sort((a, b) => a.size - b.size);
      return {
        ...g,
        steps: steps.map((s, i) =>
          i === 0 ? s : { ...s, growth: growth(g.better, steps[i - 1], s) },
        ),
      };
    });
}

const num = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '-' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
const times = (n: number | undefined) => (n === undefined ? '-' : `${n.toFixed(2)}x`);
const sizeTimes = (n: number) => `${Number(n.toPrecision(3))}x`;

export const SCALING_EXPLANATION =
  'Each row compares with the next smaller size of the same figure: cost × is previous/this value for "higher is better" rates (cost per item) and this/previous value for "lower is better" figures (latency, memory, CPU), so 1.00x means the cost did not grow; cost × vs baseline above 1 means bank-crm\'s cost grows faster than the baseline\'s.';

/**
 * The "How cost grows with size" table in markdown, preceded by its one-line explanation, or
 * undefined when no figure of the run was measured at two or more sizes.
 */
export function scalingTable(figures: SummarisedFigure[]): string | undefined {
  const groups = scalingGroups(figures);
  if (groups.length === 0) return undefined;
  const header = [
    'scenario',
    'metric',
    'size (N)',
    'value',
    'baseline',
    'size ×',
    'value ×',
    'cost ×',
    'baseline value ×',
    'baseline cost ×',
    'cost × vs baseline',
  ];
  const rows = groups.flatMap((g) =>
    g.steps.map((s) => [
      g.scenario,
      `${g.metric} (${g.unit}, ${g.better} is better)`,
      s.size.toLocaleString('en-US'),
      num(s.value),
      s.baseline === undefined ? '-' : `${num(s.baseline)} (${g.baselineName ?? 'baseline'})`,
      s.growth ? sizeTimes(s.growth.size) : '-',
      times(s.growth?.value),
      times(s.growth?.cost),
      times(s.growth?.baselineValue),
      times(s.growth?.baselineCost),
      times(s.growth?.costVsBaseline),
    ]),
  );
  return [
    SCALING_EXPLANATION,
    '',
    `| ${header.join(' | ')} |`,
    `|${' --- |'.repeat(header.length)}`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
