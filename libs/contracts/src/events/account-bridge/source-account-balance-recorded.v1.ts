import { Type, type Static } from '@sinclair/typebox';

import { defineEvent } from '../../event-definition';
import {
  AccountDate,
  CurrencySchema,
  Money,
  SourceKeySchema,
  SourceSystemSchema,
} from './account-event-parts';

/**
 * SourceAccountBalance v1: a balance and activity update of one account (end-of-day or intraday
 * feed), lighter than a whole SourceAccountRecord.
 */
export const SourceAccountBalanceV1Schema = Type.Object(
  {
    sourceSystem: SourceSystemSchema,
    sourceKey: SourceKeySchema('The account key (SourceAccountRecord v1 sourceKey).'),
    currency: CurrencySchema,
    balance: Money('Ledger balance at balanceAsOf.'),
    availableBalance: Type.Optional(Money('Available balance at balanceAsOf.')),
    balanceAsOf: Type.String({
      format: 'date-time',
      description:
        'When the balances were taken. The newest balanceAsOf wins, whether it came in an update or a whole record; an update for an account not yet known is kept until the account arrives.',
    }),
    lastActivityOn: Type.Optional(AccountDate('Last customer-initiated transaction')),
  },
  {
    additionalProperties: false,
    description: 'A balance/activity update of an account (SourceAccountBalance v1).',
  },
);

export type SourceAccountBalanceV1 = Static<typeof SourceAccountBalanceV1Schema>;

export const SourceAccountBalanceRecordedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'source-account-balance',
  event: 'recorded',
  version: 1,
  summary:
    'Inbound: a business system reports the balance and last activity of an account. Published by business systems in the standard envelope (producer = the business system name, subject = `<sourceSystem>:<sourceKey>`, so updates of one account stay in order with each other).',
  key: '`<sourceSystem>:<sourceKey>` of the account',
  payload: SourceAccountBalanceV1Schema,
  example: {
    sourceSystem: 'core-banking',
    sourceKey: 'ACC-000123',
    currency: 'CNY',
    balance: '14980.55',
    availableBalance: '14980.55',
    balanceAsOf: '2026-11-29T00:00:00.000Z',
    lastActivityOn: '2026-11-28',
  },
});
