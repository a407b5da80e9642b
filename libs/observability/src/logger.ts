import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { Writable } from 'node:stream';
import { maskEmail, maskTail, PII_FIELD_NAMES } from '@bank-crm/pii';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Every path under which a personal identifier could reach a log line, at any of the usual depths. */
export function redactPaths(): string[] {
  const paths: string[] = [
    'req.headers.authorization',
    'req.headers["proxy-authorization"]',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    // request and response bodies and query strings are never logged whole
    'req.body',
    'req.query',
    'res.body',
  ];
  for (const field of PII_FIELD_NAMES) {
    paths.push(field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`);
  }
  return paths;
}

export const CORRELATION_HEADER = 'x-correlation-id';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// 7+ digits, optionally grouped by spaces or hyphens, optionally a leading + and a trailing X
// (phone, identity and account numbers); not inside a word, a UUID or an ISO timestamp
const LONG_NUMBER = /(?<![\w-])\+?\d(?:[\s-]?\d){6,}[Xx]?(?![\w-])/g;
const BEARER_TOKEN = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * Masks what looks like personal data in free text (e-mail addresses, phone, identity and
 * account numbers) and access tokens. For messages, which redaction by field name cannot reach:
 * e.g. a database error quoting the value that violated a constraint.
 */
export function scrubPii(text: string): string {
  return text
    .replace(JWT_LIKE, '[TOKEN]')
    .replace(BEARER_TOKEN, '$1[TOKEN]')
    .replace(EMAIL, (m) => maskEmail(m))
    .replace(LONG_NUMBER, (m) => maskTail(m.replace(/[\s-]/g, '')));
}

function scrubError(value: unknown): unknown {
  if (!value || typeof value !== 'object')
    return typeof value === 'string' ? scrubPii(value) : value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(source), 'message', 'stack'])) {
    const v = source[key];
    if (v === undefined) continue;
    copy[key] = typeof v === 'string' ? scrubPii(v) : v;
  }
  if (value instanceof Error && copy.type === undefined) copy.type = value.name;
  return copy;
}

/** pino's log formatter: scrubs the message and error texts of every line. */
export function scrubLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out = { ...object };
  for (const key of ['message', 'msg']) {
    if (typeof out[key] === 'string') out[key] = scrubPii(out[key]);
  }
  for (const key of ['err', 'error']) {
    if (out[key] !== undefined) out[key] = scrubError(out[key]);
  }
  return out;
}

let teeDestination: Writable | undefined;

/**
 * Tests only: services whose logger is made while this is set also write every log line to this
 * stream (besides stdout), so a test can search what a service logged. Undefined stops it.
 */
export function teeLogsTo(stream: Writable | undefined): void {
  teeDestination = stream;
}

/**
 * Structured JSON logs (pino) with the service name, a correlation id per request (taken from
 * the caller's `x-correlation-id` or generated) and PII fields censored.
 */
export function loggerParams(service: string, level: string): Params {
  const options = {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }), log: scrubLogObject },
    hooks: {
      // the message argument of logger.info('...') is not part of the object formatters see
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubPii(a) : a)) as typeof args,
        );
      },
    },
    redact: { paths: redactPaths(), censor: '[REDACTED]' },
    genReqId: (req: IncomingMessage) => {
      const header = req.headers[CORRELATION_HEADER];
      return (Array.isArray(header) ? header[0] : header) ?? randomUUID();
    },
    customProps: (req: IncomingMessage & { id?: unknown }) => ({ correlationId: req.id }),
    // query strings can carry search terms such as phone numbers: log the path only
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: scrubPii(req.url.split('?')[0]),
      }),
    },
    autoLogging: {
      ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics',
    },
  } satisfies NonNullable<Params['pinoHttp']>;
  if (!teeDestination) return { pinoHttp: options };
  const levelName = level as pino.Level;
  return {
    pinoHttp: [
      options,
      pino.multistream([
        { level: levelName, stream: process.stdout },
        { level: levelName, stream: teeDestination },
      ]),
    ],
  };
}
