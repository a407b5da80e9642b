/**
 * The compatibility rule of bank-crm event contracts: within a major version only optional fields
 * may be added; anything else needs a new `.v<major+1>` topic.
 *
 * Both directions matter on Kafka, so the check is deliberately strict:
 * - Consumers built against the OLD schema read NEW events, and they validate them (bank-crm
 *   consumers dead-letter an invalid event). So the new schema must not accept what the old one
 *   rejected: a loosened bound, an added enum value, a new alternative, a property added to a
 *   closed object all break them.
 * - Consumers built against the NEW schema read OLD events (retention, replays, new consumer
 *   groups starting from the earliest offset), and producers built against the old schema may
 *   still write. So the new schema must accept everything the old one accepted: a tightened bound,
 *   a removed enum value, a newly required property all break them.
 *
 * Added enum values are breaking (decided, not an oversight): an old consumer's validator rejects
 * the new value and exhaustive switches have no branch for it. A field whose values are meant to
 * grow is modelled as a plain string that lists the known values in its description.
 *
 * Annotations (`description`, `title`, `examples`, `default`, `deprecated`, `$comment`, `$id`,
 * `$schema`, `x-*`) never break anything, nor does reordering properties, `required`, enum values
 * or `anyOf` alternatives.
 *
 * Pure and schema-only: it works on plain JSON Schema objects (what TypeBox produces).
 */

export type JsonSchema = boolean | { [keyword: string]: unknown };

export type BreakingChangeKind =
  | 'property-removed'
  | 'property-added-to-closed-object'
  | 'required-added'
  | 'required-removed'
  | 'type-changed'
  | 'const-changed'
  | 'enum-value-removed'
  | 'enum-value-added'
  | 'constraint-tightened'
  | 'constraint-loosened'
  | 'constraint-changed'
  | 'additional-properties-changed'
  | 'composition-changed'
  | 'keyword-changed';

export interface BreakingChange {
  /** Where, e.g. `(root)`, `sourceKey`, `identifiers[].type`, `name.anyOf[0]`. */
  path: string;
  kind: BreakingChangeKind;
  message: string;
}

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'example',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const isAnnotation = (keyword: string) => ANNOTATIONS.has(keyword) || keyword.startsWith('x-');

/** Bounds where a bigger value accepts less. */
const LOWER_BOUNDS = [
  'minLength',
  'minimum',
  'exclusiveMinimum',
  'minItems',
  'minProperties',
  'minContains',
];
/** Bounds where a smaller value accepts less. */
const UPPER_BOUNDS = [
  'maxLength',
  'maximum',
  'exclusiveMaximum',
  'maxItems',
  'maxProperties',
  'maxContains',
];
const COMBINATORS = ['anyOf', 'oneOf', 'allOf'];

/** Keywords compared by a dedicated rule; every other validation keyword must stay equal. */
const HANDLED = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'patternProperties',
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...COMBINATORS,
]);

type SchemaObject = Record<string, unknown>;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose value maps names (not keywords) to schemas. */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);

/** A schema with annotations removed and object keys sorted, as text: for equality checks. */
function fingerprint(value: unknown, inSchema = true): string {
  const strip = (v: unknown, mode: 'schema' | 'map' | 'data'): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x, mode === 'data' ? 'data' : 'schema'));
    if (!isObject(v)) return v;
    const out: SchemaObject = {};
    for (const key of Object.keys(v).sort()) {
      if (mode === 'map') out[key] = strip(v[key], 'schema');
      else if (mode === 'data') out[key] = strip(v[key], 'data');
      else if (isAnnotation(key)) continue;
      // instance data (const, enum) is not a schema: keep all of its keys
      else if (key === 'const' || key === 'enum') out[key] = strip(v[key], 'data');
      else out[key] = strip(v[key], SCHEMA_MAPS.has(key) ? 'map' : 'schema');
    }
    return out;
  };
  return JSON.stringify(strip(value, inSchema ? 'schema' : 'data')) ?? 'undefined';
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'nothing';
}

function join(path: string, segment: string): string {
  if (segment.startsWith('[')) return `${path}${segment}`;
  return path ? `${path}.${segment}` : segment;
}

const where = (path: string) => path || '(root)';

/** Compares the published (old) schema of a payload with the current (new) one. */
export function checkCompatibility(oldSchema: JsonSchema, newSchema: JsonSchema): BreakingChange[] {
  const changes: BreakingChange[] = [];
  compare(oldSchema, newSchema, '', changes);
  return changes;
}

/** One line per breaking change, for test failures and command output. */
export function describeBreakingChanges(changes: readonly BreakingChange[]): string {
  return changes.map((c) => `  - ${c.path}: ${c.message} [${c.kind}]`).join('\n');
}

function normalize(schema: JsonSchema | unknown): SchemaObject | false {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return false;
  return isObject(schema) ? schema : {};
}

