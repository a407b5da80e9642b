import { randomUUID } from 'node:crypto';

import {
  SourceRecordLinkedV1,
  type EventEnvelope,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import { makeEnvelope, produceEnvelope, readTopic, type ConsumedMessage } from '@bank-crm/testing';

export const ACCOUNT_CSV_HEADER =
  'sourceKey,accountNumber,productType,productCode,currency,balance,availableBalance,balanceAsOf,status,openedOn,closedOn,branch,lastActivityOn,holders,observedAt';

export function accountCsvRow(a: {
  key: string;
  number: string;
  product?: string;
  currency?: string;
  balance?: string;
  status?: string;
  closedOn?: string;
  holders: string;
  observedAt?: string;
}): string {
  return [
    a.key,
    a.number,
    a.product ?? 'savings',
    '',
    a.currency ?? 'CNY',
    a.balance ?? '1000.00',
    '',
    '2026-11-28T00:00:00Z',
    a.status ?? 'open',
    '2020-01-15',
    a.closedOn ?? '',
    'BJ-0101',
    '2026-11-27',
    a.holders,
    a.observedAt ?? '2026-11-28T00:00:00Z',
  ].join(',');
}

/** What customer-master publishes once it has resolved a party record (simulated in these tests). */
export async function resolveParty(
  sourceSystem: string,
  sourceKey: string,
  customerId: string,
  linkedAt = new Date().toISOString(),
): Promise<EventEnvelope<SourceRecordLinkedV1Payload>> {
  const envelope = makeEnvelope<SourceRecordLinkedV1Payload>(
    SourceRecordLinkedV1,
    { sourceSystem, sourceKey, customerId, linkedAt },
    { subject: `${sourceSystem}:${sourceKey}` },
  );
  await produceEnvelope(SourceRecordLinkedV1.topic, envelope);
  return envelope;
}

export function uniqueSystem(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function payloads<T>(messages: ConsumedMessage[]): T[] {
  return messages.map((m) => (JSON.parse(m.value ?? '{}') as { payload: T }).payload);
}

/** Messages of a topic whose envelope matches, read from the beginning until `enough`. */
export async function readMatching<T>(
  topic: string,
  match: (payload: T, subject: string) => boolean,
  enough: (found: T[]) => boolean,
  timeoutMs = 30_000,
): Promise<T[]> {
  const found: T[] = [];
  let seen = 0;
  await readTopic(
    topic,
    (messages) => {
      for (; seen < messages.length; seen += 1) {
        const env = JSON.parse(messages[seen].value ?? '{}') as { payload: T; subject: string };
        if (match(env.payload, env.subject)) found.push(env.payload);
      }
      return enough(found);
    },
    timeoutMs,
  );
  return found;
}
