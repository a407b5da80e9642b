/**
 * Identifier numbers as customer-master stores and searches them. Resident identity numbers
 * (GB 11643-1999) are kept in their 18-character form: a legacy 15-digit number is converted by
 * inserting the century 19 and computing the check character.
 */

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = '10X98765432';

/** Full-width to half-width, no spaces or hyphens, upper case (a lower-case x check is common). */
export function normaliseIdentifierNumber(value: string): string {
  return value
    .normalize('NFKC')
    .replace(/[\s\-‐‑‒–—]/g, '')
    .toUpperCase();
}

/** The GB 11643 check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i];
  return RESIDENT_ID_CHECK[sum % 11];
}

/** Converts a legacy 15-digit resident id (YYMMDD birth date, 1900s) to its 18-character form. */
export function residentId15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new Error('15 digits expected');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}

/** The legacy 15-digit form of an 18-character resident id born in the 1900s, if it has one. */
export function residentId18To15(id18: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id18) || id18.slice(6, 8) !== '19') return null;
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/** True for 17 digits plus a check character that matches them. */
export function hasValidResidentIdCheck(id18: string): boolean {
  return /^\d{17}[\dX]$/.test(id18) && residentIdCheckChar(id18.slice(0, 17)) === id18[17];
}

/** Why a number cannot be an identifier of this type, or null (format only; see below). */
export function identifierFormatProblem(type: string, normalised: string): string | null {
  if (type === 'CN_RESIDENT_ID' && !/^(\d{15}|\d{17}[\dX])$/.test(normalised)) {
    return 'a resident id has 18 characters (17 digits and a check digit or X) or 15 digits';
  }
  // A check character that does not match is suspect, not proof of a typo (real legacy numbers
  // fail it), so it is accepted; identity resolution weighs it.
  return null;
}

/** The stored form: normalised, and for resident ids the 18-character form. */
export function normaliseIdentifier(type: string, raw: string): string {
  const n = normaliseIdentifierNumber(raw);
  if (type === 'CN_RESIDENT_ID' && /^\d{15}$/.test(n)) return residentId15To18(n);
  return n;
}

/**
 * Every stored form a searched number may have: the normalised value, and for something that
 * looks like a resident id both its 18- and 15-character forms (older rows may hold either).
 */
export function identifierSearchForms(raw: string, type?: string): string[] {
  const n = normaliseIdentifierNumber(raw);
  const forms = new Set([n]);
  const residentLike = type === undefined || type === 'CN_RESIDENT_ID';
  if (residentLike && /^\d{15}$/.test(n)) forms.add(residentId15To18(n));
  if (residentLike) {
    const legacy = residentId18To15(n);
    if (legacy) forms.add(legacy);
  }
  return [...forms];
}
