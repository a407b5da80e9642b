/**
 * Helpers of the messaging integration tests. (The lib cannot use `@bank-crm/testing`: that lib
 * depends on this one.) Everything a test creates is its own: databases, topics, consumer groups.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  ENVELOPE_SPEC_VERSION,
  type EventDefinition,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { dropDatabase, ensureDatabase } from '@bank-crm/persistence';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';

import { createKafka } from '../kafka/kafka-factory';
import { ensureTopics } from '../kafka/topics';
import { MESSAGING_MIGRATIONS } from '../index';
import { FixtureTables1764300009000 } from './fixtures/fixture-tables.migration';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const TEST_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const PG_BASE_URL = process.env.TEST_PG_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const FIXTURES = path.join(__dirname, 'fixtures');

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** A fresh database with the messaging tables and the fixture tables. */
export async function createFixtureDatabase(
  prefix: string,
): Promise<{ url: string; db: DataSource }> {
  const url = `${PG_BASE_URL}/test_msg_${prefix.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`;
  await ensureDatabase(url);
  const db = new DataSource({
    type: 'postgres',
    url,
    migrations: [...MESSAGING_MIGRATIONS, FixtureTables1764300009000],
    migrationsTableName: 'schema_migrations',
    extra: { max: 4 },
    logging: false,
  });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  return { url, db };
}

export async function dropFixtureDatabase(url: string, db?: DataSource): Promise<void> {
  await db?.destroy().catch(() => undefined);
  await dropDatabase(url);
}

export function testKafka(brokers = TEST_BROKERS): Kafka {
  return createKafka({ brokers: brokers.split(','), clientId: `msg-test-${uniqueSuffix()}` });
}

/** Creates the test's own topics (unique names), waiting for their leaders. */
export async function createTopics(
  kafka: Kafka,
  topics: { topic: string; partitions: number }[],
): Promise<void> {
  await ensureTopics(kafka, topics);
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** An envelope of the probe event for `key` with sequence number `seq`. */
export function probeEnvelope(
  definition: EventDefinition,
  key: string,
  seq: number,
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope<{ seq: number }> {
  return {
    specVersion: ENVELOPE_SPEC_VERSION,
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    producer: definition.owner,
    subject: key,
    correlationId: randomUUID(),
    payload: { seq },
    ...overrides,
  } as EventEnvelope<{ seq: number }>;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key?.toString('utf8') ?? null,
    value: m.value?.toString('utf8') ?? null,
    headers: headersToStrings(m.headers),
  };
}

/**
 * Reads a topic from the beginning with a throw-away group until `done` says the messages are
 * enough or `timeoutMs` passes (then returns what it has).
 */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  done: (messages: ConsumedMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const consumer = kafka.consumer({
    groupId: `msg-test-reader-${uniqueSuffix()}`,
    maxWaitTimeInMs: 200,
  });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ topic: t, partition, message }) => {
          messages.push(toConsumed(t, partition, message));
          if (done(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The high watermark (end offset) of each partition of a topic. */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

export interface FixtureLine {
  t: string;
  at: number;
  pid: number;
  [field: string]: unknown;
}

/** A fixture program running as a child process; its stdout JSON lines are collected. */
export class FixtureProcess {
  readonly lines: FixtureLine[] = [];
  private stderrTail: string[] = [];
  private exitPromise: Promise<number | null>;
  private listeners: ((line: FixtureLine) => void)[] = [];

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const line = JSON.parse(text) as FixtureLine;
          this.lines.push(line);
          for (const listener of this.listeners) listener(line);
        } catch {
          this.stderrTail.push(`(stdout) ${text}`);
        }
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      if (this.stderrTail.length > 200) this.stderrTail.splice(0, this.stderrTail.length - 200);
    });
    this.exitPromise = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  stderr(): string {
    return this.stderrTail.join('\n');
  }

  onLine(listener: (line: FixtureLine) => void): void {
    this.listeners.push(listener);
  }

  /** The first line of type `t` (matching `where`), waiting for it. */
  async line(t: string, where: (l: FixtureLine) => boolean = () => true, timeoutMs = 60_000) {
    return waitFor(
      () => {
        if (this.exited && !this.lines.some((l) => l.t === t && where(l))) {
          throw new Error(`${this.name} exited (code ${this.child.exitCode}):\n${this.stderr()}`);
        }
        return this.lines.find((l) => l.t === t && where(l));
      },
      { timeoutMs, intervalMs: 20, what: `${this.name}: ${t}` },
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.exited) this.child.kill(signal);
  }

  async killAndWait(
    signal: NodeJS.Signals = 'SIGKILL',
    timeoutMs = 30_000,
  ): Promise<number | null> {
    this.kill(signal);
    const timer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exitPromise;
    } finally {
      clearTimeout(timer);
    }
  }

  wait(): Promise<number | null> {
    return this.exitPromise;
  }
}

/** Starts `fixtures/<file>` with SWC (path aliases from tsconfig.base.json). */
export function startFixture(
  file: string,
  env: Record<string, string>,
  name = file,
): FixtureProcess {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.base.json'),
    ...env,
  };
  // Jest sets NODE_ENV=test, which switches kafkajs to its test retry defaults: run as in production
  delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(FIXTURES, file)], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new FixtureProcess(name, child);
}

/** Runs a command to completion; resolves with its exit code and output. */
export function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 300_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Writes a report of figures to `.local/reports/<name>.json` and prints it as one JSON line. */
export function report(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ report: name, ...figures });
  process.stdout.write(`${line}\n`);
  const dir = path.join(REPO_ROOT, '.local', 'reports');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** Value of a Prometheus sample whose labels include all of `labels` (0 when absent). */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      have[pair[1]] = pair[2];
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(match[3]);
  }
  return total;
}

export interface EffectStats {
  rows: number;
  distinct: number;
  duplicates: number;
  missing: number;
  orderViolations: number;
}

/**
 * Compares the `effects` table with what was produced (`expected`: per key, sequence numbers
 * 1..n): missing events, duplicate effects (rows beyond the first per key+seq) and keys whose
 * effects, in insertion order, are not in ascending sequence.
 */
export async function effectStats(
  db: DataSource,
  expected: Map<string, number>,
): Promise<EffectStats> {
  const rows: { key: string; seq: number }[] = await db.query(
    'SELECT key, seq FROM effects ORDER BY id',
  );
  const seen = new Map<string, number[]>();
  for (const row of rows) {
    const list = seen.get(row.key) ?? [];
    list.push(Number(row.seq));
    seen.set(row.key, list);
  }
  let distinct = 0;
  let missing = 0;
  let orderViolations = 0;
  for (const [key, count] of expected) {
    const list = seen.get(key) ?? [];
    const unique = new Set(list);
    for (let seq = 1; seq <= count; seq += 1) if (!unique.has(seq)) missing += 1;
    distinct += unique.size;
    for (let i = 1; i < list.length; i += 1) if (list[i] <= list[i - 1]) orderViolations += 1;
  }
  return {
    rows: rows.length,
    distinct,
    duplicates: rows.length - distinct,
    missing,
    orderViolations,
  };
}
