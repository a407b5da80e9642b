import type { AccountClosedV1Payload } from '@bank-crm/contracts';

/** An account as account-bridge keeps it (money as 4-place decimal strings, dates as YYYY-MM-DD). */
export interface AccountState {
  id: string;
  sourceSystem: string;
  sourceKey: string;
  accountNumber: string;
  accountNumberMasked: string;
  productType: string;
  productCode: string | null;
  currency: string;
  balance: string;
  availableBalance: string | null;
  balanceAsOf: string;
  publishedBalance: string;
  status: string;
  openedOn: string;
  closedOn: string | null;
  branch: string | null;
  lastActivityOn: string | null;
  contentHash: string;
  observedAt: string;
  version: number;
}

/** The columns of `account` as AccountState (numerics and dates as text, never JS floats/Dates). */
export const ACCOUNT_COLUMNS = `
  id, source_system AS "sourceSystem", source_key AS "sourceKey", account_number AS "accountNumber",
  account_number_masked AS "accountNumberMasked", product_type AS "productType",
  product_code AS "productCode", currency, balance::text AS balance,
  available_balance::text AS "availableBalance",
  to_char(balance_as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "balanceAsOf",
  published_balance::text AS "publishedBalance", status, opened_on::text AS "openedOn",
  closed_on::text AS "closedOn", branch, last_activity_on::text AS "lastActivityOn",
  content_hash AS "contentHash",
  to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "observedAt", version`;

export type PublishedAccount = AccountClosedV1Payload['account'];

/** The account as events and staff see it: the account number masked. */
export function publishedAccount(state: AccountState, customerIds: string[]): PublishedAccount {
  return {
    sourceSystem: state.sourceSystem,
    accountNumberMasked: state.accountNumberMasked,
    productType: state.productType as PublishedAccount['productType'],
    ...(state.productCode ? { productCode: state.productCode } : {}),
    currency: state.currency,
    balance: state.balance,
    availableBalance: state.availableBalance,
    balanceAsOf: state.balanceAsOf,
    status: state.status as PublishedAccount['status'],
    openedOn: state.openedOn,
    closedOn: state.closedOn,
    branch: state.branch,
    lastActivityOn: state.lastActivityOn,
    customerIds: [...new Set(customerIds)].sort(),
  };
}

export function accountKey(sourceSystem: string, sourceKey: string): string {
  return `${sourceSystem}:${sourceKey}`;
}

/** ISO timestamp with milliseconds in UTC, as PostgreSQL stores timestamptz (microseconds cut). */
export function isoMillis(value: string | Date): string {
  return new Date(value).toISOString();
}
