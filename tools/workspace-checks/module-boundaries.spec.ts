import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/**
 * The architecture rules are only worth having if they really refuse what they forbid: put probe
 * files with forbidden imports into real projects, lint them once, and check each is reported.
 */
const ROOT = resolve(__dirname, '../..');

const PROBES = {
  appImportsApp: [
    'apps/sales/src/__boundary-probe-1__.ts',
    "import { customerMasterService } from '../../customer-master/src/service-definition';\nexport const x = customerMasterService;\n",
  ],
  contractsImportsFramework: [
    'libs/contracts/src/__boundary-probe-2__.ts',
    "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
  ],
  contractsImportsInfra: [
    'libs/contracts/src/__boundary-probe-3__.ts',
    "import { OutboxWriter } from '@bank-crm/messaging';\nexport const x = OutboxWriter;\n",
  ],
  libImportsApp: [
    'libs/messaging/src/__boundary-probe-4__.ts',
    "import { salesService } from '../../../apps/sales/src/service-definition';\nexport const x = salesService;\n",
  ],
  appImportsLibs: [
    'apps/sales/src/__boundary-probe-5__.ts',
    "import { CustomerCreatedV1 } from '@bank-crm/contracts';\nimport { OutboxWriter } from '@bank-crm/messaging';\nexport const x = [CustomerCreatedV1, OutboxWriter];\n",
  ],
  floatingPromise: [
    'apps/sales/src/__boundary-probe-6__.ts',
    'async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n',
  ],
} as const;

type Probe = keyof typeof PROBES;
const reported = new Map<Probe, string>();

beforeAll(() => {
  const files = Object.values(PROBES).map(([file]) => resolve(ROOT, file));
  try {
    for (const [file, code] of Object.values(PROBES)) writeFileSync(resolve(ROOT, file), code);
    // ESLint runs as its own process: its flat config is an ES module, which Jest's VM cannot import
    const eslint = spawnSync(
      process.execPath,
      [resolve(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', ...files],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const results = JSON.parse(eslint.stdout) as {
      filePath: string;
      messages: { ruleId: string | null; message: string }[];
    }[];
    for (const [probe, [file]] of Object.entries(PROBES) as [Probe, readonly [string, string]][]) {
      const result = results.find((r) => relative(ROOT, r.filePath) === file);
      reported.set(
        probe,
        (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`).join('\n'),
      );
    }
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
});

describe('module boundaries and lint rules', () => {
  it('forbid an app from importing another app', () => {
    expect(reported.get('appImportsApp')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('forbid the contracts lib from importing a framework', () => {
    expect(reported.get('contractsImportsFramework')).toMatch(
      /no-restricted-imports.*wire types only/,
    );
  });

  it('forbid the contracts lib from importing infrastructure libs', () => {
    expect(reported.get('contractsImportsInfra')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('forbid a shared lib from importing an app', () => {
    expect(reported.get('libImportsApp')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('allow an app to import the shared libs by package name', () => {
    expect(reported.get('appImportsLibs')).toBe('');
  });

  it('report a floating promise (type-aware rules are on)', () => {
    expect(reported.get('floatingPromise')).toMatch(/no-floating-promises/);
  });
});
