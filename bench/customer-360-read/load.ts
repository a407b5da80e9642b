import { createHash } from 'node:crypto';

import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import { Client } from 'pg';

/**
 * The 360-view read benchmark's database: customer-master's real schema (its own migrations,
 * run by the service's one-shot `setup`), with the six view tables filled directly in SQL
 * (INSERT ... SELECT generate_series, in parallel) instead of through events, so a million
 * customers load in a minute or two. Loaded once per size and reused while its marker matches.
 *
 * Every customer has a profile, 1-4 accounts in a holdings snapshot and one or two lifecycle
 * changes; every 10th a relation, every 20th a group membership, every 50th absorbed another
 * customer by a merge (so its view follows a redirect set and combines two snapshots).
 */
export const LOAD_VERSION = 1;

/** Customer i's id, the same in SQL (md5('c' || i)::uuid) and here. */
export function customerId(i: number): string {
  const h = createHash('md5').update(`c${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const id = (prefix: string, expr = 'i') => `md5('${prefix}' || ${expr})::uuid`;
const at = `timestamptz '2026-01-01' + (i % 300000) * interval '1 minute'`;

/** One statement per table, each over generate_series(1, $1). */
export const LOAD_STATEMENTS: Record<string, string> = {
  view_customer_profile: `
    INSERT INTO view_customer_profile (customer_id, data, field_versions, as_of)
    SELECT ${id('c')},
      jsonb_build_object(
        'partyType', CASE WHEN i % 20 = 0 THEN 'organization' ELSE 'individual' END,
        'category', CASE WHEN i % 20 = 0 THEN 'corporate' ELSE 'personal' END,
        'status', CASE WHEN i % 10 = 0 THEN 'dormant' ELSE 'active' END,
        'displayName', CASE WHEN i % 20 = 0 THEN '企业' || i || '有限公司' ELSE '客户' || i END,
        'nameLatin', 'Customer ' || i,
        'identifiers', jsonb_build_array(jsonb_build_object(
          'type', CASE WHEN i % 20 = 0 THEN 'CN_USCC' ELSE 'CN_RESIDENT_ID' END,
          'masked', repeat('*', 14) || lpad((i % 10000)::text, 4, '0'))),
        'relationshipManagerId', CASE WHEN i % 3 = 0 THEN 'rm-' || (i % 200) END,
        'createdAt', to_char(${at} - interval '400 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'statusChangedAt', to_char(${at}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      jsonb_build_object('partyType', 1, 'category', 1, 'status', 2, 'displayName', 1,
        'nameLatin', 1, 'identifiers', 1, 'relationshipManagerId', 1, 'createdAt', 1,
        'statusChangedAt', 2),
      ${at}
    FROM generate_series(1, $1::int) i`,
  view_customer_holdings: `
    INSERT INTO view_customer_holdings (customer_id, sequence, data, as_of)
    SELECT CASE WHEN absorbed THEN ${id('a')} ELSE ${id('c')} END, k,
      jsonb_build_object(
        'sequence', k, 'asOf', to_char(${at}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'change', 'snapshot', 'openAccountCount', k, 'everHadAccount', true,
        'lastActivityOn', '2026-11-20',
        'accounts', (SELECT jsonb_agg(jsonb_build_object(
            'accountRef', (ARRAY['core-banking','cards','loans','wealth'])[j] || ':acc-' || i || '-' || j || CASE WHEN absorbed THEN 'a' ELSE '' END,
            'sourceSystem', (ARRAY['core-banking','cards','loans','wealth'])[j],
            'productType', (ARRAY['savings','card','loan','wealth'])[j],
            'productCode', (ARRAY['SAV-STD','CARD-GOLD','LN-HOME','WM-FUND'])[j],
            'accountNumberMasked', repeat('*', 12) || lpad(((i * 7 + j) % 10000)::text, 4, '0'),
            'role', CASE WHEN j = 2 AND i % 7 = 0 THEN 'joint-holder' ELSE 'primary-holder' END,
            'status', 'open', 'currency', 'CNY',
            'balance', CASE WHEN j IN (2, 3) THEN '-' ELSE '' END || ((i * 37 + j * 101) % 1000000) || '.' || lpad(((i + j) % 100)::text, 2, '0'),
            'openedOn', '2020-01-15', 'closedOn', NULL, 'lastActivityOn', '2026-11-20'))
          FROM generate_series(1, k) j),
        'holdings', (SELECT jsonb_agg(jsonb_build_object(
            'productType', (ARRAY['savings','card','loan','wealth'])[j], 'currency', 'CNY', 'accountCount', 1,
            'totalBalance', CASE WHEN j IN (2, 3) THEN '-' ELSE '' END || ((i * 37 + j * 101) % 1000000) || '.' || lpad(((i + j) % 100)::text, 2, '0')))
          FROM generate_series(1, k) j)),
      ${at}
    FROM (
      SELECT i, 1 + i % 4 AS k, false AS absorbed FROM generate_series(1, $1::int) i
      UNION ALL
      SELECT i, 1, true FROM generate_series(50, $1::int, 50) i
    ) s`,
  view_customer_status_change: `
    INSERT INTO view_customer_status_change (event_id, customer_id, data, changed_at, as_of)
    SELECT ${id('s', `i || '-' || n`)}, ${id('c')},
      jsonb_build_object('from', CASE n WHEN 1 THEN 'potential' ELSE 'active' END,
        'to', CASE n WHEN 1 THEN 'active' ELSE 'dormant' END,
        'cause', CASE n WHEN 1 THEN 'first-account-opened' ELSE 'no-activity' END,
        'trigger', CASE n WHEN 1 THEN 'account-event' ELSE 'sweep' END,
        'changedAt', to_char(${at} - (2 - n) * interval '200 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
      ${at} - (2 - n) * interval '200 days', ${at}
    FROM generate_series(1, $1::int) i, generate_series(1, CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END) n`,
  view_customer_redirect: `
    INSERT INTO view_customer_redirect (absorbed_id, merge_id, survivor_id, unmerged)
    SELECT ${id('a')}, ${id('m')}, ${id('c')}, false FROM generate_series(50, $1::int, 50) i`,
  view_customer_relation: `
    INSERT INTO view_customer_relation (relation_id, from_customer_id, to_customer_id, added, ended_valid_to, as_of)
    SELECT ${id('r')}, ${id('c')}, ${id('c', '((i % $1::int) + 1)')},
      jsonb_build_object('type', jsonb_build_object('code', 'spouse', 'label', 'Spouse'),
        'reverseType', jsonb_build_object('code', 'spouse', 'label', 'Spouse'),
        'validFrom', '2020-01-01', 'validTo', NULL),
      NULL, ${at}
    FROM generate_series(10, $1::int, 10) i`,
  view_group_membership: `
    INSERT INTO view_group_membership (membership_id, customer_id, group_id, added, ended_valid_to, as_of)
    SELECT ${id('g')}, ${id('c')}, ${id('grp', '(i % 1000)')},
      jsonb_build_object('group', jsonb_build_object('kind', 'entity', 'type', 'household', 'name', '家庭' || (i % 1000)),
        'role', 'member', 'validFrom', '2021-06-01', 'validTo', NULL),
      NULL, ${at}
    FROM generate_series(20, $1::int, 20) i`,
};

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** True when the database holds this size, loaded by this version of the loader. */
export async function isLoaded(url: string, size: number): Promise<boolean> {
  try {
    return await withClient(url, async (c) => {
      const { rows } = await c.query<{ size: number; version: number }>(
        'SELECT size, version FROM bench_360_meta',
      );
      return rows.length === 1 && rows[0].size === size && rows[0].version === LOAD_VERSION;
    });
  } catch {
    return false; // no database or no marker yet
  }
}

/**
 * Drops and recreates the database, lets `setup` create the schema, then fills the view tables
 * (two statements at a time, one per core) and writes the marker.
 */
export async function load(
  url: string,
  size: number,
  setup: () => Promise<void>,
  progress: (m: string) => void,
): Promise<number> {
  const started = performance.now();
  await dropDatabase(url);
  await ensureDatabase(url);
  await setup();
  const queue = Object.entries(LOAD_STATEMENTS);
  await Promise.all(
    [1, 2].map(() =>
      withClient(url, async (c) => {
        await c.query('SET synchronous_commit = off');
        for (let next = queue.shift(); next; next = queue.shift()) {
          const t = performance.now();
          const r = await c.query(next[1], [size]);
          progress(
            `loaded ${r.rowCount} rows into ${next[0]} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
          );
        }
      }),
    ),
  );
  await withClient(url, async (c) => {
    await c.query('VACUUM ANALYZE');
    await c.query('CREATE TABLE bench_360_meta (size int NOT NULL, version int NOT NULL)');
    await c.query('INSERT INTO bench_360_meta VALUES ($1, $2)', [size, LOAD_VERSION]);
  });
  return (performance.now() - started) / 1000;
}
