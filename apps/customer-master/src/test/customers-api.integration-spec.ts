import { CustomerUpdatedV1, type CustomerUpdatedV1Payload } from '@bank-crm/contracts';
import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView } from '../customers/customer.mapper';
import { residentId18To15 } from '../customers/identifier-normalizer';
import { customerMasterService } from '../service-definition';
import { createCustomer, eventsFor, residentId } from './fixtures';
import { httpClient, type HttpClient } from './http';

type Errors = { errors: { field: string; message: string }[]; message: string };
type PageOf = { items: CustomerView[]; page: number; pageSize: number; total: number };

describe('customers API: profile, update, list and search (real PostgreSQL and Kafka)', () => {
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

  it('creates a full profile: contacts masked in the answer, extra fields published as an update', async () => {
    const c = await createCustomer(http, {
      displayName: '赵敏',
      birthDate: '1990-03-07',
      gender: 'F',
      phones: [{ type: 'mobile', number: '+86 138-0013-8001' }],
      emails: [{ type: 'personal', address: 'Zhao.Min@Example.com' }],
      addresses: [{ type: 'home', line: '北京市朝阳区建国路88号', city: '北京', country: 'CN' }],
      segment: 'young-professionals',
      valueTier: 'silver',
    });
    expect(c).toMatchObject({
      version: 2,
      birthDate: '1990-03-07',
      gender: 'F',
      phones: [{ type: 'mobile', masked: '*******8001' }],
      emails: [{ type: 'personal', masked: 'z***@example.com' }],
      segment: 'young-professionals',
      valueTier: 'silver',
    });
    const [updated] = await eventsFor<CustomerUpdatedV1Payload>(CustomerUpdatedV1, c.id, 1);
    expect(updated.envelope.subjectVersion).toBe(2);
    expect(updated.envelope.payload.changedFields.sort()).toEqual(
      ['addresses', 'birthDate', 'emails', 'gender', 'phones', 'segment', 'valueTier'].sort(),
    );
    expect(updated.raw).not.toContain('13800138001');
    expect(updated.raw).not.toContain('1990-03-07');
    expect(updated.raw).not.toContain('建国路');
  });

  it('updates only what changed, publishes the changed fields, checks the version', async () => {
    const c = await createCustomer(http, { nameLatin: 'Qian Li' });
    const res = await http.patch<CustomerView>(`/customers/${c.id}`, {
      version: c.version,
      valueTier: 'gold',
      nameLatin: null,
      displayName: c.displayName,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valueTier: 'gold', nameLatin: null, version: c.version + 1 });
    const [event] = await eventsFor<CustomerUpdatedV1Payload>(CustomerUpdatedV1, c.id, 1);
    expect(event.envelope.payload).toMatchObject({
      changedFields: ['nameLatin', 'valueTier'],
      changes: { nameLatin: null, valueTier: 'gold' },
    });
    // nothing changes: no new version
    const same = await http.patch<CustomerView>(`/customers/${c.id}`, { valueTier: 'gold' });
    expect(same.body.version).toBe(c.version + 1);
    expect(
      (await http.patch(`/customers/${c.id}`, { version: c.version, segment: 'x' })).status,
    ).toBe(409);
    expect(
      (await http.patch(`/customers/00000000-0000-4000-8000-000000000001`, { segment: 'x' }))
        .status,
    ).toBe(404);
  });

  it('finds customers by partial name, Latin name in any word order, identifier in its 15-digit form, and phone', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const id18 = residentId('19671203');
    const c = await createCustomer(http, {
      displayName: `欧阳${tag}娜娜`,
      nameLatin: `Ouyang ${tag} Nana`,
      identifiers: [{ type: 'CN_RESIDENT_ID', number: id18 }],
      phones: [{ type: 'mobile', number: '13912340000' }],
    });
    const ids = async (query: string) =>
      (await http.get<PageOf>(`/customers?${query}`)).body.items.map((i) => i.id);
    expect(await ids(`q=${encodeURIComponent(`${tag}娜`)}`)).toEqual([c.id]);
    expect(await ids(`q=${encodeURIComponent(`NANA ${tag}`)}`)).toEqual([c.id]);
    expect(await ids(`q=${encodeURIComponent(`ouyang${tag}`)}`)).toEqual([c.id]);
    expect(await ids(`identifier=${residentId18To15(id18)}`)).toEqual([c.id]);
    expect(await ids(`identifier=${id18.toLowerCase()}&identifierType=CN_RESIDENT_ID`)).toEqual([
      c.id,
    ]);
    expect(await ids(`identifier=${id18}&identifierType=PASSPORT`)).toEqual([]);
    expect(await ids(`phone=${encodeURIComponent('+86 139-1234-0000')}`)).toContain(c.id);
    expect(await ids(`q=${tag}&status=active`)).toEqual([]);
    expect(await ids(`q=${tag}&status=potential&category=personal`)).toEqual([c.id]);
  });

  it('filters by tier and relationship manager, paginates, and scopes a relationship manager to their portfolio', async () => {
    const tag = `pf${Math.random().toString(36).slice(2, 7)}`;
    const made: CustomerView[] = [];
    for (let i = 0; i < 3; i += 1)
      made.push(await createCustomer(http, { displayName: `${tag}-${i}`, valueTier: 'platinum' }));
    await svc.dataSource.query(
      'UPDATE customer SET relationship_manager_id = $1 WHERE id = ANY($2::uuid[])',
      [`rm-${tag}`, [made[0].id, made[1].id]],
    );
    const page1 = (await http.get<PageOf>(`/customers?q=${tag}&tier=platinum&pageSize=2`)).body;
    expect([page1.total, page1.items.length, page1.page, page1.pageSize]).toEqual([3, 2, 1, 2]);
    const page2 = (await http.get<PageOf>(`/customers?q=${tag}&pageSize=2&page=2`)).body;
    expect(page2.items.map((i) => i.id)).toEqual([made[0].id]);
    expect((await http.get<PageOf>(`/customers?q=${tag}&rm=rm-${tag}`)).body.total).toBe(2);

    const rm = http.as({ role: 'relationship-manager', userId: `rm-${tag}` });
    const mine = (await rm.get<PageOf>(`/customers?q=${tag}`)).body;
    expect(mine.items.map((i) => i.id).sort()).toEqual([made[0].id, made[1].id].sort());
    expect((await rm.get(`/customers/${made[2].id}`)).status).toBe(404);
    expect((await rm.get(`/customers/${made[0].id}`)).status).toBe(200);
  });

  it('lists the configurable categories', async () => {
    const res = await http.get<{ code: string }[]>('/customer-categories');
    expect(res.body.map((c) => c.code)).toEqual([
      'personal',
      'private-banking',
      'small-business',
      'corporate',
      'institution',
    ]);
  });

  const base = { partyType: 'individual', category: 'personal', displayName: '测试' };
  it.each([
    ['an unknown category', { ...base, category: 'vip' }, ['category']],
    ['a category of the other party type', { ...base, category: 'corporate' }, ['category']],
    ['a malformed category', { ...base, category: 'Private Banking' }, ['category']],
    ['an impossible birth date', { ...base, birthDate: '1990-02-30' }, ['birthDate']],
    ['a birth date with time', { ...base, birthDate: '1990-02-03T00:00:00Z' }, ['birthDate']],
    ['a bad gender', { ...base, gender: 'X' }, ['gender']],
    [
      'a bad phone',
      { ...base, phones: [{ type: 'mobile', number: 'call me' }] },
      ['phones.0.number'],
    ],
    [
      'a bad phone type',
      { ...base, phones: [{ type: 'pager', number: '13800138000' }] },
      ['phones.0.type'],
    ],
    [
      'a bad e-mail',
      { ...base, emails: [{ type: 'work', address: 'no-at-sign' }] },
      ['emails.0.address'],
    ],
    ['an address without a line', { ...base, addresses: [{ type: 'home' }] }, ['addresses.0.line']],
    [
      'a bad country',
      { ...base, addresses: [{ type: 'home', line: 'x', country: 'China' }] },
      ['addresses.0.country'],
    ],
    ['a bad tier', { ...base, valueTier: 'bronze' }, ['valueTier']],
    ['a bad segment', { ...base, segment: 'Young Pros' }, ['segment']],
    [
      'a resident id of the wrong length',
      { ...base, identifiers: [{ type: 'CN_RESIDENT_ID', number: '1101051949' }] },
      ['identifiers.0.number'],
    ],
    [
      'the same identifier twice',
      {
        ...base,
        identifiers: [
          { type: 'PASSPORT', number: 'E1' },
          { type: 'PASSPORT', number: 'e1' },
        ],
      },
      ['identifiers.1'],
    ],
    ['identifiers not a list', { ...base, identifiers: 'E1' }, ['identifiers']],
    ['a too long name', { ...base, displayName: 'x'.repeat(513) }, ['displayName']],
    ['an empty name', { ...base, displayName: '' }, ['displayName']],
    ['a status (not settable)', { ...base, status: 'active' }, ['status']],
    [
      'a relationship manager (owned by sales)',
      { ...base, relationshipManagerId: 'rm-1' },
      ['relationshipManagerId'],
    ],
  ])('rejects a customer with %s (400, field messages)', async (_label, body, fields) => {
    const res = await http.post<Errors>('/customers', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it.each([
    ['a null display name', { displayName: null }, ['displayName']],
    ['a party type change', { partyType: 'organization' }, ['partyType']],
    ['a bad version', { version: 0 }, ['version']],
    ['a bad tier', { valueTier: 'bronze' }, ['valueTier']],
    ['a null phone list', { phones: null }, ['phones']],
  ])('rejects an update with %s (400)', async (_label, body, fields) => {
    const c = await createCustomer(http);
    const res = await http.patch<Errors>(`/customers/${c.id}`, body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  });

  it.each([
    ['status=vip', 'status'],
    ['tier=bronze', 'tier'],
    ['groupId=abc', 'groupId'],
    ['page=0', 'page'],
    ['pageSize=101', 'pageSize'],
    ['pageSize=ten', 'pageSize'],
    ['identifier=%3Cscript%3E', 'identifier'],
    ['identifierType=SSN', 'identifierType'],
    ['phone=abc', 'phone'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['sort=name', 'sort'],
  ])('rejects the list query %s (400)', async (query, field) => {
    const res = await http.get<Errors>(`/customers?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toContain(field);
  });

  it('refuses creation by marketing (read-only role)', async () => {
    const res = await http.as({ role: 'marketing', userId: 'mk' }).post('/customers', base);
    expect(res.status).toBe(403);
  });
});
