import { randomUUID } from 'node:crypto';

import { ENVELOPE_SPEC_VERSION, type EventDefinition } from '@bank-crm/contracts';
import type { EachMessagePayload } from 'kafkajs';
import { throwError } from 'rxjs';
import type { DataSource } from 'typeorm';

import type { LogSink } from '../kafka/kafka-factory';
import { probeEvent } from '../test/fixtures/probe';
import { PermanentHandlerError, type KafkaEventContext } from './kafka-event-context';
import { ReliableKafkaServer } from './reliable-kafka.server';

const probe = probeEvent('probe-unit', 1);
const restrictedProbe = probeEvent('probe-unit-restricted', 1, true);

interface Harness {
  server: ReliableKafkaServer;
  sent: { topic: string; headers: Record<string, unknown> }[];
  queries: string[];
  logs: string[];
  handle(value: string | null): Promise<void>;
}

function harness(
  handler: (envelope: unknown, ctx: KafkaEventContext) => unknown,
  {
    inbox = [{ event_id: 'x' }],
    version = [{ version: 1 }],
    backoffMs = 1,
    definition = probe as EventDefinition,
  } = {},
): Harness {
  const sent: Harness['sent'] = [];
  const queries: string[] = [];
  const logs: string[] = [];
  const manager = {
    query: async (sql: string) => {
      queries.push(sql);
      if (sql.includes('INSERT INTO inbox ')) return inbox;
      if (sql.includes('inbox_subject_version')) return version;
      return [];
    },
  };
  const dataSource = {
    transaction: async (fn: (m: unknown) => Promise<unknown>) => fn(manager),
  } as unknown as DataSource;
  const sink: LogSink = {
    log: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const server = new ReliableKafkaServer({
    serviceName: 'service',
    dataSource,
    logger: sink,
    definitions: [probe, restrictedProbe],
    settings: {
      brokers: ['127.0.0.1:1'],
      clientId: 'unit',
      groupId: 'unit-group',
      consumerConcurrency: 1,
      maxAttempts: 3,
      retryBackoffMs: backoffMs,
    },
  });
  server.addHandler(
    definition.topic,
    async (data, ctx) => handler(data, ctx as KafkaEventContext),
    true,
  );
  const internals = server as unknown as {
    deadLetterProducer: unknown;
    handleMessage(payload: EachMessagePayload): Promise<void>;
  };
  internals.deadLetterProducer = {
    send: async (record: { topic: string; messages: { headers: Record<string, unknown> }[] }) => {
      sent.push({ topic: record.topic, headers: record.messages[0].headers });
    },
  };
  const handle = (value: string | null) =>
    internals.handleMessage({
      topic: definition.topic,
      partition: 0,
      message: {
        key: Buffer.from('k'),
        value: value === null ? null : Buffer.from(value),
        offset: '7',
        headers: {},
        timestamp: '0',
        attributes: 0,
      },
      heartbeat: async () => undefined,
      pause: () => () => undefined,
    } as EachMessagePayload);
  return { server, sent, queries, logs, handle };
}

const envelope = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    specVersion: ENVELOPE_SPEC_VERSION,
    id: randomUUID(),
    type: probe.type,
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'service',
    subject: 'k',
    correlationId: randomUUID(),
    payload: { seq: 1 },
    ...extra,
  });

