/**
 * The relay's clean-up of published outbox rows against the real PostgreSQL, on an outbox whose
 * statistics lag a bulk load (analysed empty, then 60,000 rows): it must go through the
 * published_at index, not read the whole table every minute, and delete exactly the rows past
 * their retention.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

import {
  deletePublishedOutboxRows,
  OUTBOX_CLEANUP_SETTINGS,
  OUTBOX_CLEANUP_SQL,
  OUTBOX_HEAD_SQL,
  OUTBOX_RELAY_SESSION_SETTINGS,
  vacuumOutbox,
} from '../outbox/outbox-relay';
import { createFixtureDatabase, dropFixtureDatabase } from './support';

const ROWS = 60_000;
const DAY_MS = 24 * 3_600_000;

describe('outbox clean-up (real PostgreSQL)', () => {
  let url: string;
  let db: DataSource;
  let client: Client;

  beforeAll(async () => {
    ({ url, db } = await createFixtureDatabase('outbox_cleanup'));
    client = new Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropFixtureDatabase(url, db);
  });

  it('reads only the index, and deletes exactly the published rows past the retention', async () => {
    await client.query('ANALYZE outbox');
    // 60,000 rows: every 4th unpublished, the others published 10 s to ~48 h ago
    await client.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, published_at)
       SELECT md5(i::text)::uuid, 'probe', 'k' || (i % 50), 'probe', 'probe.topic.v1', '{}',
              CASE WHEN i % 4 = 0 THEN NULL ELSE now() - i * interval '2.88 seconds' END
         FROM generate_series(1, ${ROWS}) AS i`,
    );
    const expired = async () =>
      Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM outbox WHERE published_at < now() - interval '1 day'`,
          )
        ).rows[0].n,
      );
    const before = Number((await client.query('SELECT count(*) AS n FROM outbox')).rows[0].n);
    const old = await expired();
    expect(old).toBeGreaterThan(10_000);

    await client.query('BEGIN');
    for (const setting of OUTBOX_CLEANUP_SETTINGS) await client.query(setting);
    const plan = (
      await client.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (FORMAT JSON) ${OUTBOX_CLEANUP_SQL.replace('$1::bigint', `${DAY_MS}::bigint`)}`,
      )
    ).rows[0]['QUERY PLAN'];
    await client.query('ROLLBACK');
    const text = JSON.stringify(plan);
    expect(text).not.toContain('Seq Scan');
    expect(text).toContain('outbox_published_at');

    await deletePublishedOutboxRows(client, DAY_MS);
    expect(await expired()).toBe(0);
    const after = Number((await client.query('SELECT count(*) AS n FROM outbox')).rows[0].n);
    expect(after).toBe(before - old);
    // unpublished rows are never deleted, whatever their age
    const unpublished = Number(
      (await client.query('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')).rows[0].n,
    );
    expect(unpublished).toBe(ROWS / 4);
  });

  it("a vacuum stops the relay's read from walking the rows it has published", async () => {
    await client.query('TRUNCATE outbox');
    // as the relay leaves them: 30,000 rows written unpublished, then marked published; then
    // 10 new ones
    const insert = (from: number, to: number) =>
      client.query(
        `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
         SELECT md5('v' || i)::uuid, 'probe', 'k' || (i % 50), 'probe', 'probe.topic.v1', '{}'
           FROM generate_series(${from}, ${to}) AS i`,
      );
    await insert(1, 30_000);
    await client.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
    await insert(30_001, 30_010);
    const headRead = async () => {
      const [{ Plan: plan }] = (
        await client.query<{ 'QUERY PLAN': { Plan: Record<string, number> }[] }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${OUTBOX_HEAD_SQL.replace('$1', '500')}`,
        )
      ).rows[0]['QUERY PLAN'];
      return {
        rows: plan['Actual Rows'],
        buffers: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'],
      };
    };
    // read twice: the first read also marks the index entries it found dead
    await headRead();
    const before = await headRead();
    await vacuumOutbox(client);
    const after = await headRead();
    expect(before.rows).toBe(10);
    expect(after.rows).toBe(10);
    // the published rows' index entries: tens of index pages walked before, none after
    expect(before.buffers).toBeGreaterThan(50);
    expect(after.buffers).toBeLessThan(15);
  });

  it("the relay's read, on its session's settings, skips the rows published since the last vacuum without visiting them", async () => {
    await client.query('TRUNCATE outbox');
    await client.query('VACUUM ANALYZE outbox');
    // as the relay leaves them between vacuums: 30,000 rows written, published and deleted
    // (statistics from the empty table), then 10 new ones
    const insert = (from: number, to: number) =>
      client.query(
        `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
         SELECT md5('s' || i)::uuid, 'probe', 'k' || (i % 50), 'probe', 'probe.topic.v1', '{}'
           FROM generate_series(${from}, ${to}) AS i`,
      );
    await insert(1, 30_000);
    await client.query('DELETE FROM outbox');
    await insert(30_001, 30_010);
    const relay = new Client({ connectionString: url });
    await relay.connect();
    try {
      for (const setting of OUTBOX_RELAY_SESSION_SETTINGS) await relay.query(setting);
      const headRead = async (on: Client) => {
        const [{ Plan: plan }] = (
          await on.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${OUTBOX_HEAD_SQL.replace('$1', '500')}`,
          )
        ).rows[0]['QUERY PLAN'];
        const types: string[] = [];
        const walk = (n: PlanNode) => {
          types.push(n['Node Type']);
          for (const c of n.Plans ?? []) walk(c);
        };
        walk(plan);
        return {
          rows: plan['Actual Rows'],
          buffers: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'],
          types,
        };
      };
      const first = await headRead(relay);
      const second = await headRead(relay);
      expect(first.rows).toBe(10);
      expect(second.rows).toBe(10);
      // in seq order through the partial index: no bitmap, no sort, no heap visit per entry
      expect(second.types).toEqual(['Limit', 'Index Scan']);
      // the first read marked the deleted rows' entries dead: the second walks index pages only
      // (measured: the first read 588 buffers, the rows' heap pages included; the second 84)
      expect(first.buffers).toBeGreaterThan(200);
      expect(second.buffers).toBeLessThan(first.buffers / 2);
    } finally {
      await relay.end();
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Actual Rows': number;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}
