import { Type, type Static } from '@sinclair/typebox';

import { Timestamp } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import {
  AccountIdSchema,
  AccountStatusSchema,
  PublishedAccountSchema,
} from './account-event-parts';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_PUBLISHED_ACCOUNT } from './account-examples';

export const AccountClosedV1Schema = Type.Object(
  {
    accountId: AccountIdSchema,
    account: PublishedAccountSchema,
    previousStatus: AccountStatusSchema,
    recordedAt: Timestamp('When account-bridge recorded the closure.'),
  },
  { description: 'An account was closed in its business system.' },
);

export type AccountClosedV1Payload = Static<typeof AccountClosedV1Schema>;

export const AccountClosedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account',
  event: 'closed',
  version: 1,
  summary:
    'An account was closed in its business system (status changed to closed). Keyed by accountId; subjectVersion is the account version.',
  key: 'accountId',
  payload: AccountClosedV1Schema,
  example: {
    accountId: EXAMPLE_ACCOUNT_ID,
    account: {
      ...EXAMPLE_PUBLISHED_ACCOUNT,
      status: 'closed',
      balance: '0.0000',
      availableBalance: '0.0000',
      closedOn: '2026-11-28',
    },
    previousStatus: 'open',
    recordedAt: '2026-11-28T08:00:01.000Z',
  },
});
