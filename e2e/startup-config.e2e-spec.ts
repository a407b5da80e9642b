import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * A platform team's first contact with a service is often a wrong setting: each service must
 * refuse to start with one clear JSON line naming the problem, never a stack trace.
 */
const ROOT = resolve(__dirname, '..');
const SERVICES = ['customer-master', 'account-bridge', 'marketing', 'sales', 'service'];

function start(service: string, env: Record<string, string>) {
  const result = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', resolve(ROOT, `apps/${service}/src/main.ts`)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.base.json'),
        ...env,
      },
    },
  );
  return {
    status: result.status,
    lines: result.stderr.trim().split('\n').filter(Boolean),
    stdout: result.stdout,
  };
}

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bank_crm_config_probe',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_PUBLIC_KEY_FILE: '/nonexistent/public.pem',
};

describe.each(SERVICES)('%s with a bad configuration', (service) => {
  it.each([
    ['a missing database URL', { DATABASE_URL: '' }, /DATABASE_URL is required/],
    ['a non-numeric port', { PORT: 'eighty' }, /PORT must be integer/],
    ['a missing broker list', { KAFKA_BROKERS: '' }, /KAFKA_BROKERS is required/],
  ])('exits 1 with one clear line for %s', (_label, override, message) => {
    const env = Object.fromEntries(
      Object.entries({ ...valid, ...override }).filter(([, v]) => v !== ''),
    ) as Record<string, string>;
    const { status, lines } = start(service, env);
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as { level: string; service: string; message: string };
    expect(line).toMatchObject({ level: 'fatal', service });
    expect(line.message).toMatch(message);
    expect(lines[0]).not.toMatch(/\n\s+at |\.ts:\d+:\d+/);
  });
});
