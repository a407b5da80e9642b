import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import type { Benchmark, BenchContext, Figure } from '../harness/types';

/**
 * The account-import benchmark (`npm run bench:import`, bench/account-import/run.ts) behind the
 * harness: each run starts run.ts as a child process, which generates the files, creates and drops
 * its own database, measures the plain-COPY baseline and then `npm run import` end to end in the
 * same run, and prints one JSON document that becomes the figures here.
 */
const ROOT = resolve(__dirname, '../..');

interface ImportResult {
  rows: number;
  baselineCopy: { seconds: number; rowsPerSecond: number };
  importAccounts: { seconds: number; rowsPerSecond: number };
  importParties: { seconds: number; rowsPerSecond: number };
  importTotal: { seconds: number; rowsPerSecond: number };
  importPeakRssMB: number;
}

function runImportBench(rows: number, ctx: BenchContext): Promise<ImportResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'bench/account-import/run.ts', '--rows', String(rows)],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-16 * 1024);
      for (const line of d.split('\n')) if (line.trim()) ctx.progress(line.trim());
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) {
        fail(new Error(`bench/account-import/run.ts exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      done(JSON.parse(stdout) as ImportResult);
    });
  });
}

const bench: Benchmark = {
  name: 'account-import',
  description:
    'Bulk import of a core-banking party file and account file (N rows each, every 10th account joint) through the pipeline `npm run import` uses (parse, validate, hash, upsert accounts and holder links, every event to the outbox, checkpoint per batch; publishing is the relay, not measured), against plain COPY of the same account file into an all-text staging table, same database server, same run. Default 100k rows (`--sizes` or BENCH_IMPORT_ROWS for others). Parties, total and peak RSS have no baseline.',
  async run(ctx) {
    const sizes = ctx.sizes ?? [Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)];
    const figures: Figure[] = [];
    for (const rows of sizes) {
      const r = await runImportBench(rows, ctx);
      const scenario = `${rows} accounts + ${rows} parties`;
      figures.push(
        {
          scenario,
          size: rows,
          metric: 'accounts imported',
          unit: 'rows/s',
          better: 'higher',
          value: r.importAccounts.rowsPerSecond,
          baseline: r.baselineCopy.rowsPerSecond,
          baselineName: 'plain COPY of the account file',
        },
        {
          scenario,
          size: rows,
          metric: 'parties imported',
          unit: 'rows/s',
          better: 'higher',
          value: r.importParties.rowsPerSecond,
        },
        {
          scenario,
          size: rows,
          metric: 'whole import incl. start-up and migrations',
          unit: 'rows/s',
          better: 'higher',
          value: r.importTotal.rowsPerSecond,
        },
        {
          scenario,
          size: rows,
          metric: 'import peak RSS',
          unit: 'MB',
          better: 'lower',
          value: r.importPeakRssMB,
        },
      );
    }
    return figures;
  },
};

export default bench;
