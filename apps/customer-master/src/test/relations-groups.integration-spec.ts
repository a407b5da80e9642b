import {
  CustomerRelationAddedV1,
  CustomerRelationEndedV1,
  GroupMembershipAddedV1,
  type CustomerRelationAddedV1Payload,
  type GroupMembershipAddedV1Payload,
} from '@bank-crm/contracts';
import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView } from '../customers/customer.mapper';
import type { GroupView, MembershipView } from '../groups/groups.service';
import type { RelationView } from '../relations/relation-perspective';
import { customerMasterService } from '../service-definition';
import { createCustomer, eventsFor } from './fixtures';
import { httpClient, type HttpClient } from './http';

type Errors = { errors: { field: string; message: string }[]; message: string };

describe('relations and groups over time (real PostgreSQL and Kafka)', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let http: HttpClient;
  let a: CustomerView;
  let b: CustomerView;
  let c: CustomerView;

  beforeAll(async () => {
    svc = await startTestService(customerMasterService);
    http = httpClient(svc.url);
    [a, b, c] = [
      await createCustomer(http),
      await createCustomer(http),
      await createCustomer(http),
    ];
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  it('lists the relation type catalogue with reverses', async () => {
    const res = await http.get<{ code: string; reverseCode: string }[]>('/relation-types');
    expect(res.status).toBe(200);
    const pairs = Object.fromEntries(res.body.map((t) => [t.code, t.reverseCode]));
    expect(pairs).toMatchObject({
      spouse: 'spouse',
      parent: 'child',
      child: 'parent',
      guarantor: 'guaranteed',
      shareholder: 'invested-in',
      'legal-representative': 'represented',
      subsidiary: 'parent-company',
    });
  });

  it('a relation reads right from either side, rejects overlaps, ends, and answers as of a day', async () => {
    const added = await http.post<RelationView>(`/customers/${a.id}/relations`, {
      type: 'parent',
      counterpartCustomerId: b.id,
      validFrom: '2020-01-01',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ role: { code: 'parent' }, counterpartCustomerId: b.id });

    const fromB = (await http.get<RelationView[]>(`/customers/${b.id}/relations`)).body;
    expect(fromB).toHaveLength(1);
    expect(fromB[0]).toMatchObject({
      relationId: added.body.relationId,
      role: { code: 'child', label: 'Child' },
      counterpartCustomerId: a.id,
      counterpartRole: { code: 'parent' },
    });

    // the same relation recorded from the other side overlaps: 409 with a clear message
    const dup = await http.post<Errors>(`/customers/${b.id}/relations`, {
      type: 'child',
      counterpartCustomerId: a.id,
      validFrom: '2024-01-01',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/overlapping period/);

    const end = await http.post(`/customer-relations/${added.body.relationId}/end`, {
      validTo: '2025-01-01',
    });
    expect(end.status).toBe(200);
    expect(
      (
        await http.post(`/customer-relations/${added.body.relationId}/end`, {
          validTo: '2025-02-01',
        })
      ).status,
    ).toBe(409);

    const asOf = async (day: string) =>
      (await http.get<RelationView[]>(`/customers/${a.id}/relations?asOf=${day}`)).body;
    expect(await asOf('2019-12-31')).toHaveLength(0);
    expect(await asOf('2024-12-31')).toHaveLength(1);
    expect(await asOf('2025-01-01')).toHaveLength(0);

    // a new period starting on the old validTo is fine (periods are [validFrom, validTo))
    const again = await http.post<RelationView>(`/customers/${b.id}/relations`, {
      type: 'child',
      counterpartCustomerId: a.id,
      validFrom: '2025-01-01',
    });
    expect(again.status).toBe(201);
    const all = (await http.get<RelationView[]>(`/customers/${a.id}/relations?history=true`)).body;
    expect(all.map((r) => [r.role.code, r.validFrom, r.validTo])).toEqual([
      ['parent', '2020-01-01', '2025-01-01'],
      ['parent', '2025-01-01', null],
    ]);

    const [addedEvent] = await eventsFor<CustomerRelationAddedV1Payload>(
      CustomerRelationAddedV1,
      added.body.relationId,
      1,
    );
    expect(addedEvent.envelope.payload).toMatchObject({
      fromCustomerId: b.id,
      toCustomerId: a.id,
      type: { code: 'child' },
      reverseType: { code: 'parent' },
    });
    expect(await eventsFor(CustomerRelationEndedV1, added.body.relationId, 1)).toHaveLength(1);
  });

  it('a symmetric relation (spouse) shows spouse from both sides', async () => {
    const res = await http.post<RelationView>(`/customers/${a.id}/relations`, {
      type: 'spouse',
      counterpartCustomerId: c.id,
    });
    expect(res.status).toBe(201);
    const fromC = (await http.get<RelationView[]>(`/customers/${c.id}/relations`)).body;
    expect(fromC.map((r) => [r.role.code, r.counterpartCustomerId])).toEqual([['spouse', a.id]]);
  });

  it.each([
    ['no body', {}, ['type', 'counterpartCustomerId']],
    [
      'a malformed counterpart',
      { type: 'spouse', counterpartCustomerId: 'x' },
      ['counterpartCustomerId'],
    ],
    [
      'an unknown type',
      { type: 'cousin', counterpartCustomerId: '00000000-0000-4000-8000-000000000001' },
      ['type'],
    ],
    [
      'an impossible date',
      {
        type: 'spouse',
        counterpartCustomerId: '00000000-0000-4000-8000-000000000001',
        validFrom: '2026-02-30',
      },
      ['validFrom'],
    ],
    [
      'a datetime for a date',
      {
        type: 'spouse',
        counterpartCustomerId: '00000000-0000-4000-8000-000000000001',
        validFrom: '2026-01-01T00:00:00Z',
      },
      ['validFrom'],
    ],
    [
      'validTo before validFrom',
      {
        type: 'spouse',
        counterpartCustomerId: '00000000-0000-4000-8000-000000000001',
        validFrom: '2026-01-02',
        validTo: '2026-01-01',
      },
      ['validTo'],
    ],
    [
      'an unknown counterpart',
      { type: 'spouse', counterpartCustomerId: '00000000-0000-4000-8000-000000000001' },
      ['counterpartCustomerId'],
    ],
  ])('rejects a relation with %s (400, field messages)', async (_label, body, fields) => {
    const res = await http.post<Errors>(`/customers/${a.id}/relations`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it('rejects a relation of a customer with itself', async () => {
    const res = await http.post<Errors>(`/customers/${a.id}/relations`, {
      type: 'spouse',
      counterpartCustomerId: a.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'counterpartCustomerId' });
  });

  it('rejects bad as-of queries', async () => {
    for (const q of [
      'asOf=yesterday',
      'asOf=2026-13-01',
      'history=yes',
      'asOf=2026-01-01&history=true',
    ]) {
      const res = await http.get<Errors>(`/customers/${a.id}/relations?${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
  });

  it('groups: memberships over time, overlaps rejected, who was in G on D, which groups was C in on D', async () => {
    const g = await http.post<GroupView>('/groups', {
      kind: 'entity',
      groupType: 'household',
      name: '张家',
    });
    expect(g.status).toBe(201);
    const gid = g.body.id;
    const first = await http.post<MembershipView>(`/groups/${gid}/members`, {
      customerId: a.id,
      role: 'head',
      validFrom: '2020-01-01',
      validTo: '2023-01-01',
    });
    expect(first.status).toBe(201);

    const overlap = await http.post<Errors>(`/groups/${gid}/members`, {
      customerId: a.id,
      role: 'member',
      validFrom: '2022-06-01',
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.message).toMatch(/may not overlap/);

    const second = await http.post<MembershipView>(`/groups/${gid}/members`, {
      customerId: a.id,
      role: 'member',
      validFrom: '2023-01-01',
    });
    expect(second.status).toBe(201);
    const spouse = await http.post<MembershipView>(`/groups/${gid}/members`, {
      customerId: b.id,
      role: 'spouse',
      validFrom: '2021-01-01',
    });
    expect(spouse.status).toBe(201);

    const members = async (day: string) =>
      (await http.get<MembershipView[]>(`/groups/${gid}/members?asOf=${day}`)).body
        .map((m) => `${m.customerId === a.id ? 'A' : 'B'}:${m.role}`)
        .sort();
    expect(await members('2019-12-31')).toEqual([]);
    expect(await members('2020-06-01')).toEqual(['A:head']);
    expect(await members('2022-12-31')).toEqual(['A:head', 'B:spouse']);
    expect(await members('2023-01-01')).toEqual(['A:member', 'B:spouse']);

    const groupsOfA = async (day: string) =>
      (await http.get<MembershipView[]>(`/customers/${a.id}/groups?asOf=${day}`)).body;
    expect((await groupsOfA('2022-12-31')).map((m) => m.role)).toEqual(['head']);
    const now = await groupsOfA('2023-01-01');
    expect(now.map((m) => [m.role, m.group?.name])).toEqual([['member', '张家']]);

    const ended = await http.post<MembershipView>(
      `/groups/${gid}/members/${spouse.body.membershipId}/end`,
      { validTo: '2024-01-01' },
    );
    expect(ended.status).toBe(200);
    expect(await members('2024-01-01')).toEqual(['A:member']);
    expect(
      (
        await http.post(`/groups/${gid}/members/${spouse.body.membershipId}/end`, {
          validTo: '2024-02-01',
        })
      ).status,
    ).toBe(409);

    // list customers filtered by group (members today)
    const listed = await http.get<{ items: { id: string }[]; total: number }>(
      `/customers?groupId=${gid}`,
    );
    expect(listed.body.items.map((i) => i.id)).toEqual([a.id]);

    const events = await eventsFor<GroupMembershipAddedV1Payload>(GroupMembershipAddedV1, gid, 3);
    expect(events.map((e) => e.envelope.payload.role).sort()).toEqual(['head', 'member', 'spouse']);
    expect(events[0].envelope.payload.group).toEqual({
      kind: 'entity',
      type: 'household',
      name: '张家',
    });
  });

  it.each([
    ['no body', {}, ['kind', 'groupType', 'name']],
    ['a bad kind', { kind: 'family', groupType: 'household', name: 'x' }, ['kind']],
    ['a bad type code', { kind: 'entity', groupType: 'House Hold', name: 'x' }, ['groupType']],
    ['an empty name', { kind: 'entity', groupType: 'household', name: '' }, ['name']],
  ])('rejects a group with %s (400)', async (_label, body, fields) => {
    const res = await http.post<Errors>('/groups', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it('rejects bad memberships (400) and unknown groups (404)', async () => {
    const g = (
      await http.post<GroupView>('/groups', {
        kind: 'managed-list',
        groupType: 'campaign-list',
        name: 'Q1',
      })
    ).body;
    const bad = async (body: unknown) =>
      (await http.post<Errors>(`/groups/${g.id}/members`, body)).body;
    expect((await bad({})).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['customerId', 'role']),
    );
    expect(
      (
        await bad({
          customerId: a.id,
          role: 'member',
          validFrom: '2026-01-05',
          validTo: '2026-01-05',
        })
      ).errors[0].field,
    ).toBe('validTo');
    expect(
      (await bad({ customerId: '00000000-0000-4000-8000-000000000009', role: 'member' })).errors[0]
        .field,
    ).toBe('customerId');
    expect(
      (
        await http.post(`/groups/00000000-0000-4000-8000-000000000009/members`, {
          customerId: a.id,
          role: 'member',
        })
      ).status,
    ).toBe(404);
    expect((await http.get('/groups/not-a-uuid')).status).toBe(400);
  });
});
