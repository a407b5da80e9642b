import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { testAuthEnv } from '@bank-crm/testing';

import { freePort } from '../harness/broker';
import { spawnTs, stderrTail, stopChild, waitUntilReady } from '../harness/children';

/**
 * The two real services of the propagation path, each in its own process as in production:
 * `main.ts setup` (database, migrations, owned topics) and then `main.ts` serving HTTP and its
 * Kafka consumer, TypeScript loaded by @swc-node/register as in the other benches.
 */
export type ServiceName = 'account-bridge' | 'customer-master';

export interface Service {
  name: ServiceName;
  url: string;
  pid: number;
  databaseUrl: string;
  /** From spawning the serving process to its first ready answer. */
  startSeconds: number;
  stop(): Promise<void>;
}

function spawnService(name: ServiceName, args: string[], env: Record<string, string>) {
  return spawnTs(`apps/${name}/src/main.ts`, args, env);
}

export interface ServiceOptions {
  databaseUrl: string;
  brokers: string;
  /** A new consumer group starts here: earlier runs' events on the same broker are not read. */
  startAt: string;
  /** LOG_LEVEL of the service (default $BENCH_LOG_LEVEL, else info). */
  logLevel?: string;
  /** Where the service's log (stdout) goes (default BENCH_PROPAGATION_LOG_DIR/<service>.log). */
  logFile?: string;
  /** More environment of the service (settings other than the defaults). */
  env?: Record<string, string>;
}

async function serviceEnv(o: ServiceOptions, port: number): Promise<Record<string, string>> {
  return {
    ...(await testAuthEnv()), // in-memory ES256 key of this process, issuer bank-crm-test
    NODE_ENV: 'production',
    DATABASE_URL: o.databaseUrl,
    KAFKA_BROKERS: o.brokers,
    KAFKA_GROUP_ID: `bench-propagation-${randomUUID().slice(0, 8)}`,
    KAFKA_NEW_GROUP_START_AT: o.startAt,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: o.logLevel ?? process.env.BENCH_LOG_LEVEL ?? 'info',
    ...o.env,
  };
}

/** Runs the one-shot set-up, then starts the service and waits for /health/ready. */
export async function startService(name: ServiceName, o: ServiceOptions): Promise<Service> {
  const port = await freePort();
  const env = await serviceEnv(o, port);
  const setup = spawnService(name, ['setup'], env);
  setup.stdout?.resume();
  const setupErr = stderrTail(setup);
  const [code] = (await once(setup, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${name} setup exited with ${code}: ${setupErr()}`);

  const started = performance.now();
  const child = spawnService(name, [], env);
  // the request log goes nowhere (or to logFile, or BENCH_PROPAGATION_LOG_DIR/<service>.log), but is written
  const logFile =
    o.logFile ??
    (process.env.BENCH_PROPAGATION_LOG_DIR
      ? join(process.env.BENCH_PROPAGATION_LOG_DIR, `${name}.log`)
      : undefined);
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    child.stdout?.pipe(createWriteStream(logFile));
  } else child.stdout?.resume();
  const stderr = stderrTail(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(child, url, name, stderr);
  child.once('exit', (exitCode, signal) => {
    if (exitCode !== 0 && signal !== 'SIGTERM')
      process.stderr.write(`${name} exited (${exitCode ?? signal}): ${stderr()}\n`);
  });
  return {
    name,
    url,
    pid: child.pid ?? 0,
    databaseUrl: o.databaseUrl,
    startSeconds: (performance.now() - started) / 1000,
    stop: () => stopChild(child),
  };
}

/**
 * Time the process's threads spent runnable but waiting for a CPU, in ms since they started
 * (the second field of /proc/<pid>/task/<tid>/schedstat, summed): how much the rest of the
 * machine held the service back.
 */
export function runQueueWaitMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // the thread ended
    }
  }
  return ns / 1e6;
}
