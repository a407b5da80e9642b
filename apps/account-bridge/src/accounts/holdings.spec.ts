import { HoldingsChanges } from './holdings';

describe('HoldingsChanges', () => {
  it('keeps the weightiest change per customer, also across merged parts of a transaction', () => {
    const first = new HoldingsChanges();
    first.add('c-2', 'balance', 'a-1');
    first.add('c-1', 'activity');
    first.add(null, 'account-opened');
    const second = new HoldingsChanges();
    second.add('c-2', 'account-closed', 'a-9');
    second.add('c-1', 'snapshot');
    second.add('c-3', 'link-changed', 'a-3');
    first.merge(second);
    expect(first.entries()).toEqual([
      ['c-1', { change: 'activity' }],
      ['c-2', { change: 'account-closed', accountId: 'a-9' }],
      ['c-3', { change: 'link-changed', accountId: 'a-3' }],
    ]);
    expect(first.size).toBe(3);
  });
});
