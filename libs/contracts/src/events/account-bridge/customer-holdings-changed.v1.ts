import { Type, type Static } from '@sinclair/typebox';

import { StringEnum, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';

const DateOnly = (description: string) =>
  Type.String({ format: 'date', description: `${description} (YYYY-MM-DD).` });

const Decimal = (description: string) =>
  Type.String({
    pattern: '^-?[0-9]{1,18}(\\.[0-9]{1,6})?$',
    description: `${description} Decimal string (no float rounding), in the currency's major unit.`,
  });

const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code, e.g. CNY, USD.',
});

const ProductType = StringEnum(
  ['current', 'savings', 'time-deposit', 'card', 'loan', 'wealth', 'other'],
  {
    description:
      'Product family: current / savings / time-deposit accounts, card, loan, wealth (funds, insurance, structured products), other.',
  },
);

export const CustomerAccountV1Schema = Type.Object(
  {
    accountRef: Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        'Stable, opaque reference of the account in account-bridge (never the account number).',
    }),
    sourceSystem: Type.String({
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      description: 'Business system that holds the account, e.g. core-banking, cards, loans.',
    }),
    productType: ProductType,
    productCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Product code in the source.' }),
    ),
    accountNumberMasked: Type.String({
      pattern: '^\\*{2,30}[0-9A-Za-z]{4}$',
      description: 'The account number with all but the last 4 characters masked; never in full.',
    }),
    role: StringEnum(
      ['primary-holder', 'joint-holder', 'authorised-signatory', 'guarantor', 'beneficiary'],
      { description: "The customer's role on the account." },
    ),
    status: StringEnum(['open', 'dormant', 'closed'], {
      description:
        'Status in the business system (dormant = flagged by the source system, not the CRM status).',
    }),
    currency: Currency,
    balance: Decimal('Ledger balance at asOf; negative for loans and card debt.'),
    openedOn: DateOnly('Opening date'),
    closedOn: Type.Optional(Type.Union([DateOnly('Closing date'), Type.Null()])),
    lastActivityOn: Type.Optional(
      Type.Union([DateOnly('Last customer-initiated transaction'), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

export const HoldingSummaryV1Schema = Type.Object(
  {
    productType: ProductType,
    currency: Currency,
    accountCount: Type.Integer({ minimum: 0, description: 'Open accounts in this bucket.' }),
    totalBalance: Decimal('Sum of the open accounts’ balances in this bucket.'),
  },
  { additionalProperties: false },
);

export const CustomerHoldingsChangedV1Schema = Type.Object(
  {
    customerId: Uuid('The golden customer the accounts are linked to.'),
    sequence: Type.Integer({
      minimum: 1,
      description:
        'Increases with every holdings snapshot of this customer. Consumers ignore a snapshot whose sequence is not above the one they applied (the envelope carries no subjectVersion).',
    }),
    asOf: Timestamp('When account-bridge took this snapshot.'),
    change: StringEnum(
      ['account-opened', 'account-closed', 'activity', 'balance', 'link-changed', 'snapshot'],
      {
        description:
          'What made account-bridge publish: an account opened or closed, account activity, a balance change, a customer-account link change, or a periodic/full snapshot.',
      },
    ),
    changedAccountRef: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'The account that changed.' }),
    ),
    openAccountCount: Type.Integer({
      minimum: 0,
      description: 'Accounts with status open or dormant that link this customer in any role.',
    }),
    everHadAccount: Type.Boolean({
      description: 'True when the customer has ever held an account (open or closed).',
    }),
    lastActivityOn: Type.Union([DateOnly('Last customer-initiated activity'), Type.Null()], {
      description:
        'Latest customer-initiated transaction (or account opening) on any linked account; null when none.',
    }),
    accounts: Type.Array(CustomerAccountV1Schema, {
      maxItems: 1000,
      description: 'Every account linked to the customer, closed ones included.',
    }),
    holdings: Type.Array(HoldingSummaryV1Schema, {
      description: 'Open accounts summarised by product type and currency.',
    }),
  },
  {
    description:
      "A full snapshot of a customer's accounts and holdings (state transfer: the newest snapshot replaces older ones).",
  },
);

export type CustomerHoldingsChangedV1Payload = Static<typeof CustomerHoldingsChangedV1Schema>;
export type CustomerAccountV1 = Static<typeof CustomerAccountV1Schema>;

export const CustomerHoldingsChangedV1 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'customer-holdings',
  event: 'changed',
  version: 1,
  summary:
    "A customer's accounts or holdings changed (account opened or closed, activity, balance, link). Carries the full snapshot, so the newest event is enough. Deprecated: use v2, which keeps the business systems' account vocabulary.",
  deprecated:
    "Superseded by account-bridge.customer-holdings.changed.v2. v1's vocabulary is coarser than the accounts': it publishes mortgage as loan, credit-card as card, status frozen as open and role card-holder as joint-holder, so its consumers cannot tell them apart. During the deprecation window account-bridge publishes every snapshot on both topics, in the same transaction and with the same sequence (openAccountCount, everHadAccount, lastActivityOn and balances are identical). customer-master has moved to v2; v1 is retired once no consumer is left. New consumers use v2.",
  key: 'customerId',
  payload: CustomerHoldingsChangedV1Schema,
  example: {
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    sequence: 3,
    asOf: '2026-11-28T09:00:00.000Z',
    change: 'account-opened',
    changedAccountRef: 'core-banking:acc-7f3a',
    openAccountCount: 2,
    everHadAccount: true,
    lastActivityOn: '2026-11-28',
    accounts: [
      {
        accountRef: 'core-banking:acc-7f3a',
        sourceSystem: 'core-banking',
        productType: 'savings',
        productCode: 'SAV-STD',
        accountNumberMasked: '************1234',
        role: 'primary-holder',
        status: 'open',
        currency: 'CNY',
        balance: '15230.55',
        openedOn: '2026-11-28',
        closedOn: null,
        lastActivityOn: '2026-11-28',
      },
      {
        accountRef: 'loans:ln-0042',
        sourceSystem: 'loans',
        productType: 'loan',
        accountNumberMasked: '********5678',
        role: 'guarantor',
        status: 'open',
        currency: 'CNY',
        balance: '-200000.00',
        openedOn: '2025-03-01',
        lastActivityOn: '2026-10-31',
      },
    ],
    holdings: [
      { productType: 'savings', currency: 'CNY', accountCount: 1, totalBalance: '15230.55' },
      { productType: 'loan', currency: 'CNY', accountCount: 1, totalBalance: '-200000.00' },
    ],
  },
});
