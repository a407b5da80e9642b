import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index for "the customer's latest status change" (max(id) per customer), which the lifecycle
 * reads for every holdings snapshot it applies. With only (customer_id, changed_at) to use, the
 * planner answered max(id) by walking the primary key backwards from the newest row of all
 * customers until it met one of this customer's: 72 ms per snapshot at 90,000 history rows in the
 * 1M end-to-end import, growing with the table.
 */
export class StatusHistoryLatest1764300006000 implements MigrationInterface {
  name = 'StatusHistoryLatest1764300006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE INDEX customer_status_history_latest ON customer_status_history (customer_id, id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX customer_status_history_latest');
  }
}
