import { isRealDate } from './resident-id';
import { toHalfWidth } from './text';

export interface NormalizedDate {
  /** YYYY-MM-DD when the recorded value is a real date; null otherwise. */
  value: string | null;
  /** A value was recorded but it is not a real / plausible date (kept raw, ignored for matching). */
  invalid: boolean;
  raw: string | null;
}

/** Parsed dates by recorded text (default year range): dates repeat across millions of records. */
const parsed = new Map<string, Readonly<NormalizedDate>>();
const NONE: Readonly<NormalizedDate> = Object.freeze({ value: null, invalid: false, raw: null });

/** Parses YYYY-MM-DD, YYYY/M/D, YYYYMMDD, YYYY年M月D日; rejects impossible or implausible dates. */
export function normalizeDate(
  raw: string | null | undefined,
  minYear = 1880,
  maxYear = 2100,
): Readonly<NormalizedDate> {
  if (raw === null || raw === undefined) return NONE;
  if (minYear !== 1880 || maxYear !== 2100) return parseDate(raw, minYear, maxYear);
  let hit = parsed.get(raw);
  if (hit === undefined) {
    if (parsed.size >= 200_000) parsed.clear();
    hit = Object.freeze(parseDate(raw, minYear, maxYear));
    parsed.set(raw, hit);
  }
  return hit;
}

function parseDate(raw: string, minYear: number, maxYear: number): NormalizedDate {
  if (raw.trim() === '') return { value: null, invalid: false, raw: null };
  const v = toHalfWidth(raw).trim();
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T ].*)?$/.exec(v) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return { value: null, invalid: true, raw };
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < minYear || y > maxYear || !isRealDate(y, mo, d))
    return { value: null, invalid: true, raw };
  return {
    value: `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    invalid: false,
    raw,
  };
}
