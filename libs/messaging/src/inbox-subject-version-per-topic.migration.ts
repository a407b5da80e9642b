import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stale-event detection per topic: one aggregate's events travel on several topics (created,
 * updated, status-changed, ...), and Kafka orders them only within a topic, so a version seen on
 * one topic says nothing about an event still on its way on another.
 */
export class InboxSubjectVersionPerTopic1764400000000 implements MigrationInterface {
  name = 'InboxSubjectVersionPerTopic1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE inbox_subject_version ADD COLUMN topic varchar(249) NOT NULL DEFAULT ''`,
    );
    await q.query('ALTER TABLE inbox_subject_version DROP CONSTRAINT inbox_subject_version_pkey');
    await q.query(
      'ALTER TABLE inbox_subject_version ADD PRIMARY KEY (consumer_group, topic, subject)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE inbox_subject_version DROP CONSTRAINT inbox_subject_version_pkey');
    await q.query(`DELETE FROM inbox_subject_version WHERE topic <> ''`);
    await q.query('ALTER TABLE inbox_subject_version ADD PRIMARY KEY (consumer_group, subject)');
    await q.query('ALTER TABLE inbox_subject_version DROP COLUMN topic');
  }
}
