import { randomUUID } from 'node:crypto';
import { once } from 'node:events';

import { signTestToken, testAuthEnv } from '@bank-crm/testing';
import autocannon from 'autocannon';

import { spawnTs, stderrTail, stopChild, waitUntilReady } from '../harness/children';
import { percentile } from '../harness/stats';
import { watchProcess, type WindowUsage } from '../harness/proc';
import type { Benchmark, BenchContext, Figure } from '../harness/types';
import { freePort, privateBroker } from '../harness/broker';
import { customerId, isLoaded, load } from './load';

/**
 * 360-view reads: the real customer-master service (its own process, production settings,
 * info-level request log to /dev/null, a private quiet Kafka broker) against a bare
 * node:http + pg server running the same SQL, on the same database of N customers, driven by
 * autocannon at fixed request rates and flat out; the CPU and RSS of each server process idle
 * and under load, from /proc.
 */
const PG = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const RATES = env('BENCH_360_RATES', '50,150').split(',').map(Number);
const STAGE_SECONDS = Number(env('BENCH_360_SECONDS', '8'));
const IDLE_SECONDS = Number(env('BENCH_360_IDLE_SECONDS', '5'));
const CONNECTIONS = Number(env('BENCH_360_CONNECTIONS', '10'));
const POOL_SIZE = '10'; // customer-master's default DATABASE_POOL_SIZE, for both servers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  url: string;
  /** From spawning the process to its first ready answer. */
  startSeconds: number;
  pid: number;
  stop(): Promise<void>;
}

