import { randomUUID } from 'node:crypto';

import { ROLES } from '@bank-crm/auth';
import {
  attackCases,
  bearer,
  closeTestKafka,
  signTestToken,
  startTestService,
  type AttackCase,
  type RunningService,
} from '@bank-crm/testing';

import type { MarketingConfig } from '../config/marketing.config';
import { marketingService } from '../service-definition';

/**
 * The authentication of a real service (marketing, booted by the harness on the real database and
 * broker) under attack: every crafted credential answers 401 on every protected route, without
 * echoing the token, and valid tokens of each role get what the policy grants.
 */
describe('token attacks against marketing', () => {
  let svc: RunningService<MarketingConfig>;
  let cases: AttackCase[];
  const protectedPaths = () => [
    '/customer-directory',
    `/customer-directory/${randomUUID()}`,
    '/audit',
  ];

  beforeAll(async () => {
    svc = await startTestService(marketingService, { RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000' });
    cases = await attackCases('admin');
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  it('refuses every crafted credential with 401 on every protected route', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const accepted: string[] = [];
    let tried = 0;
    for (const c of cases) {
      for (const path of protectedPaths()) {
        const res = await fetch(`${svc.url}${path}${c.query ? `?${c.query}` : ''}`, {
          headers: c.authorization === undefined ? {} : { authorization: c.authorization },
        });
        const body = await res.text();
        tried += 1;
        if (res.status !== 401) accepted.push(`${c.name} ${path} -> ${res.status}`);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="bank-crm"/);
        // the error body never echoes the credential
        const token = c.authorization?.split(/\s+/)[1];
        if (token && token.length > 8) expect(body).not.toContain(token);
        expect(body).not.toMatch(/stack|at .*\.ts:\d+/);
      }
    }
    expect(accepted).toEqual([]);
    process.stdout.write(
      `token attacks: ${cases.length} crafted credentials x ${protectedPaths().length} routes = ${tried} requests, ${tried - accepted.length} refused with 401\n`,
    );
  });

  it('accepts valid tokens of every role, per the policy', async () => {
    for (const role of ROLES) {
      const headers = await bearer(role, `valid-${role}`);
      expect((await fetch(`${svc.url}/customer-directory`, { headers })).status).toBe(200);
      const audit = await fetch(`${svc.url}/audit`, { headers });
      expect(audit.status).toBe(role === 'auditor' || role === 'admin' ? 200 : 403);
    }
  });

  it('accepts a lowercase bearer scheme (RFC 7235: the scheme is case-insensitive)', async () => {
    const [, token] = (await bearer('marketing')).authorization.split(' ');
    const res = await fetch(`${svc.url}/customer-directory`, {
      headers: { authorization: `bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('accepts a token within the clock skew and refuses it beyond', async () => {
    const within = await signTestToken({ sub: 'u', roles: ['auditor'] }, { expiresInSeconds: -10 });
    const nbfWithin = await signTestToken(
      { sub: 'u', roles: ['auditor'] },
      { notBeforeSeconds: 10 },
    );
    for (const token of [within, nbfWithin]) {
      const res = await fetch(`${svc.url}/audit`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
  });

  it('keeps unknown roles out but lets the known ones of a mixed token through', async () => {
    const token = await signTestToken({ sub: 'u', roles: ['root', 'auditor'] });
    const res = await fetch(`${svc.url}/audit`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('answers a wrong role with 403, without WWW-Authenticate', async () => {
    const res = await fetch(`${svc.url}/audit`, { headers: await bearer('marketing') });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
  });

  it('keeps health, readiness and metrics public', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics'])
      expect((await fetch(`${svc.url}${path}`)).status).toBe(200);
  });
});
