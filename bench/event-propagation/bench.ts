import { randomUUID } from 'node:crypto';

import {
  CustomerHoldingsChangedV2,
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
} from '@bank-crm/contracts';
import { createKafka, createProducer } from '@bank-crm/messaging';
import { dropDatabase } from '@bank-crm/persistence';
import { signTestToken } from '@bank-crm/testing';
import { Client, Pool } from 'pg';

import { privateBroker } from '../harness/broker';
import { watchProcess, type WindowUsage } from '../harness/proc';
import { percentile } from '../harness/stats';
import type { Benchmark, BenchContext, Figure } from '../harness/types';
import { AccountBook, startLoad, type LoadStats } from './load';
import {
  holdingsWatcher,
  NullPipeline,
  probeReal,
  type ProbeResult,
  type ProbeTarget,
  type Watcher,
} from './probe';
import { ACCOUNTS_PER_CUSTOMER, count, importFile, seedData, waitUntil } from './seed';
import { runQueueWaitMs, startService, type Service } from './services';

/**
 * Issue #8's event propagation: an account change at a business system -> visible in the
 * customer-master 360 view, p50/p99 under load. The real account-bridge and customer-master
 * services (own processes, fresh databases, a private Kafka broker), customers loaded through
 * account-bridge's import and resolved by customer-master, then timed probe changes while a
 * background of other account changes and 360 reads runs at fixed rates; beside each probe, the
 * same change through a null pipeline with the same two Kafka hops (the baseline).
 */
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const CUSTOMERS = Number(env('BENCH_PROPAGATION_CUSTOMERS', '500'));
const RATES = env('BENCH_PROPAGATION_RATES', '20').split(',').map(Number);
const READS = Number(env('BENCH_PROPAGATION_READS', '20'));
const STAGE_SECONDS = Number(env('BENCH_PROPAGATION_SECONDS', '15'));
const QUIET_SECONDS = Number(env('BENCH_PROPAGATION_QUIET_SECONDS', '8'));
const IDLE_SECONDS = Number(env('BENCH_PROPAGATION_IDLE_SECONDS', '5'));
const PROBE_ACCOUNTS = Number(env('BENCH_PROPAGATION_PROBE_ACCOUNTS', '50'));
const VIA = env('BENCH_PROPAGATION_VIA', 'kafka') === 'rest' ? 'rest' : 'kafka';
const PROBE_MS = Number(env('BENCH_PROPAGATION_PROBE_MS', '250'));
const WARMUP_SECONDS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StageResult {
  label: string;
  realMs: number[];
  nullMs: number[];
  usage: Record<string, Usage>;
  load?: LoadStats;
  /** Inbound changes sent (background + probes) and holdings snapshots applied by the view. */
  sentPerSecond?: number;
  appliedPerSecond?: number;
}

interface Run {
  services: Service[];
  ab: Client;
  cm: Client;
  book: AccountBook;
  targets: ProbeTarget[];
  customerIds: string[];
  nullPipeline: NullPipeline;
  /** Watches the 360 view's accounts table for the probes (a pool of one connection). */
  watchPool: Pool;
  watcher: Watcher;
  producer: ReturnType<typeof createProducer>;
  readToken: string;
  writeToken: string;
  /** Changes sent on the inbound Kafka topics so far (for the drain check). */
  inboundSent: number;
  /** Probe changes sent so far, by either channel. */
  probesSent: number;
}

interface Usage extends WindowUsage {
  /** ms per second of the window that the service's threads waited for a CPU. */
  runQueueWaitMsPerS: number;
}

const watchAll = (services: Service[]) =>
  services.map((s) => ({ s, w: watchProcess(s.pid), waited: runQueueWaitMs(s.pid) }));
const stopAll = (watches: ReturnType<typeof watchAll>): Record<string, Usage> =>
  Object.fromEntries(
    watches.map(({ s, w, waited }) => {
      const usage = w.stop();
      const runQueueWaitMsPerS = (runQueueWaitMs(s.pid) - waited) / usage.seconds;
      return [s.name, { ...usage, runQueueWaitMsPerS }];
    }),
  );

