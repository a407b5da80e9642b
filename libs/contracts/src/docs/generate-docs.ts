import { stringify } from 'yaml';

import type { EventDefinition } from '../event-definition';
import { EVENT_DEFINITIONS } from '../registry';
import { buildAsyncApi } from './asyncapi';
import { sampleEnvelope } from './examples';
import {
  canonicalSchema,
  compareStrings,
  envelopeJsonSchema,
  payloadJsonSchema,
  stableJson,
  toPlainJson,
} from './json-schema';
import { buildReadme, envelopeSchemaFile, payloadSchemaFile } from './readme';

/** Where the generated documents live, relative to the repository root. */
export const DOCS_DIR = 'docs/contracts';

/**
 * The AsyncAPI document as YAML: no line folding and no anchors, so the text is stable, and
 * strings that YAML 1.1 readers (e.g. PyYAML) would take for timestamps or booleans quoted.
 */
export function asyncApiYaml(definitions: readonly EventDefinition[] = EVENT_DEFINITIONS): string {
  return stringify(buildAsyncApi(definitions), {
    schema: 'yaml-1.1',
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}

/**
 * Every generated document, as repository-relative path -> file content. Pure: it reads nothing
 * and writes nothing, so a test can compare it with the files on disk.
 */
export function generateDocs(
  definitions: readonly EventDefinition[] = EVENT_DEFINITIONS,
): Record<string, string> {
  const files: Record<string, string> = {
    [`${DOCS_DIR}/README.md`]: buildReadme(definitions),
    [`${DOCS_DIR}/asyncapi.yaml`]: asyncApiYaml(definitions),
  };
  for (const d of definitions) {
    files[`${DOCS_DIR}/${payloadSchemaFile(d.topic)}`] = stableJson(
      canonicalSchema({ ...payloadJsonSchema(d), examples: [toPlainJson(d.example)] }),
    );
    files[`${DOCS_DIR}/${envelopeSchemaFile(d.topic)}`] = stableJson(
      canonicalSchema({ ...envelopeJsonSchema(d), examples: [toPlainJson(sampleEnvelope(d))] }),
    );
  }
  const sorted: Record<string, string> = {};
  for (const path of Object.keys(files).sort(compareStrings)) sorted[path] = files[path];
  return sorted;
}