describe('ReliableKafkaServer message handling', () => {
  it('consults its own definitions before the registry, and rejects unknown topics', () => {
    const { server } = harness(() => undefined);
    expect(server.definitionFor(probe.topic)).toBe(probe);
    expect(server.definitionFor('customer-master.customer.created.v1')?.owner).toBe(
      'customer-master',
    );
    expect(server.definitionFor('service.nothing.here.v1')).toBeUndefined();
    expect(server.deadLetterTopic).toBe('service.message.dead-lettered.v1');
    server.addHandler('service.nothing.here.v1', async () => undefined, true);
    const callback = jest.fn();
    server.listen(callback);
    expect(callback).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('service.nothing.here.v1') }),
    );
  });

  it('retries a failing handler exactly maxAttempts times, then dead-letters it', async () => {
    const attempts: number[] = [];
    const h = harness((_e, ctx) => {
      attempts.push(ctx.attempt);
      throw new Error('boom');
    });
    await h.handle(envelope());
    expect(attempts).toEqual([1, 2, 3]);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0].topic).toBe('service.message.dead-lettered.v1');
    expect(h.sent[0].headers).toMatchObject({
      'dlq-original-topic': probe.topic,
      'dlq-original-partition': '0',
      'dlq-original-offset': '7',
      'dlq-original-key': 'k',
      'dlq-consumer-group': 'unit-group',
      'dlq-reason': 'handler-failed',
      'dlq-error': 'Error: boom',
      'dlq-attempts': '3',
    });
  });

  it('dead-letters a PermanentHandlerError after one attempt, also through an Observable', async () => {
    let calls = 0;
    const h = harness(() => {
      calls += 1;
      return throwError(() => new PermanentHandlerError('never'));
    });
    await h.handle(envelope());
    expect(calls).toBe(1);
    expect(h.sent[0].headers['dlq-attempts']).toBe('1');
    expect(h.sent[0].headers['dlq-error']).toBe('PermanentHandlerError: never');
  });

  it('dead-letters unparseable and invalid messages without calling the handler', async () => {
    const handler = jest.fn();
    const h = harness(handler);
    await h.handle('{nope');
    await h.handle(null);
    await h.handle(envelope({ payload: { seq: -1 } }));
    expect(handler).not.toHaveBeenCalled();
    expect(h.sent.map((s) => [s.headers['dlq-reason'], s.headers['dlq-attempts']])).toEqual([
      ['unparseable', '0'],
      ['unparseable', '0'],
      ['invalid', '0'],
    ]);
  });

  it('skips duplicates and stale events without calling the handler', async () => {
    const handler = jest.fn();
    await harness(handler, { inbox: [] }).handle(envelope());
    await harness(handler, { version: [] }).handle(envelope({ subjectVersion: 3 }));
    expect(handler).not.toHaveBeenCalled();
    const fresh = harness(handler);
    await fresh.handle(envelope({ subjectVersion: 3 }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(fresh.queries.some((q) => q.includes('inbox_subject_version'))).toBe(true);
  });

  it('on shutdown during the backoff, leaves the message uncommitted instead of spending the attempts', async () => {
    let calls = 0;
    const h = harness(
      () => {
        calls += 1;
        throw new Error('transient');
      },
      { backoffMs: 500 },
    );
    setTimeout(() => void h.server.close(), 50);
    await expect(h.handle(envelope())).rejects.toThrow('transient');
    expect(calls).toBe(1);
    expect(h.sent).toEqual([]);
  });

  it('says so when NestJS replaced the handler error (exception filter not in force)', async () => {
    const h = harness(() =>
      throwError(() => ({ status: 'error', message: 'Internal server error' })),
    );
    await h.handle(envelope());
    await h.handle(envelope());
    expect(h.logs.filter((l) => l.includes('connectReliableKafkaServer'))).toHaveLength(1);
    expect(h.sent[0].headers['dlq-error']).toBe(
      '{"status":"error","message":"Internal server error"}',
    );
  });

  it('dead-letters messages of a restricted topic to the restricted dead-letter topic only, whatever the reason', async () => {
    const h = harness(
      () => {
        throw new PermanentHandlerError('never');
      },
      { definition: restrictedProbe },
    );
    expect(h.server.restrictedDeadLetterTopic).toBe('service.message.dead-lettered-restricted.v1');
    expect(h.server.deadLetterTopicOf(restrictedProbe.topic)).toBe(
      'service.message.dead-lettered-restricted.v1',
    );
    expect(h.server.deadLetterTopicOf(probe.topic)).toBe('service.message.dead-lettered.v1');
    await h.handle('{nope');
    await h.handle(envelope({ type: restrictedProbe.type, payload: { seq: -1 } }));
    await h.handle(envelope({ type: restrictedProbe.type }));
    expect(h.sent.map((s) => [s.topic, s.headers['dlq-reason']])).toEqual([
      ['service.message.dead-lettered-restricted.v1', 'unparseable'],
      ['service.message.dead-lettered-restricted.v1', 'invalid'],
      ['service.message.dead-lettered-restricted.v1', 'handler-failed'],
    ]);
    expect(h.sent[0].headers['dlq-original-topic']).toBe(restrictedProbe.topic);
  });

  it('refuses one topic for both kinds of dead letters', () => {
    const dataSource = {} as DataSource;
    const options = {
      serviceName: 'service' as const,
      dataSource,
      logger: { log: () => undefined, warn: () => undefined, error: () => undefined },
      settings: {
        brokers: ['127.0.0.1:1'],
        clientId: 'unit',
        groupId: 'unit-group',
        consumerConcurrency: 1,
        maxAttempts: 3,
        retryBackoffMs: 1,
      },
    };
    expect(
      () =>
        new ReliableKafkaServer({
          ...options,
          deadLetterTopic: 'x.message.dead-lettered.v1',
          restrictedDeadLetterTopic: 'x.message.dead-lettered.v1',
        }),
    ).toThrow(/must differ/);
    expect(
      new ReliableKafkaServer({ ...options, deadLetterTopic: 'x.y.z.v1' })
        .restrictedDeadLetterTopic,
    ).toBe('service.message.dead-lettered-restricted.v1');
  });
});
