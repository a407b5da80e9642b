import type { Static, TSchema } from '@sinclair/typebox';

import type { ServiceName } from './services';

const NAME_PART = /^[a-z][a-z0-9-]*$/;

export interface EventDefinition<S extends TSchema = TSchema> {
  /** `<owner>.<aggregate>.<event>.v<version>` */
  readonly topic: string;
  /** `<owner>.<aggregate>.<event>`, the envelope's `type`. */
  readonly type: string;
  readonly owner: ServiceName;
  readonly aggregate: string;
  readonly event: string;
  readonly version: number;
  readonly summary: string;
  /** What the Kafka message key (and envelope subject) is. */
  readonly key: string;
  readonly payload: S;
  readonly example: Static<S>;
  /** Partitions the topic is created with. */
  readonly partitions: number;
  /**
   * True when the contract deliberately carries unmasked personal data (e.g. raw identity numbers
   * from the business systems). Such topics need ACLs; everything else carries masked values only.
   */
  readonly restricted: boolean;
  /**
   * Set while the topic is deprecated: which topic replaces it and how long it is still published.
   * The generated documents mark the topic with it; the schema itself does not change.
   */
  readonly deprecated?: string;
}

export interface EventDefinitionInput<S extends TSchema> {
  owner: ServiceName;
  aggregate: string;
  event: string;
  version: number;
  summary: string;
  key: string;
  payload: S;
  example: Static<S>;
  partitions?: number;
  restricted?: boolean;
  deprecated?: string;
}

export const DEFAULT_PARTITIONS = 6;

export function defineEvent<S extends TSchema>(input: EventDefinitionInput<S>): EventDefinition<S> {
  for (const part of [input.aggregate, input.event]) {
    if (!NAME_PART.test(part)) {
      throw new Error(`invalid topic name part "${part}": lowercase kebab-case expected`);
    }
  }
  if (!Number.isInteger(input.version) || input.version < 1) {
    throw new Error(`invalid major version ${input.version}`);
  }
  const type = `${input.owner}.${input.aggregate}.${input.event}`;
  return Object.freeze({
    ...input,
    type,
    topic: `${type}.v${input.version}`,
    partitions: input.partitions ?? DEFAULT_PARTITIONS,
    restricted: input.restricted ?? false,
  });
}
