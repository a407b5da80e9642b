import { SYSTEM_SCOPE, withDataScope } from '@bank-crm/auth';
import {
  CustomerHoldingsChangedV1,
  CustomerHoldingsChangedV2,
  type CustomerHoldingsChangedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import {
  closeTestKafka,
  makeEnvelope,
  startTestService,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';

import { todayUtc } from '../common/dates';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import { CustomerViewProjector } from '../customer-view/customer-view.projector';
import type { CustomerView360 } from '../customer-view/customer-view.service';
import type { GroupView } from '../groups/groups.service';
import { MergesService } from '../merges/merges.service';
import { customerMasterService } from '../service-definition';
import {
  createCustomer,
  holdings,
  outboxDrained,
  processed,
  produceHoldings,
  residentId,
} from './fixtures';
import { httpClient, type HttpClient } from './http';

describe('the unified customer view (360), built from events and rebuilt by replay', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let http: HttpClient;

  beforeAll(async () => {
    svc = await startTestService(customerMasterService);
    http = httpClient(svc.url);
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  const view = async (id: string) => http.get<CustomerView360>(`/customers/${id}/360`);

  it('fills every part that has a source, masks identifiers, follows merges, and a replay rebuilds the same view', async () => {
    const idNumber = residentId('19850505');
    const p = await createCustomer(http, {
      displayName: '李娜',
      nameLatin: 'Li Na',
      identifiers: [{ type: 'CN_RESIDENT_ID', number: idNumber }],
      phones: [{ type: 'mobile', number: '+86 139 1234 5678' }],
      valueTier: 'silver',
    });
    const q = await createCustomer(http, { displayName: '张伟' });
    const r = await createCustomer(http, { displayName: '李 娜' });
    expect(
      (
        await http.post(`/customers/${p.id}/relations`, {
          type: 'spouse',
          counterpartCustomerId: q.id,
          validFrom: '2015-05-01',
        })
      ).status,
    ).toBe(201);
    const g = (
      await http.post<GroupView>('/groups', {
        kind: 'entity',
        groupType: 'household',
        name: '李家',
      })
    ).body;
    expect(
      (
        await http.post(`/groups/${g.id}/members`, {
          customerId: p.id,
          role: 'head',
          validFrom: '2015-05-01',
        })
      ).status,
    ).toBe(201);
    expect((await http.patch(`/customers/${p.id}`, { valueTier: 'gold' })).status).toBe(200);
    await produceHoldings(holdings(p.id, 1, { open: 2, lastActivityOn: todayUtc() }));
    await produceHoldings(holdings(r.id, 1, { open: 1, lastActivityOn: todayUtc() }));

    const filled = await waitFor(
      async () => {
        const res = await view(p.id);
        return res.status === 200 && res.body.parts.accounts && res.body.parts.lifecycle
          ? res.body
          : undefined;
      },
      { what: 'the 360 view with accounts and lifecycle' },
    );
    const parts = filled.parts;
    expect(Object.keys(parts).sort()).toEqual([
      'accounts',
      'groups',
      'lifecycle',
      'profile',
      'relations',
    ]);
    for (const part of Object.values(parts)) expect(Date.parse(part.asOf)).not.toBeNaN();
    expect(parts.profile).toMatchObject({
      displayName: '李娜',
      nameLatin: 'Li Na',
      status: 'active',
      valueTier: 'gold',
      identifiers: [{ type: 'CN_RESIDENT_ID', masked: `**************${idNumber.slice(-4)}` }],
      phones: [{ type: 'mobile', masked: '*******5678' }],
    });
    expect(JSON.stringify(filled)).not.toContain(idNumber);
    expect(JSON.stringify(filled)).not.toContain('13912345678');
    expect(parts.accounts?.openAccountCount).toBe(2);
    expect(parts.accounts?.accounts.map((a) => [a.role, a.balance, a.accountNumberMasked])).toEqual(
      [
        ['primary-holder', '15230.55', '************1000'],
        ['joint-holder', '100000.00', '************1001'],
      ],
    );
    expect(parts.lifecycle?.history).toEqual([
      expect.objectContaining({ from: 'potential', to: 'active', cause: 'first-account-opened' }),
    ]);
    expect(parts.relations?.items).toEqual([
      expect.objectContaining({
        role: { code: 'spouse', label: 'Spouse' },
        counterpartCustomerId: q.id,
        current: true,
      }),
    ]);
    expect(parts.groups?.items).toEqual([
      expect.objectContaining({
        groupId: g.id,
        role: 'head',
        group: { kind: 'entity', type: 'household', name: '李家' },
      }),
    ]);
    // no source publishes these yet: absent, never placeholders
    expect(parts.relationshipManager).toBeUndefined();
    expect((parts as Record<string, unknown>).sourceRecords).toBeUndefined();

    // merge R into P: R's id answers with P, and P's accounts include R's
    await svc.dataSource.transaction((m) =>
      svc.app
        .get(MergesService)
        .mergeCustomers(p.id, [r.id], 'same person', m, { correlationId: 'view-test' }),
    );
    const merged = await view(r.id);
    expect(merged.body).toMatchObject({
      customerId: p.id,
      redirectedFrom: r.id,
      absorbedIds: [r.id],
    });
    expect(merged.body.parts.accounts?.accounts).toHaveLength(3);
    expect(merged.body.parts.accounts?.holdings).toEqual([
      { productType: 'savings', currency: 'CNY', accountCount: 2, totalBalance: '30461.10' },
      { productType: 'time-deposit', currency: 'CNY', accountCount: 1, totalBalance: '100000.00' },
    ]);

    // a customer whose newest snapshot is only on the deprecated v1 topic (published before v2
    // existed; the live consumer reads v2 only): the replay still finds it, in v2's vocabulary
    const s = await createCustomer(http, { displayName: '王芳' });
    const legacy = CustomerHoldingsChangedV1.example;
    const legacyCard = {
      ...legacy.accounts[1],
      sourceSystem: 'cards',
      productType: 'card',
      role: 'primary-holder',
      balance: '-3250.10',
    } as const;
    await produceHoldings(
      makeEnvelope<CustomerHoldingsChangedV1Payload>(
        CustomerHoldingsChangedV1,
        {
          ...legacy,
          customerId: s.id,
          accounts: [legacy.accounts[0], legacyCard],
          holdings: [
            legacy.holdings[0],
            { productType: 'card', currency: 'CNY', accountCount: 1, totalBalance: '-3250.10' },
          ],
        },
        { subject: s.id },
      ),
      CustomerHoldingsChangedV1,
    );

    // replay: empty the view and rebuild it from the topics alone; same answer for every customer
    await outboxDrained(svc.dataSource);
    const before = await Promise.all([p.id, q.id, r.id].map(async (id) => (await view(id)).body));
    const rebuilt = await http.post<{ applied: number }>('/customer-view/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.applied).toBeGreaterThan(0);
    const after = await Promise.all([p.id, q.id, r.id].map(async (id) => (await view(id)).body));
    expect(after).toEqual(before);
    const replayed = (await view(s.id)).body.parts.accounts;
    expect(replayed?.accounts.map((a) => [a.productType, a.role, a.balance])).toEqual([
      ['savings', 'primary-holder', '15230.55'],
      ['credit-card', 'primary-holder', '-3250.10'],
    ]);
    expect(replayed?.holdings.map((h) => h.productType)).toEqual(['savings', 'credit-card']);
  });

  it('shows what v2 tells apart: a mortgage, a frozen account and a supplementary card holder keep their own values, and the frozen account is still held', async () => {
    const c = await createCustomer(http, { displayName: '赵敏' });
    const ref = (system: string) => `${system}:${c.id.slice(0, 8)}`;
    await produceHoldings(
      holdings(c.id, 1, {
        open: 0,
        lastActivityOn: todayUtc(),
        extra: [
          {
            accountRef: ref('loans'),
            sourceSystem: 'loans',
            productType: 'mortgage',
            accountNumberMasked: '********5678',
            role: 'primary-holder',
            status: 'open',
            currency: 'CNY',
            balance: '-1200000.00',
            openedOn: '2021-05-20',
            lastActivityOn: todayUtc(),
          },
          {
            accountRef: ref('core-banking'),
            sourceSystem: 'core-banking',
            productType: 'current',
            accountNumberMasked: '***************9999',
            role: 'primary-holder',
            status: 'frozen',
            currency: 'CNY',
            balance: '8800.00',
            openedOn: '2018-04-12',
          },
          {
            accountRef: ref('cards'),
            sourceSystem: 'cards',
            productType: 'credit-card',
            accountNumberMasked: '************4321',
            role: 'card-holder',
            status: 'open',
            currency: 'CNY',
            balance: '-3250.10',
            openedOn: '2024-02-01',
          },
        ],
      }),
    );
    const filled = await waitFor(
      async () => {
        const res = await view(c.id);
        return res.body.parts?.accounts && res.body.parts.lifecycle ? res.body.parts : undefined;
      },
      { what: 'the 360 view with accounts and lifecycle' },
    );
    expect(filled.accounts?.accounts.map((a) => [a.productType, a.status, a.role])).toEqual([
      ['mortgage', 'open', 'primary-holder'],
      ['current', 'frozen', 'primary-holder'],
      ['credit-card', 'open', 'card-holder'],
    ]);
    expect(filled.accounts?.openAccountCount).toBe(3);
    expect(filled.accounts?.holdings.map((h) => [h.productType, h.accountCount])).toEqual([
      ['mortgage', 1],
      ['current', 1],
      ['credit-card', 1],
    ]);
    expect(filled.lifecycle?.status).toBe('active');

    // only the frozen account left: still held, so the customer is not lost
    const frozenOnly = holdings(c.id, 2, {
      open: 0,
      lastActivityOn: todayUtc(),
      extra: [
        {
          accountRef: ref('core-banking'),
          sourceSystem: 'core-banking',
          productType: 'current',
          accountNumberMasked: '***************9999',
          role: 'primary-holder',
          status: 'frozen',
          currency: 'CNY',
          balance: '8800.00',
          openedOn: '2018-04-12',
        },
      ],
    });
    await produceHoldings(frozenOnly);
    await processed(svc.dataSource, frozenOnly.id);
    const after = (await view(c.id)).body.parts;
    expect(after.accounts?.openAccountCount).toBe(1);
    expect(after.lifecycle?.status).toBe('active');
  });

  it('replays keep the newest snapshot per customer; of one snapshot, the v2 copy wins over the v1 copy in either order', async () => {
    const projector = svc.app.get(CustomerViewProjector);
    const project = (topic: string, event: EventEnvelope) =>
      withDataScope(svc.dataSource, SYSTEM_SCOPE, (m) => projector.project(m, topic, event));
    const stored = async (customerId: string) => {
      const [row] = (await withDataScope(svc.dataSource, SYSTEM_SCOPE, (m) =>
        m.query('SELECT sequence, data FROM view_customer_holdings WHERE customer_id = $1', [
          customerId,
        ]),
      )) as { sequence: number; data: { accounts: { productType: string }[] } }[];
      return [Number(row.sequence), row.data.accounts.map((a) => a.productType)];
    };
    const mortgage = (customerId: string, sequence: number) =>
      holdings(customerId, sequence, {
        open: 0,
        lastActivityOn: todayUtc(),
        extra: [
          {
            accountRef: `loans:${customerId.slice(0, 8)}`,
            sourceSystem: 'loans',
            productType: 'mortgage',
            accountNumberMasked: '********5678',
            role: 'primary-holder',
            status: 'open',
            currency: 'CNY',
            balance: '-1200000.00',
            openedOn: '2021-05-20',
          },
        ],
      });
    /** The v1 copy of `mortgage(...)`, as account-bridge publishes it next to v2. */
    const asV1 = (v2: ReturnType<typeof mortgage>) =>
      makeEnvelope<CustomerHoldingsChangedV1Payload>(
        CustomerHoldingsChangedV1,
        {
          ...v2.payload,
          accounts: v2.payload.accounts.map((a) => ({
            ...a,
            productType: 'loan',
            role: 'primary-holder',
            status: 'open',
          })),
          holdings: v2.payload.holdings.map((h) => ({ ...h, productType: 'loan' })),
        },
        { subject: v2.subject },
      );
    const [a, b] = [(await createCustomer(http)).id, (await createCustomer(http)).id];

    // v1 first, then v2 of the same snapshot: v2 replaces it
    await project(CustomerHoldingsChangedV1.topic, asV1(mortgage(a, 1)));
    expect(await stored(a)).toEqual([1, ['loan']]);
    await project(CustomerHoldingsChangedV2.topic, mortgage(a, 1));
    expect(await stored(a)).toEqual([1, ['mortgage']]);
    // v2 first, then v1 of the same snapshot: v2 stays
    await project(CustomerHoldingsChangedV2.topic, mortgage(b, 1));
    await project(CustomerHoldingsChangedV1.topic, asV1(mortgage(b, 1)));
    expect(await stored(b)).toEqual([1, ['mortgage']]);
    // a newer snapshot wins whichever topic it is read from, an older one is ignored
    await project(CustomerHoldingsChangedV1.topic, asV1(mortgage(b, 2)));
    expect(await stored(b)).toEqual([2, ['loan']]);
    await project(CustomerHoldingsChangedV2.topic, mortgage(b, 1));
    expect(await stored(b)).toEqual([2, ['loan']]);
    // v1's card is always a credit card: stored in v2's vocabulary
    const card = holdings(b, 3, { open: 0, lastActivityOn: todayUtc(), closed: 1 });
    await project(
      CustomerHoldingsChangedV1.topic,
      makeEnvelope<CustomerHoldingsChangedV1Payload>(
        CustomerHoldingsChangedV1,
        {
          ...card.payload,
          accounts: card.payload.accounts.map((x) => ({
            ...x,
            productType: 'card',
            role: 'primary-holder',
            status: 'closed',
          })),
          holdings: [],
        },
        { subject: b },
      ),
    );
    expect(await stored(b)).toEqual([3, ['credit-card']]);
  });

  it('answers 404 for a customer no event has mentioned, 400 for a malformed id', async () => {
    expect((await view('00000000-0000-4000-8000-00000000abcd')).status).toBe(404);
    expect((await view('nope')).status).toBe(400);
  });

  it('only admins may rebuild the view', async () => {
    const rm = http.as({ role: 'marketing', userId: 'mk-1' });
    expect((await rm.post('/customer-view/rebuild')).status).toBe(403);
  });
});
