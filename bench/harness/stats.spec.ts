import { median, percentile, ratio, summarise } from './stats';

describe('bench statistics', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
  });

  it('summarises repeated runs per metric and scenario with min and max', () => {
    const fig = (value: number, baseline: number) => ({
      metric: 'records/s',
      unit: '1/s',
      better: 'higher' as const,
      value,
      baseline,
      scenario: '10k',
    });
    const [s] = summarise([[fig(10, 20)], [fig(30, 40)], [fig(20, 30)]]);
    expect(s).toMatchObject({
      value: 20,
      min: 10,
      max: 30,
      runs: 3,
      baseline: 30,
      baselineMin: 20,
      baselineMax: 40,
    });
  });

  it('carries the size through and keeps figures of different sizes apart', () => {
    const fig = (value: number, size: number) => ({
      metric: 'records/s',
      unit: '1/s',
      better: 'higher' as const,
      value,
      size,
      scenario: 'cn records',
    });
    const summarised = summarise([
      [fig(10, 1000), fig(5, 10_000)],
      [fig(30, 1000), fig(7, 10_000)],
    ]);
    expect(summarised).toHaveLength(2);
    expect(summarised[0]).toMatchObject({ size: 1000, value: 20, runs: 2 });
    expect(summarised[1]).toMatchObject({ size: 10_000, value: 6, runs: 2 });
  });

  it('orients the ratio so that above 1 is better', () => {
    expect(ratio({ metric: 'x', unit: '', better: 'higher', value: 50, baseline: 100 })).toBe(0.5);
    expect(ratio({ metric: 'x', unit: 'ms', better: 'lower', value: 50, baseline: 100 })).toBe(2);
    expect(ratio({ metric: 'x', unit: 'ms', better: 'lower', value: 50 })).toBeUndefined();
  });
});
