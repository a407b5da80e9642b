import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import { signTestToken } from '@bank-crm/testing';
import { Client } from 'pg';

import { copyBaseline } from '../account-import/run';
import { privateBroker } from '../harness/broker';
import { count } from '../event-propagation/seed';
import { startService, type Service, type ServiceName } from '../event-propagation/services';
import { sampleProcess } from '../harness/proc';
import type { Benchmark, BenchContext, Figure } from '../harness/types';
import { DUPLICATE_EVERY, writeImportFiles, type ImportFiles, type SystemFiles } from './files';

/**
 * Issue #6's end-to-end import: N accounts from their files until every account is linked to a
 * resolved customer in account-bridge. The real account-bridge and customer-master (own processes,
 * fresh databases, NODE_ENV=production, a private Kafka broker), the files imported as an
 * operator would (`npm run import`, or POST /imports with BENCH_E2E_VIA=rest), account-bridge
 * publishing the parties from its outbox, customer-master resolving them and sending the links
 * back. Baseline in the same run: plain COPY of the same account files into PostgreSQL.
 */
const ROOT = resolve(__dirname, '../..');
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DEFAULT_ACCOUNTS = Number(process.env.BENCH_E2E_ACCOUNTS ?? 100_000);
/**
 * `npm run import` by default (what an operator runs next to the files); BENCH_E2E_VIA=rest posts
 * each file to POST /imports instead (account-bridge has no whole-request time limit,
 * HTTP_REQUEST_TIMEOUT_MS=0, so a long upload is not cut off).
 */
const VIA = process.env.BENCH_E2E_VIA === 'rest' ? 'rest' : 'cli';
/** Fail when nothing moves (rows imported, accounts, parties resolved) for this long. */
const STALL_SECONDS = Number(process.env.BENCH_E2E_STALL_SECONDS ?? 600);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const PROGRESS_MS = 5_000;
/** Poll for the end state this often once the import is done (every PROGRESS_MS before). */
const POLL_MS = 1_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (fromMs: number, toMs: number) => (toMs - fromMs) / 1000;

/**
 * Accounts all of whose current holders' parties have a customer (party_customer): linked to
 * resolved customers. One hash join and aggregate over account_holder; costly at 1M rows, so the
 * progress loop runs it only as often as it can afford.
 */
const LINKED_SQL = `
  SELECT count(*) AS n FROM (
    SELECT h.account_id FROM account_holder h
      LEFT JOIN party_customer pc
        ON pc.source_system = h.source_system AND pc.source_key = h.party_source_key
     WHERE h.valid_to IS NULL
     GROUP BY h.account_id
    HAVING bool_and(pc.customer_id IS NOT NULL)) linked`;

/**
 * When the last account became linked: its holder row or its party's link, whichever was written
 * later (transaction start times, PostgreSQL's clock), in ms since the epoch.
 */
const LAST_LINK_SQL = `
  SELECT extract(epoch FROM max(greatest(h.linked_at, pc.updated_at))) * 1000 AS at
    FROM account_holder h
    JOIN party_customer pc
      ON pc.source_system = h.source_system AND pc.source_key = h.party_source_key
   WHERE h.valid_to IS NULL`;

interface FileReport {
  kind: string;
  status: string;
  rowsRead: number;
  recorded: number;
  rejected: number;
  startedAt: string;
  finishedAt: string | null;
}
interface JobReport {
  id: string;
  status: string;
  files: FileReport[];
}

/** What a run started, to stop and drop whatever happens. */
interface Cleanup {
  dir?: string;
  services: Service[];
  databases: string[];
  clients: Client[];
  children: Set<ChildProcess>;
}

/** Import children still running: killed should the bench process exit without waiting. */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/**
 * Fails unless the job completed and every row of both files was recorded; returns each file's
 * rows/s by the job's own timestamps (start-up of the import excluded).
 */
function checkReport(report: JobReport, files: SystemFiles): string {
  for (const kind of ['parties', 'accounts']) {
    const f = report.files.find((x) => x.kind === kind);
    if (!f || f.status !== 'completed' || f.recorded !== files.rows || f.rejected !== 0)
      throw new Error(
        `${files.system} ${kind}: expected ${files.rows} rows recorded, got ${JSON.stringify(f ?? report)}`,
      );
  }
  if (report.status !== 'completed')
    throw new Error(`${files.system} import job ${report.id} is ${report.status}`);
  return report.files
    .map((f) => {
      const took = (Date.parse(f.finishedAt ?? '') - Date.parse(f.startedAt)) / 1000;
      return `${f.kind} ${took.toFixed(1)} s (${(f.recorded / took).toFixed(0)} rows/s)`;
    })
    .join(', ');
}

