import { maskEmail, maskTail } from '@bank-crm/pii';

/**
 * Phone numbers as stored and searched: half-width digits only, without separators or the
 * mainland +86 / 0086 / 86 country prefix (kept for other countries, with a leading +).
 */
export function normalisePhone(raw: string): string {
  const s = raw.normalize('NFKC').trim();
  const plus = s.startsWith('+') || s.startsWith('00');
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('00')) digits = digits.slice(2);
  if (digits.startsWith('86') && (plus || digits.length === 13)) return digits.slice(2);
  return plus ? `+${digits}` : digits;
}

export function normaliseEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export interface PhoneValue {
  type: string;
  number: string;
}
export interface EmailValue {
  type: string;
  address: string;
}

export function maskPhones(phones: PhoneValue[]): { type: string; masked: string }[] {
  return phones.map((p) => ({ type: p.type, masked: maskTail(p.number) }));
}

export function maskEmails(emails: EmailValue[]): { type: string; masked: string }[] {
  return emails.map((e) => ({ type: e.type, masked: maskEmail(e.address) }));
}
