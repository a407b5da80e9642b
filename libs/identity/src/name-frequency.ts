import type { TokenCounts } from './name-compare';
import type { PersonName } from './normalize/name';

/**
 * The configured name weights allow for a name borne by this many people (u = 1e-4 for an exact
 * agreement: one person in 10,000 bears a given name, 16 people in a customer base of 160,000).
 */
export const SHARED_NAME_BEARERS = 16;

/**
 * How many people bear each person name, among the records seen: the term-frequency adjustment
 * of the name weight. Each bearer of a name could share the other attributes by chance (two
 * namesakes share a birth date with probability 1/20,000: a name with 300 bearers finds a
 * namesake of the same birth date one time in 70), so beyond `SHARED_NAME_BEARERS` each doubling
 * of the bearers takes one bit off a name agreement: in a large customer base, a common name and
 * a birth date alone no longer link two records. Counted per whole name (`PersonName.key`) and
 * per sound (`letterKey`: a Han name, its homophones and its pinyin spellings share it); record
 * counts become people through the records-per-customer ratio the resolver reports.
 */
export class NameFrequencies implements TokenCounts {
  private byName = new Int32Array(1 << 12);
  private byToken = new Map<string, number>();
  private bySound = new Int32Array(1 << 12);
  private records = 0;
  /** Records per person (per customer), to turn record counts into people; set by the resolver. */
  recordsPerPerson = 1;

  /** Counts one person record's name. */
  observe(p: PersonName): void {
    this.records++;
    this.byName = count(this.byName, p.keyId);
    if (p.soundId >= 0) this.bySound = count(this.bySound, p.soundId);
    if (p.han === null)
      for (const t of p.tokens)
        if (t.length > 1) this.byToken.set(t, (this.byToken.get(t) ?? 0) + 1);
  }

  /** Person records whose Latin name holds this token. */
  token(t: string): number {
    return this.byToken.get(t) ?? 0;
  }

  /** Person records observed. */
  get size(): number {
    return this.records;
  }

  /** Estimated number of people bearing this whole name (at least one). */
  name(p: PersonName): number {
    const n = p.keyId < this.byName.length ? this.byName[p.keyId] : 0;
    return Math.max(n / this.recordsPerPerson, 1);
  }

  /** Estimated number of people bearing a name of this sound (at least one). */
  sound(p: PersonName): number {
    const n = p.soundId >= 0 && p.soundId < this.bySound.length ? this.bySound[p.soundId] : 0;
    return Math.max(n / this.recordsPerPerson, 1);
  }
}

/** Counts by dense id: grows the array when the id is beyond it. */
function count(counts: Int32Array<ArrayBuffer>, id: number): Int32Array<ArrayBuffer> {
  let c = counts;
  if (id >= c.length) {
    c = new Int32Array(Math.max(c.length * 2, id + 1));
    c.set(counts);
  }
  c[id]++;
  return c;
}
