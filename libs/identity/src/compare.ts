import type { Features } from './features';
import { compareLatinTokens, type TokenCounts } from './name-compare';
import type { PersonName } from './normalize/name';
import { jaroWinkler, withinOneEdit } from './similarity';

/** The comparison outcome of one field: a level name, or null when either side lacks the value. */
export interface FieldComparison {
  field: string;
  level: string | null;
}

function compareId(a: Features, b: Features): string | null {
  if (!a.id || !b.id || a.idKind !== b.idKind) return null;
  const checked = a.idChecksumValid && b.idChecksumValid;
  if (a.id === b.id) return checked ? 'exactChecked' : 'exact';
  if (checked) return 'conflict';
  if (a.id.length === b.id.length && withinOneEdit(a.id, b.id)) return 'near';
  // a passport is reissued with a new number; personal id numbers last a lifetime
  return a.idKind === 'PASSPORT' ? 'reissued' : 'different';
}

function compareOrgId(a: Features, b: Features): string | null {
  if (a.id && b.id && a.idKind === b.idKind) {
    if (a.id === b.id) return a.idChecksumValid && b.idChecksumValid ? 'exactChecked' : 'exact';
    if (a.orgCode && a.orgCode === b.orgCode) return 'orgCode';
    if (a.idChecksumValid && b.idChecksumValid) return 'conflict';
    return withinOneEdit(a.id, b.id) ? 'near' : 'different';
  }
  // a legacy record holding only the 9-character organisation code
  if (!a.orgCode || !b.orgCode) return null;
  if (a.orgCode === b.orgCode) return 'orgCode';
  if (a.orgCodeChecksumValid && b.orgCodeChecksumValid) return 'conflict';
  return withinOneEdit(a.orgCode, b.orgCode) ? 'near' : 'different';
}

/** Whether the two lists share a value (two to four name forms each: plain loops, no closure). */
function intersects(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    for (let j = 0; j < b.length; j++) if (b[j] === x) return true;
  }
  return false;
}

export function comparePersonNames(
  a: PersonName,
  b: PersonName,
  counts?: TokenCounts | null,
): string {
  if (a.han && b.han) {
    if (a.han === b.han) return 'exact';
    // other characters of the same sound: an input-method slip, or two names that sound alike
    return intersects(a.forms, b.forms) ? 'homophone' : 'different';
  }
  if (!a.han && !b.han) {
    // Latin against Latin: token by token, order-free; pinyin split differently still meets
    const level = compareLatinTokens(a.tokens, b.tokens, counts);
    if (level !== 'different' || !intersects(a.forms, b.forms)) return level;
    return 'phonetic';
  }
  // a Han name against a pinyin-only spelling: the same syllables, else a near spelling
  if (intersects(a.forms, b.forms)) return 'phonetic';
  let best = 0;
  for (const x of a.forms) for (const y of b.forms) best = Math.max(best, jaroWinkler(x, y));
  return best >= 0.95 ? 'fuzzy' : 'different';
}

/**
 * Birth dates (YYYY-MM-DD): `exact`; `partial` when they differ in one part only - the day or
 * the month keyed wrong, one digit of the year, or day and month swapped; else `different`.
 */
export function compareDates(a: string | null, b: string | null, partial: boolean): string | null {
  if (!a || !b) return null;
  if (a === b) return 'exact';
  if (!partial) return 'different';
  const sameY = a.startsWith(b.slice(0, 4));
  const sameM = a[5] === b[5] && a[6] === b[6];
  const sameD = a[8] === b[8] && a[9] === b[9];
  if (sameY && a[5] === b[8] && a[6] === b[9] && a[8] === b[5] && a[9] === b[6]) return 'partial';
  if (sameM && sameD) return withinOneEdit(a.slice(0, 4), b.slice(0, 4)) ? 'partial' : 'different';
  return sameY && (sameM || sameD) ? 'partial' : 'different';
}

const exactOrDifferent = (a: string | null, b: string | null): string | null =>
  !a || !b ? null : a === b ? 'exact' : 'different';

function compareAddress(a: Features, b: Features): string | null {
  if (!a.address || !b.address) return null;
  const x = a.address.key;
  const y = b.address.key;
  if (x === y) return 'exact';
  // the same street and house number (the first number), another building, unit or room
  const bar = x.indexOf('|');
  if (bar <= 0 || y.charCodeAt(bar) !== 124) return 'different';
  let end = x.indexOf('-', bar + 1);
  if (end < 0) end = x.length;
  if (end === bar + 1) return 'different';
  // x and y agree up to the end of the house number (street, bar, number), compared in place:
  // most candidate pairs differ in their first characters, and no substring is made
  if (y.length < end || !sameChars(x, y, end)) return 'different';
  return y.length === end || y.charCodeAt(end) === 45 ? 'street' : 'different';
}

