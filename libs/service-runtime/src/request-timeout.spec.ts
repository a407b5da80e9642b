import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { applyRequestTimeout } from './bootstrap';
import { baseConfigSchema, loadConfig } from './config';

const env = {
  DATABASE_URL: 'postgres://u@h:5432/db',
  KAFKA_BROKERS: 'k:9092',
  JWT_PUBLIC_KEY: 'pem',
};

/** Sends `chunks` one every `gapMs` as the body of a POST; resolves with the status. */
async function slowUpload(server: Server, chunks: number, gapMs: number): Promise<number> {
  const { port } = server.address() as AddressInfo;
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/imports' });
  const answered = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  for (let i = 0; i < chunks; i += 1) {
    if (req.destroyed) break;
    req.write(`row ${i}\n`);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  if (!req.destroyed) req.end();
  return answered;
}

describe('HTTP_REQUEST_TIMEOUT_MS', () => {
  let server: Server;

  beforeEach(async () => {
    // the server checks for expired requests every 100 ms here (Node's default is 30 s)
    server = createServer({ connectionsCheckingInterval: 100 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('imported'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('defaults to no limit in account-bridge (imports stream for as long as the file takes) and 300 s elsewhere', () => {
    expect(loadConfig(baseConfigSchema('account-bridge', 3002), env).HTTP_REQUEST_TIMEOUT_MS).toBe(
      0,
    );
    expect(loadConfig(baseConfigSchema('customer-master', 3001), env).HTTP_REQUEST_TIMEOUT_MS).toBe(
      300_000,
    );
  });

  it('cuts off a body slower than the limit with 408, and lets it finish when the limit is 0', async () => {
    applyRequestTimeout(server, 500);
    expect(server.headersTimeout).toBeLessThanOrEqual(500);
    expect(await slowUpload(server, 12, 100)).toBe(408);

    applyRequestTimeout(server, 0);
    expect(server.requestTimeout).toBe(0);
    expect(await slowUpload(server, 12, 100)).toBe(200);
  });
});
