import { toHalfWidth } from './text';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export interface ResidentId {
  /** Canonical 18-character form (upper-case X). */
  value: string;
  /** The checksum of an 18-character number holds. A 15-digit legacy number has none to check. */
  checksumValid: boolean;
  /** The input was the legacy 15-digit form (converted; its check character is computed, not verified). */
  legacy15: boolean;
  /** Birth date coded in the number, when it is a real calendar date. */
  birthDate: string | null;
  /** From the order code: odd = male, even = female. */
  gender: 'M' | 'F';
}

/** GB 11643 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[m - 1];
}

/** Strips separators, full-width characters and case noise from an identity number. */
export function cleanIdText(raw: string): string {
  return toHalfWidth(raw)
    .replace(/[\s\-_.·/\\]/g, '')
    .toUpperCase();
}

/**
 * Normalises a PRC resident identity number: strips spaces/hyphens, full-width to half-width,
 * lower-case x, converts 15 -> 18 digits, checks the checksum. Returns null when the text cannot
 * be a resident id at all (wrong length or characters); a checksum failure is kept and flagged.
 */
export function normalizeResidentId(raw: string | null | undefined): ResidentId | null {
  if (!raw) return null;
  let v = cleanIdText(raw);
  let legacy15 = false;
  if (/^\d{15}$/.test(v)) {
    const first17 = `${v.slice(0, 6)}19${v.slice(6)}`;
    v = first17 + residentIdCheckChar(first17);
    legacy15 = true;
  }
  if (!/^\d{17}[\dX]$/.test(v)) return null;
  const checksumValid = !legacy15 && residentIdCheckChar(v.slice(0, 17)) === v[17];
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const birthDate =
    y >= 1880 && y <= 2100 && isRealDate(y, m, d)
      ? `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`
      : null;
  return {
    value: v,
    checksumValid,
    legacy15,
    birthDate,
    gender: Number(v[16]) % 2 === 1 ? 'M' : 'F',
  };
}
