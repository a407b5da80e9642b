import * as OpenCC from 'opencc-js';

/** Full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space. */
export function toHalfWidth(value: string): string {
  let out: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const wide = (code >= 0xff01 && code <= 0xff5e) || code === 0x3000;
    if (!wide) {
      if (out !== null) out += value[i];
      continue;
    }
    // most values have no full-width character: they are returned as they are
    out ??= value.slice(0, i);
    out += code === 0x3000 ? ' ' : String.fromCharCode(code - 0xfee0);
  }
  return out ?? value;
}

let t2s: ((text: string) => string) | undefined;
/** Per character (UTF-16 unit): its simplified form, computed once. */
const simplified = new Map<number, string>();

/**
 * Traditional (any variant) to simplified Chinese, character by character. Names and addresses
 * are not running text: converting them as words would turn the name 沈思 into the word 沉思.
 */
export function toSimplified(value: string): string {
  let out: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x3400 || c > 0x9fff) {
      if (out !== null) out += value[i];
      continue;
    }
    let s = simplified.get(c);
    if (s === undefined) {
      t2s ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
      s = t2s(value[i]);
      simplified.set(c, s);
    }
    if (out === null && s !== value[i]) out = value.slice(0, i);
    if (out !== null) out += s;
  }
  return out ?? value;
}

export const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
export const hasHan = (value: string): boolean => HAN.test(value);

/** Removes diacritics from Latin text (é -> e, ü -> u). */
export function stripDiacritics(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(value)) return value;
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Trims and returns null for empty / placeholder values. */
export function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = toHalfWidth(value).trim();
  if (v === '' || /^(null|n\/a|na|none|unknown|-+|0+)$/i.test(v)) return null;
  return v;
}
