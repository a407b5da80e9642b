import { SERVICE_NAMES, type ServiceName } from '@bank-crm/contracts';
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import Ajv from 'ajv';

const Bool = (def: boolean, description: string) => Type.Boolean({ default: def, description });
const Int = (def: number, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description });

/** Settings every service reads from its environment. Secrets are marked with `secret: true`. */
export function baseConfigProperties(serviceName: ServiceName, defaultPort: number) {
  return {
    NODE_ENV: Type.String({
      default: 'development',
      description: 'development | test | production',
    }),
    PORT: Int(defaultPort, 0, 65535, 'HTTP port (0 = any free port).'),
    HOST: Type.String({ default: '0.0.0.0', description: 'Interface to listen on.' }),
    DATABASE_URL: Type.String({
      pattern: '^postgres(ql)?://',
      description: "postgres:// URL of the service's own database.",
      secret: true,
    }),
    DATABASE_CREATE_IF_MISSING: Bool(true, 'Create the database at start when it does not exist.'),
    DATABASE_MIGRATIONS: Type.Union([Type.Literal('run'), Type.Literal('check')], {
      default: 'run',
      description:
        'run: apply migrations at start under an advisory lock; check: only verify (readiness fails until applied).',
    }),
    DATABASE_POOL_SIZE: Int(10, 1, 200, 'Connections in the pool.'),
    KAFKA_BROKERS: Type.String({
      pattern: '^[^,\\s]+(,[^,\\s]+)*$',
      description: 'Comma-separated host:port list.',
    }),
    KAFKA_CLIENT_ID: Type.String({ default: serviceName, minLength: 1 }),
    KAFKA_GROUP_ID: Type.String({ default: `bank-crm.${serviceName}`, minLength: 1 }),
    KAFKA_CONSUMER_CONCURRENCY: Int(3, 1, 64, 'Partitions processed in parallel.'),
    KAFKA_MAX_ATTEMPTS: Int(5, 1, 100, 'Handler attempts before a message is dead-lettered.'),
    KAFKA_RETRY_BACKOFF_MS: Int(200, 0, 60_000, 'First retry delay (doubles per attempt).'),
    OUTBOX_POLL_INTERVAL_MS: Int(
      500,
      10,
      60_000,
      'Outbox relay poll interval (it is also woken on commit).',
    ),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    OPENAPI_ENABLED: Bool(true, 'Serve the OpenAPI UI at /docs and JSON at /docs-json.'),
    SHUTDOWN_TIMEOUT_MS: Int(15_000, 1_000, 300_000, 'Longest graceful shutdown before exit.'),
  } satisfies TProperties;
}

export function baseConfigSchema(serviceName: ServiceName, defaultPort: number) {
  return Type.Object(baseConfigProperties(serviceName, defaultPort));
}

export type BaseConfig = Static<ReturnType<typeof baseConfigSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });

/**
 * Reads and validates a service's configuration from the environment, once, at start-up.
 * Unknown variables are ignored; missing or malformed ones fail with every problem listed.
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): Static<T> {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const validate = ajv.compile(schema);
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field =
        e.keyword === 'required'
          ? (e.params as { missingProperty: string }).missingProperty
          : e.instancePath.replace(/^\//, '');
      const secret = (schema.properties[field] as { secret?: boolean } | undefined)?.secret;
      const shown = secret || input[field] === undefined ? '' : ` (got "${String(input[field])}")`;
      return e.keyword === 'required'
        ? `${field} is required`
        : `${field} ${e.message ?? 'is invalid'}${shown}`;
    });
    throw new ConfigError([...new Set(problems)]);
  }
  return input as Static<T>;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
