import type { EntityManager } from 'typeorm';

export type LinkCause = 'resolution' | 'merge' | 'unmerge' | 'split' | 'review';

/** Appends one history row per source record whose customer changed (who, why, from where). */
export async function recordLinkHistory(
  manager: EntityManager,
  records: { sourceSystem: string; sourceKey: string }[],
  customerId: string,
  previousCustomerId: string | null,
  cause: LinkCause,
  options: { note?: string; actorUserId?: string } = {},
): Promise<void> {
  if (records.length === 0) return;
  await manager.query(
    `INSERT INTO source_record_link_history
       (source_system, source_key, customer_id, previous_customer_id, cause, note, actor_user_id)
     SELECT s, k, $3, $4, $5, $6, $7 FROM unnest($1::varchar[], $2::varchar[]) AS r(s, k)`,
    [
      records.map((r) => r.sourceSystem),
      records.map((r) => r.sourceKey),
      customerId,
      previousCustomerId,
      cause,
      options.note?.slice(0, 500) ?? null,
      options.actorUserId ?? null,
    ],
  );
}
