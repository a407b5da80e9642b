/**
 * Error analysis: where recall and precision are lost.
 *   analyze.ts --input records.jsonl --truth truth.jsonl --assignments out.jsonl [--n 20] [--pattern name=different]
 * Prints a loss breakdown of the missed pairs (never compared: no shared usable blocking key;
 * compared but scored below auto-link; auto-link pair blocked by the cluster rules), the recall
 * ceilings that follow (true pairs connected through auto-link pairs that blocking finds / that
 * exist at all), sampled missed pairs with the engine's explanation, the most common missed
 * comparison patterns, sampled false pairs, and the evidence ceiling: the recall (and F1 at
 * precision 1) of linking every true pair that agrees on anything besides the name.
 */
import { readFileSync } from 'node:fs';

import {
  blockingKeys,
  DEFAULT_CONFIG,
  extractFeatures,
  formatExplanation,
  IdentityResolver,
  type Features,
  type PartyRecord,
} from '@bank-crm/identity';

import { pairwise, readAssignments, readTruth } from './evaluate';

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
const pattern = arg('pattern');
// scores with the name frequencies of the whole file (what the resolver knows at its end)
const resolver = new IdentityResolver();
const out = (s: string): boolean => process.stdout.write(`${s}\n`);

const feats = new Map<string, Features>();
const blockSize = new Map<string, number>();
const keysOf = new Map<string, string[]>();
for (const [ref, r] of records) {
  const f = extractFeatures(r);
  if (typeof f === 'string') continue;
  feats.set(ref, f);
  if (f.person) resolver.scorer.names?.observe(f.person);
  const ks = blockingKeys(f);
  keysOf.set(ref, ks);
  for (const k of ks) blockSize.set(k, (blockSize.get(k) ?? 0) + 1);
}
const blocked = (a: string, b: string): boolean => {
  const kb = new Set(keysOf.get(b) ?? []);
  return (keysOf.get(a) ?? []).some(
    (k) => kb.has(k) && (blockSize.get(k) ?? 0) <= DEFAULT_CONFIG.maxBlockSize,
  );
};

const byEntity = new Map<string, string[]>();
for (const [ref, e] of truth) byEntity.set(e, [...(byEntity.get(e) ?? []), ref]);
const byCust = new Map<string, string[]>();
for (const [ref, c] of pred) if (c) byCust.set(c, [...(byCust.get(c) ?? []), ref]);

/** Pairs of one entity connected (transitively) by the given edges. */
function connectedPairs(refs: string[], edge: (i: number, j: number) => boolean): number {
  const p = refs.map((_, i) => i);
  const find = (i: number): number => (p[i] === i ? i : (p[i] = find(p[i])));
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) if (edge(i, j)) p[find(i)] = find(j);
  const sizes = new Map<number, number>();
  for (let i = 0; i < refs.length; i++) sizes.set(find(i), (sizes.get(find(i)) ?? 0) + 1);
  let c = 0;
  for (const s of sizes.values()) c += (s * (s - 1)) / 2;
  return c;
}

