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
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
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
  await applyProfileFieldsMany(manager, [{ customerId, fields, version, occurredAt }]);
}

/** One event's contribution to a customer's profile part. */
export interface ProfileFields {
  customerId: string;
  fields: Record<string, unknown>;
  version: number;
  occurredAt: string;
}

/**
 * Applies many events' fields with one read and one write (in the given order per customer):
 * the same result as applying them one by one.
 */
export async function applyProfileFieldsMany(
  manager: EntityManager,
  updates: readonly ProfileFields[],
): Promise<void> {
  if (updates.length === 0) return;
  const ids = [...new Set(updates.map((u) => u.customerId))].sort();
  const rows = (await manager.query(
    `SELECT customer_id, data, field_versions, as_of FROM view_customer_profile
     WHERE customer_id = ANY($1::uuid[]) ORDER BY customer_id FOR UPDATE`,
    [ids],
  )) as {
    customer_id: string;
    data: Record<string, unknown>;
    field_versions: Record<string, number>;
    as_of: Date;
  }[];
  const state = new Map<
    string,
    { data: Record<string, unknown>; versions: Record<string, number>; asOf: number }
  >();
  for (const row of rows) {
    state.set(row.customer_id, {
      data: { ...row.data },
      versions: { ...row.field_versions },
      asOf: row.as_of.getTime(),
    });
  }
  for (const u of updates) {
    let s = state.get(u.customerId);
    if (!s) {
      s = { data: {}, versions: {}, asOf: Date.parse(u.occurredAt) };
      state.set(u.customerId, s);
    }
    for (const [field, value] of Object.entries(u.fields)) {
      if (value === undefined) continue;
      if ((s.versions[field] ?? 0) < u.version) {
        s.data[field] = value;
        s.versions[field] = u.version;
      }
    }
    s.asOf = Math.max(s.asOf, Date.parse(u.occurredAt));
  }
  const list = [...state.entries()];
  await manager.query(
    `INSERT INTO view_customer_profile (customer_id, data, field_versions, as_of)
     SELECT * FROM unnest($1::uuid[], ${jsonbElements('$2')}, ${jsonbElements('$3')}, $4::timestamptz[])
     ON CONFLICT (customer_id) DO UPDATE SET data = EXCLUDED.data, field_versions = EXCLUDED.field_versions,
       as_of = greatest(view_customer_profile.as_of, EXCLUDED.as_of)`,
    [
      list.map(([id]) => id),
      jsonbArray(list.map(([, s]) => s.data)),
      jsonbArray(list.map(([, s]) => s.versions)),
      list.map(([, s]) => new Date(s.asOf).toISOString()),
    ],
  );
}

const versionOf = (e: EventEnvelope) => e.subjectVersion ?? 1;

/** Events that touch nothing but the profile part: projected in bulk by `projectMany`. */
export const profileFieldsOf: Record<string, (e: EventEnvelope<never>) => ProfileFields> = {
  [CustomerCreatedV1.topic]: (e: EventEnvelope<CustomerCreatedV1Payload>) => {
    const p = e.payload;
    return {
      customerId: p.customerId,
      fields: {
        partyType: p.partyType,
        category: p.category,
        status: p.status,
        displayName: p.displayName,
        nameLatin: p.nameLatin ?? null,
        identifiers: p.identifiers,
        relationshipManagerId: p.relationshipManagerId ?? null,
        createdAt: p.createdAt,
      },
      version: versionOf(e),
      occurredAt: e.occurredAt,
    };
  },
  [CustomerUpdatedV1.topic]: (e: EventEnvelope<CustomerUpdatedV1Payload>) => ({
    customerId: e.payload.customerId,
    fields: e.payload.changes,
    version: versionOf(e),
    occurredAt: e.occurredAt,
  }),
  [CustomerStatusChangedV1.topic]: (e: EventEnvelope<CustomerStatusChangedV1Payload>) => ({
    customerId: e.payload.customerId,
    fields: { status: e.payload.to, statusChangedAt: e.payload.changedAt },
    version: versionOf(e),
    occurredAt: e.occurredAt,
  }),
};

export const profilePart: PartHandlers = {
  ...Object.fromEntries(
    Object.entries(profileFieldsOf).map(([topic, fieldsOf]) => [
      topic,
      (m: EntityManager, e: EventEnvelope<never>) => applyProfileFieldsMany(m, [fieldsOf(e)]),
    ]),
  ),
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
