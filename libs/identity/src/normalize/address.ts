import { PLACE_NAMES } from './org-name';
import { stripDiacritics, toHalfWidth, toSimplified } from './text';

const ADMIN_PREFIX = new RegExp(
  `^(中国|中华人民共和国)?((${PLACE_NAMES.join('|')})(省|市|自治区|维吾尔自治区|壮族自治区|回族自治区|特别行政区)?)*([\\u4e00-\\u9fff]{1,5}?(市|州|盟))?([\\u4e00-\\u9fff]{1,4}?(区|县|旗))?`,
);
const LATIN_ABBREV = new Map<string, string>(
  Object.entries({
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
  }),
);

export interface Address {
  /** Canonical key: street text plus the sequence of numbers (building, unit, room). */
  readonly key: string;
  /** Street / place text without numbers and unit words. */
  readonly street: string;
  /** The numbers in order (house, building, unit, room). */
  readonly numbers: string[];
}

/** Holds the key only (a million records keep one each): street and numbers are read from it. */
class AddressKey implements Address {
  constructor(readonly key: string) {}

  get street(): string {
    return this.key.slice(0, this.key.indexOf('|'));
  }

  get numbers(): string[] {
    const tail = this.key.slice(this.key.indexOf('|') + 1);
    return tail ? tail.split('-') : [];
  }

  toJSON(): { key: string; street: string; numbers: string[] } {
    return { key: this.key, street: this.street, numbers: this.numbers };
  }
}

const addressOf = (street: string, numbers: string[]): Address =>
  new AddressKey(`${street}|${numbers.join('-')}`);

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
    return addressOf(street, numbers);
  }
  return latinAddress(stripDiacritics(v));
}

const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * A Latin address (lower-case, no diacritics) as tokens: maximal runs of letters and digits,
 * street words abbreviated (`street` -> `st`), unit words dropped, the digits of each token with
 * digits kept in order as the numbers. One pass, no regular expressions: addresses are the
 * longest field of most records.
 */
function latinAddress(v: string): Address | null {
  const words: string[] = [];
  const numbers: string[] = [];
  let tokens = 0;
  for (let i = 0; i < v.length;) {
    if (!isAlnum(v.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    let digits = false;
    for (; j < v.length; j++) {
      const c = v.charCodeAt(j);
      if (!isAlnum(c)) break;
      if (c <= 57) digits = true;
    }
    const raw = v.slice(i, j);
    const t = LATIN_ABBREV.get(raw) ?? raw;
    tokens++;
    if (digits) {
      let d = '';
      for (let k = 0; k < t.length; k++) if (t.charCodeAt(k) <= 57) d += t[k];
      numbers.push(d);
    } else if (t !== 'apt' && t !== 'ste' && t !== 'no') words.push(t);
    i = j;
  }
  if (tokens === 0) return null;
  return addressOf(words.join(' '), numbers);
}