/** The first `n` UTF-16 units of `a` and `b` are equal (both at least `n` long). */
function sameChars(a: string, b: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

function orgNameLevel(a: Features, b: Features): string | null {
  if (!a.org || !b.org) return null;
  const x = a.org.core;
  const y = b.org.core;
  if (a.org.full === b.org.full) return 'exact';
  // the same trade name registered in two different cities is two companies
  if (a.org.city && b.org.city && a.org.city !== b.org.city)
    return x === y ? 'otherCity' : 'different';
  if (x === y) return 'exact';
  const han = /[\u3400-\u9fff]/.test(x);
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  if (l.includes(s) && s.length >= (han ? 2 : 4)) return 'fuzzy';
  return jaroWinkler(x, y) >= 0.92 ? 'fuzzy' : 'different';
}

/**
 * Phone, e-mail and address are shared inside households and corporate groups. When the names
 * disagree, their agreement is evidence of a household / group, not of one party: it is scored
 * as its own level ('shared') with its own, much smaller weight. This keeps twins, family members
 * and sister companies apart without weakening those fields when the names agree.
 */
const household = (level: string | null, namesAgree: boolean): string | null =>
  level === 'exact' && !namesAgree ? 'shared' : level;

/** The compared fields, in the order of `compareLevels` and `compareRecords`. */
export const INDIVIDUAL_FIELDS = [
  'id',
  'name',
  'birthDate',
  'gender',
  'phone',
  'email',
  'address',
] as const;
export const ORGANIZATION_FIELDS = [
  'id',
  'name',
  'birthDate',
  'phone',
  'email',
  'address',
] as const;

export const fieldsOf = (party: 'individual' | 'organization'): readonly string[] =>
  party === 'individual' ? INDIVIDUAL_FIELDS : ORGANIZATION_FIELDS;

/**
 * Compares two records field by field (both of the same party type) and writes each field's
 * level, or null when either side lacks the value, into `out` in the order of `fieldsOf(party)`.
 * Allocation-free, for the scorer's hot path.
 */
export function compareLevels(
  a: Features,
  b: Features,
  out: (string | null)[],
  counts?: TokenCounts | null,
): void {
  if (a.party === 'individual') {
    const name = a.person && b.person ? comparePersonNames(a.person, b.person, counts) : null;
    const birthDate = compareDates(a.birthDate, b.birthDate, true);
    // shared contact data counts as identity evidence only when the identity attributes agree:
    // the whole name (same characters, a Han name and its pinyin spelling, a known nickname,
    // middle names left out, keying errors that do not make another name) and no contradicting
    // birth date. Otherwise it is household evidence: relatives may have names that sound alike
    // or differ by one letter, never the same name.
    const agree =
      (name === 'exact' ||
        name === 'phonetic' ||
        name === 'nickname' ||
        name === 'partial' ||
        name === 'typo') &&
      birthDate !== 'different';
    out[0] = compareId(a, b);
    out[1] = name;
    out[2] = birthDate;
    // the same given name implies the same sex: agreement adds nothing to the name's weight then
    out[3] =
      !a.gender || !b.gender
        ? null
        : a.gender !== b.gender
          ? 'disagree'
          : name !== null && name !== 'different'
            ? 'implied'
            : 'agree';
    out[4] = household(exactOrDifferent(a.phone, b.phone), agree);
    out[5] = household(exactOrDifferent(a.email, b.email), agree);
    out[6] = household(compareAddress(a, b), agree);
    return;
  }
  const name = orgNameLevel(a, b);
  const agree = name === 'exact';
  out[0] = compareOrgId(a, b);
  out[1] = name;
  out[2] = compareDates(a.birthDate, b.birthDate, false);
  out[3] = household(exactOrDifferent(a.phone, b.phone), agree);
  out[4] = household(exactOrDifferent(a.email, b.email), agree);
  out[5] = household(compareAddress(a, b), agree);
}

/** Compares two records field by field; both must be of the same party type. */
export function compareRecords(a: Features, b: Features): FieldComparison[] {
  const levels: (string | null)[] = [];
  compareLevels(a, b, levels);
  return fieldsOf(a.party).map((field, i) => ({ field, level: levels[i] }));
}
