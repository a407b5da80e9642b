import { maskEmail, maskTail } from '@bank-crm/pii';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SourceRecordEntity } from './source-record.entity';

/** A source record as staff see it: identifiers and contact data masked. */
export function maskSourceRecord(r: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...r };
  for (const field of ['idNumber', 'phone'] as const) {
    if (typeof r[field] === 'string') masked[field] = maskTail(r[field]);
  }
  if (typeof r.email === 'string') masked.email = maskEmail(r.email);
  return masked;
}

@Injectable()
export class SourceRecordsService {
  constructor(private readonly dataSource: DataSource) {}

  /** A source record for staff, identifiers and contact data masked. */
  async get(sourceSystem: string, sourceKey: string): Promise<Record<string, unknown>> {
    const row = await this.dataSource
      .getRepository(SourceRecordEntity)
      .findOneBy({ sourceSystem, sourceKey });
    if (!row) throw new NotFoundException(`source record ${sourceSystem}/${sourceKey} not found`);
    return {
      record: maskSourceRecord(row.record),
      observedAt: row.observedAt.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
    };
  }
}
