import type { DataSource } from 'typeorm';

/** A stable 32-bit key for pg advisory locks, from a name. */
export function advisoryLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (const ch of Buffer.from(name, 'utf8')) {
    hash ^= ch;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Runs pending migrations while holding a Postgres advisory lock, so replicas or a migration job
 * starting together never run the same migration twice. Returns the names of the migrations run.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  lockName: string,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = advisoryLockKey(`migrations:${lockName}`);
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}

/** True when every migration the code knows is applied. */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
