import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomersAndSourceRecords1764300001000 implements MigrationInterface {
  name = 'CustomersAndSourceRecords1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY,
        party_type varchar(16) NOT NULL CHECK (party_type IN ('individual', 'organization')),
        category varchar(64) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('potential', 'active', 'dormant', 'lost')),
        display_name varchar(512) NOT NULL,
        name_latin varchar(512) NULL,
        relationship_manager_id varchar(128) NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customer_identifier (
        id_type varchar(32) NOT NULL,
        number varchar(64) NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        PRIMARY KEY (id_type, number)
      )`);
    await q.query('CREATE INDEX customer_identifier_customer ON customer_identifier (customer_id)');
    await q.query(`
      CREATE TABLE source_record (
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        party_type varchar(16) NOT NULL,
        record jsonb NOT NULL,
        observed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        last_event_id uuid NOT NULL,
        PRIMARY KEY (source_system, source_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE source_record');
    await q.query('DROP TABLE customer_identifier');
    await q.query('DROP TABLE customer');
  }
}
