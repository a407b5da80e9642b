import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { DateOnly, GroupKindSchema } from './customer-event-parts';

export const GroupMembershipAddedV1Schema = Type.Object(
  {
    membershipId: Uuid('Id of the membership.'),
    groupId: Uuid('The group.'),
    group: Type.Object(
      {
        kind: GroupKindSchema,
        type: Type.String({
          minLength: 1,
          maxLength: 64,
          description: 'Type of group, e.g. household, corporate-group, campaign-list.',
        }),
        name: Type.String({ minLength: 1, maxLength: 256, description: 'Group name.' }),
      },
      { additionalProperties: false, description: 'The group, as it was when the member joined.' },
    ),
    customerId: Uuid('The member.'),
    role: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Role in the group, e.g. head, member, parent-company, subsidiary.',
    }),
    validFrom: DateOnly('First day of membership'),
    validTo: Type.Union([DateOnly('First day no longer a member'), Type.Null()], {
      description: 'First day no longer a member (exclusive); null = open-ended.',
    }),
    addedAt: Timestamp('When it was recorded.'),
  },
  { description: 'A customer joined a group for a period.' },
);

export type GroupMembershipAddedV1Payload = Static<typeof GroupMembershipAddedV1Schema>;

export const GroupMembershipAddedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'group-membership',
  event: 'added',
  version: 1,
  summary:
    'A customer became a member of an entity group (household, corporate group) or a managed list, for a period. Keyed by the group so one group’s changes stay in order.',
  key: 'groupId',
  payload: GroupMembershipAddedV1Schema,
  example: {
    membershipId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
    groupId: '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091',
    group: { kind: 'entity', type: 'household', name: '张家' },
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    role: 'head',
    validFrom: '2026-01-01',
    validTo: null,
    addedAt: '2026-11-28T09:00:00.000Z',
  },
});
