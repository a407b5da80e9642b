import { normaliseScenario, scalingGroups, scalingTable } from './scaling';
import type { SummarisedFigure } from './types';

const fig = (
  size: number | undefined,
  metric: string,
  unit: string,
  better: 'higher' | 'lower',
  value: number,
  baseline?: number,
  scenario = size === undefined ? 'no size' : `${size} customers, 50 req/s asked`,
): SummarisedFigure => ({
  scenario,
  metric,
  unit,
  better,
  value,
  min: value,
  max: value,
  runs: 3,
  ...(size === undefined ? {} : { size }),
  ...(baseline === undefined ? {} : { baseline, baselineName: 'bare' }),
});

describe('how cost grows with size', () => {
  it('takes the size out of the scenario however it is written, and nothing else', () => {
    expect(normaliseScenario('100000 customers, 50 req/s asked', 100_000)).toBe(
      'N customers, 50 req/s asked',
    );
    expect(normaliseScenario('50 customers, 50 req/s asked', 100_000)).toBe(
      '50 customers, 50 req/s asked',
    );
    expect(normaliseScenario('5000 accounts + 5000 parties', 5000)).toBe('N accounts + N parties');
    expect(normaliseScenario('cn, 100,000 records', 100_000)).toBe('cn, N records');
    expect(normaliseScenario('100_000 rows', 100_000)).toBe('N rows');
    expect(normaliseScenario('100k records', 100_000)).toBe('N records');
    expect(normaliseScenario('1M customers', 1_000_000)).toBe('N customers');
    expect(normaliseScenario('1.5k records', 1500)).toBe('N records');
    // Not the size: part of a longer number, a decimal or a word.
    expect(normaliseScenario('1000000 rows, v1000, 1000.5 ms', 1000)).toBe(
      '1000000 rows, v1000, 1000.5 ms',
    );
    expect(normaliseScenario('1,000,000 rows', 1000)).toBe('1,000,000 rows');
    expect(normaliseScenario('flat out', 1000)).toBe('flat out');
  });

  it('gives 1.00x for a constant throughput and 2.00x for a latency that doubles', () => {
    const groups = scalingGroups([
      fig(10_000, 'throughput', 'req/s', 'higher', 200, 400),
      fig(10_000, 'latency p99', 'ms', 'lower', 5, 4),
      fig(100_000, 'throughput', 'req/s', 'higher', 200, 400),
      fig(100_000, 'latency p99', 'ms', 'lower', 10, 4),
    ]);
    expect(groups).toHaveLength(2);
    const [throughput, latency] = groups;
    expect(throughput).toMatchObject({
      scenario: 'N customers, 50 req/s asked',
      metric: 'throughput',
      baselineName: 'bare',
    });
    expect(throughput.steps[0]).toEqual({ size: 10_000, value: 200, baseline: 400 });
    expect(throughput.steps[1].growth).toEqual({
      size: 10,
      value: 1,
      cost: 1,
      baselineValue: 1,
      baselineCost: 1,
      costVsBaseline: 1,
    });
    expect(latency.steps[1].growth).toMatchObject({
      size: 10,
      value: 2,
      cost: 2,
      baselineCost: 1,
      costVsBaseline: 2,
    });
  });

  it('turns a falling throughput into a growing cost per item, against the baseline', () => {
    const [g] = scalingGroups([
      fig(1_000_000, 'throughput', 'records/s', 'higher', 250, 4000),
      fig(10_000, 'throughput', 'records/s', 'higher', 1000, 5000),
      fig(100_000, 'throughput', 'records/s', 'higher', 500, 5000),
    ]);
    expect(g.steps.map((s) => s.size)).toEqual([10_000, 100_000, 1_000_000]);
    expect(g.steps[0].growth).toBeUndefined();
    expect(g.steps[1].growth).toMatchObject({ value: 0.5, cost: 2, baselineCost: 1 });
    expect(g.steps[2].growth?.cost).toBe(2);
    expect(g.steps[2].growth?.baselineCost).toBeCloseTo(1.25);
    expect(g.steps[2].growth?.costVsBaseline).toBeCloseTo(1.6);
  });

  it('ignores figures without a size and keeps different scenarios apart', () => {
    const groups = scalingGroups([
      fig(undefined, 'throughput', 'req/s', 'higher', 100),
      fig(undefined, 'throughput', 'req/s', 'higher', 900),
      fig(10_000, 'throughput', 'req/s', 'higher', 200, undefined, 'cn, 10000 records'),
      fig(100_000, 'throughput', 'req/s', 'higher', 100, undefined, 'cn, 100000 records'),
      fig(10_000, 'throughput', 'req/s', 'higher', 300, undefined, 'western, 10000 records'),
      fig(100_000, 'throughput', 'req/s', 'lower', 9, undefined, '100000 customers, idle'),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ scenario: 'cn, N records' });
    expect(groups[0].steps[1]).toEqual({
      size: 100_000,
      value: 100,
      growth: {
        size: 10,
        value: 0.5,
        cost: 2,
        baselineValue: undefined,
        baselineCost: undefined,
        costVsBaseline: undefined,
      },
    });
  });

  it('gives no table for a single size or figures without a size', () => {
    expect(
      scalingTable([
        fig(100_000, 'throughput', 'req/s', 'higher', 200, 400),
        fig(100_000, 'latency p99', 'ms', 'lower', 10, 4),
      ]),
    ).toBeUndefined();
    expect(
      scalingTable([
        fig(undefined, 'throughput', 'req/s', 'higher', 200),
        fig(undefined, 'throughput', 'req/s', 'higher', 300),
      ]),
    ).toBeUndefined();
    expect(scalingTable([])).toBeUndefined();
  });

  it('renders one row per size with the growth from the size before', () => {
    const table = scalingTable([
      fig(10_000, 'throughput', 'req/s', 'higher', 200, 400),
      fig(100_000, 'throughput', 'req/s', 'higher', 200, 400),
      fig(10_000, 'latency p99', 'ms', 'lower', 5, 4),
      fig(100_000, 'latency p99', 'ms', 'lower', 10, 4),
      fig(1_000_000, 'latency p99', 'ms', 'lower', 40, 6),
    ]);
    const lines = (table ?? '').split('\n');
    expect(lines[0]).toMatch(/^Each row compares with the next smaller size/);
    expect(lines[1]).toBe('');
    expect(lines.slice(2)).toEqual([
      '| scenario | metric | size (N) | value | baseline | size × | value × | cost × | baseline value × | baseline cost × | cost × vs baseline |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      '| N customers, 50 req/s asked | throughput (req/s, higher is better) | 10,000 | 200 | 400 (bare) | - | - | - | - | - | - |',
      '| N customers, 50 req/s asked | throughput (req/s, higher is better) | 100,000 | 200 | 400 (bare) | 10x | 1.00x | 1.00x | 1.00x | 1.00x | 1.00x |',
      '| N customers, 50 req/s asked | latency p99 (ms, lower is better) | 10,000 | 5.00 | 4.00 (bare) | - | - | - | - | - | - |',
      '| N customers, 50 req/s asked | latency p99 (ms, lower is better) | 100,000 | 10.0 | 4.00 (bare) | 10x | 2.00x | 2.00x | 1.00x | 1.00x | 2.00x |',
      '| N customers, 50 req/s asked | latency p99 (ms, lower is better) | 1,000,000 | 40.0 | 6.00 (bare) | 10x | 4.00x | 4.00x | 1.50x | 1.50x | 2.67x |',
    ]);
  });
});
