import {
  ACCOUNT_PRODUCT_TYPES,
  ACCOUNT_STATUSES,
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  HOLDER_ROLES,
  validatePayload,
  type CustomerHoldingsChangedV2Payload,
} from '@bank-crm/contracts';

import {
  holdingsV1,
  productTypeV1,
  productTypeV2,
  roleV1,
  roleV2,
  statusV1,
  statusV2,
} from './contract-mapping';

describe('customer-holdings.changed v2 vocabulary', () => {
  it('keeps every product type, status and role of SourceAccountRecord v1 as it is', () => {
    for (const p of ACCOUNT_PRODUCT_TYPES) expect(productTypeV2(p)).toBe(p);
    for (const s of ACCOUNT_STATUSES) expect(statusV2(s)).toBe(s);
    for (const r of HOLDER_ROLES) expect(roleV2(r)).toBe(r);
  });
});

const PRODUCT_TYPES_V1: [string, string][] = [
  ['current', 'current'],
  ['savings', 'savings'],
  ['time-deposit', 'time-deposit'],
  ['loan', 'loan'],
  ['mortgage', 'loan'],
  ['credit-card', 'card'],
  ['wealth', 'wealth'],
  ['other', 'other'],
];
const STATUSES_V1: [string, string][] = [
  ['open', 'open'],
  ['dormant', 'dormant'],
  ['frozen', 'open'],
  ['closed', 'closed'],
];
const ROLES_V1: [string, string][] = [
  ['primary-holder', 'primary-holder'],
  ['joint-holder', 'joint-holder'],
  ['card-holder', 'joint-holder'],
  ['authorised-signatory', 'authorised-signatory'],
  ['guarantor', 'guarantor'],
  ['beneficiary', 'beneficiary'],
];

describe('customer-holdings.changed v1 vocabulary (deprecated, derived from v2)', () => {
  it.each(PRODUCT_TYPES_V1)('product type %s is %s in v1', (source, v1) => {
    expect(productTypeV1(source)).toBe(v1);
  });

  it.each(STATUSES_V1)('status %s is %s in v1 (a frozen account is still held)', (source, v1) => {
    expect(statusV1(source)).toBe(v1);
  });

  it.each(ROLES_V1)('role %s is %s in v1', (source, v1) => {
    expect(roleV1(source)).toBe(v1);
  });

  it('has a v1 value for every source value', () => {
    const sources = (table: [string, string][]) => table.map(([source]) => source).sort();
    expect(sources(PRODUCT_TYPES_V1)).toEqual([...ACCOUNT_PRODUCT_TYPES].sort());
    expect(sources(STATUSES_V1)).toEqual([...ACCOUNT_STATUSES].sort());
    expect(sources(ROLES_V1)).toEqual([...HOLDER_ROLES].sort());
  });
});

