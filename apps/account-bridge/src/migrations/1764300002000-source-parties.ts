import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SourceParties1764300002000 implements MigrationInterface {
  name = 'SourceParties1764300002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE source_party (
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        record jsonb NOT NULL,
        content_hash char(64) NOT NULL,
        observed_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (source_system, source_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE source_party');
  }
}
