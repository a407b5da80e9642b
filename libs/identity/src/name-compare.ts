import { sameGivenName } from './normalize/name';

/**
 * How two Latin name tokens relate, strongest first. Token comparison is the heart of Western
 * name matching: records of one person differ by a nickname, a keying error, a middle name or
 * initial left out and the order of given and family name; records of two people differ by a
 * whole token.
 */
export const TOKEN_EXACT = 5;
export const TOKEN_NICKNAME = 4;
/** One keying error that rarely turns one real name into another (see `isTypo`). */
export const TOKEN_TYPO = 3;
/** A near spelling that may also be a different name (`jon` / `joan`, two errors in a long token). */
export const TOKEN_NEAR = 2;
/** A single letter standing for the other token (`m` / `maria`). */
export const TOKEN_INITIAL = 1;
export const TOKEN_NONE = 0;

/**
 * Exactly one edit between `a` and `b` that looks like a keying error rather than another name:
 *  - an adjacent transposition (`jmaes`), not of the first two letters of a short token
 *    (`amy` / `may`);
 *  - a letter dropped or doubled inside the word, the shorter token keeping four letters or more
 *    (`jams` / `james`, not `jon` / `joan`);
 *  - a substitution inside a token of five letters or more (`martsnez`), not `john` / `joan`.
 * Edits of the first or the last letter are not typos: they make other names (`dan` / `jan`,
 * `carl` / `carla`, `louis` / `louise`, `maria` / `marie`).
 */
export function isTypo(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let p = 0;
    while (p < la && a.charCodeAt(p) === b.charCodeAt(p)) p++;
    if (p === la) return false;
    if (p + 1 < la && a[p] === b[p + 1] && a[p + 1] === b[p] && a.endsWith(b.slice(p + 2)))
      return la >= 3 && (p > 0 || la >= 5);
    return la >= 5 && p > 0 && p < la - 1 && a.endsWith(b.slice(p + 1));
  }
  if (Math.abs(la - lb) !== 1) return false;
  const [s, l] = la < lb ? [a, b] : [b, a];
  if (s.length < 4) return false;
  let p = 0;
  while (p < s.length && s.charCodeAt(p) === l.charCodeAt(p)) p++;
  return p > 0 && p < s.length && l.endsWith(s.slice(p));
}

/**
 * How many records of the data seen hold a Latin name token: lets a near spelling be told from
 * another name (see `RARE_SPELLING_RATIO`).
 */
export interface TokenCounts {
  token(t: string): number;
}

/**
 * A near spelling (one edit) whose token is this many times rarer than the other, in the names
 * seen, is read as a keying error of the common one (`jyhn` / `john`, `rzed` / `reed`): a keying
 * error makes a string next to nobody bears, while two real names one letter apart are both borne
 * by many (`john` / `joan`, `carl` / `carol`: tens of times apart at most). A term-frequency rule in
 * the manner of Splink's term-frequency adjustments, measured on the names themselves rather than
 * a name list, so it holds for any alphabet the tokens come in. It needs the common token to have
 * been seen this many times: a small or new data set keeps the plain near level.
 */
export const RARE_SPELLING_RATIO = 50;

/** One of two near tokens is `RARE_SPELLING_RATIO` times rarer than the other. */
export function rareSpelling(a: string, b: string, counts: TokenCounts): boolean {
  const ca = counts.token(a);
  const cb = counts.token(b);
  return (
    Math.min(ca, cb) * RARE_SPELLING_RATIO <= Math.max(ca, cb) &&
    Math.max(ca, cb) >= RARE_SPELLING_RATIO
  );
}

/** Scratch row buffers for `osaWithin2` (single-threaded, never re-entered). */
const rows = [new Int32Array(16), new Int32Array(16), new Int32Array(16)];

/** Optimal string alignment distance up to 2 (3 = more), without allocation. */
export function osaWithin2(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 2) return 3;
  // strip the common prefix and suffix: what is left is short
  let p = 0;
  while (p < la && p < lb && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < la - p && s < lb - p && a.charCodeAt(la - 1 - s) === b.charCodeAt(lb - 1 - s)) s++;
  const n = la - p - s;
  const m = lb - p - s;
  if (n > 12 || m > 12) return 3;
  // three rolling rows of the distance matrix: i - 2, i - 1, i
  let prev2 = rows[0];
  let prev = rows[1];
  let cur = rows[2];
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(p + i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(p + j - 1);
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === cb ? 0 : 1));
      if (
        i > 1 &&
        j > 1 &&
        ca === b.charCodeAt(p + j - 2) &&
        a.charCodeAt(p + i - 2) === cb &&
        prev2[j - 2] + 1 < v
      )
        v = prev2[j - 2] + 1;
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m], 3);
}

