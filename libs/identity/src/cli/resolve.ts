/**
 * Offline resolver: `npm run resolve -- --input records.jsonl --output assignments.jsonl [--config cfg.json]`.
 * Same engine and default configuration as the service, in memory. Streams the input line by
 * line, reports progress on stderr, writes one assignment line per input record.
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';

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

/**
 * The lines of a UTF-8 file (LF or CRLF), a batch per 64 KiB read: one await per batch instead
 * of one per line, which is what `readline` costs.
 */
export async function* lineBatches(path: string): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: 1 << 16,
  }) as AsyncIterable<string>) {
    const text = rest + chunk;
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      batch.push(
        text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl),
      );
      start = nl + 1;
    }
    rest = text.slice(start);
    yield batch;
  }
  if (rest) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** JSON of each source system name (a handful of them, each repeated on a million lines). */
const systemJson = new Map<string, string>();

/**
 * `JSON.stringify(a)` plus a newline, for the assignment shape (same keys in the same order, the
 * `reason` of a rejected record only): the strings are encoded one by one and the source system's
 * encoding is reused, instead of serialising a new object per line.
 */
export function assignmentLine(a: {
  sourceSystem: string;
  sourceKey: string;
  customerId: string | null;
  reason?: string;
}): string {
  let system = systemJson.get(a.sourceSystem);
  if (system === undefined) {
    system = JSON.stringify(a.sourceSystem);
    if (systemJson.size < 10_000) systemJson.set(a.sourceSystem, system);
  }
  const id = a.customerId === null ? 'null' : JSON.stringify(a.customerId);
  const reason = a.reason === undefined ? '' : `,"reason":${JSON.stringify(a.reason)}`;
  return `{"sourceSystem":${system},"sourceKey":${JSON.stringify(a.sourceKey)},"customerId":${id}${reason}}\n`;
}

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
  for await (const batch of lineBatches(input))
    for (const line of batch) {
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
  let pending = '';
  for (const a of resolver.assignments()) {
    pending += assignmentLine(a);
    if (pending.length < 1 << 16) continue;
    const ok = out.write(pending);
    pending = '';
    if (!ok) await once(out, 'drain');
  }
  out.end(pending);
  await once(out, 'finish');
  // the kernel's peak resident set size of this process (what /usr/bin/time reports)
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
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
