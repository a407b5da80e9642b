import { Type, type Static } from '@sinclair/typebox';

import { StringEnum, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import {
  AccountDate,
  HolderRoleSchema,
  SourceKeySchema,
  SourceSystemSchema,
} from './account-event-parts';

export const HolderLinkCauseSchema = StringEnum(
  ['holder-added', 'holder-removed', 'customer-resolved', 'customer-merged'],
  {
    description:
      'Why: holder-added / holder-removed (the source account record changed its holders), customer-resolved (customer-master resolved the party record, or moved it to another customer), customer-merged (the customer was merged into a survivor).',
  },
);

export const AccountHolderLinkedV1Schema = Type.Object(
  {
    accountId: Uuid('The account.'),
    customerId: Uuid('The golden customer now linked to the account.'),
    role: HolderRoleSchema,
    sourceSystem: SourceSystemSchema,
    partySourceKey: SourceKeySchema('The party record (in sourceSystem) that holds the role.'),
    validFrom: Type.Union([AccountDate('First day of the role'), Type.Null()], {
      description: 'First day of the role as the source gives it; null when not given.',
    }),
    cause: HolderLinkCauseSchema,
    linkedAt: Timestamp('When account-bridge linked them.'),
  },
  { description: 'A customer-account link started.' },
);

export type AccountHolderLinkedV1Payload = Static<typeof AccountHolderLinkedV1Schema>;

export const AccountHolderLinkedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account-holder',
  event: 'linked',
  version: 1,
  summary:
    'A customer became linked to an account in a role: a holder was added to the account, or customer-master resolved (or re-keyed by a merge) the party record that holds it. Keyed by accountId.',
  key: 'accountId',
  payload: AccountHolderLinkedV1Schema,
  example: {
    accountId: '9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d',
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    role: 'primary-holder',
    sourceSystem: 'core-banking',
    partySourceKey: 'CB-000123',
    validFrom: null,
    cause: 'customer-resolved',
    linkedAt: '2026-11-28T08:00:01.000Z',
  },
});
