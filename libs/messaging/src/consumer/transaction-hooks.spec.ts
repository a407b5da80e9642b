import { TransactionHooks } from './kafka-event-context';

describe('TransactionHooks', () => {
  it('runs one flush per key, in registration order, including flushes registered while running', async () => {
    const hooks = new TransactionHooks();
    const ran: string[] = [];
    const a = {};
    hooks.beforeCommit(a, async () => {
      ran.push('a');
      hooks.beforeCommit('late', async () => {
        ran.push('late');
      });
    });
    hooks.beforeCommit(a, async () => {
      ran.push('a again');
    });
    hooks.beforeCommit('b', async () => {
      ran.push('b');
    });
    await hooks.run();
    expect(ran).toEqual(['a', 'b', 'late']);
    // a run leaves nothing behind: the next transaction starts empty
    await hooks.run();
    expect(ran).toHaveLength(3);
  });

  it('stops at a failing flush and passes its error on (the transaction rolls back)', async () => {
    const hooks = new TransactionHooks();
    const ran: string[] = [];
    hooks.beforeCommit('x', async () => {
      throw new Error('boom');
    });
    hooks.beforeCommit('y', async () => {
      ran.push('y');
    });
    await expect(hooks.run()).rejects.toThrow('boom');
    expect(ran).toEqual([]);
  });

  it('collects items per key for one flush that gets them all, in order; a later item starts a new list', async () => {
    const hooks = new TransactionHooks();
    const flushed: string[][] = [];
    const flush = async (items: string[]) => {
      flushed.push([...items]);
      if (items[0] === 'a') hooks.collect('k', 'late', flush);
    };
    hooks.collect('k', 'a', flush);
    hooks.collect('other', 'x', async (items) => {
      flushed.push(items.map((i) => `other:${i}`));
    });
    hooks.collect('k', 'b', flush);
    await hooks.run();
    expect(flushed).toEqual([['a', 'b'], ['other:x'], ['late']]);
  });

  it('keeps the event ids a handler defers, only where the transaction allows deferring', () => {
    const first = new TransactionHooks(true);
    first.defer(['e1', 'e2']);
    first.defer(['e2', 'e3']);
    expect([...first.deferred]).toEqual(['e1', 'e2', 'e3']);
    const followUp = new TransactionHooks();
    expect(followUp.mayDefer).toBe(false);
    expect(() => followUp.defer(['e1'])).toThrow('cannot defer');
    expect(followUp.deferred.size).toBe(0);
  });
});
