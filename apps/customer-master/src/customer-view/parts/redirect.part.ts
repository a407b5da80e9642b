import {
  CustomerMergedV1,
  CustomerUnmergedV1,
  type CustomerMergedV1Payload,
  type CustomerUnmergedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';

import type { PartHandlers } from './part-handler';

/** Merge redirects: absorbed id -> survivor, undone by a tombstone whichever event comes first. */
export const redirectPart: PartHandlers = {
  [CustomerMergedV1.topic]: async (m, e: EventEnvelope<CustomerMergedV1Payload>) => {
    for (const absorbedId of e.payload.absorbedIds) {
      await m.query(
        `INSERT INTO view_customer_redirect (absorbed_id, merge_id, survivor_id) VALUES ($1, $2, $3)
         ON CONFLICT (absorbed_id, merge_id) DO NOTHING`,
        [absorbedId, e.payload.mergeId, e.payload.survivorId],
      );
    }
  },
  [CustomerUnmergedV1.topic]: async (m, e: EventEnvelope<CustomerUnmergedV1Payload>) => {
    await m.query(
      `INSERT INTO view_customer_redirect (absorbed_id, merge_id, survivor_id, unmerged) VALUES ($1, $2, $3, true)
       ON CONFLICT (absorbed_id, merge_id) DO UPDATE SET unmerged = true`,
      [e.payload.restoredId, e.payload.mergeId, e.payload.survivorId],
    );
  },
};
