import type { TSchema } from '@sinclair/typebox';

import { envelopeSchema } from '../envelope';
import type { EventDefinition } from '../event-definition';

/** The JSON Schema dialect the published schema files declare. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** `$id` of a published schema: a URN, so it does not depend on where the files are hosted. */
export function schemaId(topic: string, part: 'payload' | 'envelope'): string {
  return `urn:bank-crm:contracts:${topic}:${part}`;
}

/**
 * Keywords printed first, in this order; every other keyword follows alphabetically. TypeBox emits
 * keywords in whatever order its options were spread, so without this the files would reorder
 * themselves on harmless refactors.
 */
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  'deprecated',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
];

function keywordRank(key: string): number {
  const i = KEYWORD_ORDER.indexOf(key);
  return i === -1 ? KEYWORD_ORDER.length : i;
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeywords(a: string, b: string): number {
  return keywordRank(a) - keywordRank(b) || compareStrings(a, b);
}

/** Keywords whose value is a map from a (meaningful, author-ordered) name to a schema. */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);

/** Keywords whose value is instance data, not a schema: copied as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'example']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A plain JSON copy: drops TypeBox's symbol keys (`[Kind]`, `[OptionalKind]`...), functions and undefined. */
export function toPlainJson<T = JsonValue>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A schema in canonical form: keywords in a fixed order, `required` sorted (it is a set), while
 * property maps and `enum` keep the author's order (it is the documentation order), and data
 * (`const`, `enum`, `examples`, `x-*` extensions) is copied untouched.
 */
export function canonicalSchema(schema: unknown): JsonValue {
  const plain = toPlainJson<JsonValue>(schema);
  return canonical(plain);
}

function canonical(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort(compareKeywords)) {
    const v = value[key];
    if (DATA_KEYWORDS.has(key) || key.startsWith('x-')) {
      out[key] = v;
    } else if (SCHEMA_MAPS.has(key) && isObject(v)) {
      const map: JsonObject = {};
      for (const [name, sub] of Object.entries(v)) map[name] = canonical(sub);
      out[key] = map;
    } else if (key === 'required' && Array.isArray(v)) {
      out[key] = [...v].sort();
    } else {
      out[key] = canonical(v);
    }
  }
  return out;
}

/** Stable JSON text: 2-space indent and a trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The payload schema of an event as published: plain JSON Schema with `$schema`, `$id` and `title`. */
export function payloadJsonSchema(definition: EventDefinition): JsonObject {
  const body = canonicalSchema(definition.payload) as JsonObject;
  return canonicalSchema({
    ...body,
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(definition.topic, 'payload'),
    title: `${definition.topic} payload`,
  }) as JsonObject;
}

/**
 * The envelope schema of one event: the Kafka message value. `type` and `version` are pinned to
 * the event's (the library checks them in code after the schema; here the schema says it).
 */
export function envelopeBodySchema(definition: EventDefinition, payload: TSchema | JsonObject) {
  const schema = toPlainJson<JsonObject>(envelopeSchema(payload as TSchema));
  const properties = schema['properties'] as JsonObject;
  properties['type'] = { ...(properties['type'] as JsonObject), const: definition.type };
  properties['version'] = { ...(properties['version'] as JsonObject), const: definition.version };
  return schema;
}

export function envelopeJsonSchema(definition: EventDefinition): JsonObject {
  const body = envelopeBodySchema(definition, definition.payload);
  return canonicalSchema({
    ...body,
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(definition.topic, 'envelope'),
    title: `${definition.topic} envelope`,
    description: `The Kafka message value on topic ${definition.topic}: the bank-crm event envelope carrying a ${definition.type} v${definition.version} payload. Readers ignore fields they do not know.`,
  }) as JsonObject;
}