/**
 * Open-loop probes: a real probe every PROBE_MS (on a probe account with no probe outstanding;
 * none free: skipped) and a null-pipeline probe half an interval later, until `seconds` have
 * passed. Returns at the end of the window; `done` settles when every probe started has been seen.
 */
function probeFor(run: Run, seconds: number) {
  const [ab, cm] = run.services;
  const real: ProbeResult[] = [];
  const nullMs: number[] = [];
  const busy = new Set<number>();
  const pending: Promise<unknown>[] = [];
  let failure: unknown;
  let skipped = 0;
  let next = 0;
  const track = <T>(p: Promise<T>, into: T[]) =>
    pending.push(p.then((r) => into.push(r)).catch((e: unknown) => (failure ??= e)));
  const window = (async () => {
    const started = performance.now();
    const end = started + seconds * 1000;
    for (let k = 0; ; k += 1) {
      const at = started + k * PROBE_MS;
      if (at >= end) break;
      await sleep(at - performance.now());
      const free = run.targets.findIndex((_, j) => !busy.has((next + j) % run.targets.length));
      if (free < 0) skipped += 1;
      else {
        const slot = (next + free) % run.targets.length;
        next = slot + 1;
        busy.add(slot);
        run.probesSent += 1;
        if (VIA === 'kafka') run.inboundSent += 1;
        track(
          probeReal({
            target: run.targets[slot],
            book: run.book,
            producer: run.producer,
            watcher: run.watcher,
            via: VIA,
            customerMasterUrl: cm.url,
            accountBridgeUrl: ab.url,
            readToken: run.readToken,
            writeToken: run.writeToken,
          }).finally(() => busy.delete(slot)),
          real,
        );
      }
      await sleep(at + PROBE_MS / 2 - performance.now());
      track(run.nullPipeline.probe(), nullMs);
    }
  })();
  return {
    window,
    done: (async () => {
      await window;
      await Promise.all(pending);
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      return { real, realMs: real.map((r) => r.ms), nullMs, skipped };
    })(),
  };
}

/**
 * Where the probes' time went (p50 of each step, from the timestamps the services write: inbox
 * processed_at = start of the consuming transaction, outbox created_at = the event written,
 * published_at = acknowledged by Kafka), as a progress line. Kafka probes only.
 */
async function breakdown(run: Run, probes: ProbeResult[]): Promise<string> {
  if (VIA !== 'kafka' || probes.length === 0) return '';
  const ids = probes.map((p) => p.eventId);
  const { rows: ab } = await run.ab.query<{
    event_id: string;
    taken: number;
    written: number | null;
    published: number | null;
    out_id: string | null;
  }>(
    `SELECT i.event_id, extract(epoch FROM i.processed_at) * 1000 AS taken,
            extract(epoch FROM o.created_at) * 1000 AS written,
            extract(epoch FROM o.published_at) * 1000 AS published, o.id AS out_id
       FROM inbox i LEFT JOIN outbox o ON o.payload->>'causationId' = i.event_id::text AND o.topic = $2
      WHERE i.event_id = ANY($1::uuid[])`,
    [ids, CustomerHoldingsChangedV2.topic],
  );
  const { rows: cm } = await run.cm.query<{ event_id: string; taken: number }>(
    'SELECT event_id, extract(epoch FROM processed_at) * 1000 AS taken FROM inbox WHERE event_id = ANY($1::uuid[])',
    [ab.map((r) => r.out_id).filter((id): id is string => id !== null)],
  );
  const abBy = new Map(ab.map((r) => [r.event_id, r]));
  const cmBy = new Map(cm.map((r) => [r.event_id, Number(r.taken)]));
  const steps: Record<string, number[]> = {
    'to account-bridge': [],
    'account-bridge tx': [],
    'commit + relay': [],
    'to customer-master': [],
    'view tx + watch': [],
    '360 read': [],
  };
  for (const p of probes) {
    const a = abBy.get(p.eventId);
    const c = a?.out_id ? cmBy.get(a.out_id) : undefined;
    if (!a || a.written === null || a.published === null || c === undefined) continue;
    const t = [p.sentAt, Number(a.taken), Number(a.written), Number(a.published), c, p.inViewAt];
    Object.values(steps).forEach((xs, i) =>
      xs.push(i < 5 ? t[i + 1] - t[i] : p.confirmedAt - p.inViewAt),
    );
  }
  return Object.entries(steps)
    .map(([step, xs]) => `${step} ${percentile(xs, 50).toFixed(0)}`)
    .join(', ');
}

