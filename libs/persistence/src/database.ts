import { Client } from 'pg';

/** The database name in a postgres:// URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error('the database URL names no database');
  return name;
}

/** The same server, but the `postgres` maintenance database (to create or drop others). */
export function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates the service's database when it does not exist yet. Safe when several replicas start at
 * once: a concurrent creation is treated as success.
 */
export async function ensureDatabase(url: string): Promise<'created' | 'exists'> {
  const name = databaseName(url);
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'exists';
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return 'created';
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 42P04 duplicate_database, 23505 unique_violation: another replica won the race
      if (code === '42P04' || code === '23505') return 'exists';
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Drops a database (tests only), ending its connections first. */
export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const client = new Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
