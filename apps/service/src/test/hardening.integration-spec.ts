import { bearer, closeTestKafka, startTestService, type RunningService } from '@bank-crm/testing';

import type { ServiceConfig } from '../config/service.config';
import { serviceService } from '../service-definition';

/**
 * The HTTP hardening every service gets from ServiceCoreModule and the bootstrap: security
 * headers, the CORS allowlist, body size limits, no internals in error bodies, rate limits on
 * expensive routes, and API docs only where configured.
 */
describe('service: HTTP hardening', () => {
  let svc: RunningService<ServiceConfig>;

  beforeAll(async () => {
    svc = await startTestService(serviceService, {
      CORS_ALLOWED_ORIGINS: 'https://crm.bank.example',
      RATE_LIMIT_EXPENSIVE_PER_MINUTE: '5',
      OPENAPI_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await fetch(`${svc.url}/health/live`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS for the allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${svc.url}/customer-directory`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://crm.bank.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://crm.bank.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses bodies over 1 MiB and malformed JSON without internals in the answer', async () => {
    const headers = { 'content-type': 'application/json', ...(await bearer('admin')) };
    const big = await fetch(`${svc.url}/customer-directory`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    const broken = await fetch(`${svc.url}/customer-directory`, {
      method: 'POST',
      headers,
      body: '{"a": ',
    });
    expect(broken.status).toBe(400);
    for (const body of [await big.text(), await broken.text()]) {
      expect(body).not.toMatch(/node_modules|at .+\(|stack/i);
    }
  });

  it('rate limits expensive routes per caller (429), and only those', async () => {
    const headers = await bearer('marketing', 'busy-user');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1)
      statuses.push((await fetch(`${svc.url}/customer-directory`, { headers })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // another caller has their own allowance; cheap routes are not limited
    const other = await bearer('marketing', 'other-user');
    expect((await fetch(`${svc.url}/customer-directory`, { headers: other })).status).toBe(200);
    for (let i = 0; i < 8; i += 1) expect((await fetch(`${svc.url}/health/live`)).status).toBe(200);
  });

  it('serves no API docs when OPENAPI_ENABLED=false', async () => {
    expect((await fetch(`${svc.url}/docs-json`)).status).toBe(404);
    expect((await fetch(`${svc.url}/docs`)).status).toBe(404);
  });
});
