import {
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  type CustomerAccountV1,
  type CustomerAccountV2,
  type CustomerHoldingsChangedV1Payload,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import type { EntityManager } from 'typeorm';

import type { PartHandlers } from './part-handler';

/**
 * Stores each customer's snapshot unless a newer one is stored: the newest of the given ones per
 * customer (by sequence; of equal ones the last), so the result is the one-by-one result, with
 * one statement. `replaceSameSequence`: v1 and v2 of one snapshot share its sequence, and v2
 * (finer) replaces the v1 copy, never the reverse.
 */
export async function storeHoldings(
  m: EntityManager,
  snapshots: readonly CustomerHoldingsChangedV2Payload[],
  replaceSameSequence: boolean,
): Promise<void> {
  const newest = new Map<string, CustomerHoldingsChangedV2Payload>();
  for (const s of snapshots) {
    const kept = newest.get(s.customerId);
    if (
      !kept ||
      kept.sequence < s.sequence ||
      (replaceSameSequence && kept.sequence === s.sequence)
    )
      newest.set(s.customerId, s);
  }
  if (newest.size === 0) return;
  const rows = [...newest.values()].map(({ customerId, ...snapshot }) => ({
    customerId,
    snapshot,
  }));
  await m.query(
    `INSERT INTO view_customer_holdings (customer_id, sequence, data, as_of)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], ${jsonbElements('$3')}, $4::timestamptz[])
     ON CONFLICT (customer_id) DO UPDATE SET sequence = EXCLUDED.sequence, data = EXCLUDED.data,
       as_of = EXCLUDED.as_of
     WHERE view_customer_holdings.sequence ${replaceSameSequence ? '<=' : '<'} EXCLUDED.sequence`,
    [
      rows.map((r) => r.customerId),
      rows.map((r) => r.snapshot.sequence),
      jsonbArray(rows.map((r) => r.snapshot)),
      rows.map((r) => r.snapshot.asOf),
    ],
  );
}

/**
 * A v1 snapshot in v2's vocabulary. Exact for card (v1's card was always a credit card); what v1
 * merged (mortgage into loan, frozen into open, card-holder into joint-holder) stays merged.
 */
export function holdingsV1AsV2(
  v1: CustomerHoldingsChangedV1Payload,
): CustomerHoldingsChangedV2Payload {
  const productType = (p: CustomerAccountV1['productType']): CustomerAccountV2['productType'] =>
    p === 'card' ? 'credit-card' : p;
  return {
    ...v1,
    accounts: v1.accounts.map((a) => ({ ...a, productType: productType(a.productType) })),
    holdings: v1.holdings.map((h) => ({ ...h, productType: productType(h.productType) })),
  };
}

/**
 * Accounts part: account-bridge's newest holdings snapshot per customer (by sequence). Live
 * events come from v2 only (CustomerViewConsumer). The v1 handler serves replays: a rebuild also
 * reads the deprecated v1 topic, so customers whose newest snapshot predates v2 keep their
 * accounts. Drop it when v1 is retired.
 */
export const accountsPart: PartHandlers = {
  [CustomerHoldingsChangedV2.topic]: async (
    m,
    e: EventEnvelope<CustomerHoldingsChangedV2Payload>,
  ) => storeHoldings(m, [e.payload], true),
  [CustomerHoldingsChangedV1.topic]: async (
    m,
    e: EventEnvelope<CustomerHoldingsChangedV1Payload>,
  ) => storeHoldings(m, [holdingsV1AsV2(e.payload)], false),
};