async function serviceEnv(
  databaseUrl: string,
  brokers: string,
  extra: Record<string, string> = {},
) {
  return {
    ...(await testAuthEnv()), // in-memory ES256 key of this process, issuer bank-crm-test
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: POOL_SIZE,
    KAFKA_BROKERS: brokers,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** The service's one-shot set-up: database, migrations, owned topics. */
async function setupSchema(databaseUrl: string, brokers: string): Promise<void> {
  const child = spawnTs('apps/customer-master/src/main.ts', ['setup'], {
    ...(await serviceEnv(databaseUrl, brokers)),
    KAFKA_GROUP_ID: 'bench-360-setup',
  });
  child.stdout?.resume();
  const stderr = stderrTail(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`customer-master setup exited with ${code}: ${stderr()}`);
}

async function startService(databaseUrl: string, brokers: string): Promise<Server> {
  const groupId = `bench-360-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const started = performance.now();
  const child = spawnTs('apps/customer-master/src/main.ts', [], {
    ...(await serviceEnv(databaseUrl, brokers, { PORT: String(port), KAFKA_GROUP_ID: groupId })),
  });
  child.stdout?.resume(); // the request log goes nowhere, but is written
  const stderr = stderrTail(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, url, 'customer-master', stderr);
  return {
    url,
    startSeconds: (performance.now() - started) / 1000,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

async function startBare(databaseUrl: string): Promise<Server> {
  const started = performance.now();
  const child = spawnTs('bench/customer-360-read/bare-server.ts', [], {
    DATABASE_URL: databaseUrl,
    POOL_SIZE,
  });
  const stderr = stderrTail(child);
  const port = await new Promise<number>((done, fail) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) done(Number(m[1]));
    });
    child.once('exit', () => fail(new Error(`bare server exited: ${stderr()}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    startSeconds: (performance.now() - started) / 1000,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

interface LoadResult {
  latenciesMs: number[];
  okPerSecond: number;
  usage: WindowUsage;
  okCount: number;
}

/** One autocannon stage over random customers; latency of every 200 response, in ms. */
async function drive(
  server: Server,
  token: string,
  size: number,
  seconds: number,
  rate?: number,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let bad = 0;
  const watch = watchProcess(server.pid);
  const instance = autocannon({
    url: server.url,
    connections: rate ? Math.min(CONNECTIONS, rate) : CONNECTIONS,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          path: `/customers/${customerId(1 + Math.floor(Math.random() * size))}/360`,
        }),
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latenciesMs.push(ms);
    else bad += 1;
  });
  const result = await instance;
  const usage = watch.stop();
  if (bad || result.errors || result.timeouts)
    throw new Error(
      `${server.url}: ${bad} non-200 responses, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  return {
    latenciesMs,
    okCount: latenciesMs.length,
    okPerSecond: latenciesMs.length / usage.seconds,
    usage,
  };
}

interface ServerRun {
  idle: WindowUsage;
  stages: { rate: number | undefined; result: LoadResult }[];
}

async function measure(
  name: string,
  server: Server,
  token: string,
  size: number,
  ctx: BenchContext,
): Promise<ServerRun> {
  ctx.progress(
    `${name}: ready after ${server.startSeconds.toFixed(1)} s; idle for ${IDLE_SECONDS} s`,
  );
  await sleep(3_000);
  const idleWatch = watchProcess(server.pid);
  await sleep(IDLE_SECONDS * 1000);
  const idle = idleWatch.stop();
  ctx.progress(
    `${name}: idle CPU ${idle.cpuPercent.toFixed(1)}% of a core, RSS ${idle.meanRssMiB.toFixed(0)} MiB`,
  );
  ctx.progress(`${name}: warm-up 3 s flat out`);
  await drive(server, token, size, 3);
  const stages: ServerRun['stages'] = [];
  for (const rate of [...RATES, undefined]) {
    const result = await drive(server, token, size, STAGE_SECONDS, rate);
    ctx.progress(
      `${name}: ${rate ? `${rate} req/s` : 'flat out'} -> ${result.okPerSecond.toFixed(0)} req/s, p50 ${percentile(result.latenciesMs, 50).toFixed(2)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(2)} ms, CPU ${result.usage.cpuPercent.toFixed(0)}%`,
    );
    stages.push({ rate, result });
  }
  return { idle, stages };
}

let runNumber = 0;

const bench: Benchmark = {
  name: 'customer-360-read',
  description: `GET /customers/{id}/360 on customer-master (own process, NODE_ENV=production, TypeScript loaded by @swc-node/register as in the tests, info-level request log written to /dev/null, bearer token verified on every request, connected to a private Kafka broker started for the benchmark so that no other user's events reach it) against a bare node:http + pg server running the same seven SQL statements in the same order (no framework, token check or logging), both with a pool of ${POOL_SIZE} connections, on the same database (default 100k customers in bank_crm_bench_360_<n>, kept between runs and loaded once with INSERT ... SELECT generate_series; --sizes 1000000 for a million). autocannon (${CONNECTIONS} connections, in the bench process) asks for random customers at ${RATES.join(' and ')} req/s (its per-second budget per connection, so requests come in bursts) and then flat out, ${STAGE_SECONDS} s each after a 3 s warm-up; latency = every 200 response, measured by autocannon's client. CPU (% of one core, and CPU ms per request) and RSS of each server process from /proc, idle for ${IDLE_SECONDS} s after start and during each stage. All on the same 2-core machine as PostgreSQL and the load generator; the two servers take turns going first between repeats.`,
  async run(ctx) {
    runNumber += 1;
    const figures: Figure[] = [];
    const token = await signTestToken(
      { sub: 'bench-360', roles: ['service-agent'], jti: randomUUID() },
      { expiresInSeconds: 3600 },
    );
    const brokers = await privateBroker(ctx.progress);
    for (const size of ctx.sizes ?? [Number(env('BENCH_360_SIZE', '100000'))]) {
      const databaseUrl = `${PG}/bank_crm_bench_360_${size}`;
      if (!(await isLoaded(databaseUrl, size))) {
        ctx.progress(`loading ${size} customers into ${databaseUrl}`);
        const seconds = await load(
          databaseUrl,
          size,
          () => setupSchema(databaseUrl, brokers),
          ctx.progress,
        );
        ctx.progress(`loaded in ${seconds.toFixed(0)} s`);
      }
      const order = runNumber % 2 === 1 ? ['service', 'bare'] : ['bare', 'service'];
      const runs: Record<string, ServerRun> = {};
      for (const which of order) {
        ctx.progress(
          `starting the ${which === 'service' ? 'customer-master service' : 'bare server'}`,
        );
        const server =
          which === 'service'
            ? await startService(databaseUrl, brokers)
            : await startBare(databaseUrl);
        try {
          runs[which] = await measure(which, server, token, size, ctx);
        } finally {
          await server.stop();
        }
      }
      const svc = runs.service;
      const bare = runs.bare;
      const base = { baselineName: 'bare node:http + pg', size };
      const idleScenario = `${size} customers, idle`;
      figures.push(
        {
          ...base,
          scenario: idleScenario,
          metric: 'CPU',
          unit: '% of a core',
          better: 'lower',
          value: svc.idle.cpuPercent,
          baseline: bare.idle.cpuPercent,
        },
        {
          ...base,
          scenario: idleScenario,
          metric: 'RSS',
          unit: 'MiB',
          better: 'lower',
          value: svc.idle.meanRssMiB,
          baseline: bare.idle.meanRssMiB,
        },
      );
      svc.stages.forEach(({ rate, result }, i) => {
        const b = bare.stages[i].result;
        const scenario = `${size} customers, ${rate ? `${rate} req/s asked` : 'flat out'}`;
        const f = (
          metric: string,
          unit: string,
          better: 'higher' | 'lower',
          pick: (r: LoadResult) => number,
        ): Figure => ({
          ...base,
          scenario,
          metric,
          unit,
          better,
          value: pick(result),
          baseline: pick(b),
        });
        figures.push(
          f('throughput', 'req/s', 'higher', (r) => r.okPerSecond),
          f('latency p50', 'ms', 'lower', (r) => percentile(r.latenciesMs, 50)),
          f('latency p99', 'ms', 'lower', (r) => percentile(r.latenciesMs, 99)),
          f('CPU', '% of a core', 'lower', (r) => r.usage.cpuPercent),
          f('CPU per request', 'ms', 'lower', (r) => (1000 * r.usage.cpuSeconds) / r.okCount),
          f('RSS max', 'MiB', 'lower', (r) => r.usage.maxRssMiB),
        );
      });
    }
    return figures;
  },
};

export default bench;
