import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';

/** Version of the envelope layout itself (not of any payload). */
export const ENVELOPE_SPEC_VERSION = '1.0';

const envelopeHeaderProperties = {
  specVersion: Type.Literal(ENVELOPE_SPEC_VERSION, { description: 'Envelope layout version.' }),
  id: Type.String({ format: 'uuid', description: 'Unique event id; consumers deduplicate on it.' }),
  type: Type.String({
    description:
      'Event type: the topic name without its major version, e.g. customer-master.customer.created',
  }),
  version: Type.Integer({ minimum: 1, description: 'Major version of the payload schema.' }),
  occurredAt: Type.String({
    format: 'date-time',
    description: 'When the change happened (UTC, ISO 8601).',
  }),
  producer: Type.String({ minLength: 1, description: 'The service that published the event.' }),
  subject: Type.String({
    minLength: 1,
    description:
      'The aggregate id. It is also the Kafka message key, so one aggregate stays in order.',
  }),
  subjectVersion: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Version of the aggregate after this change, where the aggregate is versioned. A consumer ignores an event whose subjectVersion is not above the one it has applied from the same topic (Kafka orders the events of an aggregate only within a topic).',
    }),
  ),
  correlationId: Type.String({
    minLength: 1,
    description: 'Shared by every request and event of one business flow.',
  }),
  causationId: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Id of the request or event that directly caused this one.',
    }),
  ),
};

export const EnvelopeHeaderSchema = Type.Object(envelopeHeaderProperties, {
  $id: 'EventEnvelopeHeader',
  description: 'Metadata carried by every bank-crm event.',
});

export type EnvelopeHeader = Static<typeof EnvelopeHeaderSchema>;

/** The full envelope schema for one payload schema (unknown extra fields are tolerated by readers). */
export function envelopeSchema<P extends TSchema>(payload: P): TObject {
  return Type.Object({ ...envelopeHeaderProperties, payload });
}

export interface EventEnvelope<P = unknown> extends EnvelopeHeader {
  payload: P;
}
