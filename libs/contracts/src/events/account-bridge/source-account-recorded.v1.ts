import { Type, type Static } from '@sinclair/typebox';

import { defineEvent } from '../../event-definition';
import {
  AccountDate,
  AccountProductTypeSchema,
  AccountStatusSchema,
  CurrencySchema,
  HolderRoleSchema,
  Money,
  SourceKeySchema,
  SourceSystemSchema,
} from './account-event-parts';

export const SourceAccountHolderV1Schema = Type.Object(
  {
    sourceKey: SourceKeySchema(
      'Key of the party record (SourcePartyRecord v1 sourceKey) in the same source system. The party may arrive before or after the account.',
    ),
    role: HolderRoleSchema,
    validFrom: Type.Optional(AccountDate('First day the party holds this role')),
  },
  { additionalProperties: false },
);

/**
 * SourceAccountRecord v1: one account as a business system records it, with its holders. The
 * inbound contract the bank's systems are built against (REST, bulk files and Kafka).
 */
export const SourceAccountRecordV1Schema = Type.Object(
  {
    sourceSystem: SourceSystemSchema,
    sourceKey: SourceKeySchema(
      'The account key, unique within its source system (may equal the account number).',
    ),
    accountNumber: Type.String({
      pattern: '^[0-9A-Za-z][0-9A-Za-z -]{3,63}$',
      description:
        'The account or card number in full (restricted: stored, but masked to its last 4 characters wherever account-bridge shows or publishes it). Spaces and dashes are ignored.',
    }),
    productType: AccountProductTypeSchema,
    productCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Product code in the source.' }),
    ),
    currency: CurrencySchema,
    balance: Money('Ledger balance at balanceAsOf.'),
    availableBalance: Type.Optional(Money('Available balance at balanceAsOf.')),
    balanceAsOf: Type.String({
      format: 'date-time',
      description: 'When the balances were taken. A newer balance update (or record) wins.',
    }),
    status: AccountStatusSchema,
    openedOn: AccountDate('Opening date'),
    closedOn: Type.Optional(AccountDate('Closing date (required when status is closed)')),
    branch: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Branch code holding the account.' }),
    ),
    lastActivityOn: Type.Optional(AccountDate('Last customer-initiated transaction')),
    holders: Type.Array(SourceAccountHolderV1Schema, {
      maxItems: 50,
      description:
        'Every party linked to the account now. A holder missing from a newer record is unlinked.',
    }),
    observedAt: Type.String({
      format: 'date-time',
      description:
        'When the source last changed this record. The newest observedAt wins; an older one arriving late is ignored.',
    }),
  },
  {
    additionalProperties: false,
    if: { properties: { status: { const: 'closed' } }, required: ['status'] },
    then: { properties: { closedOn: { type: 'string' } }, required: ['closedOn'] },
    description: 'An account from a bank business system (SourceAccountRecord v1).',
  },
);

export type SourceAccountRecordV1 = Static<typeof SourceAccountRecordV1Schema>;
export type SourceAccountHolderV1 = Static<typeof SourceAccountHolderV1Schema>;

export const SourceAccountRecordedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'source-account',
  event: 'recorded',
  version: 1,
  summary:
    'Inbound: a business system (or its CDC) created or changed an account. Business systems publish here in the standard envelope (producer = the business system name, subject = `<sourceSystem>:<sourceKey>`); account-bridge consumes it exactly as POST /source-account-records and the bulk import. Restricted: carries the full account number.',
  key: '`<sourceSystem>:<sourceKey>` of the account',
  payload: SourceAccountRecordV1Schema,
  restricted: true,
  example: {
    sourceSystem: 'core-banking',
    sourceKey: 'ACC-000123',
    accountNumber: '6222020200112233445',
    productType: 'savings',
    productCode: 'SAV-STD',
    currency: 'CNY',
    balance: '15230.55',
    availableBalance: '15230.55',
    balanceAsOf: '2026-11-28T08:00:00.000Z',
    status: 'open',
    openedOn: '2019-03-01',
    branch: 'BJ-0101',
    lastActivityOn: '2026-11-27',
    holders: [
      { sourceKey: 'CB-000123', role: 'primary-holder' },
      { sourceKey: 'CB-000456', role: 'authorised-signatory', validFrom: '2024-01-01' },
    ],
    observedAt: '2026-11-28T08:00:00.000Z',
  },
});
