import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit_log of a service. A trigger refuses UPDATE, DELETE and
 * TRUNCATE for every role (the service's own included: here services connect as the role that
 * owns the table), and the table's UPDATE/DELETE/TRUNCATE privileges are revoked from PUBLIC and
 * from the owning role. In production the service's runtime role should not own the table at all
 * (a migration role should), so that it cannot drop or disable the trigger; see docs/security.md.
 */
export class AuditLog1764300009000 implements MigrationInterface {
  name = 'AuditLog1764300009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        service varchar(64) NOT NULL,
        actor_id varchar(256) NOT NULL,
        actor_roles text[] NOT NULL,
        action varchar(128) NOT NULL,
        entity_type varchar(128) NOT NULL,
        entity_id varchar(512) NOT NULL,
        before jsonb NULL,
        after jsonb NULL,
        correlation_id varchar(256) NULL,
        token_id varchar(256) NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL UNIQUE,
        CHECK (id > 0)
      )`);
    await q.query('CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id)');
    await q.query('CREATE INDEX audit_log_actor ON audit_log (actor_id, id)');
    await q.query('CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at)');
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = '42501';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC');
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP FUNCTION audit_log_append_only()');
  }
}
