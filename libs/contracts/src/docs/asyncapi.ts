import { ENVELOPE_SPEC_VERSION } from '../envelope';
import type { EventDefinition } from '../event-definition';
import {
  DEAD_LETTER_VALUE_DESCRIPTION,
  deadLetterHeadersSchema,
  RESTRICTED_DEAD_LETTER_DESCRIPTION,
  deadLetterTopics,
  type DeadLetterTopicSpec,
} from './dead-letters';
import { sampleEnvelope } from './examples';
import {
  canonicalSchema,
  compareStrings,
  envelopeBodySchema,
  toPlainJson,
  type JsonObject,
} from './json-schema';
import { COMPATIBILITY_RULE, CONSUMER_RULES, NAMING_RULE, RESTRICTED_NOTE } from './texts';

export const ASYNCAPI_VERSION = '3.0.0';
const KAFKA_BINDING_VERSION = '0.5.0';

const ownerTag = (owner: string) => ({
  name: `owner:${owner}`,
  description: `Published by the ${owner} service.`,
});
const RESTRICTED_TAG = { name: 'restricted', description: 'Carries unmasked personal data.' };
const DEPRECATED_TAG = {
  name: 'deprecated',
  description: 'Still published, but superseded: see the topic description for its replacement.',
};
const DEAD_LETTER_TAG = {
  name: 'dead-letter',
  description: 'Messages a service could not process.',
};

function eventTags(definition: EventDefinition) {
  return [
    ownerTag(definition.owner),
    ...(definition.restricted ? [RESTRICTED_TAG] : []),
    ...(definition.deprecated ? [DEPRECATED_TAG] : []),
  ];
}

function eventDescription(definition: EventDefinition): string {
  const lines = [
    definition.summary,
    '',
    ...(definition.deprecated ? [`**Deprecated.** ${definition.deprecated}`, ''] : []),
    `- Owner: \`${definition.owner}\` (the only service that publishes to this topic).`,
    `- Message key: ${definition.key}; the same value as the envelope \`subject\`.`,
    `- Value: the bank-crm event envelope (JSON) carrying a \`${definition.type}\` v${definition.version} payload.`,
    `- Partitions: ${definition.partitions}.`,
    `- Restricted: ${definition.restricted ? `**yes**. ${RESTRICTED_NOTE}` : 'no (personal identifiers are masked).'}`,
  ];
  return lines.join('\n');
}

function deadLetterDescription(spec: DeadLetterTopicSpec): string {
  const which = spec.restricted
    ? `messages of restricted topics it cannot process`
    : `messages of non-restricted topics it cannot process`;
  return [
    `Where the ${spec.service} service parks the ${which}: invalid ones, and ones whose processing still fails after its retries.`,
    '',
    DEAD_LETTER_VALUE_DESCRIPTION,
    '',
    RESTRICTED_DEAD_LETTER_DESCRIPTION,
    '',
    `- Restricted: ${spec.restricted ? `**yes**. ${RESTRICTED_NOTE}` : 'no (it never holds a message of a restricted topic).'}`,
  ].join('\n');
}

function deadLetterTags(spec: DeadLetterTopicSpec) {
  return spec.restricted
    ? [ownerTag(spec.service), DEAD_LETTER_TAG, RESTRICTED_TAG]
    : [ownerTag(spec.service), DEAD_LETTER_TAG];
}

