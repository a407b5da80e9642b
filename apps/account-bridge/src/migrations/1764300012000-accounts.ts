import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, customer-account links, the customer cross-reference kept from customer-master,
 * per-customer holdings state, and bulk import jobs.
 */
export class Accounts1764300012000 implements MigrationInterface {
  name = 'Accounts1764300012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY,
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        account_number varchar(64) NOT NULL,
        account_number_masked varchar(64) NOT NULL,
        product_type varchar(32) NOT NULL,
        product_code varchar(64),
        currency char(3) NOT NULL,
        balance numeric(20,4) NOT NULL,
        available_balance numeric(20,4),
        balance_as_of timestamptz NOT NULL,
        published_balance numeric(20,4) NOT NULL,
        status varchar(16) NOT NULL,
        opened_on date NOT NULL,
        closed_on date,
        branch varchar(64),
        last_activity_on date,
        content_hash char(64) NOT NULL,
        observed_at timestamptz NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_source_uq UNIQUE (source_system, source_key)
      )`);
    await q.query(`
      CREATE TABLE account_holder (
        account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
        party_source_key varchar(128) NOT NULL,
        role varchar(32) NOT NULL,
        source_system varchar(64) NOT NULL,
        valid_from date,
        valid_to timestamptz,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, party_source_key, role)
      )`);
    await q.query(
      'CREATE INDEX account_holder_party_idx ON account_holder (source_system, party_source_key)',
    );
    await q.query(`
      CREATE TABLE party_customer (
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        customer_id uuid NOT NULL,
        linked_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, source_key)
      )`);
    await q.query('CREATE INDEX party_customer_customer_idx ON party_customer (customer_id)');
    await q.query(`
      CREATE TABLE customer_redirect (
        absorbed_id uuid PRIMARY KEY,
        survivor_id uuid NOT NULL,
        merge_id uuid NOT NULL,
        merged_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE customer_holdings (
        customer_id uuid PRIMARY KEY,
        sequence integer NOT NULL,
        snapshot_hash char(64) NOT NULL,
        ever_had_account boolean NOT NULL,
        open_account_count integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE pending_balance (
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        update jsonb NOT NULL,
        balance_as_of timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, source_key)
      )`);
    await q.query(`
      CREATE TABLE import_job (
        id uuid PRIMARY KEY,
        system varchar(64) NOT NULL,
        status varchar(16) NOT NULL,
        started_by varchar(128) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE import_file (
        job_id uuid NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL,
        format varchar(8) NOT NULL,
        name varchar(512) NOT NULL,
        status varchar(16) NOT NULL,
        committed_row bigint NOT NULL DEFAULT 0,
        rows_read bigint NOT NULL DEFAULT 0,
        recorded bigint NOT NULL DEFAULT 0,
        unchanged bigint NOT NULL DEFAULT 0,
        older_ignored bigint NOT NULL DEFAULT 0,
        rejected bigint NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        PRIMARY KEY (job_id, kind)
      )`);
    await q.query(`
      CREATE TABLE import_rejection (
        job_id uuid NOT NULL,
        kind varchar(16) NOT NULL,
        row_number bigint NOT NULL,
        reason text NOT NULL,
        raw text NOT NULL,
        PRIMARY KEY (job_id, kind, row_number),
        FOREIGN KEY (job_id, kind) REFERENCES import_file (job_id, kind) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'import_rejection',
      'import_file',
      'import_job',
      'pending_balance',
      'customer_holdings',
      'customer_redirect',
      'party_customer',
      'account_holder',
      'account',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
