import { closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';
import { Client } from 'pg';

import { HOLDINGS_SQL } from '../accounts/holdings';
import {
  ACCOUNTS_BY_KEY_SQL,
  ACTIVE_LINKS_SQL,
  CUSTOMERS_OF_ACCOUNTS_SQL,
  HOLDERS_OF_SQL,
  PARTY_HASHES_SQL,
  PARTY_LINKS_SQL,
} from '../accounts/key-reads';
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

describe('account-bridge key reads under a bulk load (real PostgreSQL)', () => {
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

  /**
   * The tables a query's plan reads, sorted, as "index: <table>" or "Seq Scan on <table>" (a
   * bitmap heap scan is driven by its index too).
   */
  async function tablesRead(sql: string, params: unknown[]): Promise<string[]> {
    const { rows: explained } = await db.query<{
      'QUERY PLAN': { Plan: Record<string, unknown> }[];
    }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    return scans(explained[0]['QUERY PLAN'][0].Plan)
      .map((s) => s.replace(/^(Index Only Scan|Index Scan|Bitmap Heap Scan) on /, 'index: '))
      .sort();
  }

  it("reads a chunk's accounts, holders, parties and customers by key lookups only, though the statistics say the tables are empty", async () => {
    // the statistics of empty tables, then a bulk load they know nothing about (what a
    // production database looks like until autoanalyze catches up with an initial import)
    await db.query('ANALYZE account, account_holder, party_customer, source_party');
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
      `INSERT INTO source_party (source_system, source_key, record, content_hash, observed_at, updated_at)
       SELECT 'core', 'P' || i, '{}'::jsonb, md5('p' || i) || md5('q' || i), now(), now()
         FROM generate_series(1, ${ACCOUNTS}) AS i`,
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

    expect(await tablesRead(HOLDINGS_SQL, [customerIds])).toEqual([
      'index: account',
      'index: account_holder',
      'index: party_customer',
    ]);

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

    // a chunk of source-record.linked events: its parties' links, then their holder rows
    const systems = ids.map(() => 'core');
    const partyKeys = ids.map((i) => `P${i}`);
    expect(await tablesRead(PARTY_LINKS_SQL, [systems, partyKeys])).toEqual([
      'index: party_customer',
    ]);
    expect(await tablesRead(ACTIVE_LINKS_SQL, [systems, partyKeys])).toEqual([
      'index: account_holder',
    ]);
    const { rows: links } = await db.query<{ sourceKey: string; customerId: string }>(
      PARTY_LINKS_SQL,
      [
        [...systems, 'core'],
        [...partyKeys, 'P-unknown'],
      ],
    );
    expect(new Map(links.map((l) => [l.sourceKey, l.customerId]))).toEqual(
      new Map(expected.map((e, n) => [partyKeys[n], e.c])),
    );
    const { rows: holders } = await db.query<{ partySourceKey: string; accountId: string }>(
      ACTIVE_LINKS_SQL,
      [systems, partyKeys],
    );
    expect(new Map(holders.map((h) => [h.partySourceKey, h.accountId]))).toEqual(
      new Map(expected.map((e, n) => [partyKeys[n], e.a])),
    );
    expect(holders).toHaveLength(ids.length);

    // a chunk of account records and balance updates: the accounts' holders and their customers
    const accountIds = expected.map((e) => e.a);
    expect(await tablesRead(HOLDERS_OF_SQL, [accountIds])).toEqual([
      'index: account_holder',
      'index: party_customer',
    ]);
    expect(await tablesRead(CUSTOMERS_OF_ACCOUNTS_SQL, [accountIds])).toEqual([
      'index: account_holder',
      'index: party_customer',
    ]);
    const { rows: holderRows } = await db.query<{
      accountId: string;
      partySourceKey: string;
      customerId: string | null;
      active: boolean;
    }>(HOLDERS_OF_SQL, [[...accountIds, accountIds[0]]]);
    expect(holderRows).toHaveLength(ids.length);
    expect(new Map(holderRows.map((h) => [h.accountId, h.customerId]))).toEqual(
      new Map(expected.map((e) => [e.a, e.c])),
    );
    expect(holderRows.every((h) => h.active)).toBe(true);
    const { rows: customersOf } = await db.query<{ accountId: string; customerIds: string[] }>(
      CUSTOMERS_OF_ACCOUNTS_SQL,
      [accountIds],
    );
    expect(new Map(customersOf.map((r) => [r.accountId, r.customerIds]))).toEqual(
      new Map(expected.map((e) => [e.a, [e.c]])),
    );

    // a batch of imported rows: the accounts as stored, the party records' content hashes
    const accountKeys = ids.map((i) => `A${i}`);
    expect(await tablesRead(ACCOUNTS_BY_KEY_SQL, [systems, accountKeys])).toEqual([
      'index: account',
    ]);
    expect(await tablesRead(PARTY_HASHES_SQL, [systems, partyKeys])).toEqual([
      'index: source_party',
    ]);
    const { rows: accounts } = await db.query<{ id: string; sourceKey: string }>(
      ACCOUNTS_BY_KEY_SQL,
      [
        [...systems, 'core', 'core'],
        [...accountKeys, accountKeys[0], 'A-unknown'],
      ],
    );
    expect(new Map(accounts.map((a) => [a.sourceKey, a.id]))).toEqual(
      new Map(expected.map((e, n) => [accountKeys[n], e.a])),
    );
    expect(accounts).toHaveLength(ids.length);
    const { rows: hashes } = await db.query<{ key: string; hash: string }>(PARTY_HASHES_SQL, [
      systems,
      partyKeys,
    ]);
    const { rows: expectedHashes } = await db.query<{ key: string; hash: string }>(
      `SELECT 'core:P' || i AS key, md5('p' || i) || md5('q' || i) AS hash FROM unnest($1::int[]) AS i`,
      [ids],
    );
    expect(new Map(hashes.map((h) => [h.key, h.hash]))).toEqual(
      new Map(expectedHashes.map((h) => [h.key, h.hash])),
    );
  });
});
