import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { appendReport, machine, scalingSection, table } from './harness/report';
import { summarise } from './harness/stats';
import type { Benchmark, Figure } from './harness/types';

/**
 * `npm run bench -- <name>|all [--repeats N] [--sizes 10000,100000]`: runs each benchmark N times
 * (each run measures its own baseline), prints the figures as JSON and as a table, and appends
 * them with a chart to docs/benchmarks.md.
 */
const ROOT = resolve(__dirname, '..');

function available(): string[] {
  return readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(__dirname, d.name, 'bench.ts')))
    .map((d) => d.name)
    .sort();
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repeats: { type: 'string', default: '3' },
      sizes: { type: 'string' },
      'no-report': { type: 'boolean' },
    },
  });
  const names = positionals[0] === 'all' ? available() : positionals;
  if (names.length === 0) {
    process.stderr.write(
      `usage: npm run bench -- <name>|all [--repeats N] [--sizes a,b]\navailable: ${available().join(', ')}\n`,
    );
    process.exit(2);
  }
  const repeats = Math.max(1, Number(values.repeats));
  const sizes = values.sizes?.split(',').map(Number);
  process.stderr.write(`machine: ${machine()}\n`);
  for (const name of names) {
    if (!available().includes(name))
      throw new Error(`no benchmark "${name}"; available: ${available().join(', ')}`);
    const bench = (require(join(__dirname, name, 'bench.ts')) as { default: Benchmark }).default;
    const runs: Figure[][] = [];
    for (let i = 1; i <= repeats; i += 1) {
      const progress = (m: string) => process.stderr.write(`[${name} ${i}/${repeats}] ${m}\n`);
      progress('starting');
      runs.push(await bench.run({ sizes, progress }));
    }
    const figures = summarise(runs);
    process.stdout.write(`${JSON.stringify({ benchmark: name, machine: machine(), figures })}\n`);
    process.stdout.write(`\n${bench.name}: ${bench.description}\n${table(figures)}\n\n`);
    const scaling = scalingSection(figures);
    if (scaling) process.stdout.write(`${scaling}\n`);
    if (!values['no-report']) {
      const command = `npm run bench -- ${name} --repeats ${repeats}${values.sizes ? ` --sizes ${values.sizes}` : ''}`;
      process.stderr.write(
        `appended to ${appendReport(ROOT, name, bench.description, command, figures)}\n`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