/**
 * The relation of two Latin name tokens (`TOKEN_*`). With `counts`, a one-edit spelling that
 * nobody else bears is a keying error (`rareSpelling`).
 */
export function compareTokens(a: string, b: string, counts?: TokenCounts | null): number {
  if (a === b) return TOKEN_EXACT;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? TOKEN_INITIAL : TOKEN_NONE;
  if (sameGivenName(a, b)) return TOKEN_NICKNAME;
  if (isTypo(a, b)) return TOKEN_TYPO;
  const short = Math.min(a.length, b.length);
  if (short < 3 || a[0] !== b[0]) return TOKEN_NONE;
  const d = osaWithin2(a, b);
  if (d === 1) return counts && rareSpelling(a, b, counts) ? TOKEN_TYPO : TOKEN_NEAR;
  // two keying errors, one on each record, in a long token (`elizabth` / `eilzabeth`)
  if (d === 2 && short >= 6) return TOKEN_NEAR;
  return TOKEN_NONE;
}

const scratchA = new Uint8Array(16);
const scratchB = new Uint8Array(16);
const scratchRel = new Uint8Array(256);
const scratchCounts = new Int32Array(6);

/**
 * Compares two Latin names token by token, order-free (surname first or last), and returns the
 * comparison level:
 *  - `exact`: the same tokens;
 *  - `nickname`: the same tokens, some as nicknames of the other (`bob` / `robert`);
 *  - `partial`: the tokens of one name, each exact or a nickname, with middle names or initials
 *    left out in the other (`john m smith` / `smith john`);
 *  - `typo`: as partial, with one or two tokens keyed wrong (`martsnez`, `rob andeson`): keying
 *    errors of this kind rarely turn a name into another one;
 *  - `fuzzy`: two tokens agree, one of them only nearly (a short near spelling such as `lsa`, two
 *    errors in one token), or one agrees and an initial stands for the other (`j smith`);
 *  - `different`: a token of each name without a counterpart in the other (two given names,
 *    two surnames), or too little agreement.
 * A name must keep two tokens that agree to reach any level above `different`.
 */
export function compareLatinTokens(
  a: readonly string[],
  b: readonly string[],
  tokenCounts?: TokenCounts | null,
): string {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return 'different';
  if (na > 16 || nb > 16) return 'different';
  // matched[i] = 1 when a[i] / b[j] is matched; rel = the token relations; module scratch space
  const matchA = scratchA.fill(0, 0, na);
  const matchB = scratchB.fill(0, 0, nb);
  const rel = scratchRel;
  for (let i = 0; i < na; i++)
    for (let j = 0; j < nb; j++) rel[i * nb + j] = compareTokens(a[i], b[j], tokenCounts);
  const counts = scratchCounts.fill(0);
  // greedy by strength: exact pairs first, then nicknames, typos, near spellings, initials
  for (let level = TOKEN_EXACT; level >= TOKEN_INITIAL; level--) {
    for (let i = 0; i < na; i++) {
      if (matchA[i]) continue;
      for (let j = 0; j < nb; j++) {
        if (matchB[j] || rel[i * nb + j] !== level) continue;
        matchA[i] = 1;
        matchB[j] = 1;
        counts[level]++;
        break;
      }
    }
  }
  let unmatchedFullA = 0;
  let unmatchedFullB = 0;
  let omitted = 0;
  for (let i = 0; i < na; i++)
    if (!matchA[i]) {
      omitted++;
      if (a[i].length > 1) unmatchedFullA++;
    }
  for (let j = 0; j < nb; j++)
    if (!matchB[j]) {
      omitted++;
      if (b[j].length > 1) unmatchedFullB++;
    }
  // a whole token on each side without a counterpart: two different names
  if (unmatchedFullA > 0 && unmatchedFullB > 0) return 'different';
  const exact = counts[TOKEN_EXACT];
  const nick = counts[TOKEN_NICKNAME];
  const typo = counts[TOKEN_TYPO];
  const near = counts[TOKEN_NEAR];
  const initials = counts[TOKEN_INITIAL];
  const full = exact + nick + typo + near;
  if (full < 2) return exact === 1 && initials > 0 ? 'fuzzy' : 'different';
  if (near > 0 || typo > 2) return 'fuzzy';
  if (typo > 0) return 'typo';
  if (omitted + initials > 0) return 'partial';
  return nick > 0 ? 'nickname' : 'exact';
}
