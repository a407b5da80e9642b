/**
 * Account import benchmark: `npm run bench:import -- --rows 1000000 [--database-url <url>] [--keep]`
 *
 * Generates a core-banking party file and an account file of N accounts (every 10th with a joint
 * holder), then in the same run on the same machine measures
 *   1. the baseline: plain COPY of the account file into an all-text staging table, and
 *   2. the import end to end through the pipeline `npm run import` uses (parse, validate, hash,
 *      upsert accounts and holder links, write every event to the outbox, checkpoint per batch),
 * and prints rows/s and the peak RSS. Publishing from the outbox to Kafka is the service's relay,
 * not part of the figure. A fresh database is created and dropped unless --database-url is given.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export const ACCOUNT_HEADER =
  'sourceKey,accountNumber,productType,productCode,currency,balance,availableBalance,balanceAsOf,status,openedOn,closedOn,branch,lastActivityOn,holders,observedAt';
const PRODUCTS = ['savings', 'current', 'time-deposit', 'credit-card', 'loan', 'wealth'];

export async function writeLines(
  file: string,
  header: string,
  rows: number,
  line: (i: number) => string,
) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 1; i <= rows; i += 1) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function generate(dir: string, rows: number) {
  const parties = path.join(dir, 'parties.csv');
  const accounts = path.join(dir, 'accounts.csv');
  await writeLines(parties, 'sourceKey,partyType,name,idType,idNumber,birthDate,phone', rows, (i) =>
    [
      `CB-${i}`,
      'individual',
      `客户${i}`,
      'CN_RESIDENT_ID',
      `1101051980${String(i).padStart(8, '0')}`,
      '1980-01-01',
      `138${String(i).padStart(8, '0')}`,
    ].join(','),
  );
  await writeLines(accounts, ACCOUNT_HEADER, rows, (i) => {
    const product = PRODUCTS[i % PRODUCTS.length];
    const balance =
      product === 'loan' || product === 'credit-card'
        ? `-${i % 100000}.55`
        : `${(i * 37) % 1000000}.25`;
    const holders =
      i % 10 === 0 ? `CB-${i}:primary-holder;CB-${i - 1}:joint-holder` : `CB-${i}:primary-holder`;
    return [
      `ACC-${i}`,
      `6222${String(i).padStart(12, '0')}`,
      product,
      '',
      'CNY',
      balance,
      '',
      '2026-11-28T00:00:00Z',
      'open',
      '2020-01-15',
      '',
      'BJ-0101',
      '2026-11-27',
      holders,
      '2026-11-28T00:00:00Z',
    ].join(',');
  });
  return { parties, accounts };
}

/** Peak resident set (VmHWM) of a running process, sampled until it exits (Linux /proc). */
function watchPeakRss(pid: number): { stop: () => number } {
  let peakKb = 0;
  const sample = () =>
    readFile(`/proc/${pid}/status`, 'utf8')
      .then((status) => {
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      })
      .catch(() => undefined);
  const timer = setInterval(() => void sample(), 100);
  return {
    stop: () => {
      clearInterval(timer);
      return peakKb * 1024;
    },
  };
}

interface FileReport {
  kind: string;
  startedAt: string;
  finishedAt: string | null;
}

/** Runs `npm run import` (scripts/import.ts) as a child process, as an operator would. */
async function runImport(
  args: string[],
): Promise<{ report: { status: string; files: FileReport[] }; peakRss: number }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'scripts/import.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const rss = watchPeakRss(child.pid ?? 0);
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  const [code] = (await once(child, 'exit')) as [number | null];
  const peakRss = rss.stop();
  if (code !== 0) throw new Error(`the import exited with ${code}`);
  return {
    report: JSON.parse(Buffer.concat(out).toString('utf8')) as {
      status: string;
      files: FileReport[];
    },
    peakRss,
  };
}

/** Plain COPY of an account CSV file into an all-text staging table; returns the seconds. */
export async function copyBaseline(url: string, file: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_account_staging`);
    await client.query(
      `CREATE UNLOGGED TABLE bench_account_staging (${ACCOUNT_HEADER.split(',')
        .map((c) => `"${c}" text`)
        .join(', ')})`,
    );
    const started = process.hrtime.bigint();
    await pipeline(
      createReadStream(file),
      client.query(
        copyFrom('COPY bench_account_staging FROM STDIN WITH (FORMAT csv, HEADER true)'),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await client.query('DROP TABLE bench_account_staging');
    return seconds;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      'database-url': { type: 'string' },
      'batch-size': { type: 'string', default: '1000' },
      keep: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 10) throw new Error('--rows must be an integer >= 10');
  const own = !values['database-url'];
  const url =
    values['database-url'] ??
    `${process.env.PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432'}/bank_crm_bench_account_import_${Date.now()}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-account-import-'));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  try {
    log(`generating ${rows} parties and ${rows} accounts in ${dir}`);
    const files = await generate(dir, rows);
    const accountBytes = (await stat(files.accounts)).size;
    await ensureDatabase(url);

    log('baseline: COPY of the account file into a staging table');
    const copySeconds = await copyBaseline(url, files.accounts);

    log('import: parties then accounts through the import pipeline');
    const started = process.hrtime.bigint();
    const { report, peakRss: peak } = await runImport([
      '--system',
      'core-banking',
      '--parties',
      files.parties,
      '--accounts',
      files.accounts,
      '--database-url',
      url,
      '--batch-size',
      values['batch-size'] ?? '1000',
      '--progress-every',
      String(Math.max(10_000, Math.floor(rows / 10))),
      '--quiet',
    ]);
    const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const client = new Client({ connectionString: url });
    await client.connect();
    const [{ n: outboxRows }] = (await client.query('SELECT count(*)::int AS n FROM outbox'))
      .rows as { n: number }[];
    await client.end();

    const fileSeconds = (kind: string) => {
      const f = report.files.find((x) => x.kind === kind);
      if (!f?.finishedAt) throw new Error(`no finished ${kind} file in the report`);
      return (Date.parse(f.finishedAt) - Date.parse(f.startedAt)) / 1000;
    };
    const accSeconds = fileSeconds('accounts');
    const partySeconds = fileSeconds('parties');
    const result = {
      rows,
      accountFileMB: +(accountBytes / 1e6).toFixed(1),
      baselineCopy: {
        seconds: +copySeconds.toFixed(2),
        rowsPerSecond: Math.round(rows / copySeconds),
      },
      importAccounts: {
        seconds: +accSeconds.toFixed(2),
        rowsPerSecond: Math.round(rows / accSeconds),
      },
      importParties: {
        seconds: +partySeconds.toFixed(2),
        rowsPerSecond: Math.round(rows / partySeconds),
      },
      importTotal: {
        seconds: +totalSeconds.toFixed(2),
        rowsPerSecond: Math.round((2 * rows) / totalSeconds),
        note: 'parties + accounts rows, process start-up and migrations included',
      },
      accountsVsCopy: `${(accSeconds / copySeconds).toFixed(1)}x slower than plain COPY`,
      outboxEvents: outboxRows,
      importPeakRssMB: Math.round(peak / 1e6),
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (own && !values.keep) await dropDatabase(url).catch(() => undefined);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench:import: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
