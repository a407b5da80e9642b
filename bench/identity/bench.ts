import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { PartyRecord } from '@bank-crm/identity';

import type { Benchmark, BenchContext, Figure } from '../harness/types';
import { runBaseline } from './baselines';
import { pairwise, readAssignments, type PairwiseScores } from './evaluate';
import { generate, writeGenerated } from './generate';

/**
 * Offline identity resolution: the resolver CLI (`npm run resolve`, the same engine and default
 * configuration as the service) against the exact-ID join, both run as child processes on the
 * same generated file (held-out seed 77, truth kept aside) and timed the same way; peak memory is
 * the kernel's max RSS of each process. Quality is pairwise precision / recall / F1 against the
 * truth, also for two stronger deterministic rules (quality only).
 *
 * Sizes: `--sizes` (records; shared with other benchmarks in an `all` run), else
 * BENCH_IDENTITY_SIZES, else 100k. Locales: BENCH_IDENTITY_LOCALES (default cn).
 */
const ROOT = resolve(__dirname, '../..');
const SEED = 77; // held out: the default weights were tuned on seed 11
const RECORDS_PER_PERSON = 2.23; // what generate() yields on average per person

interface Dataset {
  input: string;
  truth: Map<string, string>;
  records: PartyRecord[];
  /** Quality of the two stronger rules (deterministic, so computed once per data set). */
  rules?: { idPhone: PairwiseScores; nameDob: PairwiseScores };
}

interface ChildResult {
  recordsPerSecond: number;
  peakRssMiB: number;
  output: string;
}

let workDir: string | undefined;
const datasets = new Map<string, Dataset>();

/** One temporary directory per bench process, removed when it exits. */
function dir(): string {
  if (!workDir) {
    const made = mkdtempSync(join(tmpdir(), 'bench-identity-'));
    workDir = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return workDir;
}

/** Generated once per process and size (generation is not measured; repeats reuse the file). */
async function dataset(locale: 'cn' | 'western', size: number, ctx: BenchContext) {
  const key = `${locale}-${size}`;
  const cached = datasets.get(key);
  if (cached) return cached;
  const people = Math.ceil(size / RECORDS_PER_PERSON);
  ctx.progress(`${key}: generating ${people} people (seed ${SEED})`);
  const g = generate({ people, seed: SEED, locale });
  const input = join(dir(), `${key}.jsonl`);
  await writeGenerated(g, input, join(dir(), `${key}.truth.jsonl`));
  const data: Dataset = { input, truth: g.truth, records: g.records as unknown as PartyRecord[] };
  datasets.set(key, data);
  return data;
}

/**
 * Runs a TypeScript entry point in a child process with the max-RSS preload, and reads the
 * `summary {...}` line the tool prints on stderr.
 */
function runChild(script: string, args: string[], ctx: BenchContext): Promise<ChildResult> {
  const output = args[args.indexOf('--output') + 1];
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=16384',
        '-r',
        '@swc-node/register',
        '-r',
        './bench/identity/max-rss.ts',
        script,
        ...args,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-64 * 1024);
      for (const line of chunk.split('\n'))
        if (/ \d+ records, /.test(line)) ctx.progress(line.trim());
    });
    child.on('error', fail);
    child.on('close', (code) => {
      const summary = /summary (\{.*\})/.exec(stderr);
      const maxRss = /max-rss-kb (\d+)/.exec(stderr);
      if (code !== 0 || !summary || !maxRss) {
        fail(new Error(`${script} exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      done({
        recordsPerSecond: (JSON.parse(summary[1]) as { recordsPerSecond: number }).recordsPerSecond,
        peakRssMiB: Number(maxRss[1]) / 1024,
        output,
      });
    });
  });
}

function envList(name: string): string[] | undefined {
  const v = process.env[name];
  return v ? v.split(',').filter(Boolean) : undefined;
}

const bench: Benchmark = {
  name: 'identity',
  description:
    'Offline identity resolver (`npm run resolve`, default configuration) against the exact-ID join (records sharing a normalised ID or organisation code are one customer), each in its own child process on the same generated file (held-out seed 77): records/s from first line read to last assignment written, peak memory = kernel max RSS of the process; pairwise precision/recall/F1 against the generated truth, F1 also against two stronger rules (id+phone, id-or-name+dob). Default size 100k records, because one run at 1M took about 8 minutes on this 2-core machine (the resolver alone about 4), too long for the default 3 repeats: ask for it with `--sizes 100000,1000000` (or BENCH_IDENTITY_SIZES). BENCH_IDENTITY_LOCALES=cn,western adds the western data set. Generation is not measured and runs once per process.',
  async run(ctx) {
    const sizes =
      ctx.sizes ?? envList('BENCH_IDENTITY_SIZES')?.map(Number) ?? ([100_000] as number[]);
    const locales = (envList('BENCH_IDENTITY_LOCALES') ?? ['cn']) as ('cn' | 'western')[];
    const figures: Figure[] = [];
    for (const locale of locales) {
      for (const size of sizes) {
        const data = await dataset(locale, size, ctx);
        const n = data.records.length;
        const key = `${locale}-${size}`;
        ctx.progress(`${key}: offline resolver on ${n} records`);
        const engine = await runChild(
          'libs/identity/src/cli/resolve.ts',
          ['--input', data.input, '--output', join(dir(), `${key}.engine.jsonl`)],
          ctx,
        );
        ctx.progress(`${key}: exact-ID join on ${n} records`);
        const exact = await runChild(
          'bench/identity/exact-id-cli.ts',
          ['--input', data.input, '--output', join(dir(), `${key}.exact-id.jsonl`)],
          ctx,
        );
        ctx.progress(`${key}: scoring against the truth`);
        const engineScore = pairwise(data.truth, readAssignments(engine.output));
        const exactScore = pairwise(data.truth, readAssignments(exact.output));
        data.rules ??= {
          idPhone: pairwise(data.truth, runBaseline(data.records, 'id+phone')),
          nameDob: pairwise(data.truth, runBaseline(data.records, 'id-or-name+dob')),
        };
        const { idPhone, nameDob } = data.rules;

        const scenario = `${locale}, ${n} records`;
        const vsExact = { scenario, size: n, baselineName: 'exact-ID join' };
        const quality = (metric: keyof PairwiseScores): Figure => ({
          ...vsExact,
          metric,
          unit: 'pairwise',
          better: 'higher',
          value: engineScore[metric],
          baseline: exactScore[metric],
        });
        figures.push(
          {
            ...vsExact,
            metric: 'throughput',
            unit: 'records/s',
            better: 'higher',
            value: engine.recordsPerSecond,
            baseline: exact.recordsPerSecond,
          },
          {
            ...vsExact,
            metric: 'peak RSS',
            unit: 'MiB',
            better: 'lower',
            value: engine.peakRssMiB,
            baseline: exact.peakRssMiB,
          },
          quality('precision'),
          quality('recall'),
          quality('f1'),
          {
            scenario,
            size: n,
            metric: 'f1 vs id+phone rule',
            unit: 'pairwise',
            better: 'higher',
            value: engineScore.f1,
            baseline: idPhone.f1,
            baselineName: 'id+phone rule',
          },
          {
            scenario,
            size: n,
            metric: 'f1 vs id-or-name+dob rule',
            unit: 'pairwise',
            better: 'higher',
            value: engineScore.f1,
            baseline: nameDob.f1,
            baselineName: 'id-or-name+dob rule',
          },
        );
      }
    }
    return figures;
  },
};

export default bench;
