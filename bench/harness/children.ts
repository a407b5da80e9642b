import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/**
 * Child processes of the benchmarks (the services, the bare server): TypeScript run by
 * @swc-node/register from the repository root, as the other benchmarks run it, with only the
 * environment given (and PATH).
 */
const ROOT = resolve(__dirname, '../..');

/** Children still running: killed should the benchmark process exit without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `script` (a path from the repository root) with `args` and exactly `env` (and PATH). */
export function spawnTs(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', SWC_NODE_PROJECT: 'tsconfig.base.json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Keeps the last part of a child's stderr, for the error message should it fail (and echoes it
 * with BENCH_VERBOSE set).
 */
export function stderrTail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    text = (text + d).slice(-4000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  });
  return () => text;
}

/** SIGTERM, then SIGKILL after 20 s; resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the service answers 200 on /health/ready; fails (and stops it) when it exits first
 * or is not ready within `timeoutMs`.
 */
export async function waitUntilReady(
  child: ChildProcess,
  url: string,
  name: string,
  stderr: () => string,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr()}`);
    const ok = await fetch(`${url}/health/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${name} not ready after ${timeoutMs / 1000} s: ${stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
