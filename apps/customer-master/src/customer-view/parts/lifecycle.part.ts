import {
  CustomerStatusChangedV1,
  type CustomerStatusChangedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';

import type { PartHandlers } from './part-handler';

/** Lifecycle part: every status transition, with cause and trigger (a set keyed by event id). */
export const lifecyclePart: PartHandlers = {
  [CustomerStatusChangedV1.topic]: async (m, e: EventEnvelope<CustomerStatusChangedV1Payload>) => {
    const { customerId, ...change } = e.payload;
    await m.query(
      `INSERT INTO view_customer_status_change (event_id, customer_id, data, changed_at, as_of)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING`,
      [e.id, customerId, JSON.stringify(change), change.changedAt, e.occurredAt],
    );
  },
};
