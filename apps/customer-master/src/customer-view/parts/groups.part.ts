import {
  GroupMembershipAddedV1,
  GroupMembershipEndedV1,
  type EventEnvelope,
  type GroupMembershipAddedV1Payload,
  type GroupMembershipEndedV1Payload,
} from '@bank-crm/contracts';

import type { PartHandlers } from './part-handler';

/** Groups part: memberships, added and ended in either order (like relations). */
export const groupsPart: PartHandlers = {
  [GroupMembershipAddedV1.topic]: async (m, e: EventEnvelope<GroupMembershipAddedV1Payload>) => {
    const p = e.payload;
    await m.query(
      `INSERT INTO view_group_membership (membership_id, customer_id, group_id, added, as_of)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (membership_id) DO UPDATE SET customer_id = EXCLUDED.customer_id,
         added = EXCLUDED.added, as_of = greatest(view_group_membership.as_of, EXCLUDED.as_of)`,
      [
        p.membershipId,
        p.customerId,
        p.groupId,
        JSON.stringify({
          group: p.group,
          role: p.role,
          validFrom: p.validFrom,
          validTo: p.validTo,
        }),
        e.occurredAt,
      ],
    );
  },
  [GroupMembershipEndedV1.topic]: async (m, e: EventEnvelope<GroupMembershipEndedV1Payload>) => {
    const p = e.payload;
    await m.query(
      `INSERT INTO view_group_membership (membership_id, customer_id, group_id, ended_valid_to, as_of)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (membership_id) DO UPDATE SET ended_valid_to = EXCLUDED.ended_valid_to,
         as_of = greatest(view_group_membership.as_of, EXCLUDED.as_of)`,
      [p.membershipId, p.customerId, p.groupId, p.validTo, e.occurredAt],
    );
  },
};
