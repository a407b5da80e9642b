import { DEAD_LETTER_HEADERS } from '@bank-crm/contracts';

import {
  decideRedrive,
  eventIdOf,
  headerValue,
  redriveGroupId,
  redriveHeaders,
  REDRIVE_HEADERS,
} from './redrive';

const dlqHeaders = (extra: Record<string, string | Buffer> = {}) => ({
  'event-id': Buffer.from('e-1'),
  'correlation-id': Buffer.from('c-1'),
  [DEAD_LETTER_HEADERS.originalTopic]: Buffer.from('customer-master.customer.created.v1'),
  [DEAD_LETTER_HEADERS.originalPartition]: Buffer.from('2'),
  [DEAD_LETTER_HEADERS.originalOffset]: Buffer.from('41'),
  [DEAD_LETTER_HEADERS.originalKey]: Buffer.from('k'),
  [DEAD_LETTER_HEADERS.consumerGroup]: Buffer.from('g'),
  [DEAD_LETTER_HEADERS.reason]: Buffer.from('handler-failed'),
  [DEAD_LETTER_HEADERS.error]: Buffer.from('Error: boom'),
  [DEAD_LETTER_HEADERS.attempts]: Buffer.from('5'),
  [DEAD_LETTER_HEADERS.failedAt]: Buffer.from('2026-11-28T08:00:00.000Z'),
  ...extra,
});

describe('redriveHeaders', () => {
  const now = new Date('2026-11-29T10:00:00.000Z');

  it('drops every dlq-* header, keeps the original ones and adds the re-drive headers', () => {
    const headers = redriveHeaders(dlqHeaders(), now);
    expect(Object.keys(headers).sort()).toEqual([
      'correlation-id',
      'dlq-redrive-count',
      'dlq-redriven-at',
      'event-id',
    ]);
    expect(headers['event-id']).toEqual(Buffer.from('e-1'));
    expect(headers[REDRIVE_HEADERS.redrivenAt]).toBe('2026-11-29T10:00:00.000Z');
    expect(headers[REDRIVE_HEADERS.redriveCount]).toBe('1');
  });

  it('counts re-drives of a message that was re-driven and dead-lettered again', () => {
    const again = dlqHeaders({ [REDRIVE_HEADERS.redriveCount]: Buffer.from('2') });
    expect(redriveHeaders(again, now)[REDRIVE_HEADERS.redriveCount]).toBe('3');
    const garbage = dlqHeaders({ [REDRIVE_HEADERS.redriveCount]: 'x' });
    expect(redriveHeaders(garbage, now)[REDRIVE_HEADERS.redriveCount]).toBe('1');
  });

  it('drops the requeue markers too, and copes with no headers', () => {
    const moved = dlqHeaders({
      [REDRIVE_HEADERS.requeuedAt]: 'now',
      [REDRIVE_HEADERS.requeuedFrom]: '0/1',
    });
    expect(Object.keys(redriveHeaders(moved, now)).filter((h) => h.includes('requeued'))).toEqual(
      [],
    );
    expect(redriveHeaders(undefined, now)).toEqual({
      [REDRIVE_HEADERS.redrivenAt]: '2026-11-29T10:00:00.000Z',
      [REDRIVE_HEADERS.redriveCount]: '1',
    });
  });
});

describe('decideRedrive', () => {
  const dlq = 'customer-master.message.dead-lettered.v1';

  it('re-drives to the original topic when no filter excludes it', () => {
    expect(decideRedrive(dlqHeaders(), {}, dlq)).toEqual({
      action: 'redrive',
      topic: 'customer-master.customer.created.v1',
      reason: 'handler-failed',
    });
    expect(
      decideRedrive(
        dlqHeaders(),
        { originalTopic: 'customer-master.customer.created.v1', reason: 'handler-failed' },
        dlq,
      ).action,
    ).toBe('redrive');
  });

  it('moves what the filters exclude to the end', () => {
    expect(decideRedrive(dlqHeaders(), { reason: 'invalid' }, dlq)).toEqual({
      action: 'requeue',
      why: 'reason handler-failed is not invalid',
    });
    expect(decideRedrive(dlqHeaders(), { originalTopic: 'other.topic.x.v1' }, dlq).action).toBe(
      'requeue',
    );
  });

  it('cannot re-drive without an original topic, or to the dead-letter topic itself', () => {
    const none = dlqHeaders();
    delete (none as Record<string, unknown>)[DEAD_LETTER_HEADERS.originalTopic];
    expect(decideRedrive(none, {}, dlq).action).toBe('unroutable');
    const loop = dlqHeaders({ [DEAD_LETTER_HEADERS.originalTopic]: dlq });
    expect(decideRedrive(loop, {}, dlq).action).toBe('unroutable');
  });
});

describe('helpers', () => {
  it('reads headers given as Buffers, strings or arrays', () => {
    expect(headerValue({ a: Buffer.from('x') }, 'a')).toBe('x');
    expect(headerValue({ a: 'y' }, 'a')).toBe('y');
    expect(headerValue({ a: ['1', Buffer.from('2')] }, 'a')).toBe('2');
    expect(headerValue({}, 'a')).toBeUndefined();
    expect(headerValue(undefined, 'a')).toBeUndefined();
  });

  it('finds the event id of an envelope, and nothing in garbage', () => {
    expect(eventIdOf(Buffer.from(JSON.stringify({ id: 'abc' })))).toBe('abc');
    expect(eventIdOf(Buffer.from('not json'))).toBeUndefined();
    expect(eventIdOf(null)).toBeUndefined();
  });

  it('names the re-drive group after the service', () => {
    expect(redriveGroupId('marketing')).toBe('bank-crm.marketing.dlq-redrive');
  });
});
