import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import { envelopeSchema, type EventEnvelope } from './envelope';
import type { EventDefinition } from './event-definition';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
addFormats(ajv);
ajv.addVocabulary(['x-error-message']);

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. `payload.sourceKey` or `(root)`. */
  field: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function formatErrors(errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    // anyOf branches report one error per branch; report the schema's own message once instead
    if (e.schemaPath.includes('/anyOf/')) continue;
    const custom = (e.parentSchema as Record<string, unknown> | undefined)?.['x-error-message'] as
      Record<string, string> | undefined;
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let message = custom?.[e.keyword] ?? e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      field = field ? `${field}.${missing}` : missing;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      field = field ? `${field}.${extra}` : extra;
      message = 'is not allowed';
    } else if (e.keyword === 'enum' || e.keyword === 'const') {
      message = `${message}: ${JSON.stringify(e.params)}`;
    }
    if (!out.some((o) => o.field === (field || '(root)') && o.message === message)) {
      out.push({ field: field || '(root)', message });
    }
  }
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile({ ...schema, $id: undefined });
    compiled.set(schema, fn);
  }
  return fn;
}

const envelopes = new WeakMap<EventDefinition, object>();

function envelopeFor(definition: EventDefinition): object {
  let schema = envelopes.get(definition);
  if (!schema) {
    schema = envelopeSchema(definition.payload);
    envelopes.set(definition, schema);
  }
  return schema;
}

/** Validates a whole envelope (header and payload) against an event definition. */
export function validateEnvelope<P>(
  definition: EventDefinition,
  value: unknown,
): ValidationResult<EventEnvelope<P>> {
  const validate = compile(envelopeFor(definition));
  if (!validate(value)) return { ok: false, errors: formatErrors(validate.errors) };
  const envelope = value as EventEnvelope<P>;
  const expectedType = definition.type;
  if (envelope.type !== expectedType || envelope.version !== definition.version) {
    return {
      ok: false,
      errors: [
        {
          field: 'type',
          message: `expected ${expectedType} v${definition.version}, got ${envelope.type} v${envelope.version}`,
        },
      ],
    };
  }
  return { ok: true, value: envelope };
}

/** Validates only a payload; used by producers before they write to the outbox and by HTTP ingestion. */
export function validatePayload<P>(
  definition: EventDefinition,
  value: unknown,
): ValidationResult<P> {
  const validate = compile(definition.payload);
  if (!validate(value)) return { ok: false, errors: formatErrors(validate.errors) };
  return { ok: true, value: value as P };
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
