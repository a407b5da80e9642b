import { cleanIdText } from './resident-id';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** GB 11714 check character of the first 8 characters of an organisation code. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = CHARS.indexOf(first8[i]);
    if (v < 0) return '?';
    sum += v * WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export interface OrgCode {
  /** Canonical 9-character form, without the hyphen. */
  value: string;
  checksumValid: boolean;
}

/** Normalises a 9-character organisation code (`12345678-9`, full-width, spaces). */
export function normalizeOrgCode(raw: string | null | undefined): OrgCode | null {
  if (!raw) return null;
  const v = cleanIdText(raw);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(v)) return null;
  return { value: v, checksumValid: orgCodeCheckChar(v.slice(0, 8)) === v[8] };
}
