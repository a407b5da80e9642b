import { backoffDelay, sleep } from './sleep';

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt, between half and all of it', () => {
    expect(backoffDelay(1, 100, 30_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 30_000, () => 1)).toBe(100);
    expect(backoffDelay(2, 100, 30_000, () => 0)).toBe(100);
    expect(backoffDelay(2, 100, 30_000, () => 1)).toBe(200);
    expect(backoffDelay(4, 100, 30_000, () => 0.5)).toBe(600);
  });

  it('stays within [ceiling/2, ceiling] for random jitter', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(5_000, 50 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffDelay(attempt, 50, 5_000);
        expect(delay).toBeGreaterThanOrEqual(Math.round(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('is capped, also for huge attempt numbers', () => {
    expect(backoffDelay(40, 1_000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(5_000, 1_000, 30_000, () => 0)).toBe(15_000);
    expect(backoffDelay(3, 0, 30_000, () => 1)).toBe(0);
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('resolves at once when the signal aborts, or was aborted already', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = sleep(10_000, controller.signal);
    controller.abort();
    await pending;
    await sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
