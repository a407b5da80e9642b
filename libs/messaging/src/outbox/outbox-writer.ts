import { randomUUID } from 'node:crypto';

import {
  describeErrors,
  ENVELOPE_SPEC_VERSION,
  validatePayload,
  type EventDefinition,
  type EventEnvelope,
  type ServiceName,
} from '@bank-crm/contracts';
import { jsonbArray, jsonbElements } from '@bank-crm/persistence';
import type { Static, TSchema } from '@sinclair/typebox';
import type { EntityManager } from 'typeorm';

export interface OutboxEventInput<P> {
  /** Aggregate id: the envelope subject and the Kafka key. */
  subject: string;
  subjectVersion?: number;
  payload: P;
  correlationId: string;
  causationId?: string;
  occurredAt?: Date;
}

/** One event for `OutboxWriter.appendMany`. */
export interface OutboxAppend {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events of different contracts
  definition: EventDefinition<any>;
  input: OutboxEventInput<unknown>;
}

/** Thrown when code tries to publish what its own contract rejects: a bug, never sent. */
export class ContractViolationError extends Error {
  constructor(topic: string, detail: string) {
    super(`event for ${topic} violates its contract: ${detail}`);
    this.name = 'ContractViolationError';
  }
}

/**
 * Writes events into the outbox inside the caller's transaction: the event exists if and only if
 * the state change committed. The relay publishes it afterwards.
 */
export class OutboxWriter {
  constructor(private readonly producer: ServiceName) {}

  async append<S extends TSchema>(
    manager: EntityManager,
    definition: EventDefinition<S>,
    input: OutboxEventInput<Static<S>>,
  ): Promise<EventEnvelope<Static<S>>> {
    const [envelope] = await this.appendMany(manager, [{ definition, input }]);
    return envelope as EventEnvelope<Static<S>>;
  }

  /**
   * Appends several events with one insert (in the given order: the relay publishes by outbox
   * sequence). Every event is checked against its contract before anything is written.
   */
  async appendMany(
    manager: EntityManager,
    events: readonly OutboxAppend[],
  ): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const envelopes = events.map(({ definition, input }) => this.envelopeOf(definition, input));
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append needs an entity manager inside a transaction');
    }
    // created_at is the insert time, not the transaction start (now()), so the publish-latency
    // metric does not count how long the caller's transaction had been open before
    await manager.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, created_at)
       SELECT id, agg, subject, type, topic, payload, headers, clock_timestamp()
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[],
                   ${jsonbElements('$6')}, ${jsonbElements('$7')}) WITH ORDINALITY
         AS e(id, agg, subject, type, topic, payload, headers, n)
       ORDER BY n`,
      [
        envelopes.map((e) => e.id),
        events.map((e) => e.definition.aggregate),
        events.map((e) => e.input.subject),
        events.map((e) => e.definition.type),
        events.map((e) => e.definition.topic),
        jsonbArray(envelopes),
        jsonbArray(
          envelopes.map((e, i) => ({
            'event-id': e.id,
            'event-type': events[i].definition.type,
            'correlation-id': e.correlationId,
          })),
        ),
      ],
    );
    return envelopes;
  }

  private envelopeOf<S extends TSchema>(
    definition: EventDefinition<S>,
    input: OutboxEventInput<Static<S>>,
  ): EventEnvelope<Static<S>> {
    if (definition.owner !== this.producer) {
      throw new ContractViolationError(
        definition.topic,
        `only ${definition.owner} publishes to this topic`,
      );
    }
    const checked = validatePayload(definition, input.payload);
    if (!checked.ok)
      throw new ContractViolationError(definition.topic, describeErrors(checked.errors));
    return {
      specVersion: ENVELOPE_SPEC_VERSION,
      id: randomUUID(),
      type: definition.type,
      version: definition.version,
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      producer: this.producer,
      subject: input.subject,
      ...(input.subjectVersion !== undefined ? { subjectVersion: input.subjectVersion } : {}),
      correlationId: input.correlationId,
      ...(input.causationId ? { causationId: input.causationId } : {}),
      payload: input.payload,
    };
  }
}
