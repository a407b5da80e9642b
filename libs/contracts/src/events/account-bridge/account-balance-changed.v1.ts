import { Type, type Static } from '@sinclair/typebox';

import { Timestamp } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { AccountIdSchema, Money, PublishedAccountSchema } from './account-event-parts';
import { EXAMPLE_ACCOUNT_ID, EXAMPLE_PUBLISHED_ACCOUNT } from './account-examples';

export const AccountBalanceChangedV1Schema = Type.Object(
  {
    accountId: AccountIdSchema,
    account: PublishedAccountSchema,
    previousBalance: Money('The balance last published for the account.'),
    delta: Money('balance - previousBalance.'),
    recordedAt: Timestamp('When account-bridge recorded the balance.'),
  },
  { description: 'The balance of an account moved by more than the publishing threshold.' },
);

export type AccountBalanceChangedV1Payload = Static<typeof AccountBalanceChangedV1Schema>;

export const AccountBalanceChangedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'account',
  event: 'balance-changed',
  version: 1,
  summary:
    'The balance of an account moved, since the balance last published, by at least the configured threshold (BALANCE_CHANGE_MIN_ABSOLUTE in the account currency, or BALANCE_CHANGE_MIN_RELATIVE of the previous balance): small movements accumulate until they cross it. Keyed by accountId; subjectVersion is the account version.',
  key: 'accountId',
  payload: AccountBalanceChangedV1Schema,
  example: {
    accountId: EXAMPLE_ACCOUNT_ID,
    account: {
      ...EXAMPLE_PUBLISHED_ACCOUNT,
      balance: '25230.5500',
      availableBalance: '25230.5500',
    },
    previousBalance: '15230.5500',
    delta: '10000.0000',
    recordedAt: '2026-11-28T08:00:01.000Z',
  },
});