function compare(
  oldRaw: JsonSchema | unknown,
  newRaw: JsonSchema | unknown,
  path: string,
  out: BreakingChange[],
): void {
  const add = (kind: BreakingChangeKind, message: string, at = path) =>
    out.push({ path: where(at), kind, message });
  const a = normalize(oldRaw);
  const b = normalize(newRaw);
  if (a === false || b === false) {
    if (a !== b) add('keyword-changed', `schema changed from ${show(oldRaw)} to ${show(newRaw)}`);
    return;
  }

  compareType(a, b, add);
  compareEnum(a, b, add);
  if (fingerprint(a['const'], false) !== fingerprint(b['const'], false)) {
    add('const-changed', `const changed from ${show(a['const'])} to ${show(b['const'])}`);
  }
  compareBounds(a, b, add);
  for (const keyword of ['pattern', 'format']) {
    const o = a[keyword];
    const n = b[keyword];
    if (o === n) continue;
    if (o === undefined) add('constraint-tightened', `${keyword} ${show(n)} added`);
    else if (n === undefined) add('constraint-loosened', `${keyword} ${show(o)} removed`);
    else add('constraint-changed', `${keyword} changed from ${show(o)} to ${show(n)}`);
  }
  compareObject(a, b, path, out, add);
  compareItems(a, b, path, out, add);
  for (const keyword of COMBINATORS) compareCombinator(keyword, a, b, path, out, add);
  comparePatternProperties(a, b, path, out, add);

  const rest = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const keyword of [...rest].sort()) {
    if (isAnnotation(keyword) || HANDLED.has(keyword)) continue;
    if (fingerprint(a[keyword]) !== fingerprint(b[keyword])) {
      add('keyword-changed', `${keyword} changed from ${show(a[keyword])} to ${show(b[keyword])}`);
    }
  }
}

type Add = (kind: BreakingChangeKind, message: string, at?: string) => void;

function typeSet(schema: SchemaObject): string[] | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.map(String).sort();
  return undefined;
}

function compareType(a: SchemaObject, b: SchemaObject, add: Add): void {
  const o = typeSet(a);
  const n = typeSet(b);
  if (show(o) === show(n)) return;
  if (!o) add('type-changed', `type ${show(b['type'])} added`);
  else if (!n) add('type-changed', `type ${show(a['type'])} removed`);
  else add('type-changed', `type changed from ${show(a['type'])} to ${show(b['type'])}`);
}

function compareEnum(a: SchemaObject, b: SchemaObject, add: Add): void {
  const o = a['enum'];
  const n = b['enum'];
  if (o === undefined && n === undefined) return;
  if (!Array.isArray(o) || !Array.isArray(n)) {
    if (o === undefined) add('constraint-tightened', `enum ${show(n)} added`);
    else if (n === undefined) add('constraint-loosened', `enum ${show(o)} removed`);
    else add('keyword-changed', `enum changed from ${show(o)} to ${show(n)}`);
    return;
  }
  const oldValues = new Map(o.map((v) => [fingerprint(v, false), v]));
  const newValues = new Map(n.map((v) => [fingerprint(v, false), v]));
  for (const [key, value] of oldValues) {
    if (!newValues.has(key)) {
      add(
        'enum-value-removed',
        `enum value ${show(value)} removed: events already on the topic may carry it`,
      );
    }
  }
  for (const [key, value] of newValues) {
    if (!oldValues.has(key)) {
      add(
        'enum-value-added',
        `enum value ${show(value)} added: consumers on the old schema reject it and exhaustive switches miss it`,
      );
    }
  }
}

function compareBounds(a: SchemaObject, b: SchemaObject, add: Add): void {
  const check = (keyword: string, biggerIsTighter: boolean) => {
    const o = a[keyword];
    const n = b[keyword];
    if (o === n) return;
    const numeric = (v: unknown) => v === undefined || typeof v === 'number';
    if (!numeric(o) || !numeric(n)) {
      add('keyword-changed', `${keyword} changed from ${show(o)} to ${show(n)}`);
      return;
    }
    const tighter =
      o === undefined
        ? true
        : n === undefined
          ? false
          : biggerIsTighter
            ? (n as number) > (o as number)
            : (n as number) < (o as number);
    const change =
      o === undefined
        ? `${keyword} ${show(n)} added`
        : n === undefined
          ? `${keyword} ${show(o)} removed`
          : `${keyword} changed from ${show(o)} to ${show(n)}`;
    if (tighter) {
      add(
        'constraint-tightened',
        `${change} (tightened: events already on the topic may violate it)`,
      );
    } else {
      add(
        'constraint-loosened',
        `${change} (loosened: consumers on the old schema reject the values it now allows)`,
      );
    }
  };
  for (const keyword of LOWER_BOUNDS) check(keyword, true);
  for (const keyword of UPPER_BOUNDS) check(keyword, false);
}

function additionalProperties(schema: SchemaObject): unknown {
  const value = schema['additionalProperties'];
  if (value === undefined || (isObject(value) && fingerprint(value) === '{}')) return true;
  return value;
}

