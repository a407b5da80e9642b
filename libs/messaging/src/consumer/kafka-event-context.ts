import type { EventEnvelope } from '@bank-crm/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

type Args = [EntityManager, EventEnvelope, string, number, string, number, TransactionHooks];

/**
 * Work handlers defer to the end of their transaction. The consumer applies a healthy chunk of
 * messages in one transaction; a handler that can do its work better for many messages at once
 * (set-based SQL) collects them and registers one flush, run after the chunk's last handler and
 * before the commit. A failing flush rolls the chunk back like a failing handler (the messages
 * are retried one per transaction, where the flush sees one message).
 */
export class TransactionHooks {
  private readonly flushes = new Map<unknown, () => Promise<void>>();
  private readonly collected = new Map<unknown, unknown[]>();
  private readonly postponed = new Set<string>();

  /**
   * @param mayDefer whether this transaction's handlers may defer messages to a follow-up
   *   transaction (`defer`): only a chunk's first transaction, never the follow-up itself or a
   *   message handled on its own.
   */
  constructor(readonly mayDefer = false) {}

  /**
   * Leaves messages of this chunk (by event id) to a second transaction, run on the same
   * consumer right after this one commits, in their order, where they cannot be deferred again;
   * their inbox records are taken back from this one. For a handler that would otherwise wait
   * inside this transaction for a few contested messages while holding what the rest need (locks
   * another consumer waits for): it commits the rest first. The deferred messages are then
   * handled after later messages of the chunk, so a handler that defers one message defers every
   * later one that must stay behind it. Only events without a subjectVersion can be deferred (the
   * chunk records its subjects' versions up front).
   */
  defer(eventIds: Iterable<string>): void {
    if (!this.mayDefer) throw new Error('this transaction cannot defer messages');
    for (const id of eventIds) this.postponed.add(id);
  }

  /** Event ids deferred so far. */
  get deferred(): ReadonlySet<string> {
    return this.postponed;
  }

  /** Registers `flush` under `key` unless a flush is already registered under it. */
  beforeCommit(key: unknown, flush: () => Promise<void>): void {
    if (!this.flushes.has(key)) this.flushes.set(key, flush);
  }

  /**
   * Adds `item` to the transaction's list under `key`; the first item registers `flush`, which
   * gets the whole list, in the order the items came. An item collected under a key whose flush
   * has already run starts a new list and a new flush.
   */
  collect<T>(key: unknown, item: T, flush: (items: T[]) => Promise<void>): void {
    let items = this.collected.get(key) as T[] | undefined;
    if (!items) {
      const list: T[] = [];
      items = list;
      this.collected.set(key, list);
      this.beforeCommit(key, () => {
        this.collected.delete(key);
        return flush(list);
      });
    }
    items.push(item);
  }

  /** Runs the registered flushes in registration order (a flush may register more). */
  async run(): Promise<void> {
    while (this.flushes.size > 0) {
      const [key, flush] = this.flushes.entries().next().value as [unknown, () => Promise<void>];
      this.flushes.delete(key);
      await flush();
    }
  }
}

/**
 * What a handler gets besides the validated envelope: the transaction its effects must use
 * (the inbox record commits with them), and where the message came from.
 */
export class KafkaEventContext extends BaseRpcContext<Args> {
  constructor(
    manager: EntityManager,
    envelope: EventEnvelope,
    topic: string,
    partition: number,
    offset: string,
    attempt: number,
    hooks: TransactionHooks = new TransactionHooks(),
  ) {
    super([manager, envelope, topic, partition, offset, attempt, hooks]);
  }

  /** The transaction of this message: write every effect through it. */
  get manager(): EntityManager {
    return this.args[0];
  }
  get envelope(): EventEnvelope {
    return this.args[1];
  }
  get topic(): string {
    return this.args[2];
  }
  get partition(): number {
    return this.args[3];
  }
  get offset(): string {
    return this.args[4];
  }
  get attempt(): number {
    return this.args[5];
  }
  /** Work to run once at the end of this message's transaction (see TransactionHooks). */
  get hooks(): TransactionHooks {
    return this.args[6];
  }
}

/**
 * A failure that retrying cannot fix (e.g. a reference that can never resolve): the message goes
 * to the dead-letter topic at once.
 */
export class PermanentHandlerError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

export function isPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { permanent?: unknown }).permanent === true
  );
}