/** Until account-bridge has taken in every inbound change and the view has every snapshot. */
async function drain(run: Run, ctx: BenchContext, label: string): Promise<void> {
  const started = performance.now();
  let state = '';
  await waitUntil(
    `${label}: backlog`,
    async () => {
      const inbox = await count(run.ab, 'SELECT count(*) AS n FROM inbox WHERE topic = ANY($1)', [
        [SourceAccountBalanceRecordedV1.topic, SourceAccountRecordedV1.topic],
      ]);
      const unpublished = await count(
        run.ab,
        'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
      );
      const published = await count(run.ab, 'SELECT count(*) AS n FROM outbox WHERE topic = $1', [
        CustomerHoldingsChangedV2.topic,
      ]);
      const applied = await count(run.cm, 'SELECT count(*) AS n FROM inbox WHERE topic = $1', [
        CustomerHoldingsChangedV2.topic,
      ]);
      state = `account-bridge took in ${inbox} of ${run.inboundSent} (outbox ${unpublished} unpublished), the view applied ${applied} of ${published} snapshots`;
      return inbox >= run.inboundSent && unpublished === 0 && applied >= published;
    },
    300_000,
    () => state,
    ctx.progress,
  );
  ctx.progress(
    `${label}: backlog drained in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function stage(
  run: Run,
  ctx: BenchContext,
  rate: number,
  reads: number,
  label: string,
): Promise<StageResult> {
  const [, cm] = run.services;
  const background = run.targets.length
    ? run.book.accounts.filter((a) => !run.targets.some((t) => t.account.index === a.index))
    : run.book.accounts;
  const load =
    rate > 0 || reads > 0
      ? startLoad({
          producer: run.producer,
          book: run.book,
          accounts: background,
          changesPerSecond: rate,
          readsPerSecond: reads,
          viewUrl: (i) => `${cm.url}/customers/${run.customerIds[i]}/360`,
          customers: run.customerIds.length,
          token: run.readToken,
        })
      : undefined;
  if (load) await sleep(WARMUP_SECONDS * 1000);
  const applied = () =>
    count(run.cm, 'SELECT count(*) AS n FROM inbox WHERE topic = $1', [
      CustomerHoldingsChangedV2.topic,
    ]);
  const appliedBefore = await applied();
  const sentBefore = run.probesSent + (load?.sent() ?? 0);
  const from = performance.now();
  const watches = watchAll(run.services);
  const probing = probeFor(run, load ? STAGE_SECONDS : QUIET_SECONDS);
  await probing.window;
  const usage = stopAll(watches);
  const seconds = (performance.now() - from) / 1000;
  // inbound changes sent (probes + background) and snapshots applied by the view in the window
  const sent = run.probesSent + (load?.sent() ?? 0) - sentBefore;
  const appliedInWindow = (await applied()) - appliedBefore;
  // the background goes on until the last probe started in the window has been seen
  const probes = await probing.done.catch(async (error: unknown) => {
    await load?.stop().catch(() => undefined);
    throw error;
  });
  const fmt = (xs: number[]) =>
    `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  ctx.progress(
    `${label}: ${probes.realMs.length} probes${probes.skipped ? ` (${probes.skipped} skipped: every probe account busy)` : ''}: ${fmt(probes.realMs)}; null pipeline ${fmt(probes.nullMs)}`,
  );
  const steps = await breakdown(run, probes.real);
  if (steps) ctx.progress(`${label}: p50 of each step (ms): ${steps}`);
  const stats = load ? await load.stop() : undefined;
  if (stats) {
    run.inboundSent += stats.changesSent;
    if (stats.readErrors) throw new Error(`${label}: ${stats.readErrors} 360 reads failed`);
    ctx.progress(
      `${label}: background sent ${(stats.changesSent / stats.seconds).toFixed(1)} changes/s, ${(stats.reads / stats.seconds).toFixed(1)} reads/s (p50 ${stats.readP50Ms.toFixed(0)} ms, p99 ${stats.readP99Ms.toFixed(0)} ms); in the window ${(sent / seconds).toFixed(1)} sent/s, ${(appliedInWindow / seconds).toFixed(1)} applied/s`,
    );
  }
  for (const [name, u] of Object.entries(usage))
    ctx.progress(
      `${label}: ${name} CPU ${u.cpuPercent.toFixed(0)}% of a core, RSS max ${u.maxRssMiB.toFixed(0)} MiB, waited ${u.runQueueWaitMsPerS.toFixed(0)} ms/s for a CPU`,
    );
  await drain(run, ctx, label);
  return {
    label,
    ...probes,
    usage,
    load: stats,
    sentPerSecond: sent / seconds,
    appliedPerSecond: appliedInWindow / seconds,
  };
}

/** What a run started, to stop whatever happens. */
interface Cleanup {
  services: Service[];
  databases: string[];
  producer?: ReturnType<typeof createProducer>;
  nullPipeline?: NullPipeline;
}

async function setUp(customers: number, ctx: BenchContext, cleanup: Cleanup): Promise<Run> {
  const brokers = await privateBroker(ctx.progress);
  const suffix = randomUUID().slice(0, 8);
  const startAt = new Date(Date.now() - 1_000).toISOString();
  const kafka = createKafka({ brokers: [brokers], clientId: `bench-propagation-${suffix}` });
  const producer = createProducer(kafka);
  await producer.connect();
  cleanup.producer = producer;
  // first, as its consumer groups also get a fresh broker's group coordinator loaded, which
  // otherwise holds up the services' start by half a minute
  const nullPipeline = new NullPipeline(kafka, producer, PG);
  cleanup.nullPipeline = nullPipeline;
  await nullPipeline.start();
  ctx.progress('setting up and starting account-bridge and customer-master');
  const services = await Promise.all(
    (['account-bridge', 'customer-master'] as const).map(async (name) => {
      const databaseUrl = `${PG}/bench_propagation_${name.replace('-', '_')}_${suffix}`;
      cleanup.databases.push(databaseUrl);
      // the drain check and the time breakdown read published outbox rows: keep them (an hour)
      const service = await startService(name, {
        databaseUrl,
        brokers,
        startAt,
        env: { OUTBOX_RETENTION_MS: '3600000' },
      });
      cleanup.services.push(service);
      return service;
    }),
  );
  const [ab, cm] = services;
  ctx.progress(
    `ready: account-bridge after ${ab.startSeconds.toFixed(1)} s, customer-master after ${cm.startSeconds.toFixed(1)} s`,
  );
  const abDb = new Client({ connectionString: ab.databaseUrl });
  const cmDb = new Client({ connectionString: cm.databaseUrl });
  await abDb.connect();
  await cmDb.connect();
  const jti = () => randomUUID();
  const readToken = await signTestToken(
    { sub: 'bench-propagation-reader', roles: ['service-agent'], jti: jti() },
    { expiresInSeconds: 3600 },
  );
  const writeToken = await signTestToken(
    { sub: 'bench-propagation-feed', roles: ['data-steward'], jti: jti() },
    { expiresInSeconds: 3600 },
  );

  const system = `core-banking-${suffix}`;
  const data = seedData(customers, system);
  const seedStarted = performance.now();
  ctx.progress(
    `seeding ${customers} customers with ${data.accounts.length} accounts via POST /imports`,
  );
  await importFile(ab.url, writeToken, system, 'parties', data.parties);
  await importFile(
    ab.url,
    writeToken,
    system,
    'accounts',
    data.accounts.map((a) => a.record),
  );
  let linked = 0;
  let viewed = 0;
  await waitUntil(
    'seeding',
    async () => {
      linked = await count(abDb, 'SELECT count(*) AS n FROM party_customer');
      viewed = await count(
        cmDb,
        `SELECT count(*) AS n FROM view_customer_holdings WHERE jsonb_array_length(data->'accounts') = $1`,
        [ACCOUNTS_PER_CUSTOMER],
      );
      return linked >= customers && viewed >= customers;
    },
    600_000,
    () =>
      `${linked} of ${customers} parties resolved, ${viewed} customers with their accounts in the view`,
    ctx.progress,
  );
  const { rows } = await abDb.query<{ source_key: string; customer_id: string }>(
    'SELECT source_key, customer_id FROM party_customer WHERE source_system = $1',
    [system],
  );
  const customerOf = new Map(rows.map((r) => [r.source_key, r.customer_id]));
  const customerIds = [...new Set(customerOf.values())];
  if (customerIds.length !== customers)
    throw new Error(`${customers} parties became ${customerIds.length} customers, not one each`);
  ctx.progress(
    `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${customerIds.length} customers, each with ${ACCOUNTS_PER_CUSTOMER} accounts in the 360 view`,
  );
  // probe accounts: the first account of evenly spread customers, untouched by the background
  const step = Math.max(1, Math.floor(customers / PROBE_ACCOUNTS));
  const targets: ProbeTarget[] = [];
  for (let c = 0; c < customers && targets.length < PROBE_ACCOUNTS; c += step) {
    const account = data.accounts[c * ACCOUNTS_PER_CUSTOMER];
    targets.push({ account, customerId: customerOf.get(account.partyKey) ?? '' });
  }
  const watchPool = new Pool({ connectionString: cm.databaseUrl, max: 1 });
  // what a reader sees: each probe customer's 360 view has both accounts
  for (const t of targets) {
    const res = await fetch(`${cm.url}/customers/${t.customerId}/360`, {
      headers: { authorization: `Bearer ${readToken}` },
    });
    const view = (await res.json()) as { parts?: { accounts?: { accounts: unknown[] } } };
    if (res.status !== 200 || view.parts?.accounts?.accounts.length !== ACCOUNTS_PER_CUSTOMER)
      throw new Error(`GET /customers/${t.customerId}/360: ${res.status} ${JSON.stringify(view)}`);
  }
  return {
    services,
    watchPool,
    watcher: holdingsWatcher(watchPool),
    ab: abDb,
    cm: cmDb,
    book: new AccountBook(data.accounts),
    targets,
    customerIds,
    nullPipeline,
    producer,
    readToken,
    writeToken,
    inboundSent: 0,
    probesSent: 0,
  };
}

async function tearDown(run: Run | undefined, cleanup: Cleanup): Promise<void> {
  const { services, databases } = cleanup;
  await cleanup.nullPipeline?.stop().catch(() => undefined);
  await cleanup.producer?.disconnect().catch(() => undefined);
  await run?.ab.end().catch(() => undefined);
  await run?.cm.end().catch(() => undefined);
  await run?.watchPool.end().catch(() => undefined);
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all(databases.map((url) => dropDatabase(url).catch(() => undefined)));
}

/** The figures of one run: idle CPU and RSS, then per stage propagation, rates and usage. */
function toFigures(
  customers: number,
  idle: Record<string, Usage>,
  stages: StageResult[],
): Figure[] {
  const figures: Figure[] = [];
  const usage = (scenario: string, name: string, u: Usage, loaded: boolean): Figure[] => [
    { scenario, metric: `${name} CPU`, unit: '% of a core', better: 'lower', value: u.cpuPercent },
    {
      scenario,
      metric: loaded ? `${name} RSS max` : `${name} RSS`,
      unit: 'MiB',
      better: 'lower',
      value: loaded ? u.maxRssMiB : u.meanRssMiB,
    },
    ...(loaded
      ? [
          {
            scenario,
            metric: `${name} waiting for a CPU`,
            unit: 'ms/s',
            better: 'lower',
            value: u.runQueueWaitMsPerS,
          } satisfies Figure,
        ]
      : []),
  ];
  for (const [name, u] of Object.entries(idle))
    figures.push(...usage(`${customers} customers, idle`, name, u, false));
  for (const s of stages) {
    const scenario = `${customers} customers, ${s.label}`;
    const percentiles = [
      ['propagation p50', (xs: number[]) => percentile(xs, 50)],
      ['propagation p99', (xs: number[]) => percentile(xs, 99)],
      ['propagation max', (xs: number[]) => Math.max(...xs)],
    ] as const;
    for (const [metric, pick] of percentiles)
      figures.push({
        scenario,
        metric,
        unit: 'ms',
        better: 'lower',
        value: pick(s.realMs),
        baseline: pick(s.nullMs),
        baselineName: 'null pipeline, 2 Kafka hops',
      });
    if (s.load) {
      figures.push(
        {
          scenario,
          metric: 'background changes applied to the view',
          unit: 'changes/s',
          better: 'higher',
          value: s.appliedPerSecond ?? 0,
          baseline: s.sentPerSecond,
          baselineName: 'account changes sent',
        },
        {
          scenario,
          metric: 'background 360 reads answered',
          unit: 'req/s',
          better: 'higher',
          value: s.load.reads / s.load.seconds,
        },
      );
    }
    for (const [name, u] of Object.entries(s.usage))
      figures.push(...usage(scenario, name, u, true));
  }
  return figures;
}

const bench: Benchmark = {
  name: 'event-propagation',
  description: [
    `An account change at a business system until it is visible in the customer-master 360 view (issue #8), with no background and under load.`,
    `The real account-bridge and customer-master, each in its own process (NODE_ENV=production, TypeScript loaded by @swc-node/register, info-level log to /dev/null, default pools and consumer settings), fresh databases per run, a private Kafka broker started for the benchmark.`,
    `Customers (default ${CUSTOMERS}, --sizes) with ${ACCOUNTS_PER_CUSTOMER} accounts each, loaded through account-bridge's POST /imports and resolved by customer-master's identity resolution before anything is measured.`,
    `Probe: a balance update of one of ${PROBE_ACCOUNTS} probe accounts (no background change touches them) published on ${SourceAccountBalanceRecordedV1.topic} (BENCH_PROPAGATION_VIA=rest: POST /source-account-balances), one every ${PROBE_MS} ms without waiting for earlier ones; propagation = from just before the send to the GET /customers/{id}/360 response that shows the new balance (inbound consume, account + outbox commit, relay, customer-holdings.changed, view projection, read). A watcher reads the view's accounts table every 10 ms for all waiting probes and a GET then confirms, so waiting probes add no read load.`,
    `${QUIET_SECONDS} s of probes with no background, then ${STAGE_SECONDS} s (after a ${WARMUP_SECONDS} s warm-up) under ${RATES.join(' / ')} other account changes/s on the same inbound topics (balance updates, every 10th a status flip as a whole account record, acks=all) plus ${READS} GET 360/s of random customers.`,
    `Baseline, interleaved with the probes under the same load: a null pipeline with the same two Kafka hops and two writes, in the bench process on the same broker and PostgreSQL server (kafkajs produce -> consume -> INSERT -> produce -> consume -> INSERT, its table watched every 10 ms).`,
    `Background rate: snapshots applied by the view per second in the probing window against account changes sent (background + probes).`,
    `CPU (% of one core), RSS and time spent waiting for a CPU (run queue, all threads, ms per s) of each service process from /proc, ${IDLE_SECONDS} s idle after seeding and during each probing window; the machine is shared, and the wait shows how much other work held the services back.`,
    `A run's p99 is over its ${Math.round((QUIET_SECONDS * 1000) / PROBE_MS)} to ${Math.round((STAGE_SECONDS * 1000) / PROBE_MS)} probes, close to its max.`,
  ].join(' '),
  async run(ctx) {
    const figures: Figure[] = [];
    for (const customers of ctx.sizes ?? [CUSTOMERS]) {
      let run: Run | undefined;
      const cleanup: Cleanup = { services: [], databases: [] };
      try {
        run = await setUp(customers, ctx, cleanup);
        await sleep(2_000);
        const idleWatch = watchAll(run.services);
        await sleep(IDLE_SECONDS * 1000);
        const idle = stopAll(idleWatch);
        for (const [name, u] of Object.entries(idle))
          ctx.progress(
            `idle: ${name} CPU ${u.cpuPercent.toFixed(1)}% of a core, RSS ${u.meanRssMiB.toFixed(0)} MiB`,
          );
        const stages: StageResult[] = [await stage(run, ctx, 0, 0, 'no background')];
        for (const rate of RATES)
          stages.push(await stage(run, ctx, rate, READS, `${rate} changes/s + ${READS} reads/s`));

        figures.push(...toFigures(customers, idle, stages));
      } finally {
        await tearDown(run, cleanup);
      }
    }
    return figures;
  },
};

export default bench;
