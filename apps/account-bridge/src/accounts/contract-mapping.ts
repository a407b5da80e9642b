import type { CustomerAccountV1 } from '@bank-crm/contracts';

/**
 * The account vocabulary of SourceAccountRecord v1 is finer than the one of the published
 * customer-holdings.changed v1 contract (owned with customer-master, already published): these
 * map the former onto the latter without losing what the lifecycle needs.
 */
export function holdingsProductType(productType: string): CustomerAccountV1['productType'] {
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

/** A frozen account is still held by the customer: for holdings it counts as open. */
export function holdingsStatus(status: string): CustomerAccountV1['status'] {
  if (status === 'closed') return 'closed';
  if (status === 'dormant') return 'dormant';
  return 'open';
}

/** A supplementary card holder uses the account with its primary holder: joint-holder in holdings. */
export function holdingsRole(role: string): CustomerAccountV1['role'] {
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
