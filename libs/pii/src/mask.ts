/**
 * Masks all but the last `visible` characters of a value, keeping its length, so staff can tell
 * two numbers apart by their tail without seeing the number (e.g. `**************002X`).
 */
export function maskTail(value: string, visible = 4): string {
  const chars = Array.from(value);
  if (chars.length <= visible) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - visible) + chars.slice(chars.length - visible).join('');
}

/** Masks an e-mail address to its first character and domain: `z***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return maskTail(value, 0);
  return `${value[0]}***${value.slice(at)}`;
}

/**
 * Field names that carry personal identifiers. Loggers redact them wherever they occur, and the
 * canary tests look for their values in logs and topics.
 */
export const PII_FIELD_NAMES = [
  'idNumber',
  'identifierNumber',
  'phone',
  'phones',
  'mobile',
  'email',
  'emails',
  'accountNumber',
  'password',
  'authorization',
  'cookie',
] as const;
