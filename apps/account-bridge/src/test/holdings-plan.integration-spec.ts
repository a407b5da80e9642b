import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';
import { Client } from 'pg';

import { HOLDINGS_SQL } from '../accounts/holdings';
import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { accountBridgeService } from '../service-definition';

const ACCOUNTS = 40_000;

/** The scans of a plan (EXPLAIN's JSON tree), as "<node type> on <relation>". */
function scans(plan: Record<string, unknown>): string[] {
  const here =
    typeof plan['Relation Name'] === 'string'
      ? [`${String(plan['Node Type'])} on ${plan['Relation Name']}`]
      : [];
  const children = (plan['Plans'] as Record<string, unknown>[] | undefined) ?? [];
  return [...here, ...children.flatMap(scans)];
}

describe('account-bridge holdings read under a bulk load (real PostgreSQL)', () => {
  let svc: RunningService<AccountBridgeConfig>;
  let db: Client;

  beforeAll(async () => {
    svc = await startTestService(accountBridgeService);
    db = new Client({ connectionString: svc.adminDatabaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await svc?.close();
    await closeTestKafka();
  });

  it('reads a chunk of customers by key lookups only, though the statistics say the tables are empty', async () => {
    // the statistics of empty tables, then a bulk load they know nothing about (what a
    // production database looks like until autoanalyze catches up with an initial import)
    await db.query('ANALYZE account, account_holder, party_customer');
    await db.query(
      `INSERT INTO account (id, source_system, source_key, account_number, account_number_masked,
         product_type, currency, balance, balance_as_of, published_balance, status, opened_on,
         content_hash, observed_at, version)
       SELECT md5('a' || i)::uuid, 'core', 'A' || i, '6222' || i, '****' || right(i::text, 4),
              'savings', 'CNY', 100, now(), 100, 'open', DATE '2020-01-01', repeat('0', 64), now(), 1
         FROM generate_series(1, ${ACCOUNTS}) AS i`,
    );
    await db.query(
      `INSERT INTO party_customer (source_system, source_key, customer_id, linked_at)
       SELECT 'core', 'P' || i, md5('c' || i)::uuid, now() FROM generate_series(1, ${ACCOUNTS}) AS i`,
    );
    await db.query(
      `INSERT INTO account_holder (account_id, party_source_key, role, source_system)
       SELECT md5('a' || i)::uuid, 'P' || i, 'primary-holder', 'core'
         FROM generate_series(1, ${ACCOUNTS}) AS i`,
    );
    const ids = Array.from({ length: 200 }, (_, n) => n * 97 + 1);
    const customerIds = (
      await db.query<{ id: string }>(
        `SELECT md5('c' || i)::uuid::text AS id FROM unnest($1::int[]) AS i`,
        [ids],
      )
    ).rows.map((r) => r.id);

    const { rows: explained } = await db.query<{
      'QUERY PLAN': { Plan: Record<string, unknown> }[];
    }>(`EXPLAIN (FORMAT JSON) ${HOLDINGS_SQL}`, [customerIds]);
    const used = scans(explained[0]['QUERY PLAN'][0].Plan);
    expect(used.filter((s) => s.startsWith('Seq Scan'))).toEqual([]);
    // each table through an index (a bitmap heap scan is driven by its index too)
    expect(
      used
        .map((s) => s.replace(/^(Index Only Scan|Index Scan|Bitmap Heap Scan) on /, 'index: '))
        .sort(),
    ).toEqual(['index: account', 'index: account_holder', 'index: party_customer']);

    // and it reads the right thing: each customer's one account, in its role
    const { rows } = await db.query<{ customerId: string; accountId: string; role: string }>(
      HOLDINGS_SQL,
      [customerIds],
    );
    expect(rows).toHaveLength(customerIds.length);
    const expected = (
      await db.query<{ c: string; a: string }>(
        `SELECT md5('c' || i)::uuid::text AS c, md5('a' || i)::uuid::text AS a FROM unnest($1::int[]) AS i`,
        [ids],
      )
    ).rows;
    expect(new Map(rows.map((r) => [r.customerId, r.accountId]))).toEqual(
      new Map(expected.map((e) => [e.c, e.a])),
    );
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(['primary-holder']));
  });
});
