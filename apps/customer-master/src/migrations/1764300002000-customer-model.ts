import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full customer model: profile fields, configurable categories and relation types, merge
 * redirects, relations and group memberships over time (exclusion constraints keep periods from
 * overlapping), lifecycle state and history, and partial-name search (pg_trgm).
 */
export class CustomerModel1764300002000 implements MigrationInterface {
  name = 'CustomerModel1764300002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');

    await q.query(`
      CREATE TABLE customer_category (
        code varchar(64) PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]*$'),
        label varchar(128) NOT NULL,
        party_type varchar(16) NULL CHECK (party_type IN ('individual', 'organization')),
        active boolean NOT NULL DEFAULT true,
        sort_order integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      INSERT INTO customer_category (code, label, party_type, sort_order) VALUES
        ('personal', 'Personal', 'individual', 10),
        ('private-banking', 'Private banking', 'individual', 20),
        ('small-business', 'Small business', NULL, 30),
        ('corporate', 'Corporate', 'organization', 40),
        ('institution', 'Institution', 'organization', 50)`);

    await q.query(`
      ALTER TABLE customer
        ADD COLUMN birth_date date NULL,
        ADD COLUMN gender varchar(1) NULL CHECK (gender IN ('M', 'F', 'U')),
        ADD COLUMN phones jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN emails jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN addresses jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN segment varchar(64) NULL,
        ADD COLUMN value_tier varchar(32) NULL,
        ADD COLUMN status_changed_at timestamptz NULL,
        ADD COLUMN merged_into uuid NULL REFERENCES customer (id),
        ADD COLUMN merged_at timestamptz NULL,
        ADD CONSTRAINT customer_category_fk FOREIGN KEY (category) REFERENCES customer_category (code),
        ADD CONSTRAINT customer_not_merged_into_itself CHECK (merged_into IS NULL OR merged_into <> id)`);
    await q.query(`
      ALTER TABLE customer ADD COLUMN search_name text GENERATED ALWAYS AS (
        lower(regexp_replace(display_name, '\\s+', '', 'g')) || '|' ||
        lower(regexp_replace(coalesce(name_latin, ''), '\\s+', '', 'g'))
      ) STORED`);
    await q.query(
      'CREATE INDEX customer_search_name_trgm ON customer USING gin (search_name gin_trgm_ops)',
    );
    await q.query('CREATE INDEX customer_status ON customer (status) WHERE merged_into IS NULL');
    await q.query('CREATE INDEX customer_rm ON customer (relationship_manager_id)');
    await q.query('CREATE INDEX customer_merged_into ON customer (merged_into)');
    await q.query('CREATE INDEX customer_phones ON customer USING gin (phones jsonb_path_ops)');
    await q.query('CREATE INDEX customer_created ON customer (created_at, id)');

    await q.query(`
      CREATE TABLE customer_merge (
        merge_id uuid NOT NULL,
        survivor_id uuid NOT NULL REFERENCES customer (id),
        absorbed_id uuid NOT NULL REFERENCES customer (id),
        cause varchar(500) NOT NULL,
        actor_user_id varchar(128) NULL,
        merged_at timestamptz NOT NULL DEFAULT now(),
        moved jsonb NOT NULL,
        unmerged_at timestamptz NULL,
        unmerge_cause varchar(500) NULL,
        PRIMARY KEY (merge_id, absorbed_id),
        CHECK (survivor_id <> absorbed_id)
      )`);
    await q.query(
      'CREATE UNIQUE INDEX customer_merge_active ON customer_merge (absorbed_id) WHERE unmerged_at IS NULL',
    );

    await q.query(`
      CREATE TABLE relation_type (
        code varchar(64) PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]*$'),
        label varchar(128) NOT NULL,
        label_zh varchar(64) NULL,
        reverse_code varchar(64) NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      INSERT INTO relation_type (code, label, label_zh, reverse_code) VALUES
        ('spouse', 'Spouse', '配偶', 'spouse'),
        ('parent', 'Parent', '父母', 'child'),
        ('child', 'Child', '子女', 'parent'),
        ('guarantor', 'Guarantor', '担保人', 'guaranteed'),
        ('guaranteed', 'Guaranteed party', '被担保人', 'guarantor'),
        ('shareholder', 'Shareholder', '股东', 'invested-in'),
        ('invested-in', 'Invested-in company', '被投资企业', 'shareholder'),
        ('legal-representative', 'Legal representative', '法定代表人', 'represented'),
        ('represented', 'Represented party', '被代表方', 'legal-representative'),
        ('subsidiary', 'Subsidiary', '子公司', 'parent-company'),
        ('parent-company', 'Parent company', '母公司', 'subsidiary')`);
    await q.query(`
      ALTER TABLE relation_type ADD CONSTRAINT relation_type_reverse_fk
        FOREIGN KEY (reverse_code) REFERENCES relation_type (code) DEFERRABLE INITIALLY DEFERRED`);

    // stored in the direction whose type code sorts first (parent/child is stored as child),
    // so the exclusion constraint sees "A parent of B" and "B child of A" as the same relation
    await q.query(`
      CREATE TABLE customer_relation (
        id uuid PRIMARY KEY,
        type_code varchar(64) NOT NULL REFERENCES relation_type (code),
        from_customer_id uuid NOT NULL REFERENCES customer (id),
        to_customer_id uuid NOT NULL REFERENCES customer (id),
        valid_from date NOT NULL,
        valid_to date NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz NULL,
        CONSTRAINT customer_relation_not_self CHECK (from_customer_id <> to_customer_id),
        CONSTRAINT customer_relation_period CHECK (valid_to IS NULL OR valid_to > valid_from),
        CONSTRAINT customer_relation_no_overlap EXCLUDE USING gist (
          type_code WITH =,
          (LEAST(from_customer_id, to_customer_id)) WITH =,
          (GREATEST(from_customer_id, to_customer_id)) WITH =,
          daterange(valid_from, valid_to, '[)') WITH &&
        )
      )`);
    await q.query('CREATE INDEX customer_relation_from ON customer_relation (from_customer_id)');
    await q.query('CREATE INDEX customer_relation_to ON customer_relation (to_customer_id)');

    await q.query(`
      CREATE TABLE customer_group (
        id uuid PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('entity', 'managed-list')),
        group_type varchar(64) NOT NULL,
        name varchar(256) NOT NULL,
        description varchar(2000) NULL,
        owner_user_id varchar(128) NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE group_membership (
        id uuid PRIMARY KEY,
        group_id uuid NOT NULL REFERENCES customer_group (id),
        customer_id uuid NOT NULL REFERENCES customer (id),
        role varchar(64) NOT NULL,
        valid_from date NOT NULL,
        valid_to date NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz NULL,
        CONSTRAINT group_membership_period CHECK (valid_to IS NULL OR valid_to > valid_from),
        CONSTRAINT group_membership_no_overlap EXCLUDE USING gist (
          group_id WITH =,
          customer_id WITH =,
          daterange(valid_from, valid_to, '[)') WITH &&
        )
      )`);
    await q.query('CREATE INDEX group_membership_customer ON group_membership (customer_id)');

    await q.query(`
      CREATE TABLE customer_account_state (
        customer_id uuid PRIMARY KEY,
        sequence bigint NOT NULL,
        open_account_count integer NOT NULL,
        ever_had_account boolean NOT NULL,
        last_activity_on date NULL,
        as_of timestamptz NOT NULL,
        last_event_id uuid NOT NULL
      )`);
    await q.query(`
      CREATE TABLE customer_status_history (
        id bigserial PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer (id),
        from_status varchar(16) NOT NULL,
        to_status varchar(16) NOT NULL,
        cause varchar(32) NOT NULL,
        trigger varchar(16) NOT NULL,
        changed_at timestamptz NOT NULL,
        actor_user_id varchar(128) NULL,
        reason varchar(500) NULL,
        source_event_id uuid NULL
      )`);
    await q.query(
      'CREATE INDEX customer_status_history_customer ON customer_status_history (customer_id, changed_at)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE customer_status_history');
    await q.query('DROP TABLE customer_account_state');
    await q.query('DROP TABLE group_membership');
    await q.query('DROP TABLE customer_group');
    await q.query('DROP TABLE customer_relation');
    await q.query('DROP TABLE relation_type');
    await q.query('DROP TABLE customer_merge');
    await q.query(`
      ALTER TABLE customer
        DROP COLUMN search_name, DROP CONSTRAINT customer_category_fk,
        DROP CONSTRAINT customer_not_merged_into_itself,
        DROP COLUMN birth_date, DROP COLUMN gender, DROP COLUMN phones, DROP COLUMN emails,
        DROP COLUMN addresses, DROP COLUMN segment, DROP COLUMN value_tier,
        DROP COLUMN status_changed_at, DROP COLUMN merged_into, DROP COLUMN merged_at`);
    await q.query('DROP TABLE customer_category');
  }
}
