import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Type } from '@sinclair/typebox';

import { toPlainJson } from '../docs/json-schema';
import { EVENT_DEFINITIONS } from '../registry';
import {
  checkCompatibility,
  describeBreakingChanges,
  type BreakingChangeKind,
  type JsonSchema,
} from './check-compatibility';
import {
  ACCEPT_NEW_TOPICS_COMMAND,
  nextMajorTopic,
  PUBLISHED_DIR,
  publishedSnapshot,
  publishedSnapshotPath,
} from './published';

const ROOT = path.resolve(__dirname, '../../../..');

/** The kinds of breaking change found, with their paths: what the rule tests compare. */
function kinds(oldSchema: JsonSchema, newSchema: JsonSchema): [string, BreakingChangeKind][] {
  return checkCompatibility(oldSchema, newSchema).map((c) => [c.path, c.kind]);
}

const base = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'Id.' },
    status: { type: 'string', enum: ['active', 'dormant'] },
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^<>]*$' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'masked'],
        properties: { type: { type: 'string', enum: ['A', 'B'] }, masked: { type: 'string' } },
        additionalProperties: false,
      },
    },
    managerId: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
} as const;

/** A schema under edit: the tests reach into it freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = Record<string, any>;
type Edit = (schema: Editable) => void;

/** A deep copy of `base` changed by `edit`. */
function changed(edit: Edit): JsonSchema {
  const schema = structuredClone(base) as Editable;
  edit(schema);
  return schema;
}

