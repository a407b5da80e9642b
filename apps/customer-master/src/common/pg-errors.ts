import { QueryFailedError } from 'typeorm';

/** The PostgreSQL error code and constraint of a failed query, if it is one. */
export function pgError(error: unknown): { code?: string; constraint?: string } | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const e = error as unknown as { code?: string; constraint?: string };
  return { code: e.code, constraint: e.constraint };
}

export const PG_UNIQUE_VIOLATION = '23505';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';

/** Rows of an UPDATE/DELETE ... RETURNING (TypeORM answers those with [rows, rowCount]). */
export async function updateReturning<T>(
  manager: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const [rows] = (await manager.query(sql, params)) as [T[], number];
  return rows;
}
