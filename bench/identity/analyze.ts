/**
 * Error analysis: prints sampled missed pairs (same entity, different customers) and false pairs
 * (different entities, same customer) with the engine's explanation.
 *   analyze.ts --input records.jsonl --truth truth.jsonl --assignments out.jsonl [--n 20]
 */
import { readFileSync } from 'node:fs';

import { formatExplanation, IdentityResolver, type PartyRecord } from '@bank-crm/identity';

import { readAssignments, readTruth } from './evaluate';

const arg = (n: string, d = ''): string => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const records = new Map<string, PartyRecord>();
for (const line of readFileSync(arg('input'), 'utf8').split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line) as PartyRecord;
  records.set(`${r.sourceSystem}:${r.sourceKey}`, r);
}
const truth = readTruth(arg('truth'));
const pred = readAssignments(arg('assignments'));
const n = Number(arg('n', '20'));
const resolver = new IdentityResolver();
const byEntity = new Map<string, string[]>();
for (const [ref, e] of truth) byEntity.set(e, [...(byEntity.get(e) ?? []), ref]);
const byCust = new Map<string, string[]>();
for (const [ref, c] of pred) if (c) byCust.set(c, [...(byCust.get(c) ?? []), ref]);
const out = (s: string): boolean => process.stdout.write(`${s}\n`);
const levelCounts = new Map<string, number>();
let shown = 0;
out('=== missed pairs ===');
for (const refs of byEntity.values()) {
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) {
      if (pred.get(refs[i]) === pred.get(refs[j])) continue;
      const a = records.get(refs[i]);
      const b = records.get(refs[j]);
      if (!a || !b) continue;
      const s = resolver.explainPair(a, b);
      if (typeof s === 'string') continue;
      const sig = s.fields
        .filter((f) => f.level)
        .map((f) => `${f.field}=${f.level}`)
        .join(' ');
      levelCounts.set(sig, (levelCounts.get(sig) ?? 0) + 1);
      if (shown++ < n)
        out(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n  -> ${formatExplanation(s)}\n`);
    }
}
out('=== most common missed patterns ===');
for (const [sig, c] of [...levelCounts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25))
  out(`${c}\t${sig}`);
out('=== false pairs ===');
shown = 0;
for (const refs of byCust.values()) {
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) {
      if (truth.get(refs[i]) === truth.get(refs[j]) || shown >= n) continue;
      const a = records.get(refs[i]);
      const b = records.get(refs[j]);
      if (!a || !b) continue;
      const s = resolver.explainPair(a, b);
      shown++;
      out(
        `${JSON.stringify(a)}\n${JSON.stringify(b)}\n  -> ${typeof s === 'string' ? s : formatExplanation(s)}\n`,
      );
    }
}
