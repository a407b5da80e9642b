import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { DateOnly } from './customer-event-parts';

export const GroupMembershipEndedV1Schema = Type.Object(
  {
    membershipId: Uuid('Id of the membership.'),
    groupId: Uuid('The group.'),
    customerId: Uuid('The member.'),
    validTo: DateOnly('First day no longer a member (exclusive)'),
    endedAt: Timestamp('When the end was recorded.'),
  },
  { description: 'A group membership was given an end date.' },
);

export type GroupMembershipEndedV1Payload = Static<typeof GroupMembershipEndedV1Schema>;

export const GroupMembershipEndedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'group-membership',
  event: 'ended',
  version: 1,
  summary: 'A group membership was given an end date (valid-to, exclusive).',
  key: 'groupId',
  payload: GroupMembershipEndedV1Schema,
  example: {
    membershipId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
    groupId: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    validTo: '2026-12-01',
    endedAt: '2026-11-30T09:00:00.000Z',
  },
});
