import { pinyin } from 'pinyin-pro';

import { hasHan, stripDiacritics, toHalfWidth, toSimplified } from './text';

/** Two-character Chinese surnames (复姓); any other Han name takes its first character as surname. */
const COMPOUND_SURNAMES = new Set(
  '欧阳 司马 诸葛 上官 东方 皇甫 慕容 令狐 公孙 夏侯 尉迟 长孙 宇文 司徒 独孤 南宫 西门 端木 轩辕 澹台 万俟 呼延 闻人 申屠 太史 钟离 濮阳 淳于 单于 公冶 赫连 左丘 东郭 拓跋'.split(
    ' ',
  ),
);

/**
 * Common English given names with their hypocorisms and spelling variants: the first name of a
 * group is its formal form. A short form can belong to several groups (`chris`, `alex`, `sam`,
 * `pat`): two tokens are the same given name when they share a group.
 */
const GIVEN_NAME_GROUPS: readonly string[] = [
  'william bill will billy willy liam',
  'robert bob rob bobby robbie bert',
  'richard dick rick rich ricky',
  'james jim jimmy jamie',
  'michael mike mick mikey mickey',
  'thomas tom tommy',
  'joseph joe joey',
  'david dave davy',
  'daniel dan danny',
  'christopher chris kit topher',
  'christine chris chrissy tina',
  'christina chris chrissy tina',
  'matthew matt matty',
  'anthony tony',
  'steven steve stephen stevie',
  'andrew andy drew',
  'edward ed eddie ted ned',
  'samuel sam sammy',
  'samantha sam sammy',
  'benjamin ben benny',
  'nicholas nick nicky',
  'alexander alex al',
  'alexandra alex sandy',
  'gregory greg',
  'jonathan jon jonny',
  'john johnny jack',
  'charles charlie chuck',
  'lawrence larry',
  'henry harry hank',
  'peter pete',
  'francis frank',
  'frederick fred freddie',
  'kenneth ken kenny',
  'ronald ron ronnie',
  'donald don donnie',
  'timothy tim timmy',
  'patrick pat paddy',
  'patricia pat patty trish tricia',
  'philip phil phillip',
  'jeffrey jeff geoffrey',
  'joshua josh',
  'zachary zach zack',
  'raymond ray',
  'gerald gerry jerry',
  'albert al bert',
  'elizabeth liz beth betty lizzie eliza',
  'katherine kate katie kathy catherine cathy kathryn',
  'margaret maggie meg peggy',
  'jennifer jenny jen',
  'susan sue susie',
  'deborah debbie deb debra',
  'rebecca becky',
  'victoria vicky',
  'abigail abby',
  'amanda mandy',
  'sandra sandy',
  'cynthia cindy',
  'jessica jess jessie',
  'sarah sally sara',
  'anne ann annie nan',
  'mary molly polly',
  'eleanor ellie nell',
  'josephine jo josie',
  'stephanie steph',
  'kimberly kim',
  'jacqueline jackie',
  'judith judy',
  'dorothy dot dottie',
  'theresa teresa terri',
  'pamela pam',
  'barbara barb',
];

const NAME_GROUPS = new Map<string, number[]>();
GIVEN_NAME_GROUPS.forEach((line, g) => {
  for (const name of line.split(' ')) NAME_GROUPS.set(name, [...(NAME_GROUPS.get(name) ?? []), g]);
});
const FORMAL = GIVEN_NAME_GROUPS.map((line) => line.split(' ')[0]);

/** Two given-name tokens that are the same name (a nickname or variant spelling of the other). */
export function sameGivenName(a: string, b: string): boolean {
  const ga = NAME_GROUPS.get(a);
  if (!ga) return false;
  const gb = NAME_GROUPS.get(b);
  return gb !== undefined && ga.some((g) => gb.includes(g));
}

/** Formal forms of a given-name token (itself when it is not in any group). */
export function formalGivenNames(token: string): readonly string[] {
  const g = NAME_GROUPS.get(token);
  return g ? g.map((i) => FORMAL[i]) : [token];
}

export interface PersonName {
  /** Simplified Han name without spaces/dots, when the record has one. */
  han: string | null;
  /** Latin tokens in recorded order (lower-case, no diacritics), from nameLatin or a Latin name. */
  latin: string[];
  /** Concatenated phonetic spellings, each rotation of the token order (handles surname-first / -last). */
  forms: string[];
  /** Order-free blocking key: the sorted letters of the phonetic spelling. */
  letterKey: string | null;
  /** The whole name, order-free: equal for two names that compare `exact` (Han, or sorted tokens). */
  key: string;
  /** Dense numbers of `key` and `letterKey` (-1: none), to count names without hashing them. */
  keyId: number;
  soundId: number;
  /** Surname phonetic (Han or, for Latin, null: order is unknown). */
  surname: string | null;
  /** Number of phonetic syllables / tokens (for fuzzy rules). */
  tokens: string[];
}

const pinyinCache = new Map<string, string[]>();

/** Toneless pinyin syllables of a Han name, surname readings applied to the head (单 -> shan). */
export function namePinyin(han: string): string[] {
  const hit = pinyinCache.get(han);
  if (hit) return hit;
  const out = (
    pinyin(han, { toneType: 'none', type: 'array', surname: 'head', v: true }) as string[]
  ).map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
  if (pinyinCache.size > 200_000) pinyinCache.clear();
  pinyinCache.set(han, out);
  return out;
}