describe('holdingsV1', () => {
  /** The v2 example plus a plain loan next to the mortgage and a closed card. */
  const v2: CustomerHoldingsChangedV2Payload = {
    ...CustomerHoldingsChangedV2.example,
    openAccountCount: 5,
    accounts: [
      ...CustomerHoldingsChangedV2.example.accounts,
      {
        accountRef: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
        sourceSystem: 'loans',
        productType: 'loan',
        accountNumberMasked: '********8765',
        role: 'guarantor',
        status: 'open',
        currency: 'CNY',
        balance: '-50000.0000',
        openedOn: '2025-03-01',
      },
      {
        accountRef: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a',
        sourceSystem: 'cards',
        productType: 'credit-card',
        accountNumberMasked: '************0001',
        role: 'primary-holder',
        status: 'closed',
        currency: 'CNY',
        balance: '0.0000',
        openedOn: '2015-01-01',
        closedOn: '2020-01-01',
      },
    ],
    holdings: [
      { productType: 'credit-card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.1000' },
      { productType: 'current', currency: 'CNY', accountCount: 1, totalBalance: '8800.0000' },
      { productType: 'loan', currency: 'CNY', accountCount: 1, totalBalance: '-50000.0000' },
      {
        productType: 'mortgage',
        currency: 'CNY',
        accountCount: 1,
        totalBalance: '-1200000.0000',
      },
      { productType: 'savings', currency: 'CNY', accountCount: 1, totalBalance: '15230.5500' },
    ],
  };

  it('is a valid v1 payload of the same snapshot: same customer, sequence, change and counts', () => {
    expect(validatePayload(CustomerHoldingsChangedV2, v2).ok).toBe(true);
    const v1 = holdingsV1(v2);
    const checked = validatePayload(CustomerHoldingsChangedV1, v1);
    expect(checked).toEqual({ ok: true, value: v1 });
    expect(v1).toMatchObject({
      customerId: v2.customerId,
      sequence: v2.sequence,
      asOf: v2.asOf,
      change: v2.change,
      changedAccountRef: v2.changedAccountRef,
      openAccountCount: 5,
      everHadAccount: true,
      lastActivityOn: v2.lastActivityOn,
    });
  });

  it('maps each account onto the v1 vocabulary and keeps everything else', () => {
    const v1 = holdingsV1(v2);
    expect(
      v1.accounts.map((a) => [a.accountRef, a.productType, a.status, a.role, a.balance]),
    ).toEqual([
      ['e1b7d3a9-2c4f-4a8e-9b6d-0f5c3e7a1d28', 'current', 'open', 'primary-holder', '8800.00'],
      ['9a4c7e21-0d3b-4f6a-b8e5-c2f1a7d90b64', 'loan', 'open', 'primary-holder', '-1200000.00'],
      ['c7d2e8f0-4a1b-4c3d-9e5f-6a7b8c9d0e1f', 'card', 'open', 'joint-holder', '-3250.10'],
      ['3f8e2c1a-5b7d-4e9f-8a6c-2d1b0e9f7a35', 'savings', 'open', 'primary-holder', '15230.55'],
      ['b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', 'loan', 'open', 'guarantor', '-50000.0000'],
      ['d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a', 'card', 'closed', 'primary-holder', '0.0000'],
    ]);
    expect(v1.accounts[0]).toEqual({
      ...v2.accounts[0],
      status: 'open', // frozen in v2
    });
  });

  it('regroups the holdings by v1 product type: the mortgage joins the loans, credit-card is card', () => {
    expect(holdingsV1(v2).holdings).toEqual([
      { productType: 'card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.1000' },
      { productType: 'current', currency: 'CNY', accountCount: 1, totalBalance: '8800.0000' },
      { productType: 'loan', currency: 'CNY', accountCount: 2, totalBalance: '-1250000.0000' },
      { productType: 'savings', currency: 'CNY', accountCount: 1, totalBalance: '15230.5500' },
    ]);
  });

  it('keeps a mortgage and a loan in different currencies apart', () => {
    const v1 = holdingsV1({
      ...v2,
      holdings: [
        { productType: 'loan', currency: 'CNY', accountCount: 1, totalBalance: '-1.0000' },
        { productType: 'mortgage', currency: 'HKD', accountCount: 2, totalBalance: '-2.0000' },
      ],
    });
    expect(v1.holdings).toEqual([
      { productType: 'loan', currency: 'CNY', accountCount: 1, totalBalance: '-1.0000' },
      { productType: 'loan', currency: 'HKD', accountCount: 2, totalBalance: '-2.0000' },
    ]);
  });

  it('does not carry fields v1 does not define', () => {
    const extended = {
      ...v2,
      futureField: 'x',
      accounts: v2.accounts.map((a) => ({ ...a, futureAccountField: 1 })),
    } as CustomerHoldingsChangedV2Payload;
    const v1 = holdingsV1(extended);
    expect(v1).not.toHaveProperty('futureField');
    expect(v1.accounts.some((a) => 'futureAccountField' in a)).toBe(false);
    expect(validatePayload(CustomerHoldingsChangedV1, v1).ok).toBe(true);
  });
});