describe('checkCompatibility', () => {
  it('finds nothing between a schema and itself', () => {
    expect(checkCompatibility(base, structuredClone(base))).toEqual([]);
  });

  describe('non-breaking changes', () => {
    it.each<[string, Edit]>([
      [
        'adding an optional property to an open object',
        (s) => (s.properties.email = { type: 'string' }),
      ],
      [
        'adding an optional nested object',
        (s) =>
          (s.properties.address = {
            type: 'object',
            required: ['city'],
            properties: { city: { type: 'string' } },
          }),
      ],
      ['changing a description', (s) => (s.properties.id.description = 'The permanent id.')],
      [
        'adding a title, examples, a default, deprecated and x- extensions',
        (s) => {
          s.title = 'Thing';
          s.properties.age.examples = [42];
          s.properties.age.default = 0;
          s.properties.name.deprecated = true;
          s['x-error-message'] = { anyOf: 'message' };
          s.$schema = 'https://json-schema.org/draft/2020-12/schema';
          s.$id = 'urn:x';
        },
      ],
      ['reordering enum values', (s) => s.properties.status.enum.reverse()],
      ['reordering required', (s) => s.required.reverse()],
      ['reordering anyOf alternatives', (s) => s.properties.managerId.anyOf.reverse()],
      [
        'reordering properties',
        (s) => (s.properties = Object.fromEntries(Object.entries(s.properties).reverse())),
      ],
      ['spelling additionalProperties: true out', (s) => (s.additionalProperties = true)],
    ])('%s', (_label, edit) => {
      expect(kinds(base, changed(edit))).toEqual([]);
    });
  });

  describe('breaking changes', () => {
    it.each<[string, Edit, [string, BreakingChangeKind][]]>([
      ['removing a property', (s) => delete s.properties.age, [['age', 'property-removed']]],
      [
        'removing a required property',
        (s) => {
          delete s.properties.status;
          s.required = ['id'];
        },
        [['status', 'property-removed']],
      ],
      [
        'adding a required property',
        (s) => {
          s.properties.email = { type: 'string' };
          s.required.push('email');
        },
        [['email', 'required-added']],
      ],
      [
        'making an optional property required',
        (s) => s.required.push('name'),
        [['name', 'required-added']],
      ],
      [
        'making a required property optional',
        (s) => (s.required = ['id']),
        [['status', 'required-removed']],
      ],
      ['changing a type', (s) => (s.properties.age.type = 'number'), [['age', 'type-changed']]],
      [
        'making a field nullable',
        (s) => (s.properties.age.type = ['integer', 'null']),
        [['age', 'type-changed']],
      ],
      [
        'making a nullable field non-nullable',
        (s) => (s.properties.managerId = { type: 'string' }),
        [
          ['managerId', 'type-changed'],
          ['managerId', 'composition-changed'],
        ],
      ],
      [
        'removing an enum value',
        (s) => (s.properties.status.enum = ['active']),
        [['status', 'enum-value-removed']],
      ],
      [
        'adding an enum value',
        (s) => s.properties.status.enum.push('lost'),
        [['status', 'enum-value-added']],
      ],
      [
        'changing a pattern',
        (s) => (s.properties.name.pattern = '^[a-z]*$'),
        [['name', 'constraint-changed']],
      ],
      [
        'adding a pattern',
        (s) => (s.properties.id.pattern = '^[0-9a-f-]+$'),
        [['id', 'constraint-tightened']],
      ],
      [
        'adding a format',
        (s) => (s.properties.name.format = 'email'),
        [['name', 'constraint-tightened']],
      ],
      ['removing a format', (s) => delete s.properties.id.format, [['id', 'constraint-loosened']]],
      [
        'raising minLength',
        (s) => (s.properties.name.minLength = 2),
        [['name', 'constraint-tightened']],
      ],
      [
        'lowering maxLength',
        (s) => (s.properties.name.maxLength = 50),
        [['name', 'constraint-tightened']],
      ],
      [
        'raising minimum',
        (s) => (s.properties.age.minimum = 18),
        [['age', 'constraint-tightened']],
      ],
      [
        'lowering maximum',
        (s) => (s.properties.age.maximum = 120),
        [['age', 'constraint-tightened']],
      ],
      [
        'adding a maxLength',
        (s) => (s.properties.id.maxLength = 36),
        [['id', 'constraint-tightened']],
      ],
      [
        'raising maxLength (consumers validating the old bound reject longer values)',
        (s) => (s.properties.name.maxLength = 200),
        [['name', 'constraint-loosened']],
      ],
      [
        'removing a minimum',
        (s) => delete s.properties.age.minimum,
        [['age', 'constraint-loosened']],
      ],
      [
        'additionalProperties true -> false',
        (s) => (s.additionalProperties = false),
        [['(root)', 'additional-properties-changed']],
      ],
      [
        'additionalProperties false -> true',
        (s) => (s.properties.identifiers.items.additionalProperties = true),
        [['identifiers[]', 'additional-properties-changed']],
      ],
      [
        'adding an optional property to a closed object',
        (s) => (s.properties.identifiers.items.properties.issuer = { type: 'string' }),
        [['identifiers[].issuer', 'property-added-to-closed-object']],
      ],
      [
        'adding an enum value inside array items',
        (s) => s.properties.identifiers.items.properties.type.enum.push('C'),
        [['identifiers[].type', 'enum-value-added']],
      ],
      [
        'removing a property of nested objects',
        (s) => {
          delete s.properties.identifiers.items.properties.masked;
          s.properties.identifiers.items.required = ['type'];
        },
        [['identifiers[].masked', 'property-removed']],
      ],
      [
        'changing the type of array items',
        (s) => (s.properties.tags.items.type = 'integer'),
        [['tags[]', 'type-changed']],
      ],
      [
        'lowering maxItems',
        (s) => (s.properties.tags.maxItems = 5),
        [['tags', 'constraint-tightened']],
      ],
      [
        'adding an anyOf alternative',
        (s) => s.properties.managerId.anyOf.push({ type: 'integer' }),
        [['managerId', 'composition-changed']],
      ],
      [
        'changing an anyOf alternative',
        (s) => (s.properties.managerId.anyOf[0].maxLength = 10),
        [['managerId.anyOf[0]', 'constraint-tightened']],
      ],
      [
        'changing another validation keyword',
        (s) => (s.properties.age.multipleOf = 5),
        [['age', 'keyword-changed']],
      ],
    ])('%s', (_label, edit, expected) => {
      expect(kinds(base, changed(edit))).toEqual(expected);
    });
  });

  it('treats properties named like annotations ("title", "description") as properties', () => {
    const titled = (type: string) => ({
      anyOf: [{ type: 'object', properties: { title: { type } } }, { type: 'null' }],
    });
    expect(kinds(titled('string'), titled('integer'))).toEqual([
      ['anyOf[0].title', 'type-changed'],
    ]);
  });

  it('works on TypeBox schemas and explains each change', () => {
    const v1 = Type.Object({ id: Type.String(), note: Type.Optional(Type.String()) });
    const ok = Type.Object({
      id: Type.String({ description: 'Id.' }),
      note: Type.Optional(Type.String()),
      extra: Type.Optional(Type.Integer()),
    });
    const bad = Type.Object({ id: Type.Integer(), note: Type.String() });
    expect(checkCompatibility(toPlainJson(v1), toPlainJson(ok))).toEqual([]);
    expect(describeBreakingChanges(checkCompatibility(toPlainJson(v1), toPlainJson(bad)))).toBe(
      [
        '  - id: type changed from "string" to "integer" [type-changed]',
        '  - note: property "note" became required: events already on the topic may lack it [required-added]',
      ].join('\n'),
    );
  });
});

