import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unified customer view (360): a projection kept only from events, one table per part, each
 * row with the time of the newest event applied (as_of). Applying events is order-independent
 * (per-field versions, snapshot sequences, tombstones), because Kafka orders events per topic and
 * key only; truncating these tables and replaying the topics rebuilds the same view.
 */
export const CUSTOMER_VIEW_TABLES = [
  'view_customer_profile',
  'view_customer_redirect',
  'view_customer_holdings',
  'view_customer_status_change',
  'view_customer_relation',
  'view_group_membership',
] as const;

export class CustomerView1764300003000 implements MigrationInterface {
  name = 'CustomerView1764300003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE view_customer_profile (
        customer_id uuid PRIMARY KEY,
        data jsonb NOT NULL,
        field_versions jsonb NOT NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE view_customer_redirect (
        absorbed_id uuid NOT NULL,
        merge_id uuid NOT NULL,
        survivor_id uuid NOT NULL,
        unmerged boolean NOT NULL DEFAULT false,
        PRIMARY KEY (absorbed_id, merge_id)
      )`);
    await q.query(
      'CREATE INDEX view_customer_redirect_survivor ON view_customer_redirect (survivor_id) WHERE NOT unmerged',
    );
    await q.query(`
      CREATE TABLE view_customer_holdings (
        customer_id uuid PRIMARY KEY,
        sequence bigint NOT NULL,
        data jsonb NOT NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE view_customer_status_change (
        event_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        data jsonb NOT NULL,
        changed_at timestamptz NOT NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX view_customer_status_change_customer ON view_customer_status_change (customer_id)',
    );
    await q.query(`
      CREATE TABLE view_customer_relation (
        relation_id uuid PRIMARY KEY,
        from_customer_id uuid NOT NULL,
        to_customer_id uuid NOT NULL,
        added jsonb NULL,
        ended_valid_to date NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX view_customer_relation_from ON view_customer_relation (from_customer_id)',
    );
    await q.query(
      'CREATE INDEX view_customer_relation_to ON view_customer_relation (to_customer_id)',
    );
    await q.query(`
      CREATE TABLE view_group_membership (
        membership_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        group_id uuid NOT NULL,
        added jsonb NULL,
        ended_valid_to date NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX view_group_membership_customer ON view_group_membership (customer_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...CUSTOMER_VIEW_TABLES].reverse()) await q.query(`DROP TABLE ${t}`);
  }
}
