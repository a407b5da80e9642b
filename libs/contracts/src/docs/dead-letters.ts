import {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_PARTITIONS,
  deadLetterTopic,
  type DeadLetterReason,
} from '../registry';
import { SERVICE_NAMES, type ServiceName } from '../services';
import { compareStrings } from './json-schema';

/** What each dead-letter header says (typed as a record, so a new header must be described here). */
export const DEAD_LETTER_HEADER_DESCRIPTIONS: Record<keyof typeof DEAD_LETTER_HEADERS, string> = {
  originalTopic: 'Topic the original message was consumed from.',
  originalPartition: 'Partition of the original message (decimal).',
  originalOffset: 'Offset of the original message (decimal).',
  originalKey: 'Key of the original message as UTF-8 text; empty when it had no key.',
  consumerGroup: 'Consumer group that failed to process the message.',
  reason: 'Why the message was parked: see the reasons below.',
  error: 'Description of the failure (may be truncated).',
  attempts:
    'How many times processing was attempted (decimal); 0 when the message was rejected without processing.',
  failedAt: 'When the message was parked (ISO 8601, UTC).',
};

/** The values of the reason header (a record, so a new reason must be described here). */
export const DEAD_LETTER_REASON_DESCRIPTIONS: Record<DeadLetterReason, string> = {
  unparseable: 'the value is not valid JSON (or is empty)',
  invalid:
    "the envelope or payload violates the topic's contract, or the topic has no contract in this service",
  'handler-failed': 'processing kept failing after the consumer exhausted its retries',
};

export const DEAD_LETTER_VALUE_DESCRIPTION =
  'The value is the original message value, unchanged byte for byte: not re-encoded and not wrapped in another envelope (normally the event envelope of the original topic; anything, even invalid JSON, when the reason is unparseable). The key is the original key and the original headers are kept; the `dlq-*` headers are added.';

export interface DeadLetterTopicSpec {
  topic: string;
  service: ServiceName;
  partitions: number;
}

export function deadLetterTopics(): DeadLetterTopicSpec[] {
  return SERVICE_NAMES.map((service) => ({
    topic: deadLetterTopic(service),
    service,
    partitions: DEAD_LETTER_PARTITIONS,
  })).sort((a, b) => compareStrings(a.topic, b.topic));
}

/** The headers of a dead letter as a JSON Schema object (Kafka header values are strings). */
export function deadLetterHeadersSchema() {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [field, header] of Object.entries(DEAD_LETTER_HEADERS) as [
    keyof typeof DEAD_LETTER_HEADERS,
    string,
  ][]) {
    properties[header] = { type: 'string', description: DEAD_LETTER_HEADER_DESCRIPTIONS[field] };
  }
  const reasons = Object.keys(DEAD_LETTER_REASON_DESCRIPTIONS) as DeadLetterReason[];
  properties[DEAD_LETTER_HEADERS.reason] = {
    type: 'string',
    enum: reasons,
    description: `Why the message was parked: ${reasons
      .map((r) => `${r} = ${DEAD_LETTER_REASON_DESCRIPTIONS[r]}`)
      .join('; ')}.`,
  };
  return {
    type: 'object',
    description: 'Headers added to the original headers (which are kept). All values are strings.',
    required: Object.values(DEAD_LETTER_HEADERS).sort(),
    properties,
    additionalProperties: true,
  };
}
