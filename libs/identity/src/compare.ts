import type { Features } from './features';
import { canonicalGiven, type PersonName } from './normalize/name';
import { jaroWinkler, osaDistance } from './similarity';

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
  return a.id.length === b.id.length && osaDistance(a.id, b.id, 1) <= 1 ? 'near' : 'different';
}

function compareOrgId(a: Features, b: Features): string | null {
  if (a.id && b.id && a.idKind === b.idKind) {
    if (a.id === b.id) return a.idChecksumValid && b.idChecksumValid ? 'exactChecked' : 'exact';
    if (a.orgCode && a.orgCode === b.orgCode) return 'orgCode';
    if (a.idChecksumValid && b.idChecksumValid) return 'conflict';
    return osaDistance(a.id, b.id, 1) <= 1 ? 'near' : 'different';
  }
  // a legacy record holding only the 9-character organisation code
  if (!a.orgCode || !b.orgCode) return null;
  if (a.orgCode === b.orgCode) return 'orgCode';
  if (a.orgCodeChecksumValid && b.orgCodeChecksumValid) return 'conflict';
  return osaDistance(a.orgCode, b.orgCode, 1) <= 1 ? 'near' : 'different';
}

const intersects = (a: string[], b: string[]): boolean => a.some((x) => b.includes(x));

/** Latin token lists that agree except for one small typo, a dropped middle name or an initial. */
function latinFuzzy(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 2 || long.length - short.length > 1) return false;
  const used = new Uint8Array(long.length);
  let inexact = 0;
  let exact = 0;
  for (const t of short) {
    let best = -1;
    let bestExact = false;
    for (let j = 0; j < long.length; j++) {
      if (used[j]) continue;
      const u = long[j];
      if (u === t) {
        best = j;
        bestExact = true;
        break;
      }
      if (best < 0 && Math.min(t.length, u.length) >= 4 && osaDistance(t, u, 1) <= 1) best = j;
    }
    if (best < 0) return false;
    used[best] = 1;
    if (bestExact) exact++;
    else inexact++;
  }
  return exact >= 1 && inexact + (long.length - short.length) <= 1;
}

/**
 * The same tokens except one with a single keying error that is unlikely to be another name: an
 * adjacent transposition, or one edit in a token of five letters or more ("Jonxs"/"Jones",
 * "Julai"/"Julia"), not "John"/"Joan".
 */
function typoTokens(a: string[], b: string[]): boolean {
  if (a.length !== b.length || a.length < 2) return false;
  const rest = [...b];
  const unmatched: string[] = [];
  for (const t of a) {
    const i = rest.indexOf(t);
    if (i >= 0) rest.splice(i, 1);
    else unmatched.push(t);
  }
  if (unmatched.length !== 1 || rest.length !== 1) return false;
  const [x, y] = [unmatched[0], rest[0]];
  if (osaDistance(x, y, 1) !== 1) return false;
  const transposed = x.length === y.length && [...x].sort().join('') === [...y].sort().join('');
  return (transposed && x.length >= 4) || Math.min(x.length, y.length) >= 5;
}

/** One name is the other with middle names or initials left out ("John M. Smith" / "Smith, John"). */
function partialLatin(a: string[], b: string[]): boolean {
  const full = (t: string[]) => t.filter((x) => x.length > 1);
  const [s, l] = a.length <= b.length ? [full(a), full(b)] : [full(b), full(a)];
  if (s.length < 2) return false;
  if (!s.every((t) => l.includes(t))) return false;
  // the omitted tokens must be in the middle: first and last of the shorter name stay at an end of the longer
  const ends = new Set([l[0], l[l.length - 1]]);
  return ends.has(s[0]) || ends.has(s[s.length - 1]);
}

