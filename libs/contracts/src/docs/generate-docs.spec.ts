import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

import { DOCS_COMMAND } from '../compatibility/published';
import { allTopics, EVENT_DEFINITIONS } from '../registry';
import { validateEnvelope } from '../validation';
import { sampleEnvelope, exampleSubject } from './examples';
import { DOCS_DIR, generateDocs } from './generate-docs';
import { canonicalSchema, JSON_SCHEMA_DIALECT, payloadJsonSchema, stableJson } from './json-schema';

const ROOT = path.resolve(__dirname, '../../../..');

function filesOnDisk(dir: string): string[] {
  const absolute = path.join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

const docs = generateDocs();
const asyncApiText = docs[`${DOCS_DIR}/asyncapi.yaml`];

describe('generated contract documents', () => {
  it(`are up to date in ${DOCS_DIR} (else run \`${DOCS_COMMAND}\`)`, () => {
    const problems: string[] = [];
    for (const [file, content] of Object.entries(docs)) {
      const absolute = path.join(ROOT, file);
      if (!existsSync(absolute)) problems.push(`missing:    ${file}`);
      else if (readFileSync(absolute, 'utf8') !== content) problems.push(`outdated:   ${file}`);
    }
    for (const file of filesOnDisk(DOCS_DIR)) {
      if (!(file in docs)) problems.push(`not generated (stale): ${file}`);
    }
    if (problems.length > 0) {
      throw new Error(
        `${DOCS_DIR} is out of date with libs/contracts:\n  ${problems.join('\n  ')}\n` +
          `Run \`${DOCS_COMMAND}\` and commit the result.`,
      );
    }
  });

  it('are deterministic', () => {
    expect(generateDocs()).toEqual(docs);
  });

  it('has a payload and an envelope schema file for every event, and nothing else', () => {
    const expected = [
      `${DOCS_DIR}/README.md`,
      `${DOCS_DIR}/asyncapi.yaml`,
      ...EVENT_DEFINITIONS.flatMap((d) => [
        `${DOCS_DIR}/schemas/${d.topic}.envelope.schema.json`,
        `${DOCS_DIR}/schemas/${d.topic}.payload.schema.json`,
      ]),
    ].sort();
    expect(Object.keys(docs)).toEqual(expected);
  });

  it('writes stable JSON: 2-space indent, trailing newline, canonical keyword order', () => {
    for (const [file, content] of Object.entries(docs)) {
      if (!file.endsWith('.json')) continue;
      const parsed: unknown = JSON.parse(content);
      expect({ file, content }).toEqual({ file, content: stableJson(parsed) });
      expect({ file, content }).toEqual({ file, content: stableJson(canonicalSchema(parsed)) });
    }
    for (const content of Object.values(docs)) expect(content.endsWith('\n')).toBe(true);
  });

  it("does not leak TypeBox's internal symbols", () => {
    const hasSymbols = (value: unknown): boolean =>
      typeof value === 'object' &&
      value !== null &&
      (Object.getOwnPropertySymbols(value).length > 0 || Object.values(value).some(hasSymbols));
    expect(hasSymbols(EVENT_DEFINITIONS[0].payload)).toBe(true); // what is stripped
    for (const definition of EVENT_DEFINITIONS) {
      expect(hasSymbols(payloadJsonSchema(definition))).toBe(false);
    }
    const keys = (value: unknown): string[] =>
      typeof value === 'object' && value !== null
        ? [...Object.keys(value), ...Object.values(value).flatMap(keys)]
        : [];
    for (const [file, content] of Object.entries(docs)) {
      expect({ file, leak: /TypeBox|Symbol\(/.exec(content)?.[0] }).toEqual({ file });
      if (file.endsWith('.md')) continue;
      const parsed: unknown = file.endsWith('.json') ? JSON.parse(content) : parse(content);
      expect({ file, keys: keys(parsed).filter((k) => /Kind/.test(k)) }).toEqual({
        file,
        keys: [],
      });
    }
  });

  describe.each(EVENT_DEFINITIONS.map((d) => [d.topic, d] as const))('%s', (topic, definition) => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    ajv.addVocabulary(['x-error-message']);
    const payloadFile = JSON.parse(docs[`${DOCS_DIR}/schemas/${topic}.payload.schema.json`]) as {
      [k: string]: unknown;
      examples: unknown[];
    };
    const envelopeFile = JSON.parse(docs[`${DOCS_DIR}/schemas/${topic}.envelope.schema.json`]) as {
      [k: string]: unknown;
      examples: unknown[];
    };

    it('has $schema, $id and title in both schema files', () => {
      for (const schema of [payloadFile, envelopeFile]) {
        expect(schema['$schema']).toBe(JSON_SCHEMA_DIALECT);
        expect(schema['$id']).toMatch(new RegExp(`^urn:bank-crm:contracts:${topic}:`));
        expect(schema['title']).toContain(topic);
      }
    });

    it('publishes schemas that a JSON Schema 2020-12 validator accepts, with valid examples', () => {
      const validatePayload = ajv.compile(payloadFile);
      const validateEnvelopeFile = ajv.compile(envelopeFile);
      expect(payloadFile.examples).toEqual([definition.example]);
      expect(validatePayload(definition.example)).toBe(true);
      expect(validateEnvelopeFile(envelopeFile.examples[0])).toBe(true);
      expect(validateEnvelopeFile({ ...sampleEnvelope(definition), type: 'other.type' })).toBe(
        false,
      );
      expect(validateEnvelopeFile({ ...sampleEnvelope(definition), payload: {} })).toBe(false);
    });

    it('wraps the example in an envelope the library accepts, keyed like a real event', () => {
      const envelope = sampleEnvelope(definition);
      expect(validateEnvelope(definition, envelope)).toEqual({ ok: true, value: envelope });
      expect(envelope.subject).toBe(exampleSubject(definition));
      expect(envelope.producer).toBe(definition.owner);
    });
  });
});

describe('the AsyncAPI document', () => {
  const document = parse(asyncApiText) as {
    asyncapi: string;
    channels: Record<
      string,
      { address: string; bindings: { kafka: { partitions: number } }; 'x-restricted': boolean }
    >;
    operations: Record<string, { action: string; channel: { $ref: string }; 'x-service': string }>;
  };

  it('is valid AsyncAPI 3.0 according to @asyncapi/parser', async () => {
    const diagnostics = await new Parser().validate(asyncApiText, {
      source: `${DOCS_DIR}/asyncapi.yaml`,
    });
    const errors = diagnostics
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${d.path.join('.')}: ${d.message} (${String(d.code)})`);
    expect(errors).toEqual([]);
    expect(document.asyncapi).toBe('3.0.0');
  }, 60_000);

  it('has a channel for every topic, with its address and partitions', () => {
    for (const spec of allTopics()) {
      expect({ topic: spec.topic, channel: document.channels[spec.topic] }).toMatchObject({
        topic: spec.topic,
        channel: { address: spec.topic, bindings: { kafka: { partitions: spec.partitions } } },
      });
    }
    expect(Object.keys(document.channels).sort()).toEqual(
      allTopics()
        .map((t) => t.topic)
        .sort(),
    );
  });

  it('has a send operation by the owner for every topic', () => {
    for (const spec of allTopics()) {
      const operation = document.operations[`${spec.topic}.send`];
      expect(operation).toMatchObject({
        action: 'send',
        channel: { $ref: `#/channels/${spec.topic}` },
        'x-service': spec.owner,
      });
    }
  });

  it('marks restricted topics', () => {
    for (const definition of EVENT_DEFINITIONS) {
      expect(document.channels[definition.topic]).toMatchObject({
        'x-restricted': definition.restricted,
        'x-owner': definition.owner,
        'x-message-key': definition.key,
      });
    }
  });

  it('marks deprecated topics, and only those, with their replacement', () => {
    const deprecated = EVENT_DEFINITIONS.filter((d) => d.deprecated);
    expect(deprecated.map((d) => d.topic)).toContain('account-bridge.customer-holdings.changed.v1');
    for (const definition of EVENT_DEFINITIONS) {
      const channel = document.channels[definition.topic] as unknown as {
        description: string;
        tags: { name: string }[];
        'x-deprecated'?: string;
      };
      expect({ topic: definition.topic, deprecated: channel['x-deprecated'] }).toEqual({
        topic: definition.topic,
        deprecated: definition.deprecated,
      });
      expect(channel.tags.some((t) => t.name === 'deprecated')).toBe(!!definition.deprecated);
      if (definition.deprecated) {
        expect(channel.description).toContain(`**Deprecated.** ${definition.deprecated}`);
        expect(docs[`${DOCS_DIR}/README.md`]).toContain(`\`${definition.topic}\` (deprecated)`);
        // the note names its replacement: a later major version of the same event, still registered
        const successors = EVENT_DEFINITIONS.filter(
          (d) => d.type === definition.type && d.version > definition.version,
        ).map((d) => d.topic);
        expect(successors.some((topic) => definition.deprecated?.includes(topic))).toBe(true);
      }
    }
  });

  it('marks each service’s restricted dead-letter topic restricted, and only that one', () => {
    for (const spec of allTopics()) {
      expect({ topic: spec.topic, channel: document.channels[spec.topic] }).toMatchObject({
        topic: spec.topic,
        channel: { 'x-restricted': spec.restricted, 'x-owner': spec.owner },
      });
    }
    const restrictedDeadLetters = Object.keys(document.channels).filter(
      (topic) => topic.includes('.message.') && document.channels[topic]['x-restricted'] === true,
    );
    expect(restrictedDeadLetters.sort()).toEqual(
      [
        'account-bridge.message.dead-lettered-restricted.v1',
        'customer-master.message.dead-lettered-restricted.v1',
        'marketing.message.dead-lettered-restricted.v1',
        'sales.message.dead-lettered-restricted.v1',
        'service.message.dead-lettered-restricted.v1',
      ].sort(),
    );
  });
});
