import { payloadJsonSchema, type JsonObject } from '../docs/json-schema';
import type { EventDefinition } from '../event-definition';

/** The published payload schema of every topic, one file per topic, relative to the repository root. */
export const PUBLISHED_DIR = 'libs/contracts/src/compatibility/published';

export const DOCS_COMMAND = 'npm run contracts:docs';
export const ACCEPT_NEW_TOPICS_COMMAND = 'npm run contracts:docs -- --accept-new-topics';

export function publishedSnapshotPath(topic: string): string {
  return `${PUBLISHED_DIR}/${topic}.json`;
}

/** What is published for a topic: its payload schema as plain JSON Schema. */
export function publishedSnapshot(definition: EventDefinition): JsonObject {
  return payloadJsonSchema(definition);
}

/** The topic a breaking change of this definition goes to. */
export function nextMajorTopic(definition: EventDefinition): string {
  return `${definition.type}.v${definition.version + 1}`;
}

/**
 * The snapshots to write for topics that have none yet (path -> schema). Existing snapshots are
 * never part of it: a published schema changes only by hand, deliberately.
 */
export function snapshotsToAccept(
  definitions: readonly EventDefinition[],
  publishedTopics: ReadonlySet<string>,
): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const d of definitions) {
    if (!publishedTopics.has(d.topic)) out[publishedSnapshotPath(d.topic)] = publishedSnapshot(d);
  }
  return out;
}
