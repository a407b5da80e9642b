import { dropRlsPolicyStatements, rlsPolicyStatements } from '@bank-crm/auth';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Puts the customer directory under the relationship-manager data scope in PostgreSQL itself
 * (FORCE ROW LEVEL SECURITY, so the owning service role is subject to it too): a transaction
 * sees a row only with the bypass on (staff scope "all", system work) or when the row's
 * relationship_manager_id is its user id. See @bank-crm/auth's data-scope.
 */
export class CustomerDirectoryRls1764300009100 implements MigrationInterface {
  name = 'CustomerDirectoryRls1764300009100';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of rlsPolicyStatements('customer_directory')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropRlsPolicyStatements('customer_directory')) await q.query(sql);
  }
}
