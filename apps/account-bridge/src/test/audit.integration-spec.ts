import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { verifyAuditChain } from '@bank-crm/audit';
import { bearer, closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';
import { Client } from 'pg';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { accountBridgeService } from '../service-definition';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
const CANARY_ID = '11010519491231002X';

/**
 * The audit trail of account-bridge on the real database, with the service connected as a
 * non-superuser role that owns its tables (as in production): every change writes exactly one
 * hash-chained row in its own transaction, the service cannot change or remove rows, and any
 * tampering is found by verifyAuditChain and by `npm run audit:verify` at the tampered row.
 */
describe('account-bridge audit trail', () => {
  let svc: RunningService<AccountBridgeConfig>;
  let admin: Client;
  const N = 30;

  const ingest = async (key: string, extra: Record<string, unknown> = {}) => {
    const res = await fetch(`${svc.url}/source-party-records`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': `corr-${key}`,
        ...(await bearer('data-steward', 'steward-7')),
      },
      body: JSON.stringify({
        sourceSystem: 'core-banking',
        sourceKey: key,
        partyType: 'individual',
        name: '王芳',
        idType: 'CN_RESIDENT_ID',
        idNumber: CANARY_ID,
        phone: '+86 138 0013 8000',
        email: 'wang.fang@example.com',
        ...extra,
      }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as { outcome: string };
  };

  beforeAll(async () => {
    svc = await startTestService(accountBridgeService, {}, { restrictedRole: true });
    admin = new Client({ connectionString: svc.adminDatabaseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await svc?.close();
    await closeTestKafka();
  });

  it('N changes give exactly N audit rows; unchanged re-sends give none', async () => {
    const writes = N - 5;
    for (let i = 0; i < writes; i += 1) expect((await ingest(`AUD-${i}`)).outcome).toBe('recorded');
    for (let i = 0; i < 5; i += 1) expect((await ingest(`AUD-${i}`)).outcome).toBe('unchanged');
    for (let i = 0; i < 5; i += 1)
      expect((await ingest(`AUD-${i}`, { name: `王芳${i}` })).outcome).toBe('recorded');
    const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    expect(Number(rows[0].n)).toBe(N);
  });

  it('records who, what, when, before/after (PII masked) and the correlation id', async () => {
    const { rows } = await admin.query(
      "SELECT * FROM audit_log WHERE entity_id = 'core-banking:AUD-0' ORDER BY id",
    );
    expect(rows.map((r) => r.action)).toEqual(['source-party.created', 'source-party.updated']);
    const [created, updated] = rows;
    expect(created).toMatchObject({
      actor_id: 'steward-7',
      actor_roles: ['data-steward'],
      entity_type: 'source-party',
      correlation_id: 'corr-AUD-0',
      before: null,
    });
    expect(updated.before).toMatchObject({ name: '王芳' });
    expect(updated.after).toMatchObject({ name: '王芳0' });
    expect(JSON.stringify(rows)).not.toContain(CANARY_ID);
    expect(JSON.stringify(rows)).not.toContain('wang.fang@example.com');
    expect(updated.after.idNumber).toBe('**************002X');
  });

  it('verifies the untouched chain', async () => {
    expect(await verifyAuditChain(admin)).toMatchObject({ ok: true, rows: N, headId: N });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows on the service connection', async () => {
    for (const sql of [
      "UPDATE audit_log SET actor_id = 'someone-else' WHERE id = 1",
      'DELETE FROM audit_log WHERE id = 1',
      'TRUNCATE audit_log',
    ]) {
      await expect(svc.dataSource.query(sql)).rejects.toMatchObject({ code: '42501' });
    }
    // and as the superuser the trigger still refuses
    await expect(admin.query('DELETE FROM audit_log WHERE id = 2')).rejects.toThrow(/append-only/);
  });

  it('serves the trail to auditors only, filtered and paged (page size capped)', async () => {
    const asAuditor = await bearer('auditor', 'auditor-1');
    const res = await fetch(
      `${svc.url}/audit?entityType=source-party&entityId=core-banking:AUD-1&limit=10`,
      { headers: asAuditor },
    );
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: { action: string }[]; nextAfterId: null };
    expect(page.items.map((i) => i.action)).toEqual([
      'source-party.created',
      'source-party.updated',
    ]);
    const first = await fetch(`${svc.url}/audit?limit=7`, { headers: asAuditor });
    const p1 = (await first.json()) as { items: unknown[]; nextAfterId: number };
    expect(p1.items).toHaveLength(7);
    expect(p1.nextAfterId).toBe(7);
    expect((await fetch(`${svc.url}/audit?limit=201`, { headers: asAuditor })).status).toBe(400);
    for (const role of ['data-steward', 'relationship-manager', 'marketing'] as const)
      expect((await fetch(`${svc.url}/audit`, { headers: await bearer(role) })).status).toBe(403);
  });

  it('finds an edited row: verifyAuditChain and npm run audit:verify fail at that row', async () => {
    const cli = () =>
      run(
        'npm',
        ['run', '--silent', 'audit:verify', '--', '--database-url', svc.adminDatabaseUrl],
        {
          cwd: ROOT,
        },
      );
    const ok = await cli();
    expect(ok.stdout).toMatch(/OK/);

    await admin.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await admin.query(
      `UPDATE audit_log SET after = jsonb_set(after, '{name}', '"someone else"') WHERE id = 7`,
    );
    await admin.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    expect(await verifyAuditChain(admin)).toMatchObject({ ok: false, brokenAt: 7 });
    const failed = await cli().then(
      () => {
        throw new Error('audit:verify exited 0 on a tampered chain');
      },
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed.code).toBe(1);
    expect(`${failed.stdout}${failed.stderr}`).toMatch(/row 7/);
  });

  it('finds a deleted row at the row after it', async () => {
    await admin.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await admin.query('DELETE FROM audit_log WHERE id IN (7, 12)');
    await admin.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    expect(await verifyAuditChain(admin)).toMatchObject({ ok: false, brokenAt: 8 });
  });
});
