import { cleanIdText } from './resident-id';

/** Passports, foreign national ids and other ids: separators, case and full-width removed. */
export function normalizeOtherId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = cleanIdText(raw);
  if (v.length < 4 || /^(.)\1+$/.test(v)) return null;
  return v;
}
