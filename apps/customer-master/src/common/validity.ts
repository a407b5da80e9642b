/**
 * Validity periods of relations and group memberships: `validFrom` is the first day that holds,
 * `validTo` the first day that no longer holds (exclusive; null = open-ended), as PostgreSQL's
 * `daterange(valid_from, valid_to, '[)')`. A membership ended "on" day D has validTo = D.
 */
export interface Validity {
  validFrom: string;
  validTo: string | null;
}

/** True when the period holds on `date` (validFrom <= date < validTo). */
export function isValidOn(v: Validity, date: string): boolean {
  return v.validFrom <= date && (v.validTo === null || date < v.validTo);
}

/** True when two periods share at least one day. */
export function overlaps(a: Validity, b: Validity): boolean {
  const aEndsAfterBStarts = a.validTo === null || a.validTo > b.validFrom;
  const bEndsAfterAStarts = b.validTo === null || b.validTo > a.validFrom;
  return aEndsAfterBStarts && bEndsAfterAStarts;
}

/** Why a period is not acceptable, or null when it is. */
export function periodProblem(v: Validity): string | null {
  if (v.validTo !== null && v.validTo <= v.validFrom) {
    return 'validTo must be after validFrom (validTo is the first day it no longer holds)';
  }
  return null;
}

/** Why `validTo` cannot end this period, or null when it can. */
export function endProblem(v: Validity, validTo: string): string | null {
  if (v.validTo !== null) return `already ended (validTo ${v.validTo})`;
  if (validTo <= v.validFrom) return `validTo must be after validFrom (${v.validFrom})`;
  return null;
}
