import { SERVICE_NAMES, type ServiceName } from '@bank-crm/contracts';
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import Ajv from 'ajv';

const Bool = (def: boolean, description: string) => Type.Boolean({ default: def, description });
const Int = (def: number, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description });

/** The issuer `npm run token` signs with; production refuses it. */
export const DEV_JWT_ISSUER = 'bank-crm-dev';

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
    KAFKA_CHUNK_SIZE: Int(
      250,
      1,
      5_000,
      'Messages of a partition applied in one transaction when all goes well (a failing chunk is retried one message per transaction).',
    ),
    KAFKA_MAX_ATTEMPTS: Int(5, 1, 100, 'Handler attempts before a message is dead-lettered.'),
    KAFKA_RETRY_BACKOFF_MS: Int(200, 0, 60_000, 'First retry delay (doubles per attempt).'),
    KAFKA_NEW_GROUP_START_AT: Type.String({
      default: '',
      pattern: '^$|^\\d{4}-\\d{2}-\\d{2}T',
      description:
        'Where a consumer group that has never committed starts: empty = at the beginning of every topic (the default: a new service catches up on history); an ISO timestamp = at the first message produced at or after it. A group with committed offsets always resumes from them.',
    }),
    OUTBOX_POLL_INTERVAL_MS: Int(
      500,
      10,
      60_000,
      'Outbox relay poll interval (it is also woken on commit).',
    ),
    OUTBOX_RETENTION_MS: Int(
      0,
      0,
      7 * 86_400_000,
      'How long published outbox rows are kept, marked published, to inspect what was published (the events themselves live on in Kafka); 0 = deleted once Kafka has acknowledged them. Kept rows cost a second write each and make the table, and its vacuum, grow with the publishing rate.',
    ),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    OPENAPI_ENABLED: Bool(true, 'Serve the OpenAPI UI at /docs and JSON at /docs-json.'),
    SHUTDOWN_TIMEOUT_MS: Int(15_000, 1_000, 300_000, 'Longest graceful shutdown before exit.'),
    HTTP_REQUEST_TIMEOUT_MS: Int(
      serviceName === 'account-bridge' ? 0 : 300_000,
      0,
      86_400_000,
      "Longest time to receive a whole request (Node's requestTimeout); 0 = no limit. account-bridge defaults to 0: POST /imports reads its file from the request body at import speed, so a file of millions of rows takes longer than any fixed limit. Headers must still arrive within 60 s.",
    ),
    JWT_ISSUER: Type.String({
      default: DEV_JWT_ISSUER,
      minLength: 1,
      description: 'Required `iss` of access tokens (the dev default is refused in production).',
    }),
    JWT_AUDIENCE: Type.String({
      default: 'bank-crm',
      minLength: 1,
      description: 'Required `aud` of access tokens.',
    }),
    JWT_PUBLIC_KEY: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'PEM (SPKI) public key, RSA >= 2048 or EC P-256, or a JWKS JSON document.',
      }),
    ),
    JWT_PUBLIC_KEY_FILE: Type.Optional(
      Type.String({ minLength: 1, description: 'File holding the PEM public key or a JWKS.' }),
    ),
    JWT_JWKS_URL: Type.Optional(
      Type.String({ pattern: '^https?://', description: "The identity provider's JWKS URL." }),
    ),
    JWT_CLOCK_SKEW_SECONDS: Int(30, 0, 300, 'Clock skew allowed on exp, nbf and iat.'),
    JWT_MAX_TOKEN_AGE_SECONDS: Int(0, 0, 604_800, 'Refuse tokens older than this (0: only exp).'),
    CORS_ALLOWED_ORIGINS: Type.String({
      default: '',
      description: 'Comma-separated origins allowed by CORS (empty: no CORS headers at all).',
    }),
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: Int(
      60,
      1,
      1_000_000,
      'Requests per minute and caller to each route marked expensive.',
    ),
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
  const crossField = 'JWT_ISSUER' in schema.properties ? securityConfigProblems(input) : [];
  if (crossField.length) throw new ConfigError(crossField);
  return input as Static<T>;
}

/**
 * Rules across settings: exactly one token key source; valid CORS origins; and in production no
 * development shortcut of any kind (the dev issuer, a dev key file, plain-http JWKS or origins).
 */
export function securityConfigProblems(c: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const sources = ['JWT_PUBLIC_KEY', 'JWT_PUBLIC_KEY_FILE', 'JWT_JWKS_URL'].filter(
    (k) => typeof c[k] === 'string' && c[k] !== '',
  );
  if (sources.length === 0)
    problems.push('one of JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required');
  if (sources.length > 1)
    problems.push(`set only one token key source (got ${sources.join(', ')})`);
  const origins = String(c.CORS_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s*]+$/.test(origin))
      problems.push(`CORS_ALLOWED_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
  }
  if (c.NODE_ENV === 'production') {
    if (c.JWT_ISSUER === DEV_JWT_ISSUER)
      problems.push(
        `JWT_ISSUER must be set in production (not the development "${DEV_JWT_ISSUER}")`,
      );
    if (typeof c.JWT_JWKS_URL === 'string' && !c.JWT_JWKS_URL.startsWith('https://'))
      problems.push('JWT_JWKS_URL must be https in production');
    if (typeof c.JWT_PUBLIC_KEY_FILE === 'string' && /dev-keys/.test(c.JWT_PUBLIC_KEY_FILE))
      problems.push('JWT_PUBLIC_KEY_FILE must not be the development key in production');
    for (const origin of origins) {
      if (!origin.startsWith('https://'))
        problems.push(`CORS_ALLOWED_ORIGINS: "${origin}" must be https in production`);
    }
  }
  return problems;
}

/** The CORS origins, parsed. */
export function corsOrigins(config: { CORS_ALLOWED_ORIGINS: string }): string[] {
  return config.CORS_ALLOWED_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
