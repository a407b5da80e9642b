/** Prose shared by the README and the AsyncAPI document (Markdown). */

export const NAMING_RULE =
  'Topics are named `<owner>.<aggregate>.<event>.v<major>`: the owning service (the only one that publishes to the topic), the aggregate and the event in lowercase kebab-case, and the major version of the payload schema. The envelope `type` is the topic name without `.v<major>`, and the envelope `version` is the major.';

export const COMPATIBILITY_RULE =
  'Within a major version only optional fields may be added. Anything else is a breaking change and is published as a new topic `.v<major+1>`, which the owner publishes alongside the old one until every consumer has moved.';

export const RESTRICTED_NOTE =
  'A **restricted** topic carries unmasked personal data by contract (e.g. raw identity numbers as the business systems record them); reading it needs an ACL granted by its owner. Every other topic carries masked identifiers only.';

export const CONSUMER_RULES = [
  'Delivery is at least once: the same event can arrive more than once (producer retries, relay restarts, rebalances). Deduplicate on the envelope `id`: record each processed `id` in the same transaction as the change it causes, and skip an `id` already recorded.',
  'Order is kept per message key within a topic (the key is the envelope `subject`, i.e. the aggregate), not across keys or topics.',
  'Where the envelope carries `subjectVersion`, remember the highest `subjectVersion` applied per `subject` and ignore an event whose `subjectVersion` is not above it: it is stale (redelivered, replayed or overtaken). Where it is absent the aggregate is not versioned; the payload says which field orders changes (e.g. `observedAt`).',
  'Ignore fields you do not know, in the envelope and in the payload: optional fields are added within a major version.',
  'Do not drop a message you cannot process: park it (bank-crm services use their dead-letter topic) and alert.',
];

export const ENUM_RULE =
  'An added enum value is breaking: consumers validate events against the schema they were built with (bank-crm consumers dead-letter an invalid event) and code with exhaustive switches has no branch for it. A field whose set of values is expected to grow is declared as a plain string listing the known values in its description, not as an `enum`; consumers then must handle unknown values.';

export const BREAKING_CHANGES = [
  'removing a property;',
  'adding a required property, or making an optional property required (events already on the topic lack it);',
  'making a required property optional (consumers rely on it);',
  'adding a property, even an optional one, to an object with `additionalProperties: false` (consumers on the old schema reject it);',
  'changing a type (including making a field nullable or no longer nullable), a `const`, a `pattern` or a `format`;',
  'removing or adding an enum value (see below);',
  'tightening `minLength`/`maxLength`/`minimum`/`maximum`/`minItems`/... (events already on the topic may violate the new bound) **and loosening them** (consumers validating against the old bound reject new events);',
  'changing `additionalProperties` (true to false, false to true, or its schema);',
  'adding, removing or changing alternatives of `anyOf`/`oneOf`/`allOf`, or any other validation keyword;',
  'all of this applies recursively to nested objects and array items.',
];

export const NON_BREAKING_CHANGES = [
  'adding an optional property to an object that accepts unknown fields (make sure no producer already sends a field of that name with another type);',
  'changing annotations: `description`, `title`, `examples`, `default`, `deprecated`, `$comment` and `x-*` extensions;',
  'reordering properties, `required`, enum values or `anyOf` alternatives.',
];
