import type { EventEnvelope, SourcePartyRecordV1 } from '@bank-crm/contracts';
import { maskEmail, maskTail } from '@bank-crm/pii';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { SourceRecordEntity } from './source-record.entity';

export type RecordOutcome = 'inserted' | 'updated' | 'older-ignored';

@Injectable()
export class SourceRecordsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keeps the newest version of each source record: an older `observedAt` arriving late is
   * ignored, never overwriting newer data. Without `observedAt` the event time stands in.
   */
  async record(
    manager: EntityManager,
    event: EventEnvelope<SourcePartyRecordV1>,
  ): Promise<RecordOutcome> {
    const r = event.payload;
    const observedAt = r.observedAt ?? event.occurredAt;
    const rows: { inserted: boolean }[] = await manager.query(
      `INSERT INTO source_record (source_system, source_key, party_type, record, observed_at, received_at, last_event_id)
       VALUES ($1, $2, $3, $4, $5, now(), $6)
       ON CONFLICT (source_system, source_key) DO UPDATE
         SET party_type = EXCLUDED.party_type, record = EXCLUDED.record, observed_at = EXCLUDED.observed_at,
             received_at = EXCLUDED.received_at, last_event_id = EXCLUDED.last_event_id
         WHERE source_record.observed_at <= EXCLUDED.observed_at
       RETURNING (xmax = 0) AS inserted`,
      [r.sourceSystem, r.sourceKey, r.partyType, JSON.stringify(r), observedAt, event.id],
    );
    if (rows.length === 0) return 'older-ignored';
    return rows[0].inserted ? 'inserted' : 'updated';
  }

  /** A source record for staff, identifiers and contact data masked. */
  async get(sourceSystem: string, sourceKey: string): Promise<Record<string, unknown>> {
    const row = await this.dataSource
      .getRepository(SourceRecordEntity)
      .findOneBy({ sourceSystem, sourceKey });
    if (!row) throw new NotFoundException(`source record ${sourceSystem}/${sourceKey} not found`);
    const r = row.record;
    const masked = { ...r };
    for (const field of ['idNumber', 'phone'] as const) {
      if (typeof r[field] === 'string') masked[field] = maskTail(r[field]);
    }
    if (typeof r.email === 'string') masked.email = maskEmail(r.email);
    return {
      record: masked,
      observedAt: row.observedAt.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
    };
  }
}
