import type { BaseConfig, ServiceDefinition } from '@bank-crm/service-runtime';
import { Client } from 'pg';

import { closeTestKafka } from './kafka';
import { startTestService, type RunningService } from './service-harness';

/** One node of a query plan that reads a table or an index. */
export interface PlanScan {
  /** EXPLAIN's node type, e.g. "Seq Scan", "Index Scan", "Bitmap Index Scan". */
  node: string;
  relation?: string;
  index?: string;
  /** Index Scan Backward and the like. */
  direction?: string;
}

/**
 * The scans of the plan PostgreSQL chooses for `sql` (EXPLAIN, not executed), depth first. For
 * plan tests: the statistics a table has (or lacks) after a bulk load decide the plan, and a
 * read that scans a whole table for each chunk costs more as the table grows.
 */
export async function planScans(
  db: Client,
  sql: string,
  params: unknown[] = [],
): Promise<PlanScan[]> {
  const { rows } = await db.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }>(
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params,
  );
  const out: PlanScan[] = [];
  const walk = (plan: Record<string, unknown>) => {
    const relation = plan['Relation Name'];
    const index = plan['Index Name'];
    if (typeof relation === 'string' || typeof index === 'string') {
      out.push({
        node: String(plan['Node Type']),
        ...(typeof relation === 'string' ? { relation } : {}),
        ...(typeof index === 'string' ? { index } : {}),
        ...(typeof plan['Scan Direction'] === 'string' && plan['Scan Direction'] !== 'Forward'
          ? { direction: plan['Scan Direction'] }
          : {}),
      });
    }
    for (const child of (plan['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return out;
}

/**
 * The tables a plan reads, sorted, each as "index: <table>" (an index, index-only or bitmap heap
 * scan: driven by an index) or "<node type> on <table>" (e.g. "Seq Scan on account").
 */
export async function tablesRead(
  db: Client,
  sql: string,
  params: unknown[] = [],
): Promise<string[]> {
  return (await planScans(db, sql, params))
    .filter((s) => s.relation !== undefined)
    .map((s) =>
      ['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan'].includes(s.node)
        ? `index: ${String(s.relation)}`
        : `${s.node} on ${String(s.relation)}`,
    )
    .sort();
}

/**
 * For a plan test file: starts the service (its migrations run) before the file's tests and opens
 * a superuser client of its database, to load rows behind the statistics' back and read plans;
 * closes both after. Returns the client, available once the tests run.
 */
export function adminClientOfService<C extends BaseConfig>(
  def: ServiceDefinition<C>,
): { readonly db: Client } {
  let db: Client | undefined;
  let svc: RunningService<C> | undefined;
  beforeAll(async () => {
    svc = await startTestService(def);
    db = new Client({ connectionString: svc.adminDatabaseUrl });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await svc?.close();
    await closeTestKafka();
  });
  return {
    get db(): Client {
      if (!db) throw new Error('the admin client opens in beforeAll: use it inside a test');
      return db;
    },
  };
}
