/**
 * The outbox relay's backlog figure (bankcrm_outbox_backlog) without counting the backlog on
 * every batch. Counting unpublished rows reads all of them: about 2.5 s for a backlog of a
 * million rows on a 2-core machine. Counted twice per batch of 500, as the relay once did, that
 * held the relay to about a hundred events a second behind a bulk load, the moment it was most
 * needed. So:
 *
 * - a batch that drains the outbox (fewer rows than the batch size) knows the backlog exactly;
 * - otherwise the relay counts at most once per `minIntervalMs`, and never more often than
 *   `costFactor` times the last count's own duration (a 2.5 s count: at most every 50 s, so
 *   counting takes at most 1/20 of the relay's time);
 * - in between, the figure is the last count less what was published since. Rows committed since
 *   the last count show at the next one.
 */
export class BacklogEstimate {
  private countedAt = Number.NEGATIVE_INFINITY;
  private countTookMs = 0;
  private counted = 0;
  private publishedSince = 0;

  constructor(
    private readonly minIntervalMs = 5_000,
    private readonly costFactor = 20,
  ) {}

  /** Whether the relay should count the backlog now (a full batch was just read). */
  countDue(nowMs: number): boolean {
    return (
      nowMs - this.countedAt >= Math.max(this.minIntervalMs, this.costFactor * this.countTookMs)
    );
  }

  /** A count of `value` unpublished rows, which took `tookMs`, finished at `nowMs`. */
  recordCount(value: number, tookMs: number, nowMs: number): void {
    this.counted = value;
    this.countTookMs = tookMs;
    this.countedAt = nowMs;
    this.publishedSince = 0;
  }

  /** `n` rows were published. */
  recordPublished(n: number): void {
    this.publishedSince += n;
  }

  /**
   * The backlog now, given the batch just read (`batchRows` of at most `batchSize`) and whether
   * it has been published yet: a short batch is the whole backlog.
   */
  value(batchRows: number, batchSize: number, published: boolean): number {
    if (batchRows < batchSize) return published ? 0 : batchRows;
    const estimate = Math.max(0, this.counted - this.publishedSince);
    // a full batch not yet published is backlog whatever the last count said
    return published ? estimate : Math.max(batchRows, estimate);
  }
}
