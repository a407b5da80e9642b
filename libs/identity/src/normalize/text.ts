import * as OpenCC from 'opencc-js';

/** Full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space. */
export function toHalfWidth(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

let t2s: ((text: string) => string) | undefined;
const t2sCache = new Map<string, string>();

/** Traditional (any variant) to simplified Chinese, memoised: names and addresses repeat a lot. */
export function toSimplified(value: string): string {
  if (!/[\u3400-\u9fff]/.test(value)) return value;
  const hit = t2sCache.get(value);
  if (hit !== undefined) return hit;
  t2s ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
  const out = t2s(value);
  if (t2sCache.size > 200_000) t2sCache.clear();
  t2sCache.set(value, out);
  return out;
}

export const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
export const hasHan = (value: string): boolean => HAN.test(value);

/** Removes diacritics from Latin text (é -> e, ü -> u). */
export function stripDiacritics(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Trims and returns null for empty / placeholder values. */
export function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const v = toHalfWidth(value).trim();
  if (v === '' || /^(null|n\/a|na|none|unknown|-+|0+)$/i.test(v)) return null;
  return v;
}
