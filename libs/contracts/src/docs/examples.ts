import { createHash } from 'node:crypto';

import { ENVELOPE_SPEC_VERSION, type EventEnvelope } from '../envelope';
import type { EventDefinition } from '../event-definition';

/** The fixed time every sample envelope carries, so that the generated documents are stable. */
export const SAMPLE_OCCURRED_AT = '2026-11-28T08:00:00.000Z';

/** A name-based (version 5 layout) UUID: the same name always gives the same id. */
export function sampleUuid(name: string): string {
  const hex = createHash('sha1').update(`bank-crm:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The message key of the definition's example. `key` is prose for readers, written either as a
 * payload field name (`customerId`) or as a template in backticks naming payload fields
 * (`` `<sourceSystem>:<sourceKey>` of the record ``).
 */
export function exampleSubject(definition: EventDefinition): string {
  const example = definition.example as Record<string, unknown>;
  const direct = example[definition.key];
  if (typeof direct === 'string' || typeof direct === 'number') return String(direct);
  const template = /`([^`]+)`/.exec(definition.key)?.[1];
  if (template && /<[A-Za-z0-9_]+>/.test(template)) {
    let unresolved = false;
    const subject = template.replace(/<([A-Za-z0-9_]+)>/g, (match, field: string) => {
      const value = example[field];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      unresolved = true;
      return match;
    });
    if (!unresolved) return subject;
  }
  throw new Error(
    `cannot derive the example message key of ${definition.topic} from its key "${definition.key}": ` +
      'write the key as a payload field name (e.g. "customerId") or as a template in backticks ' +
      'naming payload fields (e.g. "`<sourceSystem>:<sourceKey>` of the record"), with those fields set in the example',
  );
}

/** The definition's example wrapped in an envelope with fixed ids and time. */
export function sampleEnvelope(definition: EventDefinition): EventEnvelope {
  return {
    specVersion: ENVELOPE_SPEC_VERSION,
    id: sampleUuid(`event:${definition.topic}`),
    type: definition.type,
    version: definition.version,
    occurredAt: SAMPLE_OCCURRED_AT,
    producer: definition.owner,
    subject: exampleSubject(definition),
    correlationId: sampleUuid(`correlation:${definition.topic}`),
    payload: definition.example,
  };
}
