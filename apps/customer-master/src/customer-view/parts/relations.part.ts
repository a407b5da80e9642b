import {
  CustomerRelationAddedV1,
  CustomerRelationEndedV1,
  type CustomerRelationAddedV1Payload,
  type CustomerRelationEndedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';

import type { PartHandlers } from './part-handler';

/**
 * Relations part: added and ended arrive on two topics, in either order; the row keeps the added
 * data and the end separately. The customers are the ones named when the relation was added (a
 * merge's redirects are followed when the view is read).
 */
export const relationsPart: PartHandlers = {
  [CustomerRelationAddedV1.topic]: async (m, e: EventEnvelope<CustomerRelationAddedV1Payload>) => {
    const p = e.payload;
    await m.query(
      `INSERT INTO view_customer_relation (relation_id, from_customer_id, to_customer_id, added, as_of)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (relation_id) DO UPDATE SET from_customer_id = EXCLUDED.from_customer_id,
         to_customer_id = EXCLUDED.to_customer_id, added = EXCLUDED.added,
         as_of = greatest(view_customer_relation.as_of, EXCLUDED.as_of)`,
      [
        p.relationId,
        p.fromCustomerId,
        p.toCustomerId,
        JSON.stringify({
          type: p.type,
          reverseType: p.reverseType,
          validFrom: p.validFrom,
          validTo: p.validTo,
        }),
        e.occurredAt,
      ],
    );
  },
  [CustomerRelationEndedV1.topic]: async (m, e: EventEnvelope<CustomerRelationEndedV1Payload>) => {
    const p = e.payload;
    await m.query(
      `INSERT INTO view_customer_relation (relation_id, from_customer_id, to_customer_id, ended_valid_to, as_of)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (relation_id) DO UPDATE SET ended_valid_to = EXCLUDED.ended_valid_to,
         as_of = greatest(view_customer_relation.as_of, EXCLUDED.as_of)`,
      [p.relationId, p.fromCustomerId, p.toCustomerId, p.validTo, e.occurredAt],
    );
  },
};
