/**
 * Pairwise precision / recall / F1 of predicted clusters against truth, counted through the
 * cluster contingency table (sum of C(n, 2) over cells), never by enumerating pairs.
 *   evaluate.ts --truth truth.jsonl --assignments assignments.jsonl
 */
import { readFileSync } from 'node:fs';

export interface PairwiseScores {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  records: number;
}

const c2 = (n: number): number => (n * (n - 1)) / 2;

/** truth: ref -> entity; predicted: ref -> customer id (null = its own singleton). */
export function pairwise(
  truth: Map<string, string>,
  predicted: Map<string, string | null>,
): PairwiseScores {
  const truthSizes = new Map<string, number>();
  const predSizes = new Map<string, number>();
  const cells = new Map<string, number>();
  let records = 0;
  for (const [ref, entity] of truth) {
    records++;
    const cust = predicted.get(ref) ?? `__single:${ref}`;
    truthSizes.set(entity, (truthSizes.get(entity) ?? 0) + 1);
    predSizes.set(cust, (predSizes.get(cust) ?? 0) + 1);
    const cell = `${entity}\u0000${cust}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const n of truthSizes.values()) truePairs += c2(n);
  for (const n of predSizes.values()) predictedPairs += c2(n);
  for (const n of cells.values()) correctPairs += c2(n);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs, records };
}

/** Pairwise agreement of two clusterings of the same records (F1 of one against the other). */
export function agreement(a: Map<string, string | null>, b: Map<string, string | null>): number {
  const asTruth = new Map<string, string>();
  for (const [ref, c] of a) asTruth.set(ref, c ?? `__single:${ref}`);
  return pairwise(asTruth, b).f1;
}

export function readTruth(path: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line) as { ref: string; entity: string };
    m.set(t.ref, t.entity);
  }
  return m;
}

export function readAssignments(path: string): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const a = JSON.parse(line) as {
      sourceSystem: string;
      sourceKey: string;
      customerId: string | null;
    };
    m.set(`${a.sourceSystem}:${a.sourceKey}`, a.customerId);
  }
  return m;
}

if (require.main === module) {
  const i = (n: string): string => process.argv[process.argv.indexOf(`--${n}`) + 1];
  const s = pairwise(readTruth(i('truth')), readAssignments(i('assignments')));
  process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
}