/** Splits a Han name into surname and given name (compound surnames recognised). */
export function splitHanName(
  han: string,
  familyHint?: string | null,
): { surname: string; given: string } {
  if (familyHint && han.startsWith(familyHint) && familyHint.length < han.length) {
    return { surname: familyHint, given: han.slice(familyHint.length) };
  }
  const len = han.length >= 3 && COMPOUND_SURNAMES.has(han.slice(0, 2)) ? 2 : 1;
  return { surname: han.slice(0, len), given: han.slice(len) };
}

export function normalizeHanName(raw: string): string {
  return toSimplified(toHalfWidth(raw)).replace(/[\s·•.\-_'"()（）]/g, '');
}

export function latinTokens(raw: string): string[] {
  return stripDiacritics(toHalfWidth(raw))
    .toLowerCase()
    .replace(/[^a-z\s,.'-]/g, ' ')
    .split(/[\s,.'-]+/)
    .filter(
      (t) =>
        t.length > 0 && !['mr', 'mrs', 'ms', 'miss', 'dr', 'jr', 'sr', 'ii', 'iii'].includes(t),
    );
}

const rotations = (tokens: string[]): string[] => {
  // one or two tokens (almost every name): the same list without the set and the slices
  if (tokens.length === 1) return [tokens[0]];
  if (tokens.length === 2) {
    const a = tokens[0] + tokens[1];
    const b = tokens[1] + tokens[0];
    return a === b ? [a] : [a, b];
  }
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++)
    out.add([...tokens.slice(i), ...tokens.slice(0, i)].join(''));
  return [...out];
};

/** The formal form of a given-name token (`bill` -> `william`). */
export const canonicalGiven = (token: string): string => formalGivenNames(token)[0];

export interface PersonNameInput {
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  nameLatin?: string | null;
}

const personNameCache = new Map<string, PersonName | null>();

/**
 * Normalises a person's name from the record's name fields: traditional -> simplified, full-width
 * -> half-width, spaces between characters removed, pinyin for Han names; Latin names tokenised
 * with every token rotation kept so surname-first and surname-last spellings meet. Names repeat a
 * lot, so results are memoised and shared: a PersonName is never modified.
 */
export function normalizePersonName(input: PersonNameInput): PersonName | null {
  const key = `${input.name ?? ''}\u0000${input.givenName ?? ''}\u0000${input.familyName ?? ''}\u0000${input.nameLatin ?? ''}`;
  const hit = personNameCache.get(key);
  if (hit !== undefined) return hit;
  const out = computePersonName(input);
  if (personNameCache.size >= 500_000) personNameCache.clear();
  personNameCache.set(key, out);
  return out;
}

function computePersonName(input: PersonNameInput): PersonName | null {
  const full = input.name?.trim()
    ? input.name
    : [input.familyName, input.givenName].filter(Boolean).join(' ');
  let han: string | null = null;
  let latin: string[] = [];
  let surname: string | null = null;
  let forms: string[] = [];
  let tokens: string[] = [];
  if (full && hasHan(full)) {
    han = normalizeHanName(full);
    const familyHint =
      input.familyName && hasHan(input.familyName) ? normalizeHanName(input.familyName) : null;
    const { surname: s, given } = splitHanName(han, familyHint);
    const sp = namePinyin(s).join('');
    const gp = namePinyin(given).join('');
    surname = sp;
    tokens = [sp, gp].filter((t) => t.length > 0);
    forms = rotations(tokens);
  }
  if (input.nameLatin?.trim()) latin = latinTokens(input.nameLatin);
  else if (full && !hasHan(full)) {
    // a Western record with separate fields: given then family
    latin =
      !input.name?.trim() && (input.givenName || input.familyName)
        ? latinTokens([input.givenName, input.familyName].filter(Boolean).join(' '))
        : latinTokens(full);
  }
  if (!han) {
    if (latin.length === 0) return null;
    tokens = latin;
    forms = rotations(latin);
    if (input.familyName && !hasHan(input.familyName)) {
      const f = latinTokens(input.familyName).join('');
      surname = f || null;
    }
  } else if (latin.length > 0) {
    forms = [...new Set([...forms, ...rotations(latin)])];
  }
  const letterKey = sortedLetters(tokens) || null;
  const key = han ?? [...tokens].sort().join(' ');
  return {
    han,
    latin,
    forms,
    letterKey,
    key,
    keyId: idOf(keyIds, key),
    soundId: letterKey ? idOf(soundIds, letterKey) : -1,
    surname,
    tokens,
  };
}

const letterScratch = new Uint16Array(64);

/**
 * `tokens.join('').split('').sort().join('')`: the UTF-16 units of the tokens in ascending order,
 * by insertion sort into a scratch array (a name has a dozen letters), without the arrays of
 * one-letter strings and the string comparisons of the default sort.
 */
function sortedLetters(tokens: readonly string[]): string {
  let k = 0;
  for (const t of tokens) {
    if (k + t.length > letterScratch.length) return tokens.join('').split('').sort().join('');
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      let j = k++;
      for (; j > 0 && letterScratch[j - 1] > c; j--) letterScratch[j] = letterScratch[j - 1];
      letterScratch[j] = c;
    }
  }
  return String.fromCharCode.apply(null, letterScratch.subarray(0, k) as unknown as number[]);
}

const keyIds = new Map<string, number>();
const soundIds = new Map<string, number>();
function idOf(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}
