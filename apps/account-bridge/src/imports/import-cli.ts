import { createReadStream, createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

import { AuditService } from '@bank-crm/audit';
import { OutboxWriter } from '@bank-crm/messaging';
import { dataSourceOptions } from '@bank-crm/service-runtime';
import { runMigrationsLocked, ensureDatabase } from '@bank-crm/persistence';
import { DataSource } from 'typeorm';

import { AccountIngestor } from '../accounts/account-ingestor';
import type { AccountBridgeConfig } from '../config/account-bridge.config';
import { balanceThresholdFromEnv } from '../accounts/account-settings';
import { PartyBatchIngestor } from '../inbound/party-batch-ingestor';
import { accountBridgeService } from '../service-definition';
import { ImportPipeline, type ImportFileReport, type ImportJobReport } from './import-pipeline';
import type { ImportFormat } from './row-reader';
import type { ImportKind } from './row-mapping';

export const IMPORT_USAGE = `usage: npm run import -- --system <source-system>
         [--parties <file>] [--accounts <file>] [--balances <file>]
         [--format csv|jsonl]          (default: by extension, .jsonl/.ndjson = jsonl, else csv)
         [--database-url <postgres://...>] (default: $DATABASE_URL, else the local account-bridge database)
         [--resume <jobId>] [--job-id <uuid>] [--batch-size <rows>] [--progress-every <rows>]
         [--rejections-out <file.csv>] [--quiet]
Files are imported in the order parties, accounts, balances. Progress goes to stderr, the final
report (JSON) to stdout. The running account-bridge service publishes the resulting events from
the outbox. After a crash, run the same command with --resume <jobId>: it continues after the
last committed batch of each file.`;

export interface ImportCliOptions {
  system: string;
  files: { kind: ImportKind; file: string; format: ImportFormat }[];
  databaseUrl: string;
  resume?: string;
  jobId?: string;
  batchSize: number;
  progressEvery: number;
  rejectionsOut?: string;
  quiet: boolean;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/bank_crm_account_bridge';

function formatOf(file: string, explicit?: string): ImportFormat {
  if (explicit === 'csv' || explicit === 'jsonl') return explicit;
  if (explicit) throw new Error(`--format must be csv or jsonl, got ${explicit}`);
  return /\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv';
}

export function parseImportArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ImportCliOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quiet' || arg === '--help') {
      flags.add(arg);
      continue;
    }
    if (!arg.startsWith('--') || i + 1 >= argv.length)
      throw new Error(`unexpected argument ${arg}\n${IMPORT_USAGE}`);
    values.set(arg.slice(2), argv[(i += 1)]);
  }
  if (flags.has('--help')) throw new Error(IMPORT_USAGE);
  const known = [
    'system',
    'parties',
    'accounts',
    'balances',
    'format',
    'database-url',
    'resume',
    'job-id',
    'batch-size',
    'progress-every',
    'rejections-out',
  ];
  const unknown = [...values.keys()].filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown option --${unknown.join(', --')}\n${IMPORT_USAGE}`);
  const system = values.get('system');
  if (!system || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(system)) {
    throw new Error(
      `--system <source-system> is required (lowercase, e.g. core-banking)\n${IMPORT_USAGE}`,
    );
  }
  const files = (['parties', 'accounts', 'balances'] as const)
    .filter((kind) => values.has(kind))
    .map((kind) => ({
      kind,
      file: values.get(kind)!,
      format: formatOf(values.get(kind)!, values.get('format')),
    }));
  if (files.length === 0)
    throw new Error(`give at least one of --parties, --accounts, --balances\n${IMPORT_USAGE}`);
  const int = (name: string, fallback: number) => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  return {
    system,
    files,
    databaseUrl: values.get('database-url') ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    ...(values.has('resume') ? { resume: values.get('resume') } : {}),
    ...(values.has('job-id') ? { jobId: values.get('job-id') } : {}),
    batchSize: int('batch-size', 1_000),
    progressEvery: int('progress-every', 50_000),
    ...(values.has('rejections-out') ? { rejectionsOut: values.get('rejections-out') } : {}),
    quiet: flags.has('--quiet'),
  };
}

function progressLine(r: ImportFileReport, elapsedMs: number): string {
  const rate = Math.round((r.rowsRead / Math.max(1, elapsedMs)) * 1000);
  return `[import] ${r.kind}: ${r.rowsRead} rows (recorded ${r.recorded}, unchanged ${r.unchanged}, older ${r.olderIgnored}, rejected ${r.rejected}) up to line ${r.committedRow}, ${rate} rows/s`;
}

/** Runs the import in-process against the service database (the same pipeline as POST /imports). */
export async function runImportCli(
  argv: string[],
): Promise<{ code: number; report: ImportJobReport | null }> {
  const options = parseImportArgs(argv);
  const say = (line: string) => {
    if (!options.quiet) process.stderr.write(`${line}\n`);
  };
  await ensureDatabase(options.databaseUrl);
  const dataSource = new DataSource(
    dataSourceOptions({
      serviceName: 'account-bridge',
      // only the database settings matter here: no HTTP, no tokens, no Kafka in the CLI
      config: { DATABASE_URL: options.databaseUrl, DATABASE_POOL_SIZE: 2 } as AccountBridgeConfig,
      entities: accountBridgeService.entities,
      migrations: accountBridgeService.migrations,
    }),
  );
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource, 'account-bridge');
    const outbox = new OutboxWriter('account-bridge');
    const pipeline = new ImportPipeline(
      dataSource,
      new AccountIngestor(outbox, balanceThresholdFromEnv()),
      new PartyBatchIngestor(outbox),
      new AuditService('account-bridge'),
    );
    const actor = { id: `cli:${userInfo().username}`, roles: [] };
    const jobId = await pipeline.createJob(options.system, actor, options.resume ?? options.jobId);
    say(
      `[import] job ${jobId} (${options.resume ? 'resumed' : 'started'}) system ${options.system}`,
    );
    const before = await pipeline.report(jobId);
    for (const { kind, file, format } of options.files) {
      const done = before?.files.find((f) => f.kind === kind && f.status === 'completed');
      if (done) {
        say(`[import] ${kind}: already completed in job ${jobId}, skipped`);
        continue;
      }
      say(`[import] ${kind}: ${file} (${format})`);
      let lastSaid = 0;
      const started = Date.now();
      const report = await pipeline.runFile(
        jobId,
        kind,
        format,
        path.basename(file),
        createReadStream(file),
        {
          batchSize: options.batchSize,
          onProgress: (r, elapsed) => {
            if (r.rowsRead - lastSaid >= options.progressEvery) {
              lastSaid = r.rowsRead;
              say(progressLine(r, elapsed));
            }
          },
        },
      );
      say(`${progressLine(report, Date.now() - started)} — ${report.status}`);
    }
    const report = await pipeline.finishJob(jobId, actor);
    if (options.rejectionsOut) {
      const out = createWriteStream(options.rejectionsOut);
      out.write('kind,row,reason,raw\n');
      let after: { kind: string; row: number } | null = null;
      for (;;) {
        const page = await pipeline.rejections(jobId, after, 1_000);
        if (page.length === 0) break;
        for (const r of page) {
          const line = [r.kind, String(r.row), r.reason, r.raw]
            .map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
            .join(',');
          if (!out.write(`${line}\n`)) await once(out, 'drain');
        }
        after = { kind: page[page.length - 1].kind, row: page[page.length - 1].row };
      }
      out.end();
      await once(out, 'finish');
      say(`[import] rejected rows written to ${options.rejectionsOut}`);
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return { code: report.status === 'completed' ? 0 : 1, report };
  } finally {
    await dataSource.destroy();
  }
}
