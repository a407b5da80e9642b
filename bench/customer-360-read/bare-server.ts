/**
 * The 360-read baseline: a bare `node:http` server answering GET /customers/<id>/360 with the
 * same SQL, in the same order, as customer-master's CustomerViewService, through a `pg` pool of
 * the service's default size; no framework, no token check, no logging, no metrics. It shapes
 * the rows into the same parts (without merge/relation post-processing beyond what the rows give).
 *   DATABASE_URL=... PORT=0 POOL_SIZE=10 node -r @swc-node/register bare-server.ts
 * Prints `listening <port>` on stdout when ready.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
  application_name: 'bench-360-bare',
});
const ROUTE = /^\/customers\/([0-9a-f-]{36})\/360$/;

async function rows<T>(sql: string, params: unknown[]): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

async function view(requestedId: string): Promise<Record<string, unknown> | undefined> {
  let customerId = requestedId;
  for (let hop = 0; hop < 16; hop += 1) {
    const [next] = await rows<{ survivor_id: string }>(
      `SELECT survivor_id FROM view_customer_redirect WHERE absorbed_id = $1 AND NOT unmerged
       ORDER BY merge_id LIMIT 1`,
      [customerId],
    );
    if (!next) break;
    customerId = next.survivor_id;
  }
  const absorbed = (
    await rows<{ id: string }>(
      `WITH RECURSIVE absorbed(id) AS (
         SELECT absorbed_id FROM view_customer_redirect WHERE survivor_id = $1 AND NOT unmerged
         UNION
         SELECT r.absorbed_id FROM view_customer_redirect r JOIN absorbed a ON r.survivor_id = a.id
         WHERE NOT r.unmerged
       ) SELECT id FROM absorbed WHERE id <> $1 ORDER BY id`,
      [customerId],
    )
  ).map((r) => r.id);
  const all = [customerId, ...absorbed];
  const [profile] = await rows<{ data: Record<string, unknown>; as_of: Date }>(
    'SELECT data, as_of FROM view_customer_profile WHERE customer_id = $1',
    [customerId],
  );
  const holdings = await rows<{ customer_id: string; data: Record<string, unknown> }>(
    'SELECT customer_id, data, as_of FROM view_customer_holdings WHERE customer_id = ANY($1::uuid[]) ORDER BY as_of DESC, customer_id',
    [all],
  );
  const changes = await rows<{ data: Record<string, unknown> }>(
    'SELECT data, as_of FROM view_customer_status_change WHERE customer_id = $1 ORDER BY changed_at, event_id',
    [customerId],
  );
  const relations = await rows<Record<string, unknown>>(
    `SELECT relation_id, from_customer_id, to_customer_id, added,
            to_char(ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to, as_of
     FROM view_customer_relation
     WHERE added IS NOT NULL AND (from_customer_id = ANY($1::uuid[]) OR to_customer_id = ANY($1::uuid[]))
     ORDER BY relation_id`,
    [all],
  );
  const memberships = await rows<Record<string, unknown>>(
    `SELECT membership_id, group_id, added, to_char(ended_valid_to, 'YYYY-MM-DD') AS ended_valid_to, as_of
     FROM view_group_membership WHERE added IS NOT NULL AND customer_id = ANY($1::uuid[])
     ORDER BY membership_id`,
    [all],
  );
  if (!profile && !holdings.length && !changes.length) return undefined;
  return {
    customerId,
    ...(customerId !== requestedId ? { redirectedFrom: requestedId } : {}),
    absorbedIds: absorbed,
    parts: {
      ...(profile ? { profile: { asOf: profile.as_of, ...profile.data } } : {}),
      ...(holdings.length
        ? {
            accounts: {
              ...holdings[0].data,
              accounts: holdings.flatMap((h) =>
                (h.data.accounts as Record<string, unknown>[]).map((a) => ({
                  ...a,
                  customerId: h.customer_id,
                })),
              ),
            },
          }
        : {}),
      ...(changes.length ? { lifecycle: { history: changes.map((c) => c.data) } } : {}),
      ...(relations.length ? { relations: { items: relations } } : {}),
      ...(memberships.length ? { groups: { items: memberships } } : {}),
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const server = createServer((req, res) => {
  const m = req.method === 'GET' ? ROUTE.exec(req.url ?? '') : null;
  if (!m) {
    send(res, 404, { message: 'not found' });
    return;
  }
  view(m[1]).then(
    (body) => send(res, body ? 200 : 404, body ?? { message: 'not in the view' }),
    (error: unknown) => send(res, 500, { message: String(error) }),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.close();
  void pool.end().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