export function comparePersonNames(a: PersonName, b: PersonName): string {
  if (a.han && b.han) {
    if (a.han === b.han) return 'exact';
    return intersects(a.forms, b.forms) ? 'phonetic' : 'different';
  }
  const sortedA = [...a.tokens].sort().join(' ');
  const sortedB = [...b.tokens].sort().join(' ');
  // two Latin spellings with the same tokens in another order (surname first / last): same name
  if (!a.han && !b.han && sortedA === sortedB) return 'exact';
  if (intersects(a.forms, b.forms) || sortedA === sortedB) return 'phonetic';
  if (intersects(a.canonicalForms, b.canonicalForms)) return 'nickname';
  if (!a.han && !b.han && partialLatin(canonTokens(a), canonTokens(b))) return 'partial';
  if (typoTokens(canonTokens(a), canonTokens(b))) return 'typo';
  if (a.han || b.han) {
    // a Han name against a pinyin-only spelling: allow a near spelling of the whole name
    let best = 0;
    for (const x of a.forms) for (const y of b.forms) best = Math.max(best, jaroWinkler(x, y));
    return best >= 0.95 ? 'fuzzy' : 'different';
  }
  return latinFuzzy(a.tokens, b.tokens) || latinFuzzy(canonTokens(a), canonTokens(b))
    ? 'fuzzy'
    : 'different';
}

const canonTokens = (p: PersonName): string[] => p.tokens.map(canonicalGiven);

function compareDates(a: string | null, b: string | null, partial: boolean): string | null {
  if (!a || !b) return null;
  if (a === b) return 'exact';
  if (!partial) return 'different';
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return 'partial'; // day / month swapped
  const diffs = (ya === yb ? 0 : 1) + (ma === mb ? 0 : 1) + (da === db ? 0 : 1);
  if (diffs === 1 && osaDistance(a, b, 1) <= 1) return 'partial'; // one-character typo
  return 'different';
}

const exactOrDifferent = (a: string | null, b: string | null): string | null =>
  !a || !b ? null : a === b ? 'exact' : 'different';

function compareAddress(a: Features, b: Features): string | null {
  if (!a.address || !b.address) return null;
  if (a.address.key === b.address.key) return 'exact';
  if (
    a.address.street &&
    a.address.street === b.address.street &&
    a.address.numbers.length > 0 &&
    a.address.numbers[0] === b.address.numbers[0]
  ) {
    return 'street';
  }
  return 'different';
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

/** Compares two records field by field; both must be of the same party type. */
export function compareRecords(a: Features, b: Features): FieldComparison[] {
  if (a.party === 'individual') {
    const name = a.person && b.person ? comparePersonNames(a.person, b.person) : null;
    const birthDate = compareDates(a.birthDate, b.birthDate, true);
    // shared contact data counts as identity evidence only when the identity attributes agree:
    // the whole name (same characters, same sound, a known nickname, middle names left out, one
    // keying error) and
    // no contradicting birth date. Otherwise it is household evidence.
    const agree =
      (name === 'exact' ||
        name === 'phonetic' ||
        name === 'nickname' ||
        name === 'partial' ||
        name === 'typo') &&
      birthDate !== 'different';
    return [
      { field: 'id', level: compareId(a, b) },
      { field: 'name', level: name },
      { field: 'birthDate', level: birthDate },
      {
        field: 'gender',
        level: !a.gender || !b.gender ? null : a.gender === b.gender ? 'agree' : 'disagree',
      },
      { field: 'phone', level: household(exactOrDifferent(a.phone, b.phone), agree) },
      { field: 'email', level: household(exactOrDifferent(a.email, b.email), agree) },
      { field: 'address', level: household(compareAddress(a, b), agree) },
    ];
  }
  const name = orgNameLevel(a, b);
  const agree = name === 'exact';
  return [
    { field: 'id', level: compareOrgId(a, b) },
    { field: 'name', level: name },
    { field: 'birthDate', level: compareDates(a.birthDate, b.birthDate, false) },
    { field: 'phone', level: household(exactOrDifferent(a.phone, b.phone), agree) },
    { field: 'email', level: household(exactOrDifferent(a.email, b.email), agree) },
    { field: 'address', level: household(compareAddress(a, b), agree) },
  ];
}
