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
});
