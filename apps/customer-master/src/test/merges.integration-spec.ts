import {
  CustomerMergedV1,
  CustomerUnmergedV1,
  type CustomerMergedV1Payload,
} from '@bank-crm/contracts';
import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';

import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView } from '../customers/customer.mapper';
import type { GroupView, MembershipView } from '../groups/groups.service';
import { MergesService } from '../merges/merges.service';
import type { RelationView } from '../relations/relation-perspective';
import { customerMasterService } from '../service-definition';
import { createCustomer, eventsFor, residentId } from './fixtures';
import { httpClient, STEWARD, type HttpClient } from './http';

describe('merges and merge redirects (real PostgreSQL and Kafka)', () => {
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

  it('mergeCustomers moves identifiers, relations and memberships; the absorbed id redirects; unmerge restores', async () => {
    const idS = residentId('19700101');
    const idA = residentId('19700101');
    const survivor = await createCustomer(http, {
      displayName: '王芳',
      identifiers: [{ type: 'CN_RESIDENT_ID', number: idS }],
    });
    const absorbed = await createCustomer(http, {
      displayName: '王 芳',
      identifiers: [{ type: 'PASSPORT', number: 'E12345678' + idA.slice(-3) }],
    });
    const spouse = await createCustomer(http);
    const rel = (
      await http.post<RelationView>(`/customers/${absorbed.id}/relations`, {
        type: 'spouse',
        counterpartCustomerId: spouse.id,
      })
    ).body;
    // a relation between the two merged customers cannot move (it would relate the survivor to itself)
    const selfRel = (
      await http.post<RelationView>(`/customers/${absorbed.id}/relations`, {
        type: 'parent',
        counterpartCustomerId: survivor.id,
      })
    ).body;
    const group = (
      await http.post<GroupView>('/groups', {
        kind: 'entity',
        groupType: 'household',
        name: '王家',
      })
    ).body;
    const membership = (
      await http.post<MembershipView>(`/groups/${group.id}/members`, {
        customerId: absorbed.id,
        role: 'member',
      })
    ).body;

    const merges = svc.app.get(MergesService);
    const result = await svc.dataSource.transaction((manager) =>
      merges.mergeCustomers(
        survivor.id,
        [absorbed.id],
        'identity-resolution: same person',
        manager,
        {
          correlationId: 'test-merge',
        },
      ),
    );
    expect(result.movedRelationIds).toEqual([rel.relationId]);
    expect(result.keptRelationIds).toEqual([selfRel.relationId]);
    expect(result.movedMembershipIds).toEqual([membership.membershipId]);

    // GET on the absorbed id answers with the survivor and says so
    const redirected = await http.get<CustomerView>(`/customers/${absorbed.id}`);
    expect(redirected.status).toBe(200);
    expect(redirected.body.id).toBe(survivor.id);
    expect(redirected.body.redirectedFrom).toBe(absorbed.id);
    expect(redirected.body.identifiers.map((i) => i.type).sort()).toEqual([
      'CN_RESIDENT_ID',
      'PASSPORT',
    ]);

    // the absorbed customer's identifier now finds the survivor; lists show only the survivor
    const found = await http.get<{ items: CustomerView[] }>(
      `/customers?identifier=E12345678${idA.slice(-3)}`,
    );
    expect(found.body.items.map((i) => i.id)).toEqual([survivor.id]);
    const relations = (await http.get<RelationView[]>(`/customers/${survivor.id}/relations`)).body;
    expect(relations.map((r) => [r.role.code, r.counterpartCustomerId])).toEqual([
      ['spouse', spouse.id],
    ]);
    const groups = (await http.get<MembershipView[]>(`/customers/${absorbed.id}/groups`)).body;
    expect(groups.map((m) => [m.groupId, m.customerId])).toEqual([[group.id, survivor.id]]);

    // changes addressed to an absorbed id are refused with the survivor named
    const patch = await http.patch<{ message: string }>(`/customers/${absorbed.id}`, {
      valueTier: 'gold',
    });
    expect(patch.status).toBe(409);
    expect(patch.body.message).toContain(survivor.id);
    const steward = http.as(STEWARD);
    expect(
      (
        await steward.post(`/customers/${survivor.id}/merge`, {
          absorbedIds: [absorbed.id],
          cause: 'again',
        })
      ).status,
    ).toBe(409);

    const [merged] = await eventsFor<CustomerMergedV1Payload>(CustomerMergedV1, survivor.id, 1);
    expect(merged.envelope.payload).toMatchObject({
      survivorId: survivor.id,
      absorbedIds: [absorbed.id],
      movedRelationIds: [rel.relationId],
      movedMembershipIds: [membership.membershipId],
    });
    expect(merged.raw).not.toContain(idS);
    expect(merged.raw).not.toContain('E12345678');

    // unmerge: the absorbed customer exists on its own again with what it brought in
    const unmerged = await steward.post<{ returnedRelationIds: string[] }>(
      `/customers/${absorbed.id}/unmerge`,
      {
        cause: 'different people',
      },
    );
    expect(unmerged.status).toBe(200);
    expect(unmerged.body.returnedRelationIds).toEqual([rel.relationId]);
    const restored = (await http.get<CustomerView>(`/customers/${absorbed.id}`)).body;
    expect(restored.id).toBe(absorbed.id);
    expect(restored.redirectedFrom).toBeUndefined();
    expect(restored.identifiers.map((i) => i.type)).toEqual(['PASSPORT']);
    expect(
      (await http.get<CustomerView>(`/customers/${survivor.id}`)).body.identifiers.map(
        (i) => i.type,
      ),
    ).toEqual(['CN_RESIDENT_ID']);
    expect(await eventsFor(CustomerUnmergedV1, survivor.id, 1)).toHaveLength(1);
    expect(
      (await steward.post(`/customers/${absorbed.id}/unmerge`, { cause: 'again' })).status,
    ).toBe(404);
  });

  it('collapses redirect chains: X absorbed into Y, Y into Z, X answers with Z', async () => {
    const [x, y, z] = [
      await createCustomer(http),
      await createCustomer(http),
      await createCustomer(http),
    ];
    const steward = http.as(STEWARD);
    expect(
      (await steward.post(`/customers/${y.id}/merge`, { absorbedIds: [x.id], cause: 'dup' }))
        .status,
    ).toBe(200);
    expect(
      (await steward.post(`/customers/${z.id}/merge`, { absorbedIds: [y.id], cause: 'dup' }))
        .status,
    ).toBe(200);
    const res = await http.get<CustomerView>(`/customers/${x.id}`);
    expect([res.body.id, res.body.redirectedFrom]).toEqual([z.id, x.id]);
  });

  it('refuses merges that make no sense', async () => {
    const person = await createCustomer(http);
    const company = await createCustomer(http, {
      partyType: 'organization',
      category: 'corporate',
    });
    const steward = http.as(STEWARD);
    const self = await steward.post<{ errors: { field: string }[] }>(
      `/customers/${person.id}/merge`,
      {
        absorbedIds: [person.id],
        cause: 'x',
      },
    );
    expect(self.status).toBe(400);
    expect(self.body.errors[0].field).toBe('absorbedIds');
    expect(
      (
        await steward.post(`/customers/${person.id}/merge`, {
          absorbedIds: [company.id],
          cause: 'x',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await steward.post(`/customers/${person.id}/merge`, {
          absorbedIds: ['00000000-0000-4000-8000-000000000007'],
          cause: 'x',
        })
      ).status,
    ).toBe(404);
    for (const body of [
      {},
      { absorbedIds: [], cause: 'x' },
      { absorbedIds: ['nope'], cause: 'x' },
      { absorbedIds: [company.id, company.id], cause: 'x' },
      { absorbedIds: [company.id], cause: '' },
    ]) {
      const res = await steward.post(`/customers/${person.id}/merge`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    // merging is for data stewards and admins
    const rm = http.as({ role: 'relationship-manager', userId: 'rm-9' });
    expect(
      (await rm.post(`/customers/${person.id}/merge`, { absorbedIds: [company.id], cause: 'x' }))
        .status,
    ).toBe(403);
  });
});
