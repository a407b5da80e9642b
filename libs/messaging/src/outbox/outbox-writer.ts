import { randomUUID } from 'node:crypto';

import {
  describeErrors,
  ENVELOPE_SPEC_VERSION,
  validatePayload,
  type EventDefinition,
  type EventEnvelope,
  type ServiceName,
} from '@bank-crm/contracts';
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
    if (definition.owner !== this.producer) {
      throw new ContractViolationError(
        definition.topic,
        `only ${definition.owner} publishes to this topic`,
      );
    }
    const checked = validatePayload(definition, input.payload);
    if (!checked.ok)
      throw new ContractViolationError(definition.topic, describeErrors(checked.errors));
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append needs an entity manager inside a transaction');
    }

    const envelope: EventEnvelope<Static<S>> = {
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
    // created_at is the insert time, not the transaction start (now()), so the publish-latency
    // metric does not count how long the caller's transaction had been open before
    await manager.query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, headers, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp())`,
      [
        envelope.id,
        definition.aggregate,
        input.subject,
        definition.type,
        definition.topic,
        JSON.stringify(envelope),
        JSON.stringify({
          'event-id': envelope.id,
          'event-type': definition.type,
          'correlation-id': input.correlationId,
        }),
      ],
    );
    return envelope;
  }
}
