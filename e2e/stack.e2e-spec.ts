import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

import { closeTestKafka, devKeysDir, readTopic, signDevToken } from '@bank-crm/testing';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const PORT_BASE = 4000;
const env = {
  ...process.env,
  STACK_NAME: 'e2e',
  STACK_PORT_BASE: String(PORT_BASE),
  // the demo bank takes a while and is not what these tests check
  STACK_DEMO: '0',
  LOG_LEVEL: 'warn',
  // fresh consumer groups that start now: the stack under test handles this run's events, not
  // every event earlier test tiers left on the broker
  STACK_GROUP_SUFFIX: `run${Date.now()}`,
  STACK_KAFKA_NEW_GROUP_START_AT: new Date().toISOString(),
};
const url = (port: number, path: string) => `http://127.0.0.1:${PORT_BASE + port}${path}`;

function stack(command: 'start' | 'stop' | 'status') {
  return run('bash', ['scripts/stack.sh', command], {
    cwd: ROOT,
    env,
    maxBuffer: 32 * 1024 * 1024,
  });
}

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe('the stack as a user runs it (npm run stack)', () => {
  let firstStatus = '';
  let auth: Record<string, string> = {};

  beforeAll(async () => {
    const { stdout } = await stack('start');
    expect(stdout).toContain('bank-crm is running');
    firstStatus = (await stack('status')).stdout;
    // the same development key pair `npm run token` signs with
    const token = await signDevToken(devKeysDir(ROOT), { roles: ['admin'], user: 'e2e-admin' });
    auth = { authorization: `Bearer ${token}` };
  });

  it('refuses calls without a token', async () => {
    expect((await fetch(url(1, '/customers'))).status).toBe(401);
  });

  afterAll(async () => {
    await stack('stop');
  });

  it('has all five services ready', async () => {
    for (const port of [1, 2, 3, 4, 5]) {
      const res = await fetch(url(port, '/health/ready'));
      expect({ port, status: res.status }).toEqual({ port, status: 200 });
    }
    expect(firstStatus.match(/ready=yes/g)).toHaveLength(5);
  });

  it('is safe to start twice: no second copy of any service', async () => {
    await stack('start');
    expect((await stack('status')).stdout).toBe(firstStatus);
  });

  it('carries a customer created in customer-master to every downstream service', async () => {
    const created = await json(
      await fetch(url(1, '/customers'), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          partyType: 'individual',
          category: 'personal',
          displayName: '陈静',
        }),
      }),
    );
    expect(created).toMatchObject({ status: 'potential' });
    for (const port of [2, 3, 4, 5]) {
      const entry = await eventually(
        async () => {
          const res = await fetch(url(port, `/customer-directory/${String(created.id)}`), {
            headers: auth,
          });
          return res.status === 200 ? json(res) : undefined;
        },
        `the directory of the service on port ${PORT_BASE + port}`,
      );
      expect(entry.displayName).toBe('陈静');
    }
  });

  it('hands a business system record from account-bridge to customer-master', async () => {
    const sourceKey = `E2E-${Date.now()}`;
    const res = await fetch(url(2, '/source-party-records'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        sourceSystem: 'cards',
        sourceKey,
        partyType: 'individual',
        name: '陈静',
        phone: '+86 139 1234 5678',
      }),
    });
    expect(res.status).toBe(202);
    const record = await eventually(async () => {
      const r = await fetch(url(1, `/source-records/cards/${sourceKey}`), { headers: auth });
      return r.status === 200 ? json(r) : undefined;
    }, 'the source record in customer-master');
    expect((record.record as Record<string, string>).phone).toBe('*************5678');
  });

  it('PII canary: a record with unique identifiers crosses the stack; no service logs them, no customer event carries them', async () => {
    const since = Date.now();
    const digits = (n: number) =>
      Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
    const canary = {
      idNumber: `110105${digits(11)}X`,
      phone: `139${digits(8)}`,
      email: `canary.${digits(8)}@example.com`,
    };
    const sourceKey = `CANARY-${Date.now()}`;
    const res = await fetch(url(2, '/source-party-records'), {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        sourceSystem: 'cards',
        sourceKey,
        partyType: 'individual',
        name: '金丝雀',
        idType: 'CN_RESIDENT_ID',
        ...canary,
      }),
    });
    expect(res.status).toBe(202);
    // customer-master resolves it into a customer; sales learns of the customer from its event
    const resolution = await eventually(async () => {
      const r = await fetch(url(1, `/source-records/cards/${sourceKey}/resolution`), {
        headers: auth,
      });
      const body = r.status === 200 ? await json(r) : undefined;
      return body?.customerId ? body : undefined;
    }, 'the resolution of the canary record');
    const customerId = String(resolution.customerId);
    await eventually(async () => {
      const r = await fetch(url(4, `/customer-directory/${customerId}`), { headers: auth });
      return r.status === 200 ? true : undefined;
    }, 'the canary customer in the sales directory');

    const needles = [canary.idNumber, canary.phone, canary.email];
    const logDir = resolve(ROOT, '.local/stack-e2e/logs');
    const logs = readdirSync(logDir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThanOrEqual(5);
    for (const file of logs) {
      const text = readFileSync(resolve(logDir, file), 'utf8');
      expect({ file, hits: needles.filter((n) => text.includes(n)) }).toEqual({ file, hits: [] });
    }
    for (const topic of [
      'customer-master.customer.created.v1',
      'customer-master.customer.updated.v1',
      'customer-master.source-record.linked.v1',
    ]) {
      const messages = await readTopic(
        topic,
        (ms) => ms.some((m) => m.value?.includes(customerId)),
        30_000,
        { since },
      );
      const text = messages.map((m) => `${m.key} ${m.value}`).join('\n');
      expect(text).toContain(customerId);
      expect({ topic, hits: needles.filter((n) => text.includes(n)) }).toEqual({ topic, hits: [] });
    }
    await closeTestKafka();
  });

  it('stops everything it started', async () => {
    await stack('stop');
    for (const port of [1, 2, 3, 4, 5]) {
      await expect(fetch(url(port, '/health/live'))).rejects.toThrow();
    }
    expect((await stack('status')).stdout.match(/stopped/g)?.length).toBeGreaterThanOrEqual(5);
  });
});
