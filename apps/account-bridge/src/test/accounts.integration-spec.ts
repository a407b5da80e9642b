import { randomUUID } from 'node:crypto';

import {
  AccountBalanceChangedV1,
  AccountClosedV1,
  AccountHolderLinkedV1,
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  CustomerMergedV1,
  SourceAccountRecordedV1,
  SourcePartyRecordedV1,
  type AccountBalanceChangedV1Payload,
  type AccountClosedV1Payload,
  type AccountHolderLinkedV1Payload,
  type CustomerHoldingsChangedV1Payload,
  type CustomerHoldingsChangedV2Payload,
  type CustomerMergedV1Payload,
  type SourceAccountRecordV1,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import * as testing from '@bank-crm/testing';
import {
  closeTestKafka,
  makeEnvelope,
  produceEnvelope,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import type { ImportJobReport } from '../imports/import-pipeline';
import { accountBridgeService } from '../service-definition';
import {
  ACCOUNT_CSV_HEADER,
  accountCsvRow,
  readMatching,
  resolveParty,
  uniqueSystem,
} from './account-fixtures';

interface CustomerAccounts {
  customerId: string;
  accounts: {
    accountId: string;
    sourceSystem: string;
    accountNumberMasked: string;
    productType: string;
    status: string;
    roles: string[];
    customerIds: string[];
  }[];
}

/** Bearer headers when the harness has them (the deny-by-default guard needs a token). */
async function auth(role: 'admin' | 'data-steward' = 'admin'): Promise<Record<string, string>> {
  const bearer = (testing as { bearer?: (r: string) => Promise<Record<string, string>> }).bearer;
  return bearer ? bearer(role) : {};
}

describe('account-bridge accounts, customer-account links and bulk import (real PostgreSQL and Kafka)', () => {
  let svc: RunningService<AccountBridgeConfig>;

  beforeAll(async () => {
    svc = await startTestService(accountBridgeService);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  async function importFile(
    query: Record<string, string>,
    body: string,
    contentType = 'text/csv',
  ): Promise<{ status: number; report: ImportJobReport }> {
    const res = await fetch(`${svc.url}/imports?${new URLSearchParams(query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(await auth('data-steward')) },
      body,
    });
    return { status: res.status, report: (await res.json()) as ImportJobReport };
  }

  async function customerAccounts(customerId: string): Promise<CustomerAccounts> {
    const res = await fetch(`${svc.url}/customers/${customerId}/accounts`, {
      headers: await auth(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as CustomerAccounts;
  }

  async function postAccount(record: SourceAccountRecordV1) {
    const res = await fetch(`${svc.url}/source-account-records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await auth('data-steward')) },
      body: JSON.stringify(record),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function outboxCount(): Promise<number> {
    const [row]: { n: string }[] = await svc.dataSource.query('SELECT count(*) AS n FROM outbox');
    return Number(row.n);
  }

  it('imports a core-banking file and a card-system file about the same people: once customer-master resolves them (resolution simulated with source-record.linked events), their accounts hang on the same customers', async () => {
    const core = uniqueSystem('core');
    const cards = uniqueSystem('cards');
    const [zhang, li] = [randomUUID(), randomUUID()];

    const coreParties = [
      'sourceKey,partyType,name,idType,idNumber,birthDate,phone',
      'CB-1,individual,张伟,CN_RESIDENT_ID,11010519491231002X,1949-12-31,13800138000',
      'CB-2,individual,李娜,CN_RESIDENT_ID,110105198001010037,1980-01-01,13900139000',
    ].join('\n');
    const coreAccounts = [
      ACCOUNT_CSV_HEADER,
      accountCsvRow({
        key: 'A-1',
        number: '6222020200112233445',
        balance: '15230.55',
        holders: 'CB-1:primary-holder',
      }),
      accountCsvRow({
        key: 'A-2',
        number: '6222020200112239999',
        product: 'current',
        holders: 'CB-1:primary-holder;CB-2:joint-holder',
      }),
      accountCsvRow({
        key: 'A-3',
        number: '6222020200112230037',
        product: 'time-deposit',
        balance: '50000',
        holders: 'CB-2:primary-holder',
      }),
    ].join('\n');
    const cardParties = [
      JSON.stringify({
        sourceKey: 'C-9',
        partyType: 'individual',
        nameLatin: 'ZHANG WEI',
        idType: 'CN_RESIDENT_ID',
        idNumber: '110105 19491231 002X',
      }),
    ].join('\n');
    const cardAccounts = [
      JSON.stringify({
        sourceKey: 'CARD-77',
        accountNumber: '4392 2500 1234 5678',
        productType: 'credit-card',
        currency: 'CNY',
        balance: '-3250.10',
        availableBalance: '46749.90',
        balanceAsOf: '2026-11-28T00:00:00Z',
        status: 'open',
        openedOn: '2023-06-01',
        holders: [{ sourceKey: 'C-9', role: 'primary-holder' }],
        observedAt: '2026-11-28T00:00:00Z',
      }),
    ].join('\n');

    // an account file before its party file: the holders are kept by party key until resolved
    const a = await importFile({ system: core, kind: 'accounts', format: 'csv' }, coreAccounts);
    expect(a.status).toBe(201);
    const p = await importFile(
      { system: core, kind: 'parties', format: 'csv', jobId: a.report.id },
      coreParties,
    );
    expect(p.report.status).toBe('completed');
    expect(p.report.files.map((f) => [f.kind, f.recorded, f.rejected])).toEqual([
      ['accounts', 3, 0],
      ['parties', 2, 0],
    ]);
    const cp = await importFile(
      { system: cards, kind: 'parties', format: 'jsonl' },
      cardParties,
      'application/x-ndjson',
    );
    const ca = await importFile(
      { system: cards, kind: 'accounts', format: 'jsonl', jobId: cp.report.id },
      cardAccounts,
      'application/x-ndjson',
    );
    expect(ca.report.files.map((f) => [f.kind, f.recorded, f.rejected])).toEqual([
      ['parties', 1, 0],
      ['accounts', 1, 0],
    ]);

    // the handshake: the party records are published for customer-master to resolve
    const published = await readMatching<SourcePartyRecordV1>(
      SourcePartyRecordedV1.topic,
      (r) => r.sourceSystem === core || r.sourceSystem === cards,
      (found) => found.length >= 3,
    );
    expect(published.map((r) => `${r.sourceSystem}:${r.sourceKey}`).sort()).toEqual(
      [`${cards}:C-9`, `${core}:CB-1`, `${core}:CB-2`].sort(),
    );

    // customer-master's answer: the core-banking 张伟 and the card system's ZHANG WEI are one customer
    await resolveParty(core, 'CB-1', zhang);
    await resolveParty(cards, 'C-9', zhang);
    await resolveParty(core, 'CB-2', li);

    const zhangAccounts = await waitFor(
      async () => {
        const c = await customerAccounts(zhang);
        return c.accounts.length === 3 ? c : undefined;
      },
      { what: "张伟's three accounts" },
    );
    expect(
      zhangAccounts.accounts
        .map((x) => [x.sourceSystem, x.productType, x.accountNumberMasked])
        .sort(),
    ).toEqual(
      [
        [cards, 'credit-card', '************5678'],
        [core, 'current', '***************9999'],
        [core, 'savings', '***************3445'],
      ].sort(),
    );
    const liAccounts = await waitFor(
      async () => {
        const c = await customerAccounts(li);
        return c.accounts.length === 2 ? c : undefined;
      },
      { what: "李娜's two accounts" },
    );
    expect(liAccounts.accounts.map((x) => x.roles).sort()).toEqual([
      ['joint-holder'],
      ['primary-holder'],
    ]);
    const joint = liAccounts.accounts.find((x) => x.roles.includes('joint-holder'))!;
    expect(joint.customerIds.sort()).toEqual([li, zhang].sort());

    // nothing in full: the account numbers are never in what is shown
    expect(JSON.stringify(zhangAccounts)).not.toContain('6222020200112233445');

    const holdings = await readMatching<CustomerHoldingsChangedV1Payload>(
      CustomerHoldingsChangedV1.topic,
      (h) => h.customerId === zhang,
      (found) => found.some((h) => h.openAccountCount === 3),
    );
    const last = holdings[holdings.length - 1];
    expect(last).toMatchObject({ customerId: zhang, openAccountCount: 3, everHadAccount: true });
    expect(last.holdings).toEqual(
      expect.arrayContaining([
        { productType: 'card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.1000' },
        { productType: 'savings', currency: 'CNY', accountCount: 1, totalBalance: '15230.5500' },
      ]),
    );
    const linked = await readMatching<AccountHolderLinkedV1Payload>(
      AccountHolderLinkedV1.topic,
      (l) => l.customerId === zhang,
      (found) => found.length >= 3,
    );
    expect(linked.map((l) => l.cause)).toEqual([
      'customer-resolved',
      'customer-resolved',
      'customer-resolved',
    ]);

    // a customer-master merge re-keys the links: 李娜 turns out to be absorbed into 张伟
    const merge: CustomerMergedV1Payload = {
      ...CustomerMergedV1.example,
      mergeId: randomUUID(),
      survivorId: zhang,
      absorbedIds: [li],
      movedMembershipIds: [],
      mergedAt: new Date().toISOString(),
    };
    await produceEnvelope(
      CustomerMergedV1.topic,
      makeEnvelope(CustomerMergedV1, merge, { subject: zhang }),
    );
    const merged = await waitFor(
      async () => {
        const c = await customerAccounts(zhang);
        return c.accounts.length === 4 ? c : undefined;
      },
      { what: 'the survivor with all four accounts' },
    );
    expect(merged.accounts.map((x) => x.sourceSystem).sort()).toEqual([cards, core, core, core]);
    // the absorbed id answers for its survivor
    expect((await customerAccounts(li)).customerId).toBe(zhang);
  });

  it('rejects malformed rows with a reason for each while the rest import, offers the rejected rows as a CSV download, and a re-sent file changes nothing', async () => {
    const system = uniqueSystem('core');
    const rows = [
      ACCOUNT_CSV_HEADER,
      accountCsvRow({ key: 'OK-1', number: '6222000000000001', holders: 'P-1:primary-holder' }), // line 2
      accountCsvRow({
        key: 'BAD-CCY',
        number: '6222000000000002',
        currency: 'yuan',
        holders: 'P-1:primary-holder',
      }), // 3
      accountCsvRow({ key: 'OK-2', number: '6222000000000003', holders: 'P-2:primary-holder' }), // 4
      accountCsvRow({
        key: 'BAD-PRODUCT',
        number: '6222000000000004',
        product: 'bitcoin',
        holders: 'P-1:primary-holder',
      }), // 5
      'SHORT-ROW,6222000000000005,savings', // 6
      accountCsvRow({ key: 'BAD-ROLE', number: '6222000000000006', holders: 'P-1:owner' }), // 7
      accountCsvRow({
        key: 'CLOSED-NO-DATE',
        number: '6222000000000007',
        status: 'closed',
        holders: 'P-1:primary-holder',
      }), // 8
      accountCsvRow({
        key: 'FLOAT',
        number: '6222000000000008',
        balance: '1.23456',
        holders: 'P-1:primary-holder',
      }), // 9
      accountCsvRow({ key: 'OK-3', number: '6222000000000009', holders: '' }), // 10
      accountCsvRow({ key: 'NO-NUMBER', number: '', holders: 'P-1:primary-holder' }), // 11
      accountCsvRow({
        key: 'OK-4',
        number: '6222 0000 0000 0010',
        product: 'mortgage',
        balance: '-800000',
        holders: 'P-1:primary-holder;P-2:guarantor',
      }), // 12
    ].join('\n');
    const first = await importFile({ system, kind: 'accounts', format: 'csv' }, rows);
    expect(first.status).toBe(201);
    expect(first.report.files[0]).toMatchObject({
      rowsRead: 11,
      recorded: 4,
      rejected: 7,
      committedRow: 12,
    });

    const res = await fetch(`${svc.url}/imports/${first.report.id}/rejections`, {
      headers: await auth(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('kind,row,reason,raw');
    const reasons = new Map(lines.slice(1).map((l) => [Number(l.split(',')[1]), l]));
    expect([...reasons.keys()]).toEqual([3, 5, 6, 7, 8, 9, 11]);
    expect(reasons.get(3)).toMatch(/currency: must match pattern/);
    expect(reasons.get(5)).toMatch(/productType: must be equal to one of the allowed values/);
    expect(reasons.get(6)).toMatch(/3 fields where the header has 15/);
    expect(reasons.get(7)).toMatch(/holders: ""P-1:owner"" is not partyKey:role/);
    expect(reasons.get(8)).toMatch(/closedOn: is required/);
    expect(reasons.get(9)).toMatch(/balance: must match pattern/);
    expect(reasons.get(11)).toMatch(/accountNumber: is required/);

    // idempotent: the same file again records nothing and publishes nothing
    const before = await outboxCount();
    const again = await importFile({ system, kind: 'accounts', format: 'csv' }, rows);
    expect(again.report.files[0]).toMatchObject({ recorded: 0, unchanged: 4, rejected: 7 });
    expect(await outboxCount()).toBe(before);
  });

  it('keeps the newest observedAt: an older record arriving after a newer one is ignored, the same one again is unchanged', async () => {
    const system = uniqueSystem('loans');
    const base: SourceAccountRecordV1 = {
      ...SourceAccountRecordedV1.example,
      sourceSystem: system,
      sourceKey: 'L-1',
      productType: 'loan',
      balance: '-100000.00',
      holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
      observedAt: '2026-11-28T10:00:00Z',
    };
    expect((await postAccount(base)).body).toMatchObject({ outcome: 'recorded' });
    expect((await postAccount(base)).body).toMatchObject({ outcome: 'unchanged' });
    const older = {
      ...base,
      balance: '-120000.00',
      observedAt: '2026-11-27T10:00:00Z',
      balanceAsOf: '2026-11-27T10:00:00Z',
    };
    const res = await postAccount(older);
    expect(res.body).toMatchObject({ outcome: 'older-ignored' });
    const account = await fetch(`${svc.url}/accounts/${String(res.body.accountId)}`, {
      headers: await auth(),
    });
    expect(await account.json()).toMatchObject({
      balance: '-100000.0000',
      accountNumberMasked: '***************3445',
    });

    const invalid = await postAccount({ ...base, currency: 'rmb' } as SourceAccountRecordV1);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual([
      { field: 'currency', message: 'must match pattern "^[A-Z]{3}$"' },
    ]);
  });

  it('publishes balance changes only past the threshold (100.00 or 1%), so small movements do not flood', async () => {
    const system = uniqueSystem('core');
    const customer = randomUUID();
    const record: SourceAccountRecordV1 = {
      ...SourceAccountRecordedV1.example,
      sourceSystem: system,
      sourceKey: 'S-1',
      balance: '20000.00',
      holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
    };
    const { body } = await postAccount(record);
    await resolveParty(system, 'P-1', customer);
    const balance = async (value: string, asOf: string) =>
      fetch(`${svc.url}/source-account-balances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await auth('data-steward')) },
        body: JSON.stringify({
          sourceSystem: system,
          sourceKey: 'S-1',
          currency: 'CNY',
          balance: value,
          balanceAsOf: asOf,
        }),
      });
    expect((await balance('20050.00', '2026-11-29T00:00:00Z')).status).toBe(202); // +50: below both
    expect((await balance('20090.00', '2026-11-30T00:00:00Z')).status).toBe(202); // +90 since published
    expect((await balance('20300.00', '2026-12-01T00:00:00Z')).status).toBe(202); // +300: published
    expect((await balance('1.00', '2026-11-20T00:00:00Z')).status).toBe(202); // older: ignored
    const wrong = await balance('1.00', '2026-12-02T00:00:00Z');
    expect(wrong.status).toBe(202);
    const events = await readMatching<AccountBalanceChangedV1Payload>(
      AccountBalanceChangedV1.topic,
      (e) => e.accountId === body.accountId,
      (found) => found.length >= 2,
      10_000,
    );
    expect(events.map((e) => [e.previousBalance, e.account.balance, e.delta])).toEqual([
      ['20000.0000', '20300.0000', '300.0000'],
      ['20300.0000', '1.0000', '-20299.0000'],
    ]);
    const otherCurrency = await fetch(`${svc.url}/source-account-balances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await auth('data-steward')) },
      body: JSON.stringify({
        sourceSystem: system,
        sourceKey: 'S-1',
        currency: 'USD',
        balance: '1',
        balanceAsOf: '2026-12-03T00:00:00Z',
      }),
    });
    expect(otherCurrency.status).toBe(400);
  });

  it('closing the last account publishes holdings with no open account left (customer-master marks the customer lost from it)', async () => {
    const system = uniqueSystem('core');
    const customer = randomUUID();
    // the account arrives by Kafka from the business system itself, before its holder is resolved
    const record: SourceAccountRecordV1 = {
      ...SourceAccountRecordedV1.example,
      sourceSystem: system,
      sourceKey: 'ONLY-1',
      holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
      observedAt: '2026-11-28T08:00:00Z',
    };
    await produceEnvelope(
      SourceAccountRecordedV1.topic,
      makeEnvelope(SourceAccountRecordedV1, record, {
        subject: `${system}:ONLY-1`,
        producer: system,
      }),
    );
    await resolveParty(system, 'P-1', customer);
    await waitFor(
      async () => ((await customerAccounts(customer)).accounts.length === 1 ? true : undefined),
      { what: 'the account from Kafka linked to its customer' },
    );
    const closed = await postAccount({
      ...record,
      status: 'closed',
      closedOn: '2026-11-29',
      balance: '0',
      availableBalance: '0',
      balanceAsOf: '2026-11-29T08:00:00Z',
      observedAt: '2026-11-29T08:00:00Z',
    });
    expect(closed.body).toMatchObject({ outcome: 'recorded' });
    const [closedEvent] = await readMatching<AccountClosedV1Payload>(
      AccountClosedV1.topic,
      (e) => e.accountId === closed.body.accountId,
      (found) => found.length >= 1,
    );
    expect(closedEvent).toMatchObject({
      previousStatus: 'open',
      account: { status: 'closed', customerIds: [customer] },
    });
    const holdings = await readMatching<CustomerHoldingsChangedV1Payload>(
      CustomerHoldingsChangedV1.topic,
      (h) => h.customerId === customer,
      (found) => found.some((h) => h.change === 'account-closed'),
    );
    const last = holdings[holdings.length - 1];
    expect(last).toMatchObject({
      change: 'account-closed',
      openAccountCount: 0,
      everHadAccount: true,
      holdings: [],
    });
    expect(last.sequence).toBeGreaterThan(holdings[0].sequence);
  });

  it('publishes every holdings snapshot as v2 with the accounts’ own vocabulary and as deprecated v1 with the mapped one, same sequence', async () => {
    const system = uniqueSystem('core');
    const customer = randomUUID();
    const account = (
      sourceKey: string,
      accountNumber: string,
      fields: Pick<SourceAccountRecordV1, 'productType' | 'status' | 'balance' | 'holders'>,
    ): SourceAccountRecordV1 => ({
      sourceSystem: system,
      sourceKey,
      accountNumber,
      currency: 'CNY',
      balanceAsOf: '2026-11-28T08:00:00Z',
      openedOn: '2021-05-20',
      observedAt: '2026-11-28T08:00:00Z',
      ...fields,
    });
    const records = [
      account('MTG-1', '6228480000000001', {
        productType: 'mortgage',
        status: 'open',
        balance: '-1200000',
        holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
      }),
      account('LN-1', '6228480000000002', {
        productType: 'loan',
        status: 'open',
        balance: '-50000',
        holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
      }),
      account('CUR-1', '6222020000000003', {
        productType: 'current',
        status: 'frozen',
        balance: '8800',
        holders: [{ sourceKey: 'P-1', role: 'primary-holder' }],
      }),
      // a supplementary card: P-9 holds the card account, P-1 only a card on it
      account('CARD-1', '4392250000000004', {
        productType: 'credit-card',
        status: 'open',
        balance: '-3250.10',
        holders: [
          { sourceKey: 'P-9', role: 'primary-holder' },
          { sourceKey: 'P-1', role: 'card-holder' },
        ],
      }),
    ];
    const ids = new Map<string, string>();
    for (const record of records) {
      const res = await postAccount(record);
      expect(res.body).toMatchObject({ outcome: 'recorded' });
      ids.set(record.sourceKey, res.body.accountId as string);
    }
    await resolveParty(system, 'P-1', customer);

    const v2s = await readMatching<CustomerHoldingsChangedV2Payload>(
      CustomerHoldingsChangedV2.topic,
      (h) => h.customerId === customer,
      (found) => found.some((h) => h.accounts.length === 4),
    );
    const v2 = v2s.find((h) => h.accounts.length === 4)!;
    const [v1] = await readMatching<CustomerHoldingsChangedV1Payload>(
      CustomerHoldingsChangedV1.topic,
      (h) => h.customerId === customer && h.sequence === v2.sequence,
      (found) => found.length >= 1,
    );

    const byRef = <A extends { accountRef: string }>(accounts: A[], key: string): A =>
      accounts.find((a) => a.accountRef === ids.get(key))!;
    const vocabulary = (a: { productType: string; status: string; role: string }) => [
      a.productType,
      a.status,
      a.role,
    ];
    expect(
      ['MTG-1', 'LN-1', 'CUR-1', 'CARD-1'].map((k) => vocabulary(byRef(v2.accounts, k))),
    ).toEqual([
      ['mortgage', 'open', 'primary-holder'],
      ['loan', 'open', 'primary-holder'],
      ['current', 'frozen', 'primary-holder'],
      ['credit-card', 'open', 'card-holder'],
    ]);
    expect(
      ['MTG-1', 'LN-1', 'CUR-1', 'CARD-1'].map((k) => vocabulary(byRef(v1.accounts, k))),
    ).toEqual([
      ['loan', 'open', 'primary-holder'],
      ['loan', 'open', 'primary-holder'],
      ['current', 'open', 'primary-holder'],
      ['card', 'open', 'joint-holder'],
    ]);
    expect(v2.holdings).toEqual([
      { productType: 'credit-card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.1000' },
      { productType: 'current', currency: 'CNY', accountCount: 1, totalBalance: '8800.0000' },
      { productType: 'loan', currency: 'CNY', accountCount: 1, totalBalance: '-50000.0000' },
      { productType: 'mortgage', currency: 'CNY', accountCount: 1, totalBalance: '-1200000.0000' },
    ]);
    expect(v1.holdings).toEqual([
      { productType: 'card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.1000' },
      { productType: 'current', currency: 'CNY', accountCount: 1, totalBalance: '8800.0000' },
      { productType: 'loan', currency: 'CNY', accountCount: 2, totalBalance: '-1250000.0000' },
    ]);
    // the same snapshot otherwise: the frozen account is held in both
    const common = (h: CustomerHoldingsChangedV1Payload | CustomerHoldingsChangedV2Payload) => ({
      sequence: h.sequence,
      asOf: h.asOf,
      change: h.change,
      openAccountCount: h.openAccountCount,
      everHadAccount: h.everHadAccount,
      lastActivityOn: h.lastActivityOn,
      balances: h.accounts.map((a) => [a.accountRef, a.balance, a.accountNumberMasked]),
    });
    expect(common(v1)).toEqual(common(v2));
    expect(v2.openAccountCount).toBe(4);

    // a change only v2 can show (frozen -> open) is still published on both topics
    const unfrozen = await postAccount({
      ...records[2],
      status: 'open',
      observedAt: '2026-11-29T08:00:00Z',
    });
    expect(unfrozen.body).toMatchObject({ outcome: 'recorded' });
    const next = await readMatching<CustomerHoldingsChangedV2Payload>(
      CustomerHoldingsChangedV2.topic,
      (h) => h.customerId === customer && h.sequence > v2.sequence,
      (found) => found.length >= 1,
    );
    expect(vocabulary(byRef(next[0].accounts, 'CUR-1'))).toEqual([
      'current',
      'open',
      'primary-holder',
    ]);
    const [nextV1] = await readMatching<CustomerHoldingsChangedV1Payload>(
      CustomerHoldingsChangedV1.topic,
      (h) => h.customerId === customer && h.sequence === next[0].sequence,
      (found) => found.length >= 1,
    );
    expect(nextV1.openAccountCount).toBe(4);
  });
});
