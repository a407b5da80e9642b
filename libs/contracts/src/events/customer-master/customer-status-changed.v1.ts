import { Type, type Static } from '@sinclair/typebox';

import { CustomerStatusSchema, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { StatusChangeCauseSchema, StatusChangeTriggerSchema } from './customer-event-parts';

export const CustomerStatusChangedV1Schema = Type.Object(
  {
    customerId: Uuid('Permanent customer id.'),
    from: CustomerStatusSchema,
    to: CustomerStatusSchema,
    cause: StatusChangeCauseSchema,
    trigger: StatusChangeTriggerSchema,
    changedAt: Timestamp('When the transition happened.'),
    actorUserId: Type.Optional(
      Type.String({ minLength: 1, description: 'The user who overrode the status (manual only).' }),
    ),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Why the user overrode the status (manual only).',
      }),
    ),
    sourceEventId: Type.Optional(
      Uuid('The account-bridge event that caused the change (account-event only).'),
    ),
  },
  { description: 'A customer lifecycle status transition.' },
);

export type CustomerStatusChangedV1Payload = Static<typeof CustomerStatusChangedV1Schema>;

export const CustomerStatusChangedV1 = defineEvent({
  owner: 'customer-master',
  aggregate: 'customer',
  event: 'status-changed',
  version: 1,
  summary:
    "A customer's lifecycle status changed (potential, active, dormant, lost), derived from account-bridge holdings, the dormancy sweep, or a manual override. subjectVersion is the customer version after the change.",
  key: 'customerId',
  payload: CustomerStatusChangedV1Schema,
  example: {
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    from: 'potential',
    to: 'active',
    cause: 'first-account-opened',
    trigger: 'account-event',
    changedAt: '2026-11-28T09:00:00.000Z',
    sourceEventId: '5d0f3b2e-3c55-4a70-9d6c-2f4b8e1f6a01',
  },
});
