/**
 * Offline resolver: `npm run resolve -- --input records.jsonl --output assignments.jsonl [--config cfg.json]`.
 * Same engine and default configuration as the service, in memory. Streams the input line by
 * line, reports progress on stderr, writes one assignment line per input record.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import { DEFAULT_CONFIG, type MatchConfig } from '../config';
import type { PartyRecord } from '../features';
import { IdentityResolver } from '../resolver';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

export async function runResolve(
  input: string,
  output: string,
  config: MatchConfig,
  progressEvery = 100_000,
) {
  const resolver = new IdentityResolver(config);
  const started = process.hrtime.bigint();
  let peakRss = process.memoryUsage().rss;
  let lineNo = 0;
  let badJson = 0;
  const rl = createInterface({
    input: createReadStream(input, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let record: PartyRecord;
    try {
      record = JSON.parse(line) as PartyRecord;
    } catch {
      badJson++;
      record = { sourceSystem: '', sourceKey: `line-${lineNo}`, partyType: 'individual' };
    }
    resolver.add(record);
    if (resolver.stats.records % progressEvery === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const secs = Number(process.hrtime.bigint() - started) / 1e9;
      log(
        `resolve: ${resolver.stats.records} records, ${resolver.stats.customers} customers, ${Math.round(resolver.stats.records / secs)} records/s`,
      );
    }
  }
  const out = createWriteStream(output, { encoding: 'utf8' });
  for (const a of resolver.assignments()) {
    if (!out.write(`${JSON.stringify(a)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const s = resolver.stats;
  const summary = {
    records: s.records,
    customers: s.customers,
    merges: s.merges,
    reviewItems: s.reviewItems,
    rejects: s.rejected,
    badJsonLines: badJson,
    seconds: Math.round(seconds * 100) / 100,
    recordsPerSecond: Math.round(s.records / seconds),
    peakRssMiB: Math.round(peakRss / 2 ** 20),
  };
  log(`resolve: summary ${JSON.stringify(summary)}`);
  return summary;
}

if (require.main === module) {
  const input = arg('input');
  const output = arg('output');
  if (!input || !output) {
    log(
      'usage: npm run resolve -- --input records.jsonl --output assignments.jsonl [--config config.json]',
    );
    process.exit(2);
  }
  const cfgPath = arg('config');
  const config = cfgPath
    ? (JSON.parse(readFileSync(cfgPath, 'utf8')) as MatchConfig)
    : DEFAULT_CONFIG;
  runResolve(input, output, config).catch((err: unknown) => {
    log(`resolve: failed: ${String(err)}`);
    process.exit(1);
  });
}
