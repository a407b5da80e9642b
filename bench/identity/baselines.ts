/** Deterministic rule baselines on the same normalised features as the engine. */
import { extractFeatures, type Features, type PartyRecord } from '@bank-crm/identity';

export type BaselineName = 'exact-id' | 'id+phone' | 'id-or-name+dob';

class UnionFind {
  private readonly p: Int32Array;
  constructor(n: number) {
    this.p = new Int32Array(n).map((_, i) => i);
  }
  find(i: number): number {
    while (this.p[i] !== i) {
      this.p[i] = this.p[this.p[i]];
      i = this.p[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const x = this.find(a);
    const y = this.find(b);
    if (x !== y) this.p[Math.max(x, y)] = Math.min(x, y);
  }
}

function idKey(f: Features): string | null {
  if (f.party === 'organization') return f.orgCode ? `oc:${f.orgCode}` : f.id ? `id:${f.id}` : null;
  return f.id ? `${f.idKind ?? ''}:${f.id}` : null;
}

function nameKey(f: Features): string | null {
  if (f.party === 'organization') return f.org ? `on:${f.org.full}` : null;
  const p = f.person;
  return p ? (p.han ?? [...p.tokens].sort().join(' ')) : null;
}

/** Returns ref -> cluster label. Records sharing a rule key are linked (transitively). */
export function runBaseline(
  records: PartyRecord[],
  rule: BaselineName,
): Map<string, string | null> {
  const feats: (Features | null)[] = records.map((r) => {
    const f = extractFeatures(r);
    return typeof f === 'string' ? null : f;
  });
  const uf = new UnionFind(records.length);
  const seen = new Map<string, number>();
  const link = (key: string | null, i: number): void => {
    if (!key) return;
    const j = seen.get(key);
    if (j === undefined) seen.set(key, i);
    else uf.union(i, j);
  };
  feats.forEach((f, i) => {
    if (!f) return;
    const id = idKey(f);
    if (rule === 'exact-id') link(id, i);
    else if (rule === 'id+phone') link(id && f.phone ? `${id}|${f.phone}` : null, i);
    else {
      link(id, i);
      const n = nameKey(f);
      link(n && f.birthDate ? `${f.party}|${n}|${f.birthDate}` : null, i);
    }
  });
  const out = new Map<string, string | null>();
  records.forEach((r, i) =>
    out.set(`${r.sourceSystem}:${r.sourceKey}`, feats[i] ? `c${uf.find(i)}` : null),
  );
  return out;
}
