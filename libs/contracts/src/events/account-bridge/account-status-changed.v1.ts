import { Type, type Static } from '@sinclair/typebox';

import { Timestamp } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import {
  AccountIdSchema,
  AccountStatusSchema,
  PublishedAccountSchema,
} from './account-event-parts';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_PUBLISHED_ACCOUNT } from './account-examples';

export const AccountStatusChangedV1Schema = Type.Object(
  {
    accountId: AccountIdSchema,
    account: PublishedAccountSchema,
    from: AccountStatusSchema,
    to: AccountStatusSchema,
    recordedAt: Timestamp('When account-bridge recorded the change.'),
  },
  { description: 'The status of an account changed in its business system.' },
);

export type AccountStatusChangedV1Payload = Static<typeof AccountStatusChangedV1Schema>;

export const AccountStatusChangedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account',
  event: 'status-changed',
  version: 1,
  summary:
    'The status of an account changed (open, dormant, frozen, closed). A change to closed is published as account.closed too. Keyed by accountId; subjectVersion is the account version.',
  key: 'accountId',
  payload: AccountStatusChangedV1Schema,
  example: {
    accountId: EXAMPLE_ACCOUNT_ID,
    account: { ...EXAMPLE_PUBLISHED_ACCOUNT, status: 'frozen' },
    from: 'open',
    to: 'frozen',
    recordedAt: '2026-11-28T08:00:01.000Z',
  },
});