interface Imported {
  /** Per file: seconds and rows/s by the job's timestamps. */
  files: string;
  /** Peak RSS of the import process (bytes); 0 for POST /imports (the service's own). */
  peakRss: number;
}

/** `npm run import` of one system's party and account files. */
async function importByCli(
  files: SystemFiles,
  databaseUrl: string,
  cleanup: Cleanup,
): Promise<Imported> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      'scripts/import.ts',
      '--system',
      files.system,
      '--parties',
      files.parties,
      '--accounts',
      files.accounts,
      '--database-url',
      databaseUrl,
      '--quiet',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanup.children.add(child);
  liveChildren.add(child);
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, sampleProcess(child.pid ?? 0).peakRssBytes);
    } catch {
      // ended
    }
  }, 200);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const [code] = (await once(child, 'close')) as [number | null];
  clearInterval(timer);
  cleanup.children.delete(child);
  liveChildren.delete(child);
  if (code !== 0)
    throw new Error(`npm run import (${files.system}) exited with ${code}: ${stderr}`);
  return { files: checkReport(JSON.parse(stdout) as JobReport, files), peakRss: peak };
}

/** POST /imports of one file, streamed from disk (node:http: no client-side timeouts). */
function postFile(
  url: string,
  token: string,
  query: string,
  file: string,
  size: number,
): Promise<JobReport> {
  return new Promise((done, fail) => {
    const req = request(
      `${url}/imports?${query}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/csv',
          'content-length': size,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('error', fail);
        res.on('end', () => {
          if (res.statusCode !== 201)
            fail(new Error(`POST /imports?${query}: ${res.statusCode} ${body}`));
          else done(JSON.parse(body) as JobReport);
        });
      },
    );
    req.on('error', fail);
    createReadStream(file).on('error', fail).pipe(req);
  });
}

/** One system's two files through POST /imports, in one job. */
async function importByRest(files: SystemFiles, ab: Service): Promise<Imported> {
  const jobId = randomUUID();
  let report: JobReport | undefined;
  for (const kind of ['parties', 'accounts'] as const) {
    const token = await signTestToken(
      { sub: 'bench-import-e2e', roles: ['data-steward'], jti: randomUUID() },
      { expiresInSeconds: 3600 },
    );
    const file = kind === 'parties' ? files.parties : files.accounts;
    const query = `system=${files.system}&kind=${kind}&format=csv&jobId=${jobId}&name=${kind}.csv`;
    report = await postFile(ab.url, token, query, file, (await stat(file)).size);
  }
  if (!report) throw new Error('no import report');
  return { files: checkReport(report, files), peakRss: 0 };
}

interface Progress {
  imported: number;
  accounts: number;
  resolved: number;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Runs the import and watches account-bridge's database until every account is linked. Returns
 * the times (Date.now() ms) of the import's start, the import job's done, and the last link.
 */
async function importAndWait(
  files: ImportFiles,
  services: Service[],
  db: Client,
  ctx: BenchContext,
  cleanup: Cleanup,
): Promise<{ startedAt: number; importDoneAt: number; linkedAt: number; cliPeakRss: number }> {
  const [ab] = services;
  const partyRows = files.systems.reduce((n, s) => n + s.rows, 0);
  const totalRows = 2 * partyRows;
  const startedAt = Date.now();
  let importDoneAt: number | undefined;
  let importError: unknown;
  let cliPeakRss = 0;
  void (async () => {
    for (const s of files.systems) {
      const r =
        VIA === 'cli' ? await importByCli(s, ab.databaseUrl, cleanup) : await importByRest(s, ab);
      cliPeakRss = Math.max(cliPeakRss, r.peakRss);
      ctx.progress(
        `${s.system}: ${s.rows} parties + ${s.rows} accounts imported at ${seconds(startedAt, Date.now()).toFixed(1)} s (${r.files})`,
      );
    }
  })().then(
    () => (importDoneAt = Date.now()),
    (error: unknown) => (importError = error),
  );

  const snapshot = async (): Promise<Progress> => {
    const { rows } = await db.query<{ imported: string; accounts: string; resolved: string }>(
      `SELECT (SELECT coalesce(sum(rows_read), 0) FROM import_file) AS imported,
              (SELECT count(*) FROM account) AS accounts,
              (SELECT count(*) FROM party_customer) AS resolved`,
    );
    return {
      imported: Number(rows[0].imported),
      accounts: Number(rows[0].accounts),
      resolved: Number(rows[0].resolved),
    };
  };
  let linked = 0;
  let linkedMs = 0;
  let linkedAt = 0;
  const linkedCount = async () => {
    const t = performance.now();
    linked = await count(db, LINKED_SQL);
    linkedMs = performance.now() - t;
    linkedAt = Date.now();
    return linked;
  };

  let last: Progress = { imported: -1, accounts: -1, resolved: -1 };
  let movedAt = Date.now();
  let saidAt = Date.now();
  for (;;) {
    await sleep(importDoneAt === undefined ? PROGRESS_MS : POLL_MS);
    if (importError)
      throw importError instanceof Error ? importError : new Error(String(importError));
    for (const s of services)
      if (!alive(s.pid)) throw new Error(`${s.name} (pid ${s.pid}) is no longer running`);
    const now = await snapshot();
    if (
      now.imported !== last.imported ||
      now.accounts !== last.accounts ||
      now.resolved !== last.resolved
    )
      movedAt = Date.now();
    last = now;
    const done = importDoneAt;
    if (done !== undefined && now.accounts >= files.accounts && now.resolved >= partyRows) {
      if ((await linkedCount()) >= files.accounts) {
        const observedAt = Date.now();
        const { rows } = await db.query<{ at: string | null }>(LAST_LINK_SQL);
        const lastLink = Number(rows[0].at ?? observedAt);
        // PostgreSQL's transaction start of the last link, between the import's end and the
        // poll that saw it (the two clocks are the same host's)
        return {
          startedAt,
          importDoneAt: done,
          linkedAt: Math.min(observedAt, Math.max(done, lastLink)),
          cliPeakRss,
        };
      }
    }
    if (Date.now() - saidAt >= PROGRESS_MS) {
      saidAt = Date.now();
      // the exact count only as often as it costs under a twentieth of the time (it competes
      // with the services for the same PostgreSQL and the same two cores)
      if (Date.now() - linkedAt >= Math.max(PROGRESS_MS, 20 * linkedMs)) await linkedCount();
      ctx.progress(
        `${seconds(startedAt, Date.now()).toFixed(0)} s: ${now.imported} of ${totalRows} rows imported${done ? ' (import done)' : ''}, ${now.accounts} of ${files.accounts} accounts, ${now.resolved} of ${partyRows} parties resolved, ${linked} of ${files.accounts} accounts linked (${seconds(linkedAt, Date.now()).toFixed(0)} s ago)`,
      );
    }
    if (Date.now() - movedAt > STALL_SECONDS * 1000)
      throw new Error(
        `nothing moved for ${STALL_SECONDS} s: ${JSON.stringify(now)}, ${linked} accounts linked`,
      );
  }
}

/** Consumer trouble counters from a service's /metrics, as text (empty when all zero). */
async function consumerTrouble(s: Service): Promise<string> {
  const text = await fetch(`${s.url}/metrics`).then((r) => r.text());
  const found: string[] = [];
  const names =
    /^bankcrm_consumer_(chunk_fallbacks|dead_letters|retries|restarts)_total(\{[^}]*\})? (\S+)$/;
  for (const line of text.split('\n')) {
    const m = names.exec(line);
    if (m && Number(m[3]) > 0) found.push(`${m[1]}${m[2] ?? ''} ${m[3]}`);
  }
  return found.join(', ');
}

const TROUBLE = new Set(['warn', 'error', 'fatal', 40, 50, 60]);

/** Warnings and errors in a service's JSON log: how many, and the first few distinct messages. */
async function logTrouble(file: string, since: number): Promise<string> {
  if (!existsSync(file)) return '';
  let n = 0;
  let before = 0;
  const messages = new Map<string, number>();
  for await (const line of createInterface({ input: createReadStream(file, 'utf8') })) {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (!TROUBLE.has(entry.level as string)) continue;
    if (Date.parse(String(entry.time)) < since) {
      before += 1; // start-up (a fresh broker's coordinator loading)
      continue;
    }
    n += 1;
    const err = (entry.err ?? entry.error) as { message?: string } | string | undefined;
    const detail = typeof err === 'string' ? err : err?.message;
    const text = String(entry.message ?? entry.msg ?? '');
    const msg = `${String(entry.level)} ${String(entry.context ?? '')}: ${text}${detail && !text.includes(detail) ? ` (${detail})` : ''}`;
    messages.set(msg.slice(0, 400), (messages.get(msg.slice(0, 400)) ?? 0) + 1);
  }
  const top = [...messages.entries()].slice(0, 5).map(([m, k]) => `${k}x ${m}`);
  const startUp = before ? ` (${before} before, at start-up)` : '';
  return n === 0
    ? `no warnings or errors logged during the run${startUp}`
    : `${n} warning/error lines logged during the run${startUp}: ${top.join(' | ')}`;
}

/** How the cards duplicates were resolved: customers, and cards parties on their person's customer. */
async function resolutionCheck(db: Client, files: ImportFiles, ctx: BenchContext): Promise<void> {
  const customers = await count(db, 'SELECT count(DISTINCT customer_id) AS n FROM party_customer');
  const joined = await count(
    db,
    `SELECT count(*) AS n FROM party_customer c
       JOIN party_customer b ON b.source_system = 'core-banking'
        AND b.source_key = 'CB-' || (substring(c.source_key FROM 4)::int * $1)
      WHERE c.source_system = 'cards' AND b.customer_id = c.customer_id`,
    [DUPLICATE_EVERY],
  );
  const cards = files.systems[1].rows;
  const line = `resolution: ${customers} customers for ${files.people} people, ${joined} of ${cards} cards parties on their core-banking customer`;
  ctx.progress(customers === files.people && joined === cards ? line : `WARNING ${line}`);
}

async function runSize(n: number, ctx: BenchContext): Promise<Figure[]> {
  const suffix = randomUUID().slice(0, 8);
  const cleanup: Cleanup = { services: [], databases: [], clients: [], children: new Set() };
  try {
    cleanup.dir = await mkdtemp(join(tmpdir(), 'bench-import-e2e-'));
    const generated = performance.now();
    const files = await writeImportFiles(cleanup.dir, n);
    const [cb, cd] = files.systems;
    ctx.progress(
      `generated ${n} accounts and ${cb.rows + cd.rows} parties (${cb.system} ${cb.rows}, ${cd.system} ${cd.rows} of the same people) in ${seconds(generated, performance.now()).toFixed(1)} s`,
    );

    const copyUrl = `${PG}/bench_import_e2e_copy_${suffix}`;
    cleanup.databases.push(copyUrl);
    await ensureDatabase(copyUrl);
    let copySeconds = 0;
    for (const s of files.systems) copySeconds += await copyBaseline(copyUrl, s.accounts);
    await dropDatabase(copyUrl);
    ctx.progress(`baseline: plain COPY of the ${n} account rows in ${copySeconds.toFixed(2)} s`);

    // the services' logs (LOG_LEVEL, default warn): kept in BENCH_E2E_LOG_DIR when given
    const logDir = process.env.BENCH_E2E_LOG_DIR ?? cleanup.dir;
    const brokers = await privateBroker(ctx.progress);
    const startAt = new Date(Date.now() - 1_000).toISOString();
    ctx.progress('setting up and starting account-bridge and customer-master');
    const services = await Promise.all(
      (['account-bridge', 'customer-master'] as ServiceName[]).map(async (name) => {
        const databaseUrl = `${PG}/bench_import_e2e_${name.replace('-', '_')}_${suffix}`;
        cleanup.databases.push(databaseUrl);
        const service = await startService(name, {
          databaseUrl,
          brokers,
          startAt,
          logLevel: LOG_LEVEL,
          logFile: join(logDir, `${name}.log`),
        });
        cleanup.services.push(service);
        return service;
      }),
    );
    const [ab, cm] = services;
    ctx.progress(
      `ready: account-bridge after ${ab.startSeconds.toFixed(1)} s, customer-master after ${cm.startSeconds.toFixed(1)} s; importing via ${VIA === 'cli' ? 'npm run import' : 'POST /imports'}`,
    );
    const db = new Client({ connectionString: ab.databaseUrl });
    cleanup.clients.push(db);
    await db.connect();

    const cpuBefore = services.map((s) => sampleProcess(s.pid).cpuSeconds);
    const t = await importAndWait(files, services, db, ctx, cleanup);
    const usage = services.map((s, i) => ({ ...sampleProcess(s.pid), i }));
    const endToEnd = seconds(t.startedAt, t.linkedAt);
    const importSeconds = seconds(t.startedAt, t.importDoneAt);
    const lag = seconds(t.importDoneAt, t.linkedAt);
    ctx.progress(
      `all ${n} accounts linked after ${endToEnd.toFixed(1)} s (import ${importSeconds.toFixed(1)} s, then ${lag.toFixed(1)} s): ${(n / endToEnd).toFixed(0)} accounts/s`,
    );
    for (const u of usage)
      ctx.progress(
        `${services[u.i].name}: ${(u.cpuSeconds - cpuBefore[u.i]).toFixed(0)} CPU s, peak RSS ${(u.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      );
    await resolutionCheck(db, files, ctx);
    for (const s of services) {
      const metrics = await consumerTrouble(s);
      const logged = await logTrouble(join(logDir, `${s.name}.log`), t.startedAt);
      ctx.progress(
        `${s.name}: ${metrics || 'no consumer retries, chunk fallbacks, dead letters or restarts'}; ${logged}`,
      );
    }

    const scenario = `${n} accounts from 2 systems (${VIA === 'cli' ? 'import CLI' : 'POST /imports'})`;
    const baselineName = 'plain COPY of the account files';
    const mib = (bytes: number) => bytes / 2 ** 20;
    const figures: Figure[] = [
      {
        scenario,
        size: n,
        metric: 'accounts linked to resolved customers, end to end',
        unit: 'accounts/s',
        better: 'higher',
        value: n / endToEnd,
        baseline: n / copySeconds,
        baselineName,
      },
      {
        scenario,
        size: n,
        metric: 'import until the job reports done',
        unit: 's',
        better: 'lower',
        value: importSeconds,
        baseline: copySeconds,
        baselineName,
      },
      {
        scenario,
        size: n,
        metric: 'resolution lag, import done to all linked',
        unit: 's',
        better: 'lower',
        value: lag,
      },
      ...usage.map((u): Figure => ({
        scenario,
        size: n,
        metric: `${services[u.i].name} peak RSS`,
        unit: 'MiB',
        better: 'lower',
        value: mib(u.peakRssBytes),
      })),
    ];
    if (VIA === 'cli')
      figures.push({
        scenario,
        size: n,
        metric: 'import CLI peak RSS',
        unit: 'MiB',
        better: 'lower',
        value: mib(t.cliPeakRss),
      });
    return figures;
  } finally {
    for (const child of cleanup.children) child.kill('SIGKILL');
    await Promise.all(cleanup.clients.map((c) => c.end().catch(() => undefined)));
    await Promise.all(cleanup.services.map((s) => s.stop()));
    await Promise.all(cleanup.databases.map((url) => dropDatabase(url).catch(() => undefined)));
    if (cleanup.dir) await rm(cleanup.dir, { recursive: true, force: true });
  }
}

const bench: Benchmark = {
  name: 'import-end-to-end',
  description: [
    `A business system's initial load end to end (issue #6): an account file until every account is linked to a resolved customer in account-bridge.`,
    `N accounts (default ${DEFAULT_ACCOUNTS}, --sizes) and N party records in CSV files written to disk: core-banking with 5/6 of them (one account per party, every 10th account joint with the previous party) and cards with 1/6: every ${DUPLICATE_EVERY}th core-banking person again (same resident id, name, birth date, phone) under a cards key with a card account, so resolution both creates customers and links records to existing ones.`,
    `The real account-bridge and customer-master, each in its own process (NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, TypeScript loaded by @swc-node/register, default pools and consumer settings), fresh databases per run, a private Kafka broker started for the benchmark.`,
    `Import as an operator loads big files: \`npm run import\` per system (party file, then account file, streamed from disk into account-bridge's database; account-bridge publishes from its outbox), core-banking then cards (BENCH_E2E_VIA=rest: the same files streamed as POST /imports bodies).`,
    `End to end: N / seconds from the start of the import until every account's every current holder (account_holder) has a customer (party_customer), i.e. customer-master has resolved the party and account-bridge has taken in the link; the last link's time is its transaction's start in PostgreSQL, bounded by the poll that saw it.`,
    `Import: until the last import job reported done. Resolution lag: from then until all are linked. Peak RSS (VmHWM) of each service process over its life, and of the import CLI.`,
    `Baseline, same run, before the services start: plain COPY of the same account files into an all-text staging table on the same PostgreSQL server (bench/account-import's).`,
  ].join(' '),
  async run(ctx) {
    const figures: Figure[] = [];
    for (const n of ctx.sizes ?? [DEFAULT_ACCOUNTS]) figures.push(...(await runSize(n, ctx)));
    return figures;
  },
};

export default bench;
