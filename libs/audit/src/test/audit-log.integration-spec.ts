import { randomBytes } from 'node:crypto';

import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import { DataSource } from 'typeorm';

import { verifyAuditChain } from '../audit-chain';
import { AuditLog1764300009000 } from '../audit-log.migration';
import { AuditService } from '../audit.service';

const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * The audit log on the real PostgreSQL, without a service around it: concurrent writers still
 * make one linear, gapless chain; a rolled-back change leaves no row; rows cannot be changed.
 */
describe('audit_log on PostgreSQL', () => {
  const url = `${PG}/test_audit_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  let ds: DataSource;
  const audit = new AuditService('audit-test');

  beforeAll(async () => {
    await ensureDatabase(url);
    ds = new DataSource({
      type: 'postgres',
      url,
      migrations: [AuditLog1764300009000],
      migrationsTableName: 'schema_migrations',
      extra: { max: 12 },
    });
    await ds.initialize();
    await ds.runMigrations();
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(url);
  });

  it('chains 200 writes from 10 concurrent writers linearly, ids 1..200 without gaps', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 20; i += 1) {
            await ds.transaction((m) =>
              audit.record(m, {
                actor: { id: `writer-${w}`, roles: ['admin'] },
                action: 'thing.changed',
                entityType: 'thing',
                entityId: `${w}-${i}`,
                before: { n: i },
                after: { n: i + 1, phone: '13800138000' },
              }),
            );
          }
        })(),
      ),
    );
    const [{ n, max }] = (await ds.query(
      'SELECT count(*)::int AS n, max(id)::int AS max FROM audit_log',
    )) as { n: number; max: number }[];
    expect({ n, max }).toEqual({ n: 200, max: 200 });
    await expect(verifyAuditChain(ds)).resolves.toMatchObject({ ok: true, rows: 200 });
  });

  it('writes nothing when the change it records rolls back', async () => {
    await expect(
      ds.transaction(async (m) => {
        await audit.record(m, { actor: 'system', action: 'x', entityType: 't', entityId: '1' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [{ n }] = (await ds.query('SELECT count(*)::int AS n FROM audit_log')) as { n: number }[];
    expect(n).toBe(200);
    await expect(verifyAuditChain(ds)).resolves.toMatchObject({ ok: true, rows: 200 });
  });

  it('refuses to write outside a transaction', async () => {
    await expect(
      audit.record(ds.manager, { actor: 'system', action: 'x', entityType: 't', entityId: '1' }),
    ).rejects.toThrow(/transaction/);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, and a verify finds an edit made past the trigger', async () => {
    await expect(ds.query("UPDATE audit_log SET action = 'y' WHERE id = 5")).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(ds.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    await ds.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await ds.query("UPDATE audit_log SET actor_roles = '{auditor}' WHERE id = 123");
    await ds.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await expect(verifyAuditChain(ds)).resolves.toMatchObject({ ok: false, brokenAt: 123 });
  });
});
