/**
 * A background task run now and then, one run at a time: `run()` starts it or joins the run in
 * progress, `every(ms)` repeats it (0 = never; the timer does not keep the process alive), and
 * `stop()` ends the repeats and waits for a run in progress. A failing run is the task's to
 * report; the repeats go on.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(private readonly task: () => Promise<T>) {}

  run(): Promise<T> {
    this.running ??= this.task().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  every(ms: number): void {
    if (ms <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.run().catch(() => undefined), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
