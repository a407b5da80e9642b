import type { EventDefinition, EventEnvelope } from '@bank-crm/contracts';
import { OutboxWriter, type OutboxAppend, type OutboxEventInput } from '@bank-crm/messaging';
import { Injectable } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import type { EntityManager } from 'typeorm';

import { CustomerViewProjector } from './customer-view.projector';

/**
 * Publishes customer-master's own events through the outbox and applies them to the customer
 * view in the same transaction. (Consuming our own topics back through Kafka would put one
 * customer's created/updated/status-changed events on separate topics under one subject, where
 * the inbox's per-subject version check would drop whichever arrives late.)
 */
@Injectable()
export class EventPublisher {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly projector: CustomerViewProjector,
  ) {}

  async publish<S extends TSchema>(
    manager: EntityManager,
    definition: EventDefinition<S>,
    input: OutboxEventInput<Static<S>>,
  ): Promise<EventEnvelope<Static<S>>> {
    const envelope = await this.outbox.append(manager, definition, input);
    await this.projector.project(manager, definition.topic, envelope);
    return envelope;
  }

  /** Publishes several events with one outbox insert and projects them (in order). */
  async publishMany(
    manager: EntityManager,
    events: readonly OutboxAppend[],
  ): Promise<EventEnvelope[]> {
    const envelopes = await this.outbox.appendMany(manager, events);
    await this.projector.projectMany(
      manager,
      envelopes.map((envelope, i) => ({ topic: events[i].definition.topic, envelope })),
    );
    return envelopes;
  }
}
