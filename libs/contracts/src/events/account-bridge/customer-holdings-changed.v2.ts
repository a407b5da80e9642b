import { Type, type Static } from '@sinclair/typebox';

import { StringEnum, Timestamp, Uuid } from '../../common-schemas';
import { defineEvent } from '../../event-definition';
import { ACCOUNT_PRODUCT_TYPES, ACCOUNT_STATUSES, HOLDER_ROLES } from './account-event-parts';

/*
 * v2 of customer-holdings.changed: the same snapshot as v1, with the account vocabulary of
 * SourceAccountRecord v1 (mortgage, credit-card, frozen, card-holder) instead of v1's coarser enums.
 * The field definitions are repeated here rather than shared with v1, so that retiring v1 (deleting
 * its file) cannot change this contract.
 */

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

const ProductType = StringEnum(ACCOUNT_PRODUCT_TYPES, {
  description:
    'Product family, as the business systems report it: current, savings and time-deposit accounts; loan (other than a mortgage); mortgage; credit-card; wealth (funds, wealth-management products, insurance); other.',
});

export const CustomerAccountV2Schema = Type.Object(
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
    role: StringEnum(HOLDER_ROLES, {
      description:
        "The customer's role on the account (its strongest one when it holds several): primary-holder, joint-holder, card-holder (a supplementary card holder), authorised-signatory, guarantor, beneficiary.",
    }),
    status: StringEnum(ACCOUNT_STATUSES, {
      description:
        'Status in the business system: open; dormant (flagged inactive by the source system, not the CRM status); frozen (held by a legal or risk order, still held by the customer); closed.',
    }),
    currency: Currency,
    balance: Decimal('Ledger balance at asOf; negative for loans, mortgages and card debt.'),
    openedOn: DateOnly('Opening date'),
    closedOn: Type.Optional(Type.Union([DateOnly('Closing date'), Type.Null()])),
    lastActivityOn: Type.Optional(
      Type.Union([DateOnly('Last customer-initiated transaction'), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

export const HoldingSummaryV2Schema = Type.Object(
  {
    productType: ProductType,
    currency: Currency,
    accountCount: Type.Integer({
      minimum: 0,
      description: 'Held accounts (open, dormant or frozen) in this bucket.',
    }),
    totalBalance: Decimal('Sum of the held accounts’ balances in this bucket.'),
  },
  { additionalProperties: false },
);

export const CustomerHoldingsChangedV2Schema = Type.Object(
  {
    customerId: Uuid('The golden customer the accounts are linked to.'),
    sequence: Type.Integer({
      minimum: 1,
      description:
        'Increases with every holdings snapshot of this customer (the same sequence as the v1 event of the same snapshot). Consumers ignore a snapshot whose sequence is not above the one they applied (the envelope carries no subjectVersion).',
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
      description:
        'Accounts the customer still holds, in any role: status open, dormant or frozen (a frozen account is still held). The same count as in v1.',
    }),
    everHadAccount: Type.Boolean({
      description: 'True when the customer has ever held an account (open or closed).',
    }),
    lastActivityOn: Type.Union([DateOnly('Last customer-initiated activity'), Type.Null()], {
      description:
        'Latest customer-initiated transaction (or account opening) on any linked account; null when none.',
    }),
    accounts: Type.Array(CustomerAccountV2Schema, {
      maxItems: 1000,
      description: 'Every account linked to the customer, closed ones included.',
    }),
    holdings: Type.Array(HoldingSummaryV2Schema, {
      description:
        'Held accounts (open, dormant or frozen) summarised by product type and currency.',
    }),
  },
  {
    description:
      "A full snapshot of a customer's accounts and holdings (state transfer: the newest snapshot replaces older ones), in the account vocabulary of the business systems.",
  },
);

export type CustomerHoldingsChangedV2Payload = Static<typeof CustomerHoldingsChangedV2Schema>;
export type CustomerAccountV2 = Static<typeof CustomerAccountV2Schema>;
export type HoldingSummaryV2 = Static<typeof HoldingSummaryV2Schema>;

export const CustomerHoldingsChangedV2 = defineEvent({
  owner: 'account-bridge',
  aggregate: 'customer-holdings',
  event: 'changed',
  version: 2,
  summary:
    "A customer's accounts or holdings changed (account opened or closed, activity, balance, link). Carries the full snapshot, so the newest event is enough; customer-master derives the lifecycle status and the 360 view's accounts from it. Unlike v1 it keeps the business systems' vocabulary: product types mortgage and credit-card (v1: loan, card), status frozen (v1: open) and role card-holder (v1: joint-holder). A frozen account is still held: it counts in openAccountCount and holdings, as in v1. account-bridge publishes v1 and v2 of every snapshot with the same sequence while v1 is deprecated.",
  key: 'customerId',
  payload: CustomerHoldingsChangedV2Schema,
  example: {
    customerId: '0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10',
    sequence: 3,
    asOf: '2026-11-28T09:00:00.000Z',
    change: 'account-opened',
    changedAccountRef: '3f8e2c1a-5b7d-4e9f-8a6c-2d1b0e9f7a35',
    openAccountCount: 4,
    everHadAccount: true,
    lastActivityOn: '2026-11-28',
    accounts: [
      {
        accountRef: 'e1b7d3a9-2c4f-4a8e-9b6d-0f5c3e7a1d28',
        sourceSystem: 'core-banking',
        productType: 'current',
        productCode: 'CUR-STD',
        accountNumberMasked: '***************9999',
        role: 'primary-holder',
        status: 'frozen',
        currency: 'CNY',
        balance: '8800.00',
        openedOn: '2018-04-12',
        closedOn: null,
        lastActivityOn: '2026-09-30',
      },
      {
        accountRef: '9a4c7e21-0d3b-4f6a-b8e5-c2f1a7d90b64',
        sourceSystem: 'loans',
        productType: 'mortgage',
        productCode: 'MTG-30Y',
        accountNumberMasked: '********5678',
        role: 'primary-holder',
        status: 'open',
        currency: 'CNY',
        balance: '-1200000.00',
        openedOn: '2021-05-20',
        closedOn: null,
        lastActivityOn: '2026-11-20',
      },
      {
        accountRef: 'c7d2e8f0-4a1b-4c3d-9e5f-6a7b8c9d0e1f',
        sourceSystem: 'cards',
        productType: 'credit-card',
        accountNumberMasked: '************4321',
        role: 'card-holder',
        status: 'open',
        currency: 'CNY',
        balance: '-3250.10',
        openedOn: '2024-02-01',
        lastActivityOn: '2026-11-26',
      },
      {
        accountRef: '3f8e2c1a-5b7d-4e9f-8a6c-2d1b0e9f7a35',
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
    ],
    holdings: [
      { productType: 'credit-card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.10' },
      { productType: 'current', currency: 'CNY', accountCount: 1, totalBalance: '8800.00' },
      { productType: 'mortgage', currency: 'CNY', accountCount: 1, totalBalance: '-1200000.00' },
      { productType: 'savings', currency: 'CNY', accountCount: 1, totalBalance: '15230.55' },
    ],
  },
});
