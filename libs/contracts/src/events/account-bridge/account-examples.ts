import type { Static } from '@sinclair/typebox';

import type { PublishedAccountSchema } from './account-event-parts';

/** An example account as published (shared by the account event examples; not an event). */
export const EXAMPLE_ACCOUNT_ID = '9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d';

export const EXAMPLE_PUBLISHED_ACCOUNT: Static<typeof PublishedAccountSchema> = {
  sourceSystem: 'core-banking',
  accountNumberMasked: '***************3445',
  productType: 'savings',
  productCode: 'SAV-STD',
  currency: 'CNY',
  balance: '15230.5500',
  availableBalance: '15230.5500',
  balanceAsOf: '2026-11-28T08:00:00.000Z',
  status: 'open',
  openedOn: '2019-03-01',
  closedOn: null,
  branch: 'BJ-0101',
  lastActivityOn: '2026-11-27',
  customerIds: ['0b9f6a52-8f9e-4f39-9a7d-7d4d3c1f2e10'],
};
