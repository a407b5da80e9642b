import type { AuthUser } from '@bank-crm/auth';
import { advisoryLockKey } from '@bank-crm/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { auditRowHash, GENESIS_HASH, type AuditRowContent } from './audit-chain';
import { maskPiiFields } from './mask-pii';

export const AUDIT_SERVICE_NAME = Symbol('AUDIT_SERVICE_NAME');

/** Who did it: a user from a token, or the service itself (consumers, relays). */
export type AuditActor = Pick<AuthUser, 'id' | 'roles' | 'tokenId'> | 'system';

export interface AuditEntry {
  actor: AuditActor;
  /** What happened, e.g. `customer.created`, `customer.identifiers.read` (a full-PII read). */
  action: string;
  entityType: string;
  entityId: string;
  /** The entity before and after a change (PII fields are masked before they are stored). */
  before?: unknown;
  after?: unknown;
  correlationId?: string | null;
}

export interface RecordedAudit {
  id: number;
  hash: string;
}

/** Plain JSON, then PII masked: what the row stores and the hash covers. */
function snapshot(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return maskPiiFields(JSON.parse(JSON.stringify(value)) as unknown);
}

/**
 * Appends to the service's audit trail in the caller's transaction: the audit row commits or
 * rolls back with the change it records. Rows are chained under a transaction-scoped advisory
 * lock, so ids are gapless and every row's prev_hash is the hash of the row before.
 */
@Injectable()
export class AuditService {
  constructor(@Inject(AUDIT_SERVICE_NAME) private readonly serviceName: string) {}

  async record(manager: EntityManager, entry: AuditEntry): Promise<RecordedAudit> {
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error('AuditService.record must run in the transaction of the change it records');
    await manager.query('SELECT pg_advisory_xact_lock($1)', [
      advisoryLockKey(`audit:${this.serviceName}`),
    ]);
    const [last] = (await manager.query(
      'SELECT id::text AS id, hash FROM audit_log ORDER BY audit_log.id DESC LIMIT 1',
    )) as { id: string; hash: string }[];
    const actor =
      entry.actor === 'system'
        ? { id: 'system', roles: [] as string[], tokenId: null }
        : {
            id: entry.actor.id,
            roles: [...entry.actor.roles],
            tokenId: entry.actor.tokenId ?? null,
          };
    const row: AuditRowContent = {
      id: last ? Number(last.id) + 1 : 1,
      occurredAt: new Date().toISOString(),
      service: this.serviceName,
      actorId: actor.id,
      actorRoles: actor.roles,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
      correlationId: entry.correlationId ?? null,
      tokenId: actor.tokenId,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = auditRowHash(prevHash, row);
    await manager.query(
      `INSERT INTO audit_log (id, occurred_at, service, actor_id, actor_roles, action, entity_type,
         entity_id, before, after, correlation_id, token_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        row.id,
        row.occurredAt,
        row.service,
        row.actorId,
        row.actorRoles,
        row.action,
        row.entityType,
        row.entityId,
        row.before === null ? null : JSON.stringify(row.before),
        row.after === null ? null : JSON.stringify(row.after),
        row.correlationId,
        row.tokenId,
        prevHash,
        hash,
      ],
    );
    return { id: row.id, hash };
  }
}
