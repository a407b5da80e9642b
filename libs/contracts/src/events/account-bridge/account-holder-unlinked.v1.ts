import { Type, type Static } from '@sinclair/typebox';

import { Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { HolderRoleSchema, SourceKeySchema, SourceSystemSchema } from './account-event-parts';
import { HolderLinkCauseSchema } from './account-holder-linked.v1';

export const AccountHolderUnlinkedV1Schema = Type.Object(
  {
    accountId: Uuid('The account.'),
    customerId: Uuid('The golden customer no longer linked (in this role, through this party).'),
    role: HolderRoleSchema,
    sourceSystem: SourceSystemSchema,
    partySourceKey: SourceKeySchema('The party record (in sourceSystem) that held the role.'),
    cause: HolderLinkCauseSchema,
    unlinkedAt: Timestamp('When account-bridge unlinked them.'),
  },
  { description: 'A customer-account link ended.' },
);

export type AccountHolderUnlinkedV1Payload = Static<typeof AccountHolderUnlinkedV1Schema>;

export const AccountHolderUnlinkedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account-holder',
  event: 'unlinked',
  version: 1,
  summary:
    'A customer stopped being linked to an account in a role: the holder was removed from the account record, or the party record now resolves to another customer (a merge or a correction; the new link follows as account-holder.linked). Keyed by accountId.',
  key: 'accountId',
  payload: AccountHolderUnlinkedV1Schema,
  example: {
    accountId: '9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d',
    customerId: '3f1d2c4b-5a6e-4f70-8b9c-1d2e3f4a5b6c',
    role: 'primary-holder',
    sourceSystem: 'core-banking',
    partySourceKey: 'CB-000123',
    cause: 'customer-merged',
    unlinkedAt: '2026-11-28T10:00:01.000Z',
  },
});
