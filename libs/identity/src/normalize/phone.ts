import { toHalfWidth } from './text';

/**
 * Normalises a phone number to its national significant number: separators removed, `+86`,
 * `0086` and `86` country prefixes dropped for 11-digit mainland mobiles, other international
 * prefixes kept. Returns null for values too short to identify anyone.
 */
export function normalizePhone(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = toHalfWidth(raw)
    .trim()
    .replace(/(ext|x|转|分机).*$/i, '');
  let v = text.replace(/\D/g, '');
  const international = text.startsWith('+') || v.startsWith('00');
  if (v.startsWith('00')) v = v.slice(2);
  if (/^86(1\d{10})$/.test(v))
    v = v.slice(2); // +86 / 86 / 0086 before a mainland mobile
  else if (international && v.startsWith('86')) v = v.slice(2).replace(/^0/, '');
  else if (international && /^1\d{10}$/.test(v)) v = v.slice(1); // NANP +1
  if (v.length < 7 || /^(\d)\1+$/.test(v)) return null;
  return v;
}
