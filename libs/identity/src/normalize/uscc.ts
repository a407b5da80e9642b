import { normalizeOrgCode, type OrgCode } from './org-code';
import { cleanIdText } from './resident-id';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character of the first 17 characters of a USCC ('?' if a character is outside the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(first17[i]);
    if (v < 0) return '?';
    sum += v * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export interface Uscc {
  value: string;
  checksumValid: boolean;
  /** Characters 9-17: the organisation code embedded in the USCC. */
  orgCode: OrgCode;
}

/** Normalises a Unified Social Credit Code; a checksum failure is flagged, not discarded. */
export function normalizeUscc(raw: string | null | undefined): Uscc | null {
  if (!raw) return null;
  const v = cleanIdText(raw);
  if (!/^[0-9A-Z]{18}$/.test(v)) return null;
  const orgCode = normalizeOrgCode(v.slice(8, 17));
  if (!orgCode) return null;
  return { value: v, checksumValid: usccCheckChar(v.slice(0, 17)) === v[17], orgCode };
}