function compareObject(
  a: SchemaObject,
  b: SchemaObject,
  path: string,
  out: BreakingChange[],
  add: Add,
): void {
  const oldProps = isObject(a['properties']) ? a['properties'] : {};
  const newProps = isObject(b['properties']) ? b['properties'] : {};
  const oldRequired = new Set(Array.isArray(a['required']) ? (a['required'] as string[]) : []);
  const newRequired = new Set(Array.isArray(b['required']) ? (b['required'] as string[]) : []);
  const oldExtra = additionalProperties(a);

  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) {
      add('property-removed', `property "${name}" removed`, join(path, name));
    }
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) {
      compare(oldProps[name], newProps[name], join(path, name), out);
    } else if (!newRequired.has(name) && oldExtra !== true) {
      add(
        'property-added-to-closed-object',
        oldExtra === false
          ? `optional property "${name}" added to an object with additionalProperties: false: consumers on the old schema reject it`
          : `optional property "${name}" added to an object whose additionalProperties is restricted: consumers on the old schema may reject it`,
        join(path, name),
      );
    }
  }
  for (const name of newRequired) {
    if (oldRequired.has(name)) continue;
    add(
      'required-added',
      name in oldProps || !(name in newProps)
        ? `property "${name}" became required: events already on the topic may lack it`
        : `required property "${name}" added: events already on the topic lack it`,
      join(path, name),
    );
  }
  for (const name of oldRequired) {
    const propertyRemoved = name in oldProps && !(name in newProps); // reported above
    if (newRequired.has(name) || propertyRemoved) continue;
    add(
      'required-removed',
      `property "${name}" is no longer required: consumers on the old schema rely on it`,
      join(path, name),
    );
  }

  const newExtra = additionalProperties(b);
  if (oldExtra === true && newExtra === true) return;
  if (isObject(oldExtra) && isObject(newExtra)) {
    compare(oldExtra, newExtra, join(path, '*'), out);
    return;
  }
  if (fingerprint(oldExtra) !== fingerprint(newExtra)) {
    add(
      'additional-properties-changed',
      `additionalProperties changed from ${show(oldExtra)} to ${show(newExtra)}`,
    );
  }
}

function compareItems(
  a: SchemaObject,
  b: SchemaObject,
  path: string,
  out: BreakingChange[],
  add: Add,
): void {
  const o = a['items'];
  const n = b['items'];
  if (o !== undefined || n !== undefined) {
    if (Array.isArray(o) || Array.isArray(n)) {
      compareTuple('items', o, n, path, out, add);
    } else {
      compare(o, n, join(path, '[]'), out);
    }
  }
  if (a['prefixItems'] !== undefined || b['prefixItems'] !== undefined) {
    compareTuple('prefixItems', a['prefixItems'], b['prefixItems'], path, out, add);
  }
}

function compareTuple(
  keyword: string,
  o: unknown,
  n: unknown,
  path: string,
  out: BreakingChange[],
  add: Add,
): void {
  if (!Array.isArray(o) || !Array.isArray(n) || o.length !== n.length) {
    add('keyword-changed', `${keyword} changed from ${show(o)} to ${show(n)}`);
    return;
  }
  o.forEach((item, i) => compare(item, n[i], join(path, `[${i}]`), out));
}

function compareCombinator(
  keyword: string,
  a: SchemaObject,
  b: SchemaObject,
  path: string,
  out: BreakingChange[],
  add: Add,
): void {
  const o = a[keyword];
  const n = b[keyword];
  if (o === undefined && n === undefined) return;
  if (!Array.isArray(o) || !Array.isArray(n)) {
    add(
      'composition-changed',
      o === undefined ? `${keyword} ${show(n)} added` : `${keyword} ${show(o)} removed`,
    );
    return;
  }
  if (o.length !== n.length) {
    add(
      'composition-changed',
      `${keyword} changed from ${o.length} to ${n.length} alternatives (${keyword === 'allOf' ? 'every one must hold' : 'one must hold'})`,
    );
    return;
  }
  // pair identical alternatives first (reordering is harmless), then the rest in order
  const unmatchedOld = o.map((_, i) => i);
  const pairs: [number, number][] = [];
  const unmatchedNew: number[] = [];
  n.forEach((alternative, j) => {
    const k = unmatchedOld.findIndex((i) => fingerprint(o[i]) === fingerprint(alternative));
    if (k === -1) unmatchedNew.push(j);
    else pairs.push([unmatchedOld.splice(k, 1)[0], j]);
  });
  unmatchedNew.forEach((j, k) => pairs.push([unmatchedOld[k], j]));
  for (const [i, j] of pairs) {
    if (fingerprint(o[i]) !== fingerprint(n[j])) {
      compare(o[i], n[j], join(path, `${keyword}[${j}]`), out);
    }
  }
}

function comparePatternProperties(
  a: SchemaObject,
  b: SchemaObject,
  path: string,
  out: BreakingChange[],
  add: Add,
): void {
  const o = isObject(a['patternProperties']) ? a['patternProperties'] : {};
  const n = isObject(b['patternProperties']) ? b['patternProperties'] : {};
  for (const pattern of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (!(pattern in n)) add('keyword-changed', `patternProperties ${show(pattern)} removed`);
    else if (!(pattern in o)) add('keyword-changed', `patternProperties ${show(pattern)} added`);
    else compare(o[pattern], n[pattern], join(path, `/${pattern}/`), out);
  }
}
