import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

import { AccountOpenedV1 } from '@bank-crm/contracts';
import { closeTestKafka, startTestService, waitFor, type RunningService } from '@bank-crm/testing';

import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { accountBridgeService } from '../service-definition';
import { ACCOUNT_CSV_HEADER, accountCsvRow } from './account-fixtures';

const ROOT = path.resolve(__dirname, '../../../..');
const ROWS = 30_000;
const BAD_EVERY = 1_000;

function runCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('npm run import (the CLI) against the real PostgreSQL', () => {
  let svc: RunningService<AccountBridgeConfig>;
  let dir: string;

  beforeAll(async () => {
    svc = await startTestService(accountBridgeService);
    dir = await mkdtemp(path.join(tmpdir(), 'account-import-'));
  });

  afterAll(async () => {
    await svc?.close();
    await closeTestKafka();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function scalar(sql: string, params: unknown[] = []): Promise<number> {
    const [row]: { n: string }[] = await svc.dataSource.query(sql, params);
    return Number(row?.n ?? 0);
  }

  it('resumes an import killed (SIGKILL) mid-file after its last committed batch, without duplicating accounts, events or rejections', async () => {
    const file = path.join(dir, 'accounts.csv');
    const out = createWriteStream(file);
    out.write(`${ACCOUNT_CSV_HEADER}\n`);
    for (let i = 1; i <= ROWS; i += 1) {
      const row =
        i % BAD_EVERY === 0
          ? accountCsvRow({
              key: `A-${i}`,
              number: `62220${i}`.padEnd(16, '0'),
              currency: 'bad',
              holders: `P-${i}:primary-holder`,
            })
          : accountCsvRow({
              key: `A-${i}`,
              number: `62220${i}`.padEnd(16, '0'),
              holders: `P-${i}:primary-holder`,
            });
      if (!out.write(`${row}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const jobId = randomUUID();
    // unique: the service also consumes what other runs published on the shared inbound topics
    const system = `core-${randomUUID().slice(0, 8)}`;
    const first = runCli([
      '--system',
      system,
      '--accounts',
      file,
      '--database-url',
      svc.databaseUrl,
      '--job-id',
      jobId,
      '--batch-size',
      '500',
      '--quiet',
    ]);
    const firstStderr: string[] = [];
    first.stderr?.on('data', (d: Buffer) => firstStderr.push(d.toString()));
    // kill it hard once a few batches have committed, well before the end
    const committedAtKill = await waitFor(
      async () => {
        if (first.exitCode !== null)
          throw new Error(`the import ended before the kill: ${firstStderr.join('')}`);
        const n = await scalar(
          "SELECT committed_row AS n FROM import_file WHERE job_id = $1 AND kind = 'accounts'",
          [jobId],
        );
        return n >= 3_000 ? n : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 20, what: 'a few committed batches' },
    );
    first.kill('SIGKILL');
    await exitCode(first);
    const checkpoint = await scalar(
      "SELECT committed_row AS n FROM import_file WHERE job_id = $1 AND kind = 'accounts'",
      [jobId],
    );
    expect(checkpoint).toBeGreaterThanOrEqual(committedAtKill);
    expect(checkpoint).toBeLessThan(ROWS + 1);
    // the checkpoint commits with its batch: exactly the rows up to it are in
    const dataRowsDone = checkpoint - 1;
    const badDone = Math.floor(dataRowsDone / BAD_EVERY);
    expect(
      await scalar('SELECT count(*) AS n FROM account WHERE source_system = $1', [system]),
    ).toBe(dataRowsDone - badDone);

    const second = runCli([
      '--system',
      system,
      '--accounts',
      file,
      '--database-url',
      svc.databaseUrl,
      '--resume',
      jobId,
      '--quiet',
    ]);
    const stdout: string[] = [];
    second.stdout?.on('data', (d: Buffer) => stdout.push(d.toString()));
    const stderr: string[] = [];
    second.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    expect(await exitCode(second)).toBe(0);
    const report = JSON.parse(stdout.join('')) as {
      status: string;
      files: { rowsRead: number; recorded: number; rejected: number; unchanged: number }[];
    };
    const bad = ROWS / BAD_EVERY;
    expect(report.status).toBe('completed');
    expect(report.files[0]).toMatchObject({
      rowsRead: ROWS,
      recorded: ROWS - bad,
      rejected: bad,
      unchanged: 0,
    });
    expect(
      await scalar('SELECT count(*) AS n FROM account WHERE source_system = $1', [system]),
    ).toBe(ROWS - bad);
    expect(
      await scalar('SELECT count(DISTINCT source_key) AS n FROM account WHERE source_system = $1', [
        system,
      ]),
    ).toBe(ROWS - bad);
    expect(
      await scalar('SELECT count(*) AS n FROM account_holder WHERE source_system = $1', [system]),
    ).toBe(ROWS - bad);
    expect(
      await scalar('SELECT count(*) AS n FROM import_rejection WHERE job_id = $1', [jobId]),
    ).toBe(bad);
    // one account.opened per account in the outbox, none twice
    expect(
      await scalar(
        `SELECT count(*) AS n FROM outbox WHERE topic = $1
            AND aggregateid IN (SELECT id::text FROM account WHERE source_system = $2)`,
        [AccountOpenedV1.topic, system],
      ),
    ).toBe(ROWS - bad);
    expect(
      await scalar(
        `SELECT count(DISTINCT aggregateid) AS n FROM outbox WHERE topic = $1
            AND aggregateid IN (SELECT id::text FROM account WHERE source_system = $2)`,
        [AccountOpenedV1.topic, system],
      ),
    ).toBe(ROWS - bad);
  });
});