/** The AsyncAPI 3.0 document (as a plain object) of every topic. */
export function buildAsyncApi(definitions: readonly EventDefinition[]): JsonObject {
  const sorted = [...definitions].sort((a, b) => compareStrings(a.topic, b.topic));
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  const schemas: JsonObject = {};

  for (const d of sorted) {
    const payloadSchema = `${d.topic}.payload`;
    const envelopeSchemaName = `${d.topic}.envelope`;
    schemas[payloadSchema] = canonicalSchema({
      ...toPlainJson<JsonObject>(d.payload),
      title: `${d.topic} payload`,
    });
    schemas[envelopeSchemaName] = canonicalSchema({
      ...envelopeBodySchema(d, { $ref: `#/components/schemas/${payloadSchema}` }),
      title: `${d.topic} envelope`,
      description: `The bank-crm event envelope carrying a ${d.type} v${d.version} payload.`,
    });
    messages[d.topic] = {
      name: d.topic,
      title: `${d.type} v${d.version}`,
      summary: d.summary,
      description: eventDescription(d),
      contentType: 'application/json',
      payload: { $ref: `#/components/schemas/${envelopeSchemaName}` },
      bindings: {
        kafka: {
          key: {
            type: 'string',
            description: `${d.key}; the same value as the envelope subject.`,
          },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      examples: [
        {
          name: 'example',
          summary: `A sample ${d.type} v${d.version} event.`,
          payload: toPlainJson(sampleEnvelope(d)),
        },
      ],
      tags: eventTags(d),
    };
    channels[d.topic] = {
      address: d.topic,
      title: d.topic,
      summary: d.summary,
      description: eventDescription(d),
      messages: { [d.topic]: { $ref: `#/components/messages/${d.topic}` } },
      bindings: { kafka: { partitions: d.partitions, bindingVersion: KAFKA_BINDING_VERSION } },
      tags: eventTags(d),
      'x-owner': d.owner,
      'x-message-key': d.key,
      'x-restricted': d.restricted,
      ...(d.deprecated ? { 'x-deprecated': d.deprecated } : {}),
    };
    operations[`${d.topic}.send`] = {
      action: 'send',
      title: `${d.owner} publishes ${d.topic}`,
      summary: d.summary,
      channel: { $ref: `#/channels/${d.topic}` },
      messages: [{ $ref: `#/channels/${d.topic}/messages/${d.topic}` }],
      tags: [ownerTag(d.owner)],
      'x-service': d.owner,
    };
  }

  schemas['dead-letter.headers'] = canonicalSchema({
    ...deadLetterHeadersSchema(),
    title: 'dead-letter headers',
  });
  schemas['dead-letter.value'] = {
    title: 'dead-letter value',
    description: DEAD_LETTER_VALUE_DESCRIPTION,
  };
  for (const spec of deadLetterTopics()) {
    messages[spec.topic] = {
      name: spec.topic,
      title: `${spec.service} ${spec.restricted ? 'restricted dead letter' : 'dead letter'}`,
      summary: `A message ${spec.restricted ? 'of a restricted topic ' : ''}the ${spec.service} service could not process, unchanged.`,
      description: deadLetterDescription(spec),
      contentType: 'application/octet-stream',
      headers: { $ref: '#/components/schemas/dead-letter.headers' },
      payload: { $ref: '#/components/schemas/dead-letter.value' },
      bindings: {
        kafka: {
          key: { type: 'string', description: 'The original message key, unchanged.' },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
      tags: deadLetterTags(spec),
    };
    channels[spec.topic] = {
      address: spec.topic,
      title: spec.topic,
      summary: spec.restricted
        ? `Dead letters of the restricted topics the ${spec.service} service consumes.`
        : `Dead letters of the ${spec.service} service.`,
      description: deadLetterDescription(spec),
      messages: { [spec.topic]: { $ref: `#/components/messages/${spec.topic}` } },
      bindings: { kafka: { partitions: spec.partitions, bindingVersion: KAFKA_BINDING_VERSION } },
      tags: deadLetterTags(spec),
      'x-owner': spec.service,
      'x-message-key': 'the original message key, unchanged',
      'x-restricted': spec.restricted,
    };
    operations[`${spec.topic}.send`] = {
      action: 'send',
      title: `${spec.service} parks a message ${spec.restricted ? 'of a restricted topic ' : ''}it cannot process`,
      summary: `The ${spec.service} service publishes the messages ${spec.restricted ? 'of restricted topics ' : ''}it cannot process here.`,
      channel: { $ref: `#/channels/${spec.topic}` },
      messages: [{ $ref: `#/channels/${spec.topic}/messages/${spec.topic}` }],
      tags: [ownerTag(spec.service), DEAD_LETTER_TAG],
      'x-service': spec.service,
    };
  }

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'bank-crm events',
      version: `${ENVELOPE_SPEC_VERSION}.0`,
      description: [
        'Every Kafka topic of bank-crm, generated from the contracts in libs/contracts (`npm run contracts:docs`). Each topic carries its own major version; this document version follows the envelope layout (`specVersion`).',
        '',
        NAMING_RULE,
        '',
        COMPATIBILITY_RULE,
        '',
        RESTRICTED_NOTE,
        '',
        'Consumers:',
        '',
        ...CONSUMER_RULES.map((rule) => `- ${rule}`),
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { schemas, messages },
  };
}
