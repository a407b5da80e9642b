import { adminClientOfService, tablesRead } from '@bank-crm/testing';

import { HOLDINGS_SQL } from '../accounts/holdings';
import {
  ACCOUNTS_BY_KEY_SQL,
  ACTIVE_LINKS_SQL,
  CUSTOMERS_OF_ACCOUNTS_SQL,
  HOLDERS_OF_SQL,
  PARTY_HASHES_SQL,
  PARTY_LINKS_SQL,
} from '../accounts/key-reads';
import { accountBridgeService } from '../service-definition';

const ACCOUNTS = 40_000;

describe('account-bridge key reads under a bulk load (real PostgreSQL)', () => {
  const service = adminClientOfService(accountBridgeService);

  it("reads a chunk's accounts, holders, parties and customers by key lookups only, though the statistics say the tables are empty", async () => {
    const { db } = service;
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
    // 200 of them, spread over the tables; every key's customer, account and party hash
    const picked = (
      await db.query<{ n: number; c: string; a: string; hash: string }>(
        `SELECT i AS n, md5('c' || i)::uuid::text AS c, md5('a' || i)::uuid::text AS a,
                md5('p' || i) || md5('q' || i) AS hash
           FROM generate_series(1, ${ACCOUNTS}, 197) AS i`,
      )
    ).rows;
    const customerIds = picked.map((r) => r.c);
    const accountIds = picked.map((r) => r.a);
    const systems = picked.map(() => 'core');
    const partyKeys = picked.map((r) => `P${r.n}`);
    const accountKeys = picked.map((r) => `A${r.n}`);
    const byKey = <T>(keys: string[], values: T[]) => new Map(keys.map((k, i) => [k, values[i]]));

    // each read: its plan reads every table through an index (a bitmap heap scan is driven by
    // its index too), and it returns one row per key asked (unknown and repeated keys included)
    const reads: {
      what: string;
      sql: string;
      params: unknown[];
      tables: string[];
      row: (r: Record<string, unknown>) => [unknown, unknown];
      expected: Map<unknown, unknown>;
    }[] = [
      {
        what: 'holdings of a chunk of customers: their accounts, in their roles',
        sql: HOLDINGS_SQL,
        params: [customerIds],
        tables: ['index: account', 'index: account_holder', 'index: party_customer'],
        row: (r) => [r.customerId, `${String(r.accountId)} ${String(r.role)}`],
        expected: byKey(
          customerIds,
          accountIds.map((a) => `${a} primary-holder`),
        ),
      },
      {
        what: "source-record.linked chunk: the parties' current customers",
        sql: PARTY_LINKS_SQL,
        params: [
          [...systems, 'core', 'core'],
          [...partyKeys, partyKeys[0], 'P-unknown'],
        ],
        tables: ['index: party_customer'],
        row: (r) => [r.sourceKey, r.customerId],
        expected: byKey(partyKeys, customerIds),
      },
      {
        what: "source-record.linked chunk: the parties' current holder rows",
        sql: ACTIVE_LINKS_SQL,
        params: [systems, partyKeys],
        tables: ['index: account_holder'],
        row: (r) => [r.partySourceKey, r.accountId],
        expected: byKey(partyKeys, accountIds),
      },
      {
        what: 'account chunk: every holder row of the accounts, with its customer',
        sql: HOLDERS_OF_SQL,
        params: [[...accountIds, accountIds[0]]],
        tables: ['index: account_holder', 'index: party_customer'],
        row: (r) => [r.accountId, `${String(r.customerId)} ${String(r.active)}`],
        expected: byKey(
          accountIds,
          customerIds.map((c) => `${c} true`),
        ),
      },
      {
        what: 'account chunk: the customers of each account',
        sql: CUSTOMERS_OF_ACCOUNTS_SQL,
        params: [accountIds],
        tables: ['index: account_holder', 'index: party_customer'],
        row: (r) => [r.accountId, r.customerIds],
        expected: byKey(
          accountIds,
          customerIds.map((c) => [c]),
        ),
      },
      {
        what: 'import batch: the accounts as stored',
        sql: ACCOUNTS_BY_KEY_SQL,
        params: [
          [...systems, 'core'],
          [...accountKeys, 'A-unknown'],
        ],
        tables: ['index: account'],
        row: (r) => [r.sourceKey, r.id],
        expected: byKey(accountKeys, accountIds),
      },
      {
        what: "import batch: the party records' content hashes",
        sql: PARTY_HASHES_SQL,
        params: [systems, partyKeys],
        tables: ['index: source_party'],
        row: (r) => [r.key, r.hash],
        expected: byKey(
          partyKeys.map((k) => `core:${k}`),
          picked.map((r) => r.hash),
        ),
      },
    ];
    for (const read of reads) {
      expect({ what: read.what, tables: await tablesRead(db, read.sql, read.params) }).toEqual({
        what: read.what,
        tables: read.tables,
      });
      const { rows } = await db.query<Record<string, unknown>>(read.sql, read.params);
      expect({ what: read.what, rows: rows.length }).toEqual({
        what: read.what,
        rows: read.expected.size,
      });
      expect(new Map(rows.map(read.row))).toEqual(read.expected);
    }
  });
});