const loss = { notBlocked: 0, noLink: 0, review: 0, autoLinkBlocked: 0 };
let truePairs = 0;
let ceilingBlocked = 0;
let ceilingScored = 0;
let ceilingEvidence = 0;
const levelCounts = new Map<string, number>();
let shown = 0;
out('=== missed pairs ===');
for (const refs of byEntity.values()) {
  if (refs.length < 2) continue;
  truePairs += (refs.length * (refs.length - 1)) / 2;
  const auto: boolean[][] = refs.map(() => []);
  const isBlocked: boolean[][] = refs.map(() => []);
  const evidence: boolean[][] = refs.map(() => []);
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) {
      const a = records.get(refs[i]);
      const b = records.get(refs[j]);
      const fa = feats.get(refs[i]);
      const fb = feats.get(refs[j]);
      if (!a || !b || !fa || !fb) continue;
      const s = resolver.scorer.score(fa, fb);
      auto[i][j] = s.band === 'autoLink';
      // any agreement besides the name and the sex it implies: without one, a namesake looks the same
      evidence[i][j] = s.fields.some(
        (f) => f.field !== 'name' && f.field !== 'gender' && f.level !== null && f.weight > 0,
      );
      isBlocked[i][j] = blocked(refs[i], refs[j]);
      if (pred.get(refs[i]) === pred.get(refs[j])) continue;
      if (!isBlocked[i][j]) loss.notBlocked++;
      else if (s.band === 'noLink') loss.noLink++;
      else if (s.band === 'review') loss.review++;
      else loss.autoLinkBlocked++;
      const sig = s.fields
        .filter((f) => f.level)
        .map((f) => `${f.field}=${f.level}`)
        .join(' ');
      levelCounts.set(sig, (levelCounts.get(sig) ?? 0) + 1);
      if ((!pattern || sig.includes(pattern)) && shown++ < n)
        out(
          `${JSON.stringify(a)}\n${JSON.stringify(b)}\n  -> ${formatExplanation(s)}${isBlocked[i][j] ? '' : ' [not blocked]'}\n`,
        );
    }
  ceilingScored += connectedPairs(refs, (i, j) => auto[i][j]);
  ceilingBlocked += connectedPairs(refs, (i, j) => auto[i][j] && isBlocked[i][j]);
  ceilingEvidence += connectedPairs(refs, (i, j) => evidence[i][j]);
}
// records cut off from every other record of their entity: their best pair says what was missing
const isolated = new Map<string, number>();
let isolatedRecords = 0;
for (const refs of byEntity.values()) {
  if (refs.length < 2) continue;
  for (const r of refs) {
    if (refs.some((o) => o !== r && pred.get(o) === pred.get(r) && pred.get(r))) continue;
    const fr = feats.get(r);
    if (!fr) continue;
    isolatedRecords++;
    let best: ReturnType<typeof resolver.scorer.score> | null = null;
    for (const o of refs) {
      const fo = feats.get(o);
      if (o === r || !fo) continue;
      const s = resolver.scorer.score(fr, fo);
      if (!best || s.total > best.total) best = s;
    }
    if (!best) continue;
    const sig = best.fields
      .filter((f) => f.level)
      .map((f) => `${f.field}=${f.level}`)
      .join(' ');
    isolated.set(sig, (isolated.get(sig) ?? 0) + 1);
  }
}
out(`=== ${isolatedRecords} isolated records: best pair within their entity ===`);
for (const [sig, c] of [...isolated.entries()].sort((x, y) => y[1] - x[1]).slice(0, 30))
  out(`${c}\t${sig}`);
out('=== most common missed patterns ===');
for (const [sig, c] of [...levelCounts.entries()].sort((x, y) => y[1] - x[1]).slice(0, 30))
  out(`${c}\t${sig}`);
out('=== false pairs ===');
shown = 0;
const falseBands = { autoLink: 0, review: 0, noLink: 0 };
for (const refs of byCust.values()) {
  for (let i = 0; i < refs.length; i++)
    for (let j = i + 1; j < refs.length; j++) {
      if (truth.get(refs[i]) === truth.get(refs[j])) continue;
      const a = records.get(refs[i]);
      const b = records.get(refs[j]);
      const fa = feats.get(refs[i]);
      const fb = feats.get(refs[j]);
      if (!a || !b || !fa || !fb) continue;
      const s = resolver.scorer.score(fa, fb);
      falseBands[s.band]++;
      if (shown++ < n)
        out(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n  -> ${formatExplanation(s)}\n`);
    }
}
const missed = loss.notBlocked + loss.noLink + loss.review + loss.autoLinkBlocked;
const sc = pairwise(truth, pred);
out('=== summary ===');
out(
  `precision ${sc.precision.toFixed(4)} recall ${sc.recall.toFixed(4)} f1 ${sc.f1.toFixed(4)}; true pairs ${truePairs}, missed ${missed}`,
);
out(
  `missed pairs: never compared ${loss.notBlocked}, noLink ${loss.noLink}, review ${loss.review}, auto-link but blocked by cluster rules ${loss.autoLinkBlocked}`,
);
out(
  `false pairs by their own score: auto-link ${falseBands.autoLink}, review ${falseBands.review}, noLink (linked through others) ${falseBands.noLink}`,
);
out(
  `recall ceiling through auto-link pairs: all pairs ${(ceilingScored / truePairs).toFixed(4)}, blocked pairs ${(ceilingBlocked / truePairs).toFixed(4)}`,
);
// what the data allows at all: every true pair linked that agrees on anything besides the name,
// and no false pair (precision 1)
const evidenceRecall = ceilingEvidence / truePairs;
out(
  `evidence ceiling (true pairs connected through pairs agreeing on something besides the name): recall ${evidenceRecall.toFixed(4)}, F1 at precision 1 ${((2 * evidenceRecall) / (1 + evidenceRecall)).toFixed(4)}`,
);
