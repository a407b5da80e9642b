import { PLACE_NAMES } from './org-name';
import { stripDiacritics, toHalfWidth, toSimplified } from './text';

const ADMIN_PREFIX = new RegExp(
  `^(中国|中华人民共和国)?((${PLACE_NAMES.join('|')})(省|市|自治区|维吾尔自治区|壮族自治区|回族自治区|特别行政区)?)*([\\u4e00-\\u9fff]{1,5}?(市|州|盟))?([\\u4e00-\\u9fff]{1,4}?(区|县|旗))?`,
);
const LATIN_ABBREV: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  drive: 'dr',
  lane: 'ln',
  boulevard: 'blvd',
  court: 'ct',
  place: 'pl',
  apartment: 'apt',
  suite: 'ste',
  unit: 'apt',
  flat: 'apt',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  square: 'sq',
  terrace: 'ter',
  highway: 'hwy',
  floor: 'fl',
};

export interface Address {
  /** Canonical key: street text plus the sequence of numbers (building, unit, room). */
  key: string;
  /** Street / place text without numbers and unit words. */
  street: string;
  numbers: string[];
}

/**
 * Normalises an address: simplified, half-width, 號 -> 号, province/city/district prefix dropped,
 * building-unit-room forms (3栋2单元1201室, 3号楼2单元1201, 3-2-1201) reduced to numbers.
 */
export function normalizeAddress(raw: string | null | undefined): Address | null {
  if (!raw?.trim()) return null;
  let v = toSimplified(toHalfWidth(raw)).toLowerCase().replace(/\s+/g, ' ').trim();
  if (/[\u4e00-\u9fff]/.test(v)) {
    v = v.replace(/\s/g, '').replace(/號/g, '号');
    v = v.replace(ADMIN_PREFIX, '');
    const numbers = v.match(/\d+/g) ?? [];
    const firstDigit = v.search(/\d/);
    const street = (firstDigit >= 0 ? v.slice(0, firstDigit) : v).replace(/[,，、#]/g, '');
    if (!street && numbers.length === 0) return null;
    return { key: `${street}|${numbers.join('-')}`, street, numbers };
  }
  const tokens = stripDiacritics(v)
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => LATIN_ABBREV[t] ?? t);
  const numbers = tokens.filter((t) => /\d/.test(t)).map((t) => t.replace(/\D/g, ''));
  const words = tokens.filter((t) => !/\d/.test(t) && t !== 'apt' && t !== 'ste' && t !== 'no');
  if (tokens.length === 0) return null;
  const street = words.join(' ');
  return { key: `${street}|${numbers.join('-')}`, street, numbers };
}
