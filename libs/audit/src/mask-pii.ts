import { maskEmail, maskTail, PII_FIELD_NAMES } from '@bank-crm/pii';

const PII = new Set<string>(PII_FIELD_NAMES);

function maskValue(key: string, value: unknown): unknown {
  if (typeof value === 'string') return /email/i.test(key) ? maskEmail(value) : maskTail(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v));
  if (value && typeof value === 'object') return maskPiiFields(value);
  return value === null || value === undefined ? value : '[MASKED]';
}

/**
 * A copy of a JSON value with every personal identifier masked wherever it occurs (by field name:
 * @bank-crm/pii's PII_FIELD_NAMES, plus `number` inside an `identifiers` list). Audit rows keep
 * who changed what, not the identifiers themselves.
 */
export function maskPiiFields(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => maskPiiFields(v, parentKey));
  if (value instanceof Date) return value.toISOString();
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const identifierNumber = key === 'number' && /identifier|document/i.test(parentKey);
    out[key] = PII.has(key) || identifierNumber ? maskValue(key, v) : maskPiiFields(v, key);
  }
  return out;
}
