import {
  CustomerHoldingsChangedV1,
  type CustomerHoldingsChangedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';

import type { PartHandlers } from './part-handler';

/** Accounts part: account-bridge's newest holdings snapshot per customer (by sequence). */
export const accountsPart: PartHandlers = {
  [CustomerHoldingsChangedV1.topic]: async (
    m,
    e: EventEnvelope<CustomerHoldingsChangedV1Payload>,
  ) => {
    const { customerId, ...snapshot } = e.payload;
    await m.query(
      `INSERT INTO view_customer_holdings (customer_id, sequence, data, as_of) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id) DO UPDATE SET sequence = EXCLUDED.sequence, data = EXCLUDED.data,
         as_of = EXCLUDED.as_of
       WHERE view_customer_holdings.sequence < EXCLUDED.sequence`,
      [customerId, snapshot.sequence, JSON.stringify(snapshot), snapshot.asOf],
    );
  },
};
