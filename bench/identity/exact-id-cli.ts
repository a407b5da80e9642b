/**
 * The exact-ID-join baseline as a command-line tool with the offline resolver's contract, so both
 * are measured the same way (child process, same input file, same output format, timed from the
 * first line read to the last assignment written):
 *   exact-id-cli.ts --input records.jsonl --output assignments.jsonl [--rule exact-id]
 * Prints `summary {...}` on stderr like `npm run resolve`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

import type { PartyRecord } from '@bank-crm/identity';

import { runBaseline, type BaselineName } from './baselines';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const input = arg('input');
  const output = arg('output');
  const rule = (arg('rule') ?? 'exact-id') as BaselineName;
  if (!input || !output) {
    process.stderr.write(
      'usage: exact-id-cli.ts --input <jsonl> --output <jsonl> [--rule <rule>]\n',
    );
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const records: PartyRecord[] = [];
  // lines split per 64 KiB chunk (not readline, whose per-line await costs more than the join)
  let rest = '';
  for await (const chunk of createReadStream(input, {
    encoding: 'utf8',
    highWaterMark: 1 << 16,
  }) as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) records.push(JSON.parse(line) as PartyRecord);
  }
  if (rest.trim()) records.push(JSON.parse(rest) as PartyRecord);
  const clusters = runBaseline(records, rule);
  const out = createWriteStream(output, 'utf8');
  for (const r of records) {
    const line = JSON.stringify({
      sourceSystem: r.sourceSystem,
      sourceKey: r.sourceKey,
      customerId: clusters.get(`${r.sourceSystem}:${r.sourceKey}`) ?? null,
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write(
    `${rule}: summary ${JSON.stringify({
      records: records.length,
      seconds: Math.round(seconds * 100) / 100,
      recordsPerSecond: Math.round(records.length / seconds),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`exact-id-cli: failed: ${String(error)}\n`);
  process.exit(1);
});
