import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('runs one at a time: a second run() joins the run in progress', async () => {
    let started = 0;
    let finish: (n: number) => void = () => undefined;
    const task = new PeriodicTask(() => {
      started += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    });
    const a = task.run();
    const b = task.run();
    expect(b).toBe(a);
    finish(7);
    await expect(a).resolves.toBe(7);
    expect(started).toBe(1);
    // once it ended, the next run() starts a new one
    const c = task.run();
    expect(started).toBe(2);
    finish(8);
    await expect(c).resolves.toBe(8);
  });

  it('repeats on a timer that stop() ends, and a failed run does not end the repeats', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      const task = new PeriodicTask(async () => {
        runs += 1;
        if (runs === 1) throw new Error('first run fails');
      });
      task.every(1_000);
      await jest.advanceTimersByTimeAsync(3_500);
      expect(runs).toBe(3);
      await task.stop();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(runs).toBe(3);
      task.every(0); // 0 = never
      await jest.advanceTimersByTimeAsync(5_000);
      expect(runs).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
