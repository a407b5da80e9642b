import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerDirectory1764300000100 implements MigrationInterface {
  name = 'CustomerDirectory1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_directory (
        customer_id uuid PRIMARY KEY,
        party_type varchar(16) NOT NULL,
        category varchar(64) NOT NULL,
        status varchar(16) NOT NULL,
        display_name varchar(512) NOT NULL,
        relationship_manager_id varchar(128) NULL,
        as_of timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX customer_directory_rm ON customer_directory (relationship_manager_id) WHERE relationship_manager_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_directory');
  }
}
