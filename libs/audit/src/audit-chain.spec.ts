import {
  auditRowHash,
  canonicalJson,
  GENESIS_HASH,
  verifyAuditChain,
  type AuditRow,
  type AuditRowContent,
} from './audit-chain';
import { maskPiiFields } from './mask-pii';

function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let id = 1; id <= n; id += 1) {
    const content: AuditRowContent = {
      id,
      occurredAt: `2026-11-28T10:00:0${id % 10}.000Z`,
      service: 'sales',
      actorId: 'u-1',
      actorRoles: ['admin'],
      action: 'thing.changed',
      entityType: 'thing',
      entityId: `t-${id}`,
      before: id === 1 ? null : { n: id - 1 },
      after: { n: id, nested: { b: 2, a: 1 } },
      correlationId: 'c',
      tokenId: null,
    };
    const hash = auditRowHash(prev, content);
    rows.push({
      id: String(id),
      occurred_at: content.occurredAt,
      service: content.service,
      actor_id: content.actorId,
      actor_roles: content.actorRoles,
      action: content.action,
      entity_type: content.entityType,
      entity_id: content.entityId,
      before: content.before,
      after: content.after,
      correlation_id: content.correlationId,
      token_id: content.tokenId,
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  return rows;
}

/** A Queryable over rows in memory, answering the chain's paged SELECT. */
function db(rows: AuditRow[]) {
  return {
    query: (_sql: string, params?: unknown[]) => {
      const [from, limit] = params as [number, number];
      return Promise.resolve(rows.filter((r) => Number(r.id) >= from).slice(0, limit));
    },
  };
}

describe('audit hash chain', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":0,"z":1}]},"b":1}',
    );
  });

  it('verifies an intact chain, in pages', async () => {
    await expect(verifyAuditChain(db(chain(25)), 7)).resolves.toMatchObject({
      ok: true,
      rows: 25,
      headId: 25,
    });
    await expect(verifyAuditChain(db([]))).resolves.toMatchObject({ ok: true, rows: 0 });
  });

  it('finds an edited row, a forged hash, a deleted row and a reordering at the right row', async () => {
    const edited = chain(10);
    edited[4].after = { n: 999 };
    await expect(verifyAuditChain(db(edited))).resolves.toMatchObject({ ok: false, brokenAt: 5 });

    const rehashed = chain(10);
    rehashed[4].actor_id = 'someone-else';
    rehashed[4].hash = auditRowHash(rehashed[4].prev_hash, {
      ...rehashed[4],
      id: 5,
      occurredAt: rehashed[4].occurred_at,
      actorId: 'someone-else',
      actorRoles: rehashed[4].actor_roles,
      entityType: rehashed[4].entity_type,
      entityId: rehashed[4].entity_id,
      correlationId: rehashed[4].correlation_id,
      tokenId: null,
    });
    await expect(verifyAuditChain(db(rehashed))).resolves.toMatchObject({ ok: false, brokenAt: 6 });

    const deleted = chain(10).filter((r) => r.id !== '3');
    await expect(verifyAuditChain(db(deleted))).resolves.toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'row 3 is missing',
    });
  });

  it('masks identifiers, phones, e-mails and account numbers in before/after', () => {
    expect(
      maskPiiFields({
        name: '王芳',
        idNumber: '11010519491231002X',
        phones: ['13800138000'],
        email: 'wang.fang@example.com',
        identifiers: [{ type: 'CN_RESIDENT_ID', number: '11010519491231002X' }],
        account: { accountNumber: '6222020200112233445' },
      }),
    ).toEqual({
      name: '王芳',
      idNumber: '**************002X',
      phones: ['*******8000'],
      email: 'w***@example.com',
      identifiers: [{ type: 'CN_RESIDENT_ID', number: '**************002X' }],
      account: { accountNumber: '***************3445' },
    });
  });
});