describe('published event contracts', () => {
  const publishedFiles = readdirSync(path.join(ROOT, PUBLISHED_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();

  it(`has a published snapshot for every topic (else run \`${ACCEPT_NEW_TOPICS_COMMAND}\`)`, () => {
    const missing = EVENT_DEFINITIONS.filter(
      (d) => !existsSync(path.join(ROOT, publishedSnapshotPath(d.topic))),
    ).map((d) => d.topic);
    if (missing.length > 0) {
      throw new Error(
        `no published schema snapshot for: ${missing.join(', ')}.\n` +
          `Once the schema of a new topic is final, run \`${ACCEPT_NEW_TOPICS_COMMAND}\` and commit ` +
          `the snapshot it writes to ${PUBLISHED_DIR}; from then on the topic may only gain optional fields.`,
      );
    }
  });

  it('has no snapshot of a topic that is no longer in the registry', () => {
    const topics = new Set(EVENT_DEFINITIONS.map((d) => d.topic));
    const orphans = publishedFiles.filter((f) => !topics.has(f.replace(/\.json$/, '')));
    if (orphans.length > 0) {
      throw new Error(
        `published topics missing from EVENT_DEFINITIONS: ${orphans.join(', ')}.\n` +
          'Removing a published topic breaks its consumers. Put its definition back; if the topic is ' +
          `retired on purpose (no producer, no consumer left), delete its snapshot from ${PUBLISHED_DIR}.`,
      );
    }
  });

  it('has only backward- and forward-compatible changes within each major version', () => {
    const failures: string[] = [];
    for (const definition of EVENT_DEFINITIONS) {
      const file = path.join(ROOT, publishedSnapshotPath(definition.topic));
      if (!existsSync(file)) continue; // reported by the test above
      const published = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
      const changes = checkCompatibility(published, publishedSnapshot(definition));
      if (changes.length > 0) {
        failures.push(
          `${definition.topic} breaks its published schema (${publishedSnapshotPath(definition.topic)}):\n` +
            `${describeBreakingChanges(changes)}\n` +
            `  Within a major version only optional fields may be added. Publish the change as a new ` +
            `definition ${nextMajorTopic(definition)} (version: ${definition.version + 1}, a new topic) ` +
            `and keep ${definition.topic} unchanged until its consumers have moved. (Only if ` +
            `${definition.topic} has never been released anywhere may you delete its snapshot and ` +
            `run \`${ACCEPT_NEW_TOPICS_COMMAND}\` again.)`,
        );
      }
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});
