import { Type, type Static } from '@sinclair/typebox';

import { Timestamp } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { AccountIdSchema, PublishedAccountSchema } from './account-event-parts';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_PUBLISHED_ACCOUNT } from './account-examples';

export const AccountOpenedV1Schema = Type.Object(
  {
    accountId: AccountIdSchema,
    account: PublishedAccountSchema,
    recordedAt: Timestamp('When account-bridge first recorded the account.'),
  },
  { description: 'An account became known to account-bridge.' },
);

export type AccountOpenedV1Payload = Static<typeof AccountOpenedV1Schema>;

export const AccountOpenedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account',
  event: 'opened',
  version: 1,
  summary:
    'A business system reported an account account-bridge did not know (its status may already be dormant, frozen or closed on a first load). Keyed by accountId; subjectVersion is the account version.',
  key: 'accountId',
  payload: AccountOpenedV1Schema,
  example: {
    accountId: EXAMPLE_ACCOUNT_ID,
    account: { ...EXAMPLE_PUBLISHED_ACCOUNT },
    recordedAt: '2026-11-28T08:00:01.000Z',
  },
});
