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
