import type { Params } from 'nestjs-pino';
import { PII_FIELD_NAMES } from '@bank-crm/pii';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

/** Every path under which a personal identifier could reach a log line, at any of the usual depths. */
export function redactPaths(): string[] {
  const paths: string[] = [
    'req.headers.authorization',
    'req.headers.cookie',
    'res.headers["set-cookie"]',
  ];
  for (const field of PII_FIELD_NAMES) {
    paths.push(field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`);
  }
  return paths;
}

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Structured JSON logs (pino) with the service name, a correlation id per request (taken from
 * the caller's `x-correlation-id` or generated) and PII fields censored.
 */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'message',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
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
          path: req.url.split('?')[0],
        }),
      },
      autoLogging: {
        ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics',
      },
    },
  };
}
