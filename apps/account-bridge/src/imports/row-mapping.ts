import {
  describeErrors,
  HOLDER_ROLES,
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
  SourcePartyRecordedV1,
  validatePayload,
  type EventDefinition,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';

export const IMPORT_KINDS = ['parties', 'accounts', 'balances'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The CSV columns of each kind (docs/ingestion.md). `sourceSystem` may be left out: the job's system. */
export const CSV_COLUMNS: Record<ImportKind, readonly string[] | undefined> = {
  // parties keep unknown columns as extra fields, as SourcePartyRecord v1 allows
  parties: undefined,
  accounts: [
    'sourceSystem',
    'sourceKey',
    'accountNumber',
    'productType',
    'productCode',
    'currency',
    'balance',
    'availableBalance',
    'balanceAsOf',
    'status',
    'openedOn',
    'closedOn',
    'branch',
    'lastActivityOn',
    'holders',
    'observedAt',
  ],
  balances: [
    'sourceSystem',
    'sourceKey',
    'currency',
    'balance',
    'availableBalance',
    'balanceAsOf',
    'lastActivityOn',
  ],
};

export type ImportRecord = SourcePartyRecordV1 | SourceAccountRecordV1 | SourceAccountBalanceV1;

const DEFINITIONS: Record<ImportKind, EventDefinition> = {
  parties: SourcePartyRecordedV1,
  accounts: SourceAccountRecordedV1,
  balances: SourceAccountBalanceRecordedV1,
};

/**
 * CSV `holders`: `partyKey:role` entries separated by `;`, optionally `partyKey:role:validFrom`,
 * e.g. `CB-1:primary-holder;CB-2:joint-holder:2024-01-01`.
 */
export function parseHolders(text: string): { holders?: unknown[]; error?: string } {
  const holders: unknown[] = [];
  for (const entry of text
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const parts = entry.split(':');
    let validFrom: string | undefined;
    if (parts.length >= 3 && /^\d{4}-\d{2}-\d{2}$/.test(parts[parts.length - 1])) {
      validFrom = parts.pop();
    }
    const role = parts.pop();
    const sourceKey = parts.join(':');
    if (!sourceKey || !role || !(HOLDER_ROLES as readonly string[]).includes(role)) {
      return {
        error: `holders: "${entry}" is not partyKey:role[:validFrom] with role one of ${HOLDER_ROLES.join(', ')}`,
      };
    }
    holders.push({ sourceKey, role, ...(validFrom ? { validFrom } : {}) });
  }
  return { holders };
}

/** A parsed row (CSV columns or a JSONL object) as a validated record of its kind, or the reason it is not. */
export function toRecord(
  kind: ImportKind,
  system: string,
  value: Record<string, unknown>,
  format: 'csv' | 'jsonl',
): { record: ImportRecord } | { error: string } {
  const candidate: Record<string, unknown> = { ...value };
  if (candidate.sourceSystem === undefined) candidate.sourceSystem = system;
  else if (candidate.sourceSystem !== system) {
    return {
      error: `sourceSystem: "${String(candidate.sourceSystem)}" in a file of system ${system}`,
    };
  }
  if (kind === 'accounts' && format === 'csv') {
    const parsed = parseHolders(typeof candidate.holders === 'string' ? candidate.holders : '');
    if (parsed.error) return { error: parsed.error };
    candidate.holders = parsed.holders;
  }
  const checked = validatePayload<ImportRecord>(DEFINITIONS[kind], candidate);
  if (!checked.ok) return { error: describeErrors(checked.errors) };
  return { record: checked.value };
}
