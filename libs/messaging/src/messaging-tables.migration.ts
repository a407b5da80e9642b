import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables. Every service lists this migration in its own migrations, so the
 * tables live in each service's database.
 */
export class MessagingTables1764300000000 implements MigrationInterface {
  name = 'MessagingTables1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        aggregatetype varchar(128) NOT NULL,
        aggregateid varchar(256) NOT NULL,
        type varchar(256) NOT NULL,
        topic varchar(249) NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
    await q.query(
      `CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
    // wake the relay at commit time instead of waiting for its next poll
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('outbox', ''); RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    await q.query(`
      CREATE TABLE inbox (
        consumer_group varchar(256) NOT NULL,
        event_id uuid NOT NULL,
        topic varchar(249) NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await q.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
    await q.query(`
      CREATE TABLE inbox_subject_version (
        consumer_group varchar(256) NOT NULL,
        subject varchar(256) NOT NULL,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, subject)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inbox_subject_version');
    await q.query('DROP TABLE inbox');
    await q.query('DROP TABLE outbox');
    await q.query('DROP FUNCTION outbox_notify');
  }
}
