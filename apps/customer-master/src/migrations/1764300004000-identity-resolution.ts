import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity resolution in the service: each source record's customer and decision, the blocking
 * index (64-bit hashes of the blocking keys, so no identifier is stored twice in clear), the
 * data-steward review queue, the pairs stewards declared different, the history of every link
 * change (who, why), and the golden record's lineage.
 */
export class IdentityResolution1764300004000 implements MigrationInterface {
  name = 'IdentityResolution1764300004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE source_record
        ADD COLUMN customer_id uuid NULL REFERENCES customer (id),
        ADD COLUMN resolution_status varchar(16) NOT NULL DEFAULT 'pending'
          CHECK (resolution_status IN ('pending', 'resolved', 'rejected')),
        ADD COLUMN reject_reason varchar(200) NULL,
        ADD COLUMN decision jsonb NULL,
        ADD COLUMN resolved_at timestamptz NULL`);
    await q.query('CREATE INDEX source_record_customer ON source_record (customer_id)');
    await q.query(`
      CREATE TABLE resolution_block (
        block_hash bigint NOT NULL,
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        PRIMARY KEY (block_hash, source_system, source_key),
        FOREIGN KEY (source_system, source_key) REFERENCES source_record (source_system, source_key)
      )`);
    await q.query(
      'CREATE INDEX resolution_block_record ON resolution_block (source_system, source_key)',
    );
    await q.query(`
      CREATE TABLE review_item (
        id uuid PRIMARY KEY,
        kind varchar(32) NOT NULL CHECK (kind IN ('possible-match', 'record-changed')),
        status varchar(16) NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'linked', 'rejected', 'superseded')),
        record_system varchar(64) NOT NULL,
        record_key varchar(128) NOT NULL,
        candidate_system varchar(64) NOT NULL,
        candidate_key varchar(128) NOT NULL,
        pair_key text NOT NULL,
        score numeric(10, 2) NOT NULL,
        explanation jsonb NOT NULL,
        blocked_by varchar(200) NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz NULL,
        decided_by varchar(128) NULL,
        decision_note varchar(500) NULL,
        FOREIGN KEY (record_system, record_key) REFERENCES source_record (source_system, source_key),
        FOREIGN KEY (candidate_system, candidate_key) REFERENCES source_record (source_system, source_key)
      )`);
    await q.query(
      "CREATE UNIQUE INDEX review_item_open_pair ON review_item (pair_key) WHERE status = 'open'",
    );
    await q.query('CREATE INDEX review_item_status ON review_item (status, opened_at, id)');
    await q.query('CREATE INDEX review_item_record ON review_item (record_system, record_key)');
    await q.query(
      'CREATE INDEX review_item_candidate ON review_item (candidate_system, candidate_key)',
    );
    await q.query(`
      CREATE TABLE non_match (
        ref_a text NOT NULL,
        ref_b text NOT NULL,
        review_item_id uuid NULL REFERENCES review_item (id),
        cause varchar(500) NOT NULL,
        decided_by varchar(128) NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ref_a, ref_b),
        CHECK (ref_a < ref_b)
      )`);
    await q.query('CREATE INDEX non_match_b ON non_match (ref_b)');
    await q.query(`
      CREATE TABLE source_record_link_history (
        id bigserial PRIMARY KEY,
        source_system varchar(64) NOT NULL,
        source_key varchar(128) NOT NULL,
        customer_id uuid NOT NULL,
        previous_customer_id uuid NULL,
        cause varchar(32) NOT NULL
          CHECK (cause IN ('resolution', 'merge', 'unmerge', 'split', 'review')),
        note varchar(500) NULL,
        actor_user_id varchar(128) NULL,
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE INDEX source_record_link_history_record ON source_record_link_history (source_system, source_key, id)',
    );
    await q.query("ALTER TABLE customer ADD COLUMN lineage jsonb NOT NULL DEFAULT '{}'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE customer DROP COLUMN lineage');
    await q.query('DROP TABLE source_record_link_history');
    await q.query('DROP TABLE non_match');
    await q.query('DROP TABLE review_item');
    await q.query('DROP TABLE resolution_block');
    await q.query(`
      ALTER TABLE source_record
        DROP COLUMN resolved_at, DROP COLUMN decision, DROP COLUMN reject_reason,
        DROP COLUMN resolution_status, DROP COLUMN customer_id`);
  }
}
