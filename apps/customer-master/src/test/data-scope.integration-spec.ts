import { randomUUID } from 'node:crypto';

import { SourcePartyRecordedV1, type SourcePartyRecordV1 } from '@bank-crm/contracts';
import {
  bearer,
  closeTestKafka,
  makeEnvelope,
  produceEnvelope,
  startTestService,
  uniqueSuffix,
  waitFor,
  type RunningService,
} from '@bank-crm/testing';
import { Client } from 'pg';

import { addDays, todayUtc } from '../common/dates';
import type { CustomerMasterConfig } from '../config/customer-master.config';
import type { CustomerView } from '../customers/customer.mapper';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { CUSTOMER_MASTER_RLS_TABLES } from '../migrations/1764300005000-customer-data-scope-rls';
import { customerMasterService } from '../service-definition';
import { holdings, produceHoldings } from './fixtures';

interface Page {
  items: { id: string; relationshipManagerId: string | null }[];
  total: number;
}

/** Tables keyed by customer, with the column that names the customer. */
const CUSTOMER_KEYED: { table: string; column: string }[] = [
  { table: 'customer', column: 'id' },
  { table: 'customer_identifier', column: 'customer_id' },
  { table: 'source_record', column: 'customer_id' },
  { table: 'group_membership', column: 'customer_id' },
  { table: 'customer_account_state', column: 'customer_id' },
  { table: 'customer_status_history', column: 'customer_id' },
  { table: 'customer_relation', column: 'from_customer_id' },
  { table: 'view_customer_profile', column: 'customer_id' },
  { table: 'view_customer_holdings', column: 'customer_id' },
  { table: 'view_customer_status_change', column: 'customer_id' },
  { table: 'view_customer_relation', column: 'from_customer_id' },
  { table: 'view_group_membership', column: 'customer_id' },
];

/**
 * The relationship-manager data scope of customer-master, attacked. The service runs as a
 * non-superuser role (as in production), so PostgreSQL's row-level security applies to it.
 * RM-A's 1,000 customers - with identifiers, phones, source records, group memberships, status
 * history, account facts and 360-view rows - are seeded by SQL as the superuser, plus a few made
 * through the API (a relation, group memberships); RM-B then probes every one of them on every
 * read, update, list and search route of customer-master: 0 leaks (404 / 400 for a body
 * reference, lists and counts only RM-B's own). Staff routes and system work (Kafka consumers,
 * the dormancy sweep) still see everyone. And raw SQL as the service role with RM-B's setting sees
 * none of RM-A's rows in any customer table.
 */
