import { Writable } from 'node:stream';

import pino, { type LoggerOptions } from 'pino';

import { loggerParams, redactPaths, scrubPii } from './logger';

const CANARIES = {
  idNumber: '11010519491231002X',
  phone: '+86 138 0013 8000',
  phoneCompact: '13800138000',
  email: 'canary.zhang@example.com',
  accountNumber: '6222020200112233445',
  token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJybS0wMDEifQ.c2lnbmF0dXJl',
};

/** A pino logger with the services' options, writing into an array. */
function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const { pinoHttp } = loggerParams('test', 'debug') as { pinoHttp: LoggerOptions };
  const { level, base, messageKey, timestamp, formatters, redact, hooks } = pinoHttp;
  const logger = pino({ level, base, messageKey, timestamp, formatters, redact, hooks }, stream);
  return { logger, lines };
}

function expectNoCanary(lines: string[]): void {
  const all = lines.join('\n');
  for (const value of Object.values(CANARIES)) expect(all).not.toContain(value);
  expect(all).not.toContain('0013 8000');
}

describe('log redaction', () => {
  it('covers authorization, cookies, bodies, query strings and every PII field at depth 0-3', () => {
    const paths = redactPaths();
    for (const p of [
      'req.headers.authorization',
      'req.headers.cookie',
      'req.body',
      'req.query',
      'res.body',
    ])
      expect(paths).toContain(p);
    for (const p of ['phone', '*.idNumber', '*.*.email', '*.*.*.accountNumber'])
      expect(paths).toContain(p);
  });

  it('keeps PII field values and tokens out of structured log lines (request, body, error body)', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: {
          method: 'POST',
          headers: { authorization: `Bearer ${CANARIES.token}`, cookie: 'sid=1' },
          body: { ...CANARIES },
        },
        phone: CANARIES.phone,
        customer: {
          idNumber: CANARIES.idNumber,
          contact: { email: CANARIES.email, account: { accountNumber: CANARIES.accountNumber } },
        },
        errorBody: { statusCode: 409, details: { phones: [CANARIES.phoneCompact] } },
      },
      'created',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[REDACTED]');
    expectNoCanary(lines);
  });

  it('scrubs PII and tokens from free-text messages and errors (e.g. a database error quoting a value)', () => {
    const { logger, lines } = capture();
    const dbError = Object.assign(
      new Error(`invalid input syntax for type uuid: "${CANARIES.phoneCompact}"`),
      {
        detail: `Key (number)=(${CANARIES.idNumber}) already exists.`,
      },
    );
    logger.error({ err: dbError }, `unhandled error for ${CANARIES.email} / ${CANARIES.phone}`);
    logger.warn(`account ${CANARIES.accountNumber} with Bearer ${CANARIES.token}`);
    expect(lines).toHaveLength(2);
    expectNoCanary(lines);
    expect(lines[0]).toContain('c***@example.com');
    expect(lines[0]).toContain('002X');
  });

  it('leaves ids, timestamps and ordinary numbers readable', () => {
    const text =
      'customer 123e4567-e89b-12d3-a456-426614174000 at 2026-11-28T17:54:53.982Z, 3 of 250 rows, port 3001';
    expect(scrubPii(text)).toBe(text);
  });
});

describe('scrubPii', () => {
  it('masks a bearer credential but keeps prose about bearer tokens', () => {
    expect(scrubPii('a Bearer access token is required')).toBe('a Bearer access token is required');
    expect(scrubPii('got Bearer abcdefghijklmnopqrstuvwxyz012345')).toBe('got Bearer [TOKEN]');
  });
});
