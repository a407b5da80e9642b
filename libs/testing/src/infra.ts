import { randomBytes } from 'node:crypto';

import { dropDatabase, ensureDatabase, maintenanceUrl } from '@bank-crm/persistence';
import { Client } from 'pg';

/** Where the integration tier finds its real infrastructure (the README's `npm test` starts both). */
export const TEST_KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const TEST_PG_BASE_URL =
  process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A fresh database for one test file; drop it with `dropTestDatabase` in afterAll. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const url = `${TEST_PG_BASE_URL}/test_${prefix.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`;
  await ensureDatabase(url);
  return url;
}

export async function dropTestDatabase(url: string): Promise<void> {
  await dropDatabase(url);
}

async function asSuperuser<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: maintenanceUrl(`${TEST_PG_BASE_URL}/postgres`) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database owned by a fresh login role that is neither superuser nor BYPASSRLS, as a
 * production service role: row-level security and revoked privileges apply to it.
 */
export async function createRestrictedTestDatabase(
  prefix: string,
): Promise<{ adminDatabaseUrl: string; databaseUrl: string; role: string; password: string }> {
  const suffix = uniqueSuffix();
  const role = `svc_${prefix.replace(/[^a-z0-9]/g, '_')}_${suffix}`;
  const database = `test_${prefix.replace(/[^a-z0-9]/g, '_')}_${suffix}`;
  const password = randomBytes(12).toString('hex');
  await asSuperuser(async (c) => {
    await c.query(
      `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '${password}'`,
    );
    await c.query(`CREATE DATABASE "${database}" OWNER "${role}"`);
  });
  const adminDatabaseUrl = `${TEST_PG_BASE_URL}/${database}`;
  const url = new URL(adminDatabaseUrl);
  url.username = role;
  url.password = password;
  return { adminDatabaseUrl, databaseUrl: url.toString(), role, password };
}

export async function dropTestRole(role: string): Promise<void> {
  await asSuperuser((c) => c.query(`DROP ROLE IF EXISTS "${role}"`));
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
