import { pinyin } from 'pinyin-pro';

import { hasHan, stripDiacritics, toHalfWidth, toSimplified } from './text';

/** Two-character Chinese surnames (复姓); any other Han name takes its first character as surname. */
const COMPOUND_SURNAMES = new Set(
  '欧阳 司马 诸葛 上官 东方 皇甫 慕容 令狐 公孙 夏侯 尉迟 长孙 宇文 司徒 独孤 南宫 西门 端木 轩辕 澹台 万俟 呼延 闻人 申屠 太史 钟离 濮阳 淳于 单于 公冶 赫连 左丘 东郭 拓跋'.split(
    ' ',
  ),
);

/** Common English hypocorisms -> the formal given name. */
const NICKNAMES: Record<string, string> = {
  bill: 'william',
  will: 'william',
  billy: 'william',
  willy: 'william',
  liam: 'william',
  bob: 'robert',
  rob: 'robert',
  bobby: 'robert',
  robbie: 'robert',
  bert: 'robert',
  dick: 'richard',
  rick: 'richard',
  rich: 'richard',
  ricky: 'richard',
  jim: 'james',
  jimmy: 'james',
  jamie: 'james',
  mike: 'michael',
  mick: 'michael',
  mikey: 'michael',
  tom: 'thomas',
  tommy: 'thomas',
  joe: 'joseph',
  joey: 'joseph',
  dave: 'david',
  davy: 'david',
  dan: 'daniel',
  danny: 'daniel',
  chris: 'christopher',
  kit: 'christopher',
  matt: 'matthew',
  tony: 'anthony',
  steve: 'steven',
  stephen: 'steven',
  andy: 'andrew',
  drew: 'andrew',
  ed: 'edward',
  eddie: 'edward',
  ted: 'edward',
  ned: 'edward',
  sam: 'samuel',
  ben: 'benjamin',
  nick: 'nicholas',
  alex: 'alexander',
  greg: 'gregory',
  jon: 'jonathan',
  johnny: 'john',
  jack: 'john',
  charlie: 'charles',
  chuck: 'charles',
  larry: 'lawrence',
  harry: 'henry',
  hank: 'henry',
  pete: 'peter',
  frank: 'francis',
  fred: 'frederick',
  freddie: 'frederick',
  ken: 'kenneth',
  ron: 'ronald',
  don: 'donald',
  tim: 'timothy',
  pat: 'patrick',
  phil: 'philip',
  jeff: 'jeffrey',
  josh: 'joshua',
  liz: 'elizabeth',
  beth: 'elizabeth',
  betty: 'elizabeth',
  lizzie: 'elizabeth',
  eliza: 'elizabeth',
  kate: 'katherine',
  katie: 'katherine',
  kathy: 'katherine',
  catherine: 'katherine',
  cathy: 'katherine',
  maggie: 'margaret',
  meg: 'margaret',
  peggy: 'margaret',
  jenny: 'jennifer',
  jen: 'jennifer',
  sue: 'susan',
  susie: 'susan',
  debbie: 'deborah',
  deb: 'deborah',
  becky: 'rebecca',
  vicky: 'victoria',
  abby: 'abigail',
  mandy: 'amanda',
  patty: 'patricia',
  trish: 'patricia',
  sandy: 'sandra',
  cindy: 'cynthia',
  jess: 'jessica',
  sally: 'sarah',
  sara: 'sarah',
  annie: 'anne',
  ann: 'anne',
  nan: 'anne',
  molly: 'mary',
  polly: 'mary',
  ellie: 'eleanor',
  nell: 'eleanor',
  jo: 'josephine',
  chrissy: 'christine',
  tina: 'christina',
  steph: 'stephanie',
};

export interface PersonName {
  /** Simplified Han name without spaces/dots, when the record has one. */
  han: string | null;
  /** Latin tokens in recorded order (lower-case, no diacritics), from nameLatin or a Latin name. */
  latin: string[];
  /** Concatenated phonetic spellings, each rotation of the token order (handles surname-first / -last). */
  forms: string[];
  /** Same as forms with nicknames mapped to formal names. */
  canonicalForms: string[];
  /** Order-free blocking key: the sorted letters of the phonetic spelling. */
  letterKey: string | null;
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
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++)
    out.add([...tokens.slice(i), ...tokens.slice(0, i)].join(''));
  return [...out];
};

/** The formal form of a given-name token (`bill` -> `william`). */
export const canonicalGiven = (token: string): string => NICKNAMES[token] ?? token;

export interface PersonNameInput {
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  nameLatin?: string | null;
}

/**
 * Normalises a person's name from the record's name fields: traditional -> simplified, full-width
 * -> half-width, spaces between characters removed, pinyin for Han names; Latin names tokenised
 * with every token rotation kept so surname-first and surname-last spellings meet.
 */
export function normalizePersonName(input: PersonNameInput): PersonName | null {
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
  const canonicalForms = han ? forms : rotations(tokens.map(canonicalGiven));
  const letterKey = tokens.join('').split('').sort().join('') || null;
  return { han, latin, forms, canonicalForms, letterKey, surname, tokens };
}
