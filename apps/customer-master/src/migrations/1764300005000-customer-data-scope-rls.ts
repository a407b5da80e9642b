import { dropRlsPolicyStatements, RLS_SETTINGS, rlsPolicyStatements } from '@bank-crm/auth';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BYPASS = `current_setting('${RLS_SETTINGS.bypass}', true) = 'on'`;

/** A customer visible to the transaction (the subquery is subject to `customer`'s own policy). */
const visible = (column: string) => `EXISTS (SELECT 1 FROM customer c WHERE c.id = ${column})`;

/**
 * When a relationship manager's transaction sees a row of a table keyed by customer (the bypass
 * sees every row). Each inherits the visibility of its customer, whose own policy
 * (`rlsPolicyStatements('customer')`) keeps a relationship manager inside their portfolio:
 *
 * - `customer_identifier`, `source_record` (a record not resolved to a customer yet: hidden),
 *   `group_membership`, `customer_account_state`, `customer_status_history` and the 360 view's
 *   `view_customer_profile`, `view_customer_holdings`, `view_customer_status_change`,
 *   `view_group_membership`: their `customer_id`'s visibility.
 * - `customer_relation`, `view_customer_relation`: both ends visible, so a relation never reveals
 *   a customer of another portfolio.
 * - `view_customer_redirect` (absorbed -> survivor): the survivor's visibility.
 * - `customer_merge`, `review_item`, `non_match`, `resolution_block`,
 *   `source_record_link_history`: never (merge bookkeeping and identity resolution: data
 *   stewards, admins, auditors and system work only, all of which have the bypass).
 *
 * `customer_group`, `customer_category` and `relation_type` are shared definitions, not customer
 * data: not under row-level security.
 */
const POLICIES: { table: string; visible: string }[] = [
  { table: 'customer_identifier', visible: visible('customer_identifier.customer_id') },
  { table: 'source_record', visible: visible('source_record.customer_id') },
  {
    table: 'customer_relation',
    visible: `${visible('customer_relation.from_customer_id')} AND ${visible('customer_relation.to_customer_id')}`,
  },
  { table: 'group_membership', visible: visible('group_membership.customer_id') },
  { table: 'customer_account_state', visible: visible('customer_account_state.customer_id') },
  { table: 'customer_status_history', visible: visible('customer_status_history.customer_id') },
  { table: 'view_customer_profile', visible: visible('view_customer_profile.customer_id') },
  { table: 'view_customer_redirect', visible: visible('view_customer_redirect.survivor_id') },
  { table: 'view_customer_holdings', visible: visible('view_customer_holdings.customer_id') },
  {
    table: 'view_customer_status_change',
    visible: visible('view_customer_status_change.customer_id'),
  },
  {
    table: 'view_customer_relation',
    visible: `${visible('view_customer_relation.from_customer_id')} AND ${visible('view_customer_relation.to_customer_id')}`,
  },
  { table: 'view_group_membership', visible: visible('view_group_membership.customer_id') },
  { table: 'customer_merge', visible: 'false' },
  { table: 'review_item', visible: 'false' },
  { table: 'non_match', visible: 'false' },
  { table: 'resolution_block', visible: 'false' },
  { table: 'source_record_link_history', visible: 'false' },
];

/** The tables this migration puts under row-level security, `customer` first. */
export const CUSTOMER_MASTER_RLS_TABLES = ['customer', ...POLICIES.map((p) => p.table)];

/**
 * Puts customer-master's customers and every table keyed by customer under the
 * relationship-manager data scope in PostgreSQL itself (ENABLE + FORCE ROW LEVEL SECURITY, so the
 * owning service role is subject to it too), the way account-bridge's `AccountsRls1764500000000`
 * does: a transaction sees and writes a row only with the bypass on (staff scope "all", system
 * work) or when the row belongs to a customer of the relationship manager whose id is the
 * transaction's user id. Nothing set sees nothing. See @bank-crm/auth's data-scope and
 * docs/security.md.
 */
export class CustomerDataScopeRls1764300005000 implements MigrationInterface {
  name = 'CustomerDataScopeRls1764300005000';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of rlsPolicyStatements('customer')) await q.query(statement);
    for (const { table, visible: when } of POLICIES) {
      const expr = `(${BYPASS} OR ${when})`;
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_rm_scope ON ${table} USING ${expr} WITH CHECK ${expr}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of [...POLICIES].reverse()) {
      await q.query(`DROP POLICY IF EXISTS ${table}_rm_scope ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    for (const statement of dropRlsPolicyStatements('customer')) await q.query(statement);
  }
}
