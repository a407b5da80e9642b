import { randomUUID } from 'node:crypto';

import {
  bearer,
  closeTestKafka,
  listPortfolio,
  startTestService,
  type DirectoryPage,
  type RunningService,
} from '@bank-crm/testing';
import { Client } from 'pg';

import type { SalesConfig } from '../config/sales.config';
import { salesService } from '../service-definition';

/**
 * The relationship-manager data scope, attacked: RM-B probes every one of RM-A's customers on
 * every read route and sees none of them, lists and counts only their own; and PostgreSQL's
 * row-level security, checked with raw SQL as the service's own (non-superuser) role, hides
 * the same rows from a query that forgot its filter.
 */
describe('sales: relationship-manager data scope (application and row-level security)', () => {
  let svc: RunningService<SalesConfig>;
  let admin: Client;
  const RM_A = 'rm-a-0001';
  const RM_B = 'rm-b-0002';
  const A_COUNT = 1_000;
  const B_COUNT = 12;
  const aIds: string[] = [];
  const bIds: string[] = [];

  beforeAll(async () => {
    svc = await startTestService(
      salesService,
      { RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000' },
      { restrictedRole: true },
    );
    admin = new Client({ connectionString: svc.adminDatabaseUrl });
    await admin.connect();
    for (let i = 0; i < A_COUNT; i += 1) aIds.push(randomUUID());
    for (let i = 0; i < B_COUNT; i += 1) bIds.push(randomUUID());
    // seeded as the superuser, which row-level security never applies to
    await admin.query(
      `INSERT INTO customer_directory (customer_id, party_type, category, status, display_name, relationship_manager_id, as_of)
       SELECT id, 'individual', 'personal', 'active', 'A-' || n, $2, now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [aIds, RM_A],
    );
    await admin.query(
      `INSERT INTO customer_directory (customer_id, party_type, category, status, display_name, relationship_manager_id, as_of)
       SELECT id, 'individual', 'personal', 'active', 'B-' || n, $2, now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [bIds, RM_B],
    );
  });

  afterAll(async () => {
    await admin?.end();
    await svc?.close();
    await closeTestKafka();
  });

  it(`RM-B probes all ${A_COUNT} of RM-A's customers by id: every one answers 404`, async () => {
    const headers = await bearer('relationship-manager', RM_B);
    const leaks: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < aIds.length; i += 50) {
      await Promise.all(
        aIds.slice(i, i + 50).map(async (id) => {
          const res = await fetch(`${svc.url}/customer-directory/${id}`, { headers });
          const body = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 404 || body.includes(RM_A)) leaks.push(`${id} -> ${res.status}`);
        }),
      );
    }
    expect(leaks).toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ 404: A_COUNT });
  });

  it('lists and counts only the caller’s portfolio, on every page', async () => {
    const b = await listPortfolio(svc.url, RM_B);
    expect(b.foreign).toEqual([]);
    expect(new Set(b.statuses)).toEqual(new Set([200]));
    expect(b.total).toBe(B_COUNT);
    expect(b.ids.sort()).toEqual([...bIds].sort());
    const a = await listPortfolio(svc.url, RM_A);
    expect(a.foreign).toEqual([]);
    expect(new Set(a.statuses)).toEqual(new Set([200]));
    expect(a.total).toBe(A_COUNT);
    expect(a.ids.filter((id) => bIds.includes(id))).toEqual([]);
  });

  it('lets RM-B read their own customers, and staff roles read everyone', async () => {
    const rmB = await bearer('relationship-manager', RM_B);
    expect((await fetch(`${svc.url}/customer-directory/${bIds[0]}`, { headers: rmB })).status).toBe(
      200,
    );
    for (const role of ['marketing', 'service-agent', 'admin'] as const) {
      const headers = await bearer(role);
      expect((await fetch(`${svc.url}/customer-directory/${aIds[0]}`, { headers })).status).toBe(
        200,
      );
      const page = (await (
        await fetch(`${svc.url}/customer-directory?limit=1`, { headers })
      ).json()) as DirectoryPage;
      // (plus whatever customer.created events the consumer has projected meanwhile)
      expect(page.total).toBeGreaterThanOrEqual(A_COUNT + B_COUNT);
    }
  });

  it('caps the page size: limit above 200 is refused, not silently cut', async () => {
    const headers = await bearer('marketing');
    for (const q of ['limit=201', 'limit=0', 'limit=-1', 'limit=abc', 'offset=-1', 'offset=10001'])
      expect((await fetch(`${svc.url}/customer-directory?${q}`, { headers })).status).toBe(400);
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

    const count = async (sql: string, settings: Record<string, string> = {}) => {
      await svcClient.query('BEGIN');
      try {
        for (const [k, v] of Object.entries(settings))
          await svcClient.query('SELECT set_config($1, $2, true)', [k, v]);
        const { rows } = await svcClient.query<{ n: string }>(sql);
        return Number(rows[0].n);
      } finally {
        await svcClient.query('ROLLBACK');
      }
    };

    it('a query with no scope set sees nothing (fails closed)', async () => {
      expect(await count('SELECT count(*) AS n FROM customer_directory')).toBe(0);
    });

    it("RM-B's transaction sees none of RM-A's rows, even unfiltered", async () => {
      const asB = { 'bank_crm.user_id': RM_B };
      expect(await count('SELECT count(*) AS n FROM customer_directory', asB)).toBe(B_COUNT);
      expect(
        await count(
          `SELECT count(*) AS n FROM customer_directory WHERE relationship_manager_id = '${RM_A}'`,
          asB,
        ),
      ).toBe(0);
      expect(
        await count(
          `SELECT count(*) AS n FROM customer_directory WHERE customer_id = '${aIds[0]}'`,
          asB,
        ),
      ).toBe(0);
    });

    it("RM-B can neither change nor move RM-A's rows, nor add rows to RM-A's portfolio", async () => {
      await svcClient.query('BEGIN');
      try {
        await svcClient.query("SELECT set_config('bank_crm.user_id', $1, true)", [RM_B]);
        const updated = await svcClient.query(
          "UPDATE customer_directory SET display_name = 'stolen' WHERE relationship_manager_id = $1",
          [RM_A],
        );
        expect(updated.rowCount).toBe(0);
        const deleted = await svcClient.query(
          'DELETE FROM customer_directory WHERE customer_id = $1',
          [aIds[1]],
        );
        expect(deleted.rowCount).toBe(0);
        await expect(
          svcClient.query(
            `UPDATE customer_directory SET relationship_manager_id = $1 WHERE customer_id = $2`,
            [RM_A, bIds[0]],
          ),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await svcClient.query('ROLLBACK');
      }
      await svcClient.query('BEGIN');
      try {
        await svcClient.query("SELECT set_config('bank_crm.user_id', $1, true)", [RM_B]);
        await expect(
          svcClient.query(
            `INSERT INTO customer_directory (customer_id, party_type, category, status, display_name, relationship_manager_id, as_of)
             VALUES ($1, 'individual', 'personal', 'active', 'x', $2, now())`,
            [randomUUID(), RM_A],
          ),
        ).rejects.toThrow(/row-level security/);
      } finally {
        await svcClient.query('ROLLBACK');
      }
    });

    it('the bypass (staff scope, system work) sees every row; the setting ends with the transaction', async () => {
      expect(
        await count('SELECT count(*) AS n FROM customer_directory', { 'bank_crm.bypass': 'on' }),
      ).toBeGreaterThanOrEqual(A_COUNT + B_COUNT);
      expect(await count('SELECT count(*) AS n FROM customer_directory')).toBe(0);
    });

    it('the table is FORCE ROW LEVEL SECURITY (its owner, the service role, is subject too)', async () => {
      const { rows } = await admin.query(
        `SELECT relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) AS owner
         FROM pg_class WHERE relname = 'customer_directory'`,
      );
      expect(rows[0]).toEqual({
        relrowsecurity: true,
        relforcerowsecurity: true,
        owner: svc.databaseRole,
      });
    });
  });
});
