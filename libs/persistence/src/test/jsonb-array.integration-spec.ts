import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { dropDatabase, ensureDatabase } from '../database';
import { jsonbArray, jsonbElements } from '../jsonb-array';

// @bank-crm/testing depends on this library, so the database is made here
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

describe('jsonbArray / jsonbElements against PostgreSQL', () => {
  let url: string;
  let db: Client;

  beforeAll(async () => {
    url = `${PG}/test_jsonb_array_${randomUUID().slice(0, 8)}`;
    await ensureDatabase(url);
    db = new Client({ connectionString: url });
    await db.connect();
    await db.query('CREATE TABLE t (n int NOT NULL, doc jsonb)');
  });

  afterAll(async () => {
    await db.end();
    await dropDatabase(url);
  });

  it('stores each element in its row, in order, as the jsonb[] parameter did', async () => {
    const docs = [
      { name: '张"三"', path: 'C:\\tmp\\x', nested: { list: [1, 'two', null], ok: true } },
      [1, 2, 3],
      'a plain "string" with \\ and \t and 😀',
      42,
      null,
      undefined,
      { empty: {} },
    ];
    await db.query(
      `INSERT INTO t (n, doc) SELECT n, d FROM unnest($1::int[], ${jsonbElements('$2')}) AS x(n, d)`,
      [docs.map((_, n) => n), jsonbArray(docs)],
    );
    const viaArray = await db.query<{ n: number; doc: unknown }>(
      `SELECT n, d AS doc FROM unnest($1::int[], $2::jsonb[]) AS x(n, d) ORDER BY n`,
      [
        docs.map((_, n) => n),
        docs.map((d) => (d === undefined || d === null ? null : JSON.stringify(d))),
      ],
    );
    const { rows } = await db.query<{ n: number; doc: unknown; is_null: boolean }>(
      'SELECT n, doc, doc IS NULL AS is_null FROM t ORDER BY n',
    );
    expect(rows.map((r) => r.doc)).toEqual(viaArray.rows.map((r) => r.doc));
    expect(rows[0].doc).toEqual(docs[0]);
    expect(rows[2].doc).toBe(docs[2]);
    // a null or missing element is SQL NULL, not the JSON null
    expect(rows.filter((r) => r.is_null).map((r) => r.n)).toEqual([4, 5]);
  });

  it('keeps the order of thousands of elements', async () => {
    const docs = Array.from({ length: 5_000 }, (_, n) => ({ n }));
    const { rows } = await db.query<{ docs: { n: number }[] }>(
      `SELECT ${jsonbElements('$1')} AS docs`,
      [jsonbArray(docs)],
    );
    expect(rows[0].docs).toEqual(docs);
  });
});
