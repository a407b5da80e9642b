import { RLS_SETTINGS } from '@bank-crm/auth';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const BYPASS = `current_setting('${RLS_SETTINGS.bypass}', true) = 'on'`;

/**
 * When a relationship manager's transaction sees a row (the bypass sees every row). Each table
 * inherits its visibility from the one it hangs off, down to account-bridge's copy of the
 * customers, `customer_directory`, whose own policy keeps a relationship manager inside their
 * portfolio: the subqueries below are themselves subject to the policies of the tables they
 * read, so each only finds rows the transaction may see.
 *
 * - `party_customer` (source party -> customer), `customer_holdings`: the customer's visibility.
 * - `customer_redirect` (absorbed -> survivor): the survivor's.
 * - `account_holder`: its party's link to a visible customer. A co-holder in another portfolio
 *   stays hidden, so a joint account never reveals another portfolio's customer.
 * - `account`: an active holder link visible. An account none of whose holders is resolved to a
 *   customer yet shows nothing to a relationship manager.
 * - `pending_balance` (balances of accounts not arrived yet), `source_party` (raw source records,
 *   identifiers unmasked): nothing; staff and system work only.
 */
const POLICIES: { table: string; visible: string }[] = [
  {
    table: 'party_customer',
    visible:
      'EXISTS (SELECT 1 FROM customer_directory d WHERE d.customer_id = party_customer.customer_id)',
  },
  {
    table: 'customer_holdings',
    visible:
      'EXISTS (SELECT 1 FROM customer_directory d WHERE d.customer_id = customer_holdings.customer_id)',
  },
  {
    table: 'customer_redirect',
    visible:
      'EXISTS (SELECT 1 FROM customer_directory d WHERE d.customer_id = customer_redirect.survivor_id)',
  },
  {
    table: 'account_holder',
    visible: `EXISTS (SELECT 1 FROM party_customer pc
                       WHERE pc.source_system = account_holder.source_system
                         AND pc.source_key = account_holder.party_source_key)`,
  },
  {
    table: 'account',
    visible: `EXISTS (SELECT 1 FROM account_holder h
                       WHERE h.account_id = account.id AND h.valid_to IS NULL)`,
  },
  { table: 'pending_balance', visible: 'false' },
  { table: 'source_party', visible: 'false' },
];

/**
 * Puts account-bridge's account tables under the relationship-manager data scope in PostgreSQL
 * itself (FORCE ROW LEVEL SECURITY: the owning service role is subject to it too), the way
 * `CustomerDirectoryRls1764300009100` does for the customer directory: a transaction sees and
 * writes a row only with the bypass on (staff scope "all", system work) or when the row belongs
 * to a customer of the relationship manager whose id is the transaction's user id. Nothing set
 * sees nothing. See @bank-crm/auth's data-scope and docs/security.md.
 */
export class AccountsRls1764500000000 implements MigrationInterface {
  name = 'AccountsRls1764500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, visible } of POLICIES) {
      const expr = `(${BYPASS} OR ${visible})`;
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
  }
}
