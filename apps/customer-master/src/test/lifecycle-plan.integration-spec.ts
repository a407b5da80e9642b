import { adminClientOfService, planScans } from '@bank-crm/testing';

import { LIFECYCLE_STATE_SQL, SET_STATUS_SQL } from '../lifecycle/lifecycle.service';
import { customerMasterService } from '../service-definition';

const CUSTOMERS = 3_000;
const CHANGES_EACH = 20;

describe('customer-master lifecycle read under a bulk load (real PostgreSQL)', () => {
  const service = adminClientOfService(customerMasterService);

  it("finds a customer's latest status change through its own index, though the statistics say the history is empty", async () => {
    const { db } = service;
    // the statistics of empty tables, then a bulk load they know nothing about: 60,000 status
    // changes of 3,000 customers, interleaved as a load writes them. (Rows only: foreign keys
    // are not checked for this session, so no customer rows are needed.)
    await db.query('ANALYZE customer_status_history, customer_account_state');
    await db.query("SET session_replication_role = 'replica'");
    await db.query(
      `INSERT INTO customer_account_state (customer_id, sequence, open_account_count,
         ever_had_account, last_activity_on, as_of, last_event_id)
       SELECT md5('c' || c)::uuid, 1, 1, true, NULL, TIMESTAMPTZ '2026-10-15', md5('e' || c)::uuid
         FROM generate_series(1, ${CUSTOMERS}) AS c`,
    );
    // changes on 2 to 21 October, account facts as of 15 October; each customer's last change:
    // a manual override (after its account facts) for even customers; for odd ones an account
    // event, one day after an override (no longer in force)
    await db.query(
      `INSERT INTO customer_status_history (customer_id, from_status, to_status, cause, trigger,
         changed_at)
       SELECT md5('c' || c)::uuid, 'potential', 'active',
              CASE WHEN n = ${CHANGES_EACH} - c % 2 THEN 'manual-override' ELSE 'account-event' END,
              'event', TIMESTAMPTZ '2026-10-01' + n * interval '1 day'
         FROM generate_series(1, ${CHANGES_EACH}) AS n, generate_series(1, ${CUSTOMERS}) AS c
        ORDER BY n, c`,
    );
    await db.query("SET session_replication_role = 'origin'");
    const customer = (c: number) =>
      db
        .query<{ id: string }>(`SELECT md5('c' || $1::text)::uuid::text AS id`, [c])
        .then((r) => r.rows[0].id);

    const chunk = [await customer(1), await customer(2), await customer(3)];
    const scans = await planScans(db, LIFECYCLE_STATE_SQL, [chunk]);
    const history = scans.filter(
      (s) =>
        s.relation === 'customer_status_history' || s.index?.startsWith('customer_status_history'),
    );
    // never a walk of the whole history from its newest row (the primary key, backwards) to
    // find this customer's latest
    expect(
      history.filter((s) => s.index === 'customer_status_history_pkey' && s.direction),
    ).toEqual([]);
    expect(history.map((s) => s.index)).toContain('customer_status_history_latest');
    expect(scans.filter((s) => s.node === 'Seq Scan')).toEqual([]);

    // and it reads the right thing
    const override = async (c: number) =>
      (await db.query<{ override_in_force: boolean }>(LIFECYCLE_STATE_SQL, [[await customer(c)]]))
        .rows[0].override_in_force;
    expect(await override(2)).toBe(true);
    expect(await override(1)).toBe(false);
    expect(await override(CUSTOMERS)).toBe(true);
  });

  it('sets a chunk of statuses through the primary key among 100,000 customers the statistics do not know of', async () => {
    const { db } = service;
    await db.query('ANALYZE customer');
    await db.query("SET session_replication_role = 'replica'");
    await db.query(
      `INSERT INTO customer (id, party_type, category, display_name, status, version)
       SELECT md5('p' || c)::uuid, 'individual', 'retail', 'name ' || c, 'potential', 1
         FROM generate_series(1, 100000) AS c`,
    );
    await db.query("SET session_replication_role = 'origin'");
    const ids = (
      await db.query<{ id: string }>(
        `SELECT md5('p' || c)::uuid::text AS id FROM generate_series(1, 200) AS c`,
      )
    ).rows.map((r) => r.id);
    const params = [ids, ids.map(() => 'active'), ids.map(() => 1)];
    const customerScans = (await planScans(db, SET_STATUS_SQL, params)).filter(
      (s) => s.relation === 'customer' || s.index?.startsWith('customer_pkey'),
    );
    expect(customerScans.length).toBeGreaterThan(0);
    expect(customerScans.filter((s) => s.node === 'Seq Scan')).toEqual([]);

    // and it sets them: two changes are two versions
    await db.query('BEGIN');
    const { rows } = await db.query<{ id: string; version: number }>(SET_STATUS_SQL, [
      ids.slice(0, 2),
      ['active', 'lost'],
      [1, 2],
    ]);
    await db.query('ROLLBACK');
    expect(rows.map((r) => r.version).sort()).toEqual([2, 3]);
  });
});
