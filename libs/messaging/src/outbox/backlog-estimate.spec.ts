import { BacklogEstimate } from './backlog-estimate';

describe('BacklogEstimate', () => {
  it('counts at once the first time a full batch is read', () => {
    expect(new BacklogEstimate(5_000, 20).countDue(0)).toBe(true);
  });

  it('counts no more often than the minimum interval', () => {
    const estimate = new BacklogEstimate(5_000, 20);
    estimate.recordCount(10_000, 10, 1_000);
    expect(estimate.countDue(5_999)).toBe(false);
    expect(estimate.countDue(6_000)).toBe(true);
  });

  it('spaces costly counts by the cost factor times their duration', () => {
    const estimate = new BacklogEstimate(5_000, 20);
    // a count of a million rows that took 2.5 s: the next one no sooner than 50 s later
    estimate.recordCount(1_000_000, 2_500, 100_000);
    expect(estimate.countDue(149_999)).toBe(false);
    expect(estimate.countDue(150_000)).toBe(true);
  });

  it('between counts, shows the last count less what was published since', () => {
    const estimate = new BacklogEstimate();
    estimate.recordCount(2_000, 5, 0);
    estimate.recordPublished(500);
    expect(estimate.value(500, 500, true)).toBe(1_500);
    estimate.recordPublished(500);
    estimate.recordPublished(500);
    expect(estimate.value(500, 500, true)).toBe(500);
    // a new count starts over
    estimate.recordCount(4_000, 5, 10_000);
    expect(estimate.value(500, 500, true)).toBe(4_000);
  });

  it('never shows less than a full batch that is not yet published, nor less than zero', () => {
    const estimate = new BacklogEstimate();
    estimate.recordCount(600, 5, 0);
    estimate.recordPublished(500);
    estimate.recordPublished(500);
    expect(estimate.value(500, 500, false)).toBe(500);
    expect(estimate.value(500, 500, true)).toBe(0);
  });

  it('knows the backlog exactly when a batch drains the outbox', () => {
    const estimate = new BacklogEstimate();
    estimate.recordCount(1_000_000, 2_500, 0);
    expect(estimate.value(120, 500, false)).toBe(120);
    expect(estimate.value(120, 500, true)).toBe(0);
  });
});
