import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import type { EventEnvelope } from '@bank-crm/contracts';
import type { KafkaEventContext } from '@bank-crm/messaging';
import type { EntityManager } from 'typeorm';

/**
 * Locks customer rows in id order, in one statement. Every transaction that locks several
 * customers does it this way, before it touches any of them (and before their view rows), so two
 * transactions sharing customers wait for each other instead of deadlocking: a resolution chunk
 * refreshing golden records, a chunk of holdings snapshots, a merge.
 */
export async function lockCustomers(manager: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await manager.query(
    'SELECT count(*) FROM (SELECT 1 FROM customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE) AS l',
    [[...new Set(ids)].sort()],
  );
}

/**
 * Applies a consumer chunk's events about customers at the chunk's end, all at once and in
 * chunk order, after all their customers are locked in one sorted statement (system work:
 * row-level security lifted). Locking them event by event could deadlock with a resolution
 * chunk that locks the same customers in id order. `owner` keys the chunk's collection: one per
 * handler.
 */
export function applyAtChunkEnd<P extends { customerId: string }>(
  ctx: KafkaEventContext,
  owner: object,
  event: EventEnvelope<P>,
  apply: (manager: EntityManager, events: EventEnvelope<P>[]) => Promise<unknown>,
): void {
  const manager = ctx.manager;
  ctx.hooks.collect(owner, event, async (events) => {
    await applyDbScope(manager, SYSTEM_SCOPE);
    await lockCustomers(
      manager,
      events.map((e) => e.payload.customerId),
    );
    await apply(manager, events);
  });
}
