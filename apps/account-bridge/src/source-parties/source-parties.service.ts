import { createHash } from 'node:crypto';

import { AuditService, type AuditActor } from '@bank-crm/audit';
import { dataScopeOf, SYSTEM_SCOPE, withDataScope } from '@bank-crm/auth';
import {
  SourcePartyRecordedV1,
  validatePayload,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { OutboxWriter } from '@bank-crm/messaging';
import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type IngestOutcome = 'recorded' | 'unchanged' | 'older-ignored';

/** Stable JSON (sorted keys) so the same record always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sourcePartyKey(
  record: Pick<SourcePartyRecordV1, 'sourceSystem' | 'sourceKey'>,
): string {
  return `${record.sourceSystem}:${record.sourceKey}`;
}

@Injectable()
export class SourcePartiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditService,
  ) {}

  /**
   * Takes one party record from a business system. Idempotent: the same content again is
   * `unchanged`; an older `observedAt` than the stored one is `older-ignored`. A new or changed
   * record is stored, audited (who, before/after with PII masked) and published for identity
   * resolution in one transaction.
   */
  async ingest(
    body: unknown,
    correlationId: string,
    actor: AuditActor,
  ): Promise<{ outcome: IngestOutcome; key: string }> {
    const checked = validatePayload<SourcePartyRecordV1>(SourcePartyRecordedV1, body);
    if (!checked.ok) {
      throw new BadRequestException({
        error: 'Bad Request',
        message: `invalid source party record: ${checked.errors.map((e) => e.field).join(', ')}`,
        errors: checked.errors,
      });
    }
    const record = checked.value;
    const key = sourcePartyKey(record);
    const hash = createHash('sha256').update(canonical(record)).digest('hex');
    const observedAt = record.observedAt ?? new Date().toISOString();

    const scope = actor === 'system' ? SYSTEM_SCOPE : dataScopeOf(actor);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const [previous]: { record: unknown }[] = await manager.query(
        'SELECT record FROM source_party WHERE source_system = $1 AND source_key = $2 FOR UPDATE',
        [record.sourceSystem, record.sourceKey],
      );
      const rows: { content_hash: string }[] = await manager.query(
        `INSERT INTO source_party (source_system, source_key, record, content_hash, observed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (source_system, source_key) DO UPDATE
           SET record = EXCLUDED.record, content_hash = EXCLUDED.content_hash,
               observed_at = EXCLUDED.observed_at, updated_at = now()
           WHERE source_party.content_hash <> EXCLUDED.content_hash
             AND source_party.observed_at <= EXCLUDED.observed_at
         RETURNING content_hash`,
        [record.sourceSystem, record.sourceKey, JSON.stringify(record), hash, observedAt],
      );
      if (rows.length === 0) {
        const [current]: { content_hash: string }[] = await manager.query(
          'SELECT content_hash FROM source_party WHERE source_system = $1 AND source_key = $2',
          [record.sourceSystem, record.sourceKey],
        );
        return { outcome: current?.content_hash === hash ? 'unchanged' : 'older-ignored', key };
      }
      await this.audit.record(manager, {
        actor,
        action: previous ? 'source-party.updated' : 'source-party.created',
        entityType: 'source-party',
        entityId: key,
        before: previous?.record ?? null,
        after: record,
        correlationId,
      });
      await this.outbox.append(manager, SourcePartyRecordedV1, {
        subject: key,
        correlationId,
        payload: record,
        occurredAt: new Date(observedAt),
      });
      return { outcome: 'recorded', key };
    });
  }
}
