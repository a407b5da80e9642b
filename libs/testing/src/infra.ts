import { randomBytes } from 'node:crypto';

import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';

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
