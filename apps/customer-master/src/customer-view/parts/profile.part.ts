import {
  CustomerCreatedV1,
  CustomerMergedV1,
  CustomerStatusChangedV1,
  CustomerUnmergedV1,
  CustomerUpdatedV1,
  type CustomerCreatedV1Payload,
  type CustomerMergedV1Payload,
  type CustomerStatusChangedV1Payload,
  type CustomerUnmergedV1Payload,
  type CustomerUpdatedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import type { EntityManager } from 'typeorm';

import type { PartHandlers } from './part-handler';

/**
 * Profile part: the customer's own fields as customer-master publishes them (identifiers, phones
 * and e-mails masked). Each field remembers the customer version that set it; an event only
 * overwrites fields it is newer for, so the created/updated/status-changed topics may be applied
 * in any order.
 */
export async function applyProfileFields(
  manager: EntityManager,
  customerId: string,
  fields: Record<string, unknown>,
  version: number,
  occurredAt: string,
): Promise<void> {
  const [row] = (await manager.query(
    'SELECT data, field_versions, as_of FROM view_customer_profile WHERE customer_id = $1 FOR UPDATE',
    [customerId],
  )) as { data: Record<string, unknown>; field_versions: Record<string, number>; as_of: Date }[];
  const data = { ...(row?.data ?? {}) };
  const versions = { ...(row?.field_versions ?? {}) };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if ((versions[field] ?? 0) < version) {
      data[field] = value;
      versions[field] = version;
    }
  }
  await manager.query(
    `INSERT INTO view_customer_profile (customer_id, data, field_versions, as_of) VALUES ($1, $2, $3, $4)
     ON CONFLICT (customer_id) DO UPDATE SET data = EXCLUDED.data, field_versions = EXCLUDED.field_versions,
       as_of = greatest(view_customer_profile.as_of, EXCLUDED.as_of)`,
    [customerId, JSON.stringify(data), JSON.stringify(versions), occurredAt],
  );
}

const versionOf = (e: EventEnvelope) => e.subjectVersion ?? 1;

export const profilePart: PartHandlers = {
  [CustomerCreatedV1.topic]: async (m, e: EventEnvelope<CustomerCreatedV1Payload>) => {
    const p = e.payload;
    await applyProfileFields(
      m,
      p.customerId,
      {
        partyType: p.partyType,
        category: p.category,
        status: p.status,
        displayName: p.displayName,
        nameLatin: p.nameLatin ?? null,
        identifiers: p.identifiers,
        relationshipManagerId: p.relationshipManagerId ?? null,
        createdAt: p.createdAt,
      },
      versionOf(e),
      e.occurredAt,
    );
  },
  [CustomerUpdatedV1.topic]: async (m, e: EventEnvelope<CustomerUpdatedV1Payload>) => {
    await applyProfileFields(
      m,
      e.payload.customerId,
      e.payload.changes,
      versionOf(e),
      e.occurredAt,
    );
  },
  [CustomerStatusChangedV1.topic]: async (m, e: EventEnvelope<CustomerStatusChangedV1Payload>) => {
    await applyProfileFields(
      m,
      e.payload.customerId,
      { status: e.payload.to, statusChangedAt: e.payload.changedAt },
      versionOf(e),
      e.occurredAt,
    );
  },
  [CustomerMergedV1.topic]: async (m, e: EventEnvelope<CustomerMergedV1Payload>) => {
    await applyProfileFields(
      m,
      e.payload.survivorId,
      { identifiers: e.payload.survivorIdentifiers },
      versionOf(e),
      e.occurredAt,
    );
  },
  [CustomerUnmergedV1.topic]: async (m, e: EventEnvelope<CustomerUnmergedV1Payload>) => {
    await applyProfileFields(
      m,
      e.payload.survivorId,
      { identifiers: e.payload.survivorIdentifiers },
      versionOf(e),
      e.occurredAt,
    );
  },
};
