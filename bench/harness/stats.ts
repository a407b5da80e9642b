import type { Figure, SummarisedFigure } from './types';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/**
 * Median with min/max of each figure over repeated runs (figures matched by metric + scenario +
 * size); `size` and the other descriptive fields are carried over from the first run's figure.
 */
export function summarise(runs: Figure[][]): SummarisedFigure[] {
  const key = (f: Figure) => `${f.scenario ?? ''}\u0000${f.metric}\u0000${f.size ?? ''}`;
  const groups = new Map<string, Figure[]>();
  for (const run of runs)
    for (const f of run) groups.set(key(f), [...(groups.get(key(f)) ?? []), f]);
  return [...groups.values()].map((fs) => {
    const values = fs.map((f) => f.value);
    const baselines = fs.map((f) => f.baseline).filter((b): b is number => b !== undefined);
    return {
      ...fs[0],
      value: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      runs: fs.length,
      ...(baselines.length
        ? {
            baseline: median(baselines),
            baselineMin: Math.min(...baselines),
            baselineMax: Math.max(...baselines),
          }
        : {}),
    };
  });
}

/** value / baseline, oriented so that > 1 always means "better than the baseline". */
export function ratio(f: Figure): number | undefined {
  if (f.baseline === undefined || f.baseline === 0 || f.value === 0) return undefined;
  return f.better === 'higher' ? f.value / f.baseline : f.baseline / f.value;
}
