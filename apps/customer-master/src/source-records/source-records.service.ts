import { withDataScope, type DataScope } from '@bank-crm/auth';
import { maskEmail, maskTail } from '@bank-crm/pii';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { isInScope } from '../common/caller';
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

  /**
   * A source record for staff, identifiers and contact data masked. A relationship manager sees
   * only the records of customers in their portfolio (one not resolved to a customer: 404).
   */
  async get(
    sourceSystem: string,
    sourceKey: string,
    scope: DataScope,
  ): Promise<Record<string, unknown>> {
    return withDataScope(this.dataSource, scope, async (manager) => {
      const notFound = () =>
        new NotFoundException(`source record ${sourceSystem}/${sourceKey} not found`);
      const row = await manager
        .getRepository(SourceRecordEntity)
        .findOneBy({ sourceSystem, sourceKey });
      if (!row) throw notFound();
      if (scope.kind === 'portfolio') {
        const [link] = (await manager.query(
          'SELECT customer_id FROM source_record WHERE source_system = $1 AND source_key = $2',
          [sourceSystem, sourceKey],
        )) as { customer_id: string | null }[];
        if (!link?.customer_id || !(await isInScope(manager, scope, link.customer_id)))
          throw notFound();
      }
      return {
        record: maskSourceRecord(row.record),
        observedAt: row.observedAt.toISOString(),
        receivedAt: row.receivedAt.toISOString(),
      };
    });
  }
}
