import type { DataSource, EntityManager } from 'typeorm';

import type { AuthUser, Role } from './roles';

/**
 * What rows a caller may see. Staff roles other than relationship-manager work across all
 * customers; a relationship manager only within their portfolio (customers whose
 * `relationship_manager_id` is their user id). A user holding both kinds of role gets the wider.
 */
export type DataScope =
  | { kind: 'all'; userId: string }
  | { kind: 'portfolio'; userId: string; relationshipManagerId: string };

const UNSCOPED_ROLES: readonly Role[] = [
  'admin',
  'data-steward',
  'auditor',
  'marketing',
  'service-agent',
];

export function dataScopeOf(user: AuthUser): DataScope {
  if (user.roles.some((r) => UNSCOPED_ROLES.includes(r))) return { kind: 'all', userId: user.id };
  return { kind: 'portfolio', userId: user.id, relationshipManagerId: user.id };
}

/** True when the scope lets the caller see a row owned by this relationship manager. */
export function inScope(scope: DataScope, relationshipManagerId: string | null): boolean {
  return scope.kind === 'all' || relationshipManagerId === scope.relationshipManagerId;
}

/** The session settings the row-level security policies read. */
export const RLS_SETTINGS = {
  userId: 'bank_crm.user_id',
  bypass: 'bank_crm.bypass',
} as const;

/** The actor of work no user asked for (Kafka consumers, relays, migrations). */
export const SYSTEM_SCOPE = { kind: 'system' } as const;

/**
 * Sets the row-level security settings for the current transaction only (`set_config(..., true)`,
 * the function form of SET LOCAL): a relationship manager's user id, or the bypass for callers
 * whose scope is all customers and for system work. Must run inside a transaction: outside one
 * the settings would end with the statement.
 */
export async function applyDbScope(
  manager: EntityManager,
  scope: DataScope | typeof SYSTEM_SCOPE,
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive)
    throw new Error('applyDbScope must run inside a transaction');
  const bypass = scope.kind === 'portfolio' ? 'off' : 'on';
  const userId = scope.kind === 'system' ? 'system' : scope.userId;
  await manager.query(
    `SELECT set_config('${RLS_SETTINGS.userId}', $1, true), set_config('${RLS_SETTINGS.bypass}', $2, true)`,
    [userId, bypass],
  );
}

/**
 * Runs `work` in a transaction whose row-level security settings are the caller's: every query
 * in it sees only the caller's rows, even one that forgot its own filter.
 */
export function withDataScope<T>(
  dataSource: DataSource,
  scope: DataScope | typeof SYSTEM_SCOPE,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await applyDbScope(manager, scope);
    return work(manager);
  });
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected SQL identifier ${name}`);
  return `"${name}"`;
}

/**
 * The statements that put a table under the relationship-manager data scope, for a migration's
 * `up`: RLS enabled and FORCED (so the owning role is subject to it too; superusers and
 * BYPASSRLS roles never are, so services must not connect as one), and one policy: a row is
 * visible and writable when the transaction has the bypass on, or when its RM column is the
 * transaction's user id. Nothing set (a forgotten scope) sees no rows: fail closed.
 */
export function rlsPolicyStatements(table: string, rmColumn = 'relationship_manager_id'): string[] {
  const t = quoteIdent(table);
  const policy = quoteIdent(`${table}_rm_scope`);
  const expr = `(current_setting('${RLS_SETTINGS.bypass}', true) = 'on' OR ${quoteIdent(rmColumn)} = current_setting('${RLS_SETTINGS.userId}', true))`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${policy} ON ${t} USING ${expr} WITH CHECK ${expr}`,
  ];
}

/** The reverse of rlsPolicyStatements, for a migration's `down`. */
export function dropRlsPolicyStatements(table: string): string[] {
  const t = quoteIdent(table);
  return [
    `DROP POLICY IF EXISTS ${quoteIdent(`${table}_rm_scope`)} ON ${t}`,
    `ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY`,
  ];
}