describe('customer-master: relationship-manager data scope (application and row-level security)', () => {
  let svc: RunningService<CustomerMasterConfig>;
  let admin: Client;
  const suffix = uniqueSuffix();
  const RM_A = `rm-a-${suffix}`;
  const RM_B = `rm-b-${suffix}`;
  const A_COUNT = 1_000;
  const B_SQL_COUNT = 10;
  const SYSTEM = `scope-${suffix}`;
  const TAG = `scope${suffix.replace(/[^a-z0-9]/gi, '').slice(-8)}`;
  const aIds: string[] = [];
  const bIds: string[] = [];
  /** RM-A's customers made through the API: related to each other, both members of the group. */
  let aRich: CustomerView[] = [];
  let bMine: CustomerView;
  let groupId = '';
  let aRelationId = '';
  const aMembershipIds: string[] = [];
  const bMembershipIds: string[] = [];

  const as = async (role: string, userId: string) => {
    const headers = await bearer(role as never, userId);
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${svc.url}${path}`, {
        method,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      return { status: res.status, text, body: parsed as never };
    };
    return {
      get: <T>(path: string) =>
        send('GET', path) as Promise<{ status: number; text: string; body: T }>,
      post: <T>(path: string, body: unknown = {}) =>
        send('POST', path, body) as Promise<{ status: number; text: string; body: T }>,
      patch: <T>(path: string, body: unknown) =>
        send('PATCH', path, body) as Promise<{ status: number; text: string; body: T }>,
    };
  };
  type Client_ = Awaited<ReturnType<typeof as>>;
  let asAdmin: Client_;
  let asB: Client_;

  const create = async (caller: Client_, name: string, extra: Record<string, unknown> = {}) => {
    const res = await caller.post<CustomerView>('/customers', {
      partyType: 'individual',
      category: 'personal',
      displayName: name,
      ...extra,
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    svc = await startTestService(
      customerMasterService,
      { RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000', LIFECYCLE_SWEEP_INTERVAL_MS: '0' },
      { restrictedRole: true },
    );
    admin = new Client({ connectionString: svc.adminDatabaseUrl });
    await admin.connect();
    asAdmin = await as('admin', 'scope-admin');
    asB = await as('relationship-manager', RM_B);

    // through the API, as staff (under row-level security: the bypass): two customers of RM-A
    // related to each other, a group with both of them and one of RM-B's
    aRich = [
      await create(asAdmin, `A-${TAG}-rich-1`, {
        phones: [{ type: 'mobile', number: '13800000001' }],
      }),
      await create(asAdmin, `A-${TAG}-rich-2`),
    ];
    const rel = await asAdmin.post<{ relationId: string }>(`/customers/${aRich[0].id}/relations`, {
      type: 'spouse',
      counterpartCustomerId: aRich[1].id,
    });
    expect(rel.status).toBe(201);
    aRelationId = rel.body.relationId;
    const group = await asAdmin.post<{ id: string }>('/groups', {
      kind: 'entity',
      groupType: 'household',
      name: `G-${TAG}`,
    });
    expect(group.status).toBe(201);
    groupId = group.body.id;
    for (const c of aRich) {
      const m = await asAdmin.post<{ membershipId: string }>(`/groups/${groupId}/members`, {
        customerId: c.id,
        role: 'member',
      });
      expect(m.status).toBe(201);
      aMembershipIds.push(m.body.membershipId);
    }
    await admin.query('UPDATE customer SET relationship_manager_id = $1 WHERE id = ANY($2)', [
      RM_A,
      aRich.map((c) => c.id),
    ]);

    // RM-B creates a customer: it is in RM-B's own portfolio
    bMine = await create(asB, `B-${TAG}-mine`);
    expect(bMine.relationshipManagerId).toBe(RM_B);
    const bm = await asB.post<{ membershipId: string }>(`/groups/${groupId}/members`, {
      customerId: bMine.id,
      role: 'member',
    });
    expect(bm.status).toBe(201);
    bMembershipIds.push(bm.body.membershipId);

    // RM-A's 1,000 (and RM-B's 10 more), seeded by SQL as the superuser
    for (let i = 0; i < A_COUNT; i += 1) aIds.push(randomUUID());
    for (let i = 0; i < B_SQL_COUNT; i += 1) bIds.push(randomUUID());
    const seed = async (ids: string[], rm: string, prefix: string) => {
      await admin.query(
        `INSERT INTO customer (id, party_type, category, status, display_name, relationship_manager_id,
           version, phones)
         SELECT id, 'individual', 'personal', 'active', $3 || n, $2, 1,
           jsonb_build_array(jsonb_build_object('type', 'mobile', 'number', '139' || lpad(n::text, 8, '0')))
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, rm, `${prefix}-${TAG}-`],
      );
      await admin.query(
        `INSERT INTO customer_identifier (id_type, number, customer_id)
         SELECT 'OTHER', $2 || n, id FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, `${prefix}${TAG.toUpperCase()}`],
      );
      await admin.query(
        `INSERT INTO source_record (source_system, source_key, party_type, record, observed_at,
           received_at, last_event_id, customer_id, resolution_status)
         SELECT $2, $3 || n, 'individual', jsonb_build_object('name', $3 || n), now(), now(),
           gen_random_uuid(), id, 'resolved'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, SYSTEM, `${prefix}-`],
      );
      await admin.query(
        `INSERT INTO group_membership (id, group_id, customer_id, role, valid_from)
         SELECT gen_random_uuid(), $2, id, 'member', current_date - 1 FROM unnest($1::uuid[]) AS t(id)`,
        [ids, groupId],
      );
      await admin.query(
        `INSERT INTO customer_account_state
           (customer_id, sequence, open_account_count, ever_had_account, last_activity_on, as_of, last_event_id)
         SELECT id, 1, 1, true, current_date + 3650, now(), gen_random_uuid()
         FROM unnest($1::uuid[]) AS t(id)`,
        [ids],
      );
      await admin.query(
        `INSERT INTO customer_status_history
           (customer_id, from_status, to_status, cause, trigger, changed_at)
         SELECT id, 'potential', 'active', 'first-account', 'account-event', now()
         FROM unnest($1::uuid[]) AS t(id)`,
        [ids],
      );
      await admin.query(
        `INSERT INTO view_customer_profile (customer_id, data, field_versions, as_of)
         SELECT id, jsonb_build_object('displayName', $3 || n, 'status', 'active',
           'relationshipManagerId', $2::text), '{}'::jsonb, now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, rm, `${prefix}-${TAG}-`],
      );
    };
    await seed(aIds, RM_A, 'A');
    await seed(bIds, RM_B, 'B');
    const { rows } = await admin.query<{ id: string }>(
      `SELECT id FROM group_membership WHERE group_id = $1 AND customer_id = ANY($2) ORDER BY id`,
      [groupId, aIds],
    );
    aMembershipIds.push(...rows.map((r) => r.id));
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    await svc?.close();
    await closeTestKafka();
  });

  const allA = () => [...aRich.map((c) => c.id), ...aIds];
  const bCount = () => B_SQL_COUNT + 1;

  /** Runs `probe` for every id, 50 at a time; collects what is not the expected refusal. */
  const probeAll = async (
    ids: string[],
    expected: number,
    probe: (id: string) => Promise<{ status: number; text: string }>,
  ) => {
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map(async (id) => {
          const res = await probe(id);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== expected || res.text.includes(RM_A) || res.text.includes(`A-${TAG}`))
            leaks.push(`${id} -> ${res.status} ${res.text.slice(0, 200)}`);
        }),
      );
    }
    return {
      leaks: leaks.slice(0, 5),
      leakCount: leaks.length,
      statuses: Object.fromEntries(statuses),
    };
  };

  describe(`RM-B probes all ${A_COUNT + 2} of RM-A's customers`, () => {
    const routes: [string, number, (id: string) => Promise<{ status: number; text: string }>][] = [
      ['GET /customers/:id', 404, (id) => asB.get(`/customers/${id}`)],
      [
        'PATCH /customers/:id',
        404,
        (id) => asB.patch(`/customers/${id}`, { displayName: 'stolen' }),
      ],
      ['GET /customers/:id/360', 404, (id) => asB.get(`/customers/${id}/360`)],
      [
        'GET /customers/:id/status-history',
        404,
        (id) => asB.get(`/customers/${id}/status-history`),
      ],
      ['GET /customers/:id/groups', 404, (id) => asB.get(`/customers/${id}/groups?history=true`)],
      [
        'GET /customers/:id/relations',
        404,
        (id) => asB.get(`/customers/${id}/relations?history=true`),
      ],
      [
        'POST /customers/:id/relations (theirs -> mine)',
        404,
        (id) =>
          asB.post(`/customers/${id}/relations`, {
            type: 'spouse',
            counterpartCustomerId: bMine.id,
          }),
      ],
      [
        'POST /customers/:id/relations (mine -> theirs)',
        400,
        (id) =>
          asB.post(`/customers/${bMine.id}/relations`, {
            type: 'guarantor',
            counterpartCustomerId: id,
          }),
      ],
      [
        'POST /groups/:id/members',
        400,
        (id) => asB.post(`/groups/${groupId}/members`, { customerId: id, role: 'member' }),
      ],
    ];
    it.each(routes)(
      '%s: every one refused (%d), nothing of RM-A in the answer',
      async (_, expected, probe) => {
        const result = await probeAll(allA(), expected, probe);
        expect(result.leaks).toEqual([]);
        expect(result.statuses).toEqual({ [expected]: A_COUNT + 2 });
      },
    );

    it("GET /source-records/:system/:key of RM-A's records: 404", async () => {
      const keys = aIds.map((_, i) => `A-${i + 1}`);
      const result = await probeAll(keys, 404, (key) =>
        asB.get(`/source-records/${SYSTEM}/${key}`),
      );
      expect(result.leaks).toEqual([]);
      expect((await asB.get(`/source-records/${SYSTEM}/B-1`)).status).toBe(200);
    });

    it("ending RM-A's memberships and relation: 404, and nothing changed", async () => {
      const result = await probeAll(aMembershipIds, 404, (m) =>
        asB.post(`/groups/${groupId}/members/${m}/end`, { validTo: '2099-01-01' }),
      );
      expect(result.leaks).toEqual([]);
      expect(result.statuses).toEqual({ 404: A_COUNT + 2 });
      expect(
        (await asB.post(`/customer-relations/${aRelationId}/end`, { validTo: '2099-01-01' }))
          .status,
      ).toBe(404);
      const { rows } = await admin.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM group_membership WHERE valid_to IS NOT NULL)::int
              + (SELECT count(*) FROM customer_relation WHERE valid_to IS NOT NULL)::int
              + (SELECT count(*) FROM customer WHERE display_name = 'stolen')::int AS n`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('the steward-only routes are refused to a relationship manager (403)', async () => {
      const id = aRich[0].id;
      for (const [method, path] of [
        ['POST', `/customers/${id}/merge`],
        ['POST', `/customers/${id}/unmerge`],
        ['POST', `/customers/${id}/status`],
        ['POST', `/customers/${id}/source-records/split`],
        ['GET', `/customers/${id}/source-records`],
        ['GET', `/source-records/${SYSTEM}/A-1/resolution`],
        ['GET', '/review-items'],
        ['POST', '/source-records/batch'],
        ['POST', '/customer-view/rebuild'],
      ] as const) {
        const res = method === 'GET' ? await asB.get(path) : await asB.post(path, {});
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
    });
  });

  describe('lists, searches and counts show only the caller’s portfolio', () => {
    const list = async (caller: Client_, query: string) => {
      const ids: string[] = [];
      let total = -1;
      for (let page = 1; ; page += 1) {
        const res = await caller.get<Page>(`/customers?pageSize=100&page=${page}&${query}`);
        expect(res.status).toBe(200);
        total = res.body.total;
        ids.push(...res.body.items.map((i) => i.id));
        if (res.body.items.length < 100) break;
      }
      return { ids, total };
    };

    it('RM-B: every page and the total hold only RM-B’s customers', async () => {
      const all = await list(asB, '');
      expect(all.total).toBe(bCount());
      expect(all.ids.sort()).toEqual([...bIds, bMine.id].sort());
    });

    it('RM-B: searches by name, identifier, phone, RM and group find none of RM-A’s', async () => {
      for (const query of [
        `q=A-${TAG}`,
        `q=${TAG}`,
        `identifier=A${TAG.toUpperCase()}1`,
        `identifier=A${TAG.toUpperCase()}1&identifierType=OTHER`,
        'phone=13900000001',
        `rm=${RM_A}`,
        `groupId=${groupId}`,
        'status=active',
      ]) {
        const found = await list(asB, query);
        expect({ query, leaked: found.ids.filter((id) => allA().includes(id)) }).toEqual({
          query,
          leaked: [],
        });
      }
      expect((await list(asB, `rm=${RM_A}`)).total).toBe(0);
      expect((await list(asB, `groupId=${groupId}`)).total).toBe(1 + B_SQL_COUNT);
    });

    it('RM-B: a group’s members are only RM-B’s', async () => {
      const res = await asB.get<{ customerId: string }[]>(
        `/groups/${groupId}/members?history=true`,
      );
      expect(res.status).toBe(200);
      expect(res.body.map((m) => m.customerId).sort()).toEqual([...bIds, bMine.id].sort());
    });

    it('RM-A sees their own, and staff see everyone', async () => {
      const asA = await as('relationship-manager', RM_A);
      const a = await list(asA, '');
      expect(a.total).toBe(A_COUNT + 2);
      expect(a.ids.filter((id) => !allA().includes(id))).toEqual([]);
      expect((await asA.get(`/customers/${aIds[0]}`)).status).toBe(200);
      expect((await asA.get(`/customers/${aRich[0].id}/relations`)).body).toHaveLength(1);
      for (const role of ['admin', 'data-steward', 'marketing', 'service-agent'] as const) {
        const staff = await as(role, `staff-${role}`);
        expect((await staff.get(`/customers/${aIds[0]}`)).status).toBe(200);
        expect((await staff.get(`/customers/${aIds[0]}/360`)).status).toBe(200);
        expect((await staff.get(`/customers/${aIds[0]}/status-history`)).status).toBe(200);
        const page = await staff.get<Page>(`/customers?pageSize=1&q=${TAG}`);
        expect(page.body.total).toBe(A_COUNT + 2 + bCount());
        const members = await staff.get<unknown[]>(`/groups/${groupId}/members`);
        expect(members.body).toHaveLength(A_COUNT + 2 + bCount());
      }
    });
  });

  describe('staff routes and system work still see everyone under row-level security', () => {
    it('data steward: resolution, cross-reference, review queue, status override, merge and unmerge', async () => {
      const steward = await as('data-steward', 'scope-steward');
      expect((await steward.get(`/source-records/${SYSTEM}/A-1/resolution`)).status).toBe(200);
      const xref = await steward.get<{ sourceRecords: unknown[] }>(
        `/customers/${aIds[0]}/source-records`,
      );
      expect(xref.status).toBe(200);
      expect(xref.body.sourceRecords).toHaveLength(1);
      expect((await steward.get('/review-items')).status).toBe(200);
      const override = await steward.post(`/customers/${aIds[1]}/status`, {
        status: 'lost',
        reason: 'scope test',
      });
      expect(override.status).toBe(200);
      const merged = await steward.post(`/customers/${aIds[2]}/merge`, {
        absorbedIds: [aIds[3]],
        cause: 'scope test',
      });
      expect(merged.status).toBe(200);
      expect((await steward.get<CustomerView>(`/customers/${aIds[3]}`)).body.id).toBe(aIds[2]);
      expect(
        (await steward.post(`/customers/${aIds[3]}/unmerge`, { cause: 'scope test' })).status,
      ).toBe(200);
      const batch = await steward.post<{ results: { status: string }[] }>('/source-records/batch', {
        records: [
          {
            sourceSystem: SYSTEM,
            sourceKey: 'batch-1',
            partyType: 'organization',
            name: `深圳市批次${suffix}科技有限公司`,
            observedAt: new Date().toISOString(),
          },
        ],
      });
      expect(batch.status).toBe(200);
      expect(batch.body.results[0].status).toBe('resolved');
    });

    it('Kafka consumers (resolution, holdings) and the dormancy sweep work as system', async () => {
      const record: SourcePartyRecordV1 = {
        sourceSystem: SYSTEM,
        sourceKey: 'kafka-1',
        partyType: 'organization',
        name: `广州市消息${suffix}贸易有限公司`,
        observedAt: new Date().toISOString(),
      };
      await produceEnvelope(
        SourcePartyRecordedV1.topic,
        makeEnvelope(SourcePartyRecordedV1, record, { subject: `${SYSTEM}:kafka-1` }),
      );
      const customerId = await waitFor(
        async () => {
          const { rows } = await admin.query<{ customer_id: string | null }>(
            `SELECT customer_id FROM source_record WHERE source_system = $1 AND source_key = 'kafka-1'
               AND resolution_status = 'resolved'`,
            [SYSTEM],
          );
          return rows[0]?.customer_id ?? undefined;
        },
        { timeoutMs: 30_000, what: 'the Kafka record resolved' },
      );
      await produceHoldings(holdings(customerId, 1, { open: 1, lastActivityOn: todayUtc() }));
      await waitFor(
        async () => {
          const { rows } = await admin.query<{ status: string }>(
            'SELECT status FROM customer WHERE id = $1',
            [customerId],
          );
          return rows[0]?.status === 'active' ? true : undefined;
        },
        { timeoutMs: 30_000, what: 'holdings applied' },
      );
      const { rows: view } = await admin.query(
        'SELECT 1 FROM view_customer_holdings WHERE customer_id = $1',
        [customerId],
      );
      expect(view).toHaveLength(1);
      const lifecycle = svc.app.get(LifecycleService);
      expect(
        await lifecycle.sweepDormant(addDays(todayUtc(), lifecycle.dormantAfterDays + 1)),
      ).toBeGreaterThanOrEqual(1);
      const { rows } = await admin.query<{ status: string }>(
        'SELECT status FROM customer WHERE id = $1',
        [customerId],
      );
      expect(rows[0].status).toBe('dormant');
    });
  });

  describe('row-level security, raw SQL as the service role', () => {
    let svcClient: Client;
    beforeAll(async () => {
      svcClient = new Client({ connectionString: svc.databaseUrl });
      await svcClient.connect();
      const { rows } = await svcClient.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
    });
    afterAll(() => svcClient?.end());

    const count = async (sql: string, params: unknown[], settings: Record<string, string>) => {
      await svcClient.query('BEGIN');
      try {
        for (const [k, v] of Object.entries(settings))
          await svcClient.query('SELECT set_config($1, $2, true)', [k, v]);
        const { rows } = await svcClient.query<{ n: string }>(sql, params);
        return Number(rows[0].n);
      } finally {
        await svcClient.query('ROLLBACK');
      }
    };
    const asB_ = { 'bank_crm.user_id': RM_B };
    const bypass = { 'bank_crm.bypass': 'on' };

    it.each(CUSTOMER_KEYED)(
      "$table: RM-B's transaction sees none of RM-A's rows, even unfiltered; the bypass sees them",
      async ({ table, column }) => {
        const sql = `SELECT count(*) AS n FROM ${table} WHERE ${column} = ANY($1::uuid[])`;
        expect(await count(sql, [allA()], asB_)).toBe(0);
        expect(await count(sql, [allA()], {})).toBe(0);
        if (table !== 'view_customer_holdings' && table !== 'view_customer_status_change') {
          expect(await count(sql, [allA()], bypass)).toBeGreaterThan(0);
        }
        // unfiltered: only RM-B's own (or nothing)
        const all = await count(`SELECT count(*) AS n FROM ${table}`, [], asB_);
        const own = await count(
          `SELECT count(*) AS n FROM ${table} WHERE ${column} = ANY($1::uuid[])`,
          [[...bIds, bMine.id]],
          asB_,
        );
        expect(all).toBe(own);
      },
    );

    it('the system-only tables show nothing to RM-B, everything to the bypass', async () => {
      for (const table of [
        'customer_merge',
        'review_item',
        'non_match',
        'resolution_block',
        'source_record_link_history',
      ]) {
        expect({ table, n: await count(`SELECT count(*) AS n FROM ${table}`, [], asB_) }).toEqual({
          table,
          n: 0,
        });
      }
      expect(await count('SELECT count(*) AS n FROM customer_merge', [], bypass)).toBeGreaterThan(
        0,
      );
      expect(
        await count('SELECT count(*) AS n FROM source_record_link_history', [], bypass),
      ).toBeGreaterThan(0);
    });

    it("RM-B can neither change nor move RM-A's rows, nor add rows to RM-A's portfolio", async () => {
      const inB = async (work: () => Promise<void>) => {
        await svcClient.query('BEGIN');
        try {
          await svcClient.query("SELECT set_config('bank_crm.user_id', $1, true)", [RM_B]);
          await work();
        } finally {
          await svcClient.query('ROLLBACK');
        }
      };
      await inB(async () => {
        const updated = await svcClient.query(
          "UPDATE customer SET display_name = 'stolen' WHERE relationship_manager_id = $1",
          [RM_A],
        );
        expect(updated.rowCount).toBe(0);
        const deleted = await svcClient.query(
          'DELETE FROM customer_identifier WHERE customer_id = ANY($1::uuid[])',
          [aIds],
        );
        expect(deleted.rowCount).toBe(0);
        const moved = await svcClient.query(
          'UPDATE group_membership SET valid_to = current_date + 1 WHERE customer_id = ANY($1::uuid[])',
          [aIds],
        );
        expect(moved.rowCount).toBe(0);
      });
      await inB(async () => {
        await expect(
          svcClient.query('UPDATE customer SET relationship_manager_id = $1 WHERE id = $2', [
            RM_A,
            bIds[0],
          ]),
        ).rejects.toThrow(/row-level security/);
      });
      await inB(async () => {
        await expect(
          svcClient.query(
            `INSERT INTO customer (id, party_type, category, status, display_name, relationship_manager_id, version)
             VALUES ($1, 'individual', 'personal', 'potential', 'x', $2, 1)`,
            [randomUUID(), RM_A],
          ),
        ).rejects.toThrow(/row-level security/);
      });
      await inB(async () => {
        await expect(
          svcClient.query(
            `INSERT INTO customer_identifier (id_type, number, customer_id) VALUES ('OTHER', $1, $2)`,
            [`X${suffix}`, aIds[0]],
          ),
        ).rejects.toThrow(/row-level security/);
      });
    });

    it('every table of the migration is under FORCE ROW LEVEL SECURITY (its owner, the service role, too)', async () => {
      const { rows } = await admin.query<{
        relname: string;
        relrowsecurity: boolean;
        relforcerowsecurity: boolean;
        owner: string;
      }>(
        `SELECT relname, relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) AS owner
         FROM pg_class WHERE relname = ANY($1) AND relkind = 'r' ORDER BY relname`,
        [CUSTOMER_MASTER_RLS_TABLES],
      );
      expect(rows).toHaveLength(CUSTOMER_MASTER_RLS_TABLES.length);
      for (const r of rows)
        expect(r).toEqual({
          relname: r.relname,
          relrowsecurity: true,
          relforcerowsecurity: true,
          owner: svc.databaseRole,
        });
    });
  });
});
