import { Type } from '@sinclair/typebox';

import { StringEnum, Uuid } from '../../common-schemas';

/** Schema parts shared by the account-bridge account contracts (not an event itself). */

export const SourceSystemSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
  description: 'The business system that holds the record, e.g. core-banking, cards, loans.',
});

export const SourceKeySchema = (description: string) =>
  Type.String({ minLength: 1, maxLength: 128, description });

export const AccountDate = (description: string) =>
  Type.String({ format: 'date', description: `${description} (YYYY-MM-DD).` });

/** Money as a decimal string in the currency's major unit: never a float. Stored as numeric(20,4). */
export const Money = (description: string) =>
  Type.String({
    pattern: '^-?[0-9]{1,16}(\\.[0-9]{1,4})?$',
    description: `${description} Decimal string in the currency's major unit (at most 16 integer and 4 fraction digits; never a float), negative for debt.`,
  });

export const CurrencySchema = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 alphabetic currency code, e.g. CNY, USD, HKD.',
});

export const AccountIdSchema = Uuid(
  'Permanent, opaque account id in account-bridge (never the account number).',
);

export const ACCOUNT_PRODUCT_TYPES = [
  'current',
  'savings',
  'time-deposit',
  'loan',
  'mortgage',
  'credit-card',
  'wealth',
  'other',
] as const;

export const AccountProductTypeSchema = StringEnum(ACCOUNT_PRODUCT_TYPES, {
  description:
    'Product family: current, savings and time-deposit accounts; loan; mortgage; credit-card; wealth (funds, wealth-management products, insurance); other.',
});

export const ACCOUNT_STATUSES = ['open', 'dormant', 'frozen', 'closed'] as const;

export const AccountStatusSchema = StringEnum(ACCOUNT_STATUSES, {
  description:
    'Status in the business system: open; dormant (flagged inactive by the source); frozen (held by a legal or risk order, still held by the customer); closed.',
});

export const HOLDER_ROLES = [
  'primary-holder',
  'joint-holder',
  'authorised-signatory',
  'guarantor',
  'beneficiary',
  'card-holder',
] as const;

export const HolderRoleSchema = StringEnum(HOLDER_ROLES, {
  description:
    "The party's role on the account: primary-holder, joint-holder, authorised-signatory, guarantor, beneficiary, card-holder (a supplementary card holder).",
});

/** An account as account-bridge publishes it (its id is the event's accountId): the account number masked, never in full. */
export const PublishedAccountSchema = Type.Object(
  {
    sourceSystem: SourceSystemSchema,
    accountNumberMasked: Type.String({
      pattern: '^\\*{0,60}[0-9A-Za-z]{0,4}$',
      description: 'The account number with all but the last 4 characters masked; never in full.',
    }),
    productType: AccountProductTypeSchema,
    productCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Product code in the source.' }),
    ),
    currency: CurrencySchema,
    balance: Money('Ledger balance at balanceAsOf.'),
    availableBalance: Type.Union([Money('Available balance at balanceAsOf.'), Type.Null()], {
      description: 'Available balance at balanceAsOf; null when the source does not give one.',
    }),
    balanceAsOf: Type.String({ format: 'date-time', description: 'When the balances were taken.' }),
    status: AccountStatusSchema,
    openedOn: AccountDate('Opening date'),
    closedOn: Type.Union([AccountDate('Closing date'), Type.Null()], {
      description: 'Closing date; null while not closed.',
    }),
    branch: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
      description: 'Branch code that holds the account, if known.',
    }),
    lastActivityOn: Type.Union([AccountDate('Last customer-initiated transaction'), Type.Null()], {
      description: 'Date of the last customer-initiated transaction; null when unknown.',
    }),
    customerIds: Type.Array(Uuid('A customer linked to the account.'), {
      uniqueItems: true,
      description:
        'Golden customers currently linked to the account in any role (empty until customer-master has resolved its holders).',
    }),
  },
  { additionalProperties: false },
);
