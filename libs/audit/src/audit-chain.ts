import { createHash } from 'node:crypto';

/** prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** Stable JSON: object keys sorted, undefined dropped, so the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hashed content of one audit row (everything but its own hash). */
export interface AuditRowContent {
  id: number;
  occurredAt: string;
  service: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  correlationId: string | null;
  tokenId: string | null;
}

/** hash = sha256(prev_hash + "\n" + canonical row): editing, removing or reordering breaks the chain. */
export function auditRowHash(prevHash: string, row: AuditRowContent): string {
  const content: AuditRowContent = {
    id: Number(row.id),
    occurredAt: row.occurredAt,
    service: row.service,
    actorId: row.actorId,
    actorRoles: [...row.actorRoles],
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    correlationId: row.correlationId ?? null,
    tokenId: row.tokenId ?? null,
  };
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(content)}`)
    .digest('hex');
}

/** Anything with a `query` method: a pg Client or Pool, a TypeORM DataSource or EntityManager. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export type ChainVerdict =
  | { ok: true; rows: number; headId: number | null; headHash: string }
  | { ok: false; rows: number; brokenAt: number; reason: string };

/** The audit columns as the chain reads them (occurred_at as the exact ISO text that was hashed). */
export const AUDIT_SELECT = `id::text AS id,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  service, actor_id, actor_roles, action, entity_type, entity_id, before, after,
  correlation_id, token_id, prev_hash, hash`;

export interface AuditRow {
  id: string;
  occurred_at: string;
  service: string;
  actor_id: string;
  actor_roles: string[];
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  correlation_id: string | null;
  token_id: string | null;
  prev_hash: string;
  hash: string;
}

export function rowContent(r: AuditRow): AuditRowContent {
  return {
    id: Number(r.id),
    occurredAt: r.occurred_at,
    service: r.service,
    actorId: r.actor_id,
    actorRoles: r.actor_roles,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    correlationId: r.correlation_id,
    tokenId: r.token_id,
  };
}

function rowsOf(result: unknown): AuditRow[] {
  if (Array.isArray(result)) return result as AuditRow[];
  return ((result as { rows?: AuditRow[] }).rows ?? []) as AuditRow[];
}

/**
 * Walks the whole audit_log in id order and checks that ids run 1, 2, 3, ... without a gap (rows
 * are numbered under a lock, so a gap is a deleted row), that each row's prev_hash is the hash of
 * the row before, and that each hash matches the row's content. Returns the first broken row.
 * Removing the newest rows is only caught against a head hash kept elsewhere (`headHash`).
 */
export async function verifyAuditChain(db: Queryable, batchSize = 1_000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let rows = 0;
  for (;;) {
    const batch = rowsOf(
      await db.query(
        `SELECT ${AUDIT_SELECT} FROM audit_log WHERE id >= $1 ORDER BY audit_log.id LIMIT $2`,
        [expectedId, batchSize],
      ),
    );
    if (batch.length === 0)
      return { ok: true, rows, headId: rows ? expectedId - 1 : null, headHash: prevHash };
    for (const row of batch) {
      const id = Number(row.id);
      if (id !== expectedId)
        return { ok: false, rows, brokenAt: id, reason: `row ${expectedId} is missing` };
      if (row.prev_hash !== prevHash)
        return { ok: false, rows, brokenAt: id, reason: 'prev_hash does not match the row before' };
      const hash = auditRowHash(prevHash, rowContent(row));
      if (hash !== row.hash)
        return { ok: false, rows, brokenAt: id, reason: 'content does not match its hash' };
      prevHash = row.hash;
      expectedId += 1;
      rows += 1;
    }
  }
}
