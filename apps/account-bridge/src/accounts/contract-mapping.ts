import {
  ACCOUNT_PRODUCT_TYPES,
  ACCOUNT_STATUSES,
  HOLDER_ROLES,
  type CustomerAccountV1,
  type CustomerAccountV2,
  type CustomerHoldingsChangedV1Payload,
  type CustomerHoldingsChangedV2Payload,
} from '@bank-crm/contracts';

import { fromMinor, toMinor } from './money';

/*
 * Account-bridge publishes each holdings snapshot twice while v1 is deprecated:
 * customer-holdings.changed v2 in the account vocabulary of SourceAccountRecord v1 (what the
 * business systems report), and v1, whose enums are coarser (already published, so they cannot
 * grow). The snapshot is taken once, in v2; the v1 payload is derived from it here.
 */

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** v2 keeps the source product type (the ingestion contracts only let these in). */
export function productTypeV2(productType: string): CustomerAccountV2['productType'] {
  return oneOf(ACCOUNT_PRODUCT_TYPES, productType, 'other');
}

/** v2 keeps the source status; frozen stays frozen (and still counts as held). */
export function statusV2(status: string): CustomerAccountV2['status'] {
  return oneOf(ACCOUNT_STATUSES, status, 'open');
}

/** v2 keeps the source role, card-holder included. */
export function roleV2(role: string): CustomerAccountV2['role'] {
  return oneOf(HOLDER_ROLES, role, 'joint-holder');
}

/** v1 has no mortgage or credit-card: a mortgage is a loan, a credit card a card. */
export function productTypeV1(productType: string): CustomerAccountV1['productType'] {
  switch (productType) {
    case 'credit-card':
      return 'card';
    case 'mortgage':
      return 'loan';
    case 'current':
    case 'savings':
    case 'time-deposit':
    case 'loan':
    case 'wealth':
      return productType;
    default:
      return 'other';
  }
}

/** v1 has no frozen: a frozen account is still held by the customer, so it is open in v1. */
export function statusV1(status: string): CustomerAccountV1['status'] {
  if (status === 'closed') return 'closed';
  if (status === 'dormant') return 'dormant';
  return 'open';
}

/** v1 has no card-holder: a supplementary card holder uses the account with its primary holder. */
export function roleV1(role: string): CustomerAccountV1['role'] {
  switch (role) {
    case 'primary-holder':
    case 'joint-holder':
    case 'authorised-signatory':
    case 'guarantor':
    case 'beneficiary':
      return role;
    default:
      return 'joint-holder';
  }
}

/**
 * The v1 payload of a v2 snapshot: the same customer, sequence, change, counts and balances; the
 * accounts in v1's vocabulary, and the holdings regrouped by v1 product type (a mortgage bucket
 * joins the loan bucket of its currency, a credit-card bucket becomes card).
 */
export function holdingsV1(v2: CustomerHoldingsChangedV2Payload): CustomerHoldingsChangedV1Payload {
  // field by field, not spread: a field v2 gains later must not leak into v1
  return {
    customerId: v2.customerId,
    sequence: v2.sequence,
    asOf: v2.asOf,
    change: v2.change,
    ...(v2.changedAccountRef !== undefined ? { changedAccountRef: v2.changedAccountRef } : {}),
    openAccountCount: v2.openAccountCount,
    everHadAccount: v2.everHadAccount,
    lastActivityOn: v2.lastActivityOn,
    accounts: v2.accounts.map((a) => ({
      accountRef: a.accountRef,
      sourceSystem: a.sourceSystem,
      productType: productTypeV1(a.productType),
      ...(a.productCode !== undefined ? { productCode: a.productCode } : {}),
      accountNumberMasked: a.accountNumberMasked,
      role: roleV1(a.role),
      status: statusV1(a.status),
      currency: a.currency,
      balance: a.balance,
      openedOn: a.openedOn,
      ...(a.closedOn !== undefined ? { closedOn: a.closedOn } : {}),
      ...(a.lastActivityOn !== undefined ? { lastActivityOn: a.lastActivityOn } : {}),
    })),
    holdings: sumHoldings(
      v2.holdings.map((h) => ({
        productType: productTypeV1(h.productType),
        currency: h.currency,
        accountCount: h.accountCount,
        balance: h.totalBalance,
      })),
    ),
  };
}

/**
 * Holdings buckets: the account count and the exact total balance per product type and currency,
 * ordered by product type, then currency.
 */
export function sumHoldings<P extends string>(
  entries: Iterable<{ productType: P; currency: string; accountCount: number; balance: string }>,
): { productType: P; currency: string; accountCount: number; totalBalance: string }[] {
  const buckets = new Map<
    string,
    { productType: P; currency: string; count: number; total: bigint }
  >();
  for (const e of entries) {
    const key = `${e.productType}|${e.currency}`;
    const bucket = buckets.get(key) ?? {
      productType: e.productType,
      currency: e.currency,
      count: 0,
      total: 0n,
    };
    bucket.count += e.accountCount;
    bucket.total += toMinor(e.balance);
    buckets.set(key, bucket);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, b]) => ({
      productType: b.productType,
      currency: b.currency,
      accountCount: b.count,
      totalBalance: fromMinor(b.total),
    }));
}

/** Which role to show when one customer holds an account in several roles. */
export const ROLE_PRIORITY = [
  'primary-holder',
  'joint-holder',
  'card-holder',
  'authorised-signatory',
  'guarantor',
  'beneficiary',
];

/** Masks an account number for display and events: all but the last 4 characters, 2 to 30 stars. */
export function maskAccountNumber(accountNumber: string): string {
  const clean = accountNumber.replace(/[\s-]/g, '');
  const tail = clean.slice(-4);
  const stars = Math.min(30, Math.max(2, clean.length - 4));
  return '*'.repeat(stars) + tail;
}

/** The stored form of an account number: spaces and dashes removed. */
export function normaliseAccountNumber(accountNumber: string): string {
  return accountNumber.replace(/[\s-]/g, '');
}
