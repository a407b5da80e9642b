import { DEAD_LETTER_HEADERS, deadLetterTopicSpecs, type DeadLetterReason } from '../registry';
import type { ServiceName } from '../services';
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

export const RESTRICTED_DEAD_LETTER_DESCRIPTION =
  "The dead letters of restricted topics go to the service's separate restricted dead-letter topic `<service>.message.dead-lettered-restricted.v1`, never to the ordinary one: a dead letter is the original message, so it carries the same unmasked personal data, and the restricted dead-letter topic needs the same kind of ACL as the restricted topics themselves. Dead letters of every other topic go to `<service>.message.dead-lettered.v1`.";

export interface DeadLetterTopicSpec {
  topic: string;
  service: ServiceName;
  partitions: number;
  /** The restricted dead-letter topic (dead letters of restricted topics only). */
  restricted: boolean;
}

export function deadLetterTopics(): DeadLetterTopicSpec[] {
  return deadLetterTopicSpecs()
    .map((spec) => ({
      topic: spec.topic,
      service: spec.owner,
      partitions: spec.partitions,
      restricted: spec.restricted,
    }))
    .sort((a, b) => compareStrings(a.topic, b.topic));
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
