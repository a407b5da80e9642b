import { closeTestKafka, startTestService, waitFor, type RunningService } from '@bank-crm/testing';

import { todayUtc } from '../common/dates';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView360 } from '../customer-view/customer-view.service';
import type { GroupView } from '../groups/groups.service';
import { MergesService } from '../merges/merges.service';
import { customerMasterService } from '../service-definition';
import { createCustomer, holdings, outboxDrained, produceHoldings, residentId } from './fixtures';
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

    // replay: empty the view and rebuild it from the topics alone; same answer for every customer
    await outboxDrained(svc.dataSource);
    const before = await Promise.all([p.id, q.id, r.id].map(async (id) => (await view(id)).body));
    const rebuilt = await http.post<{ applied: number }>('/customer-view/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.applied).toBeGreaterThan(0);
    const after = await Promise.all([p.id, q.id, r.id].map(async (id) => (await view(id)).body));
    expect(after).toEqual(before);
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
