import type { EventEnvelope } from '@bank-crm/contracts';
import type { EntityManager } from 'typeorm';

/**
 * Applies one event to one part of the customer view. Handlers must be idempotent and
 * order-independent across topics (Kafka orders per topic and key only; a replay reads the
 * topics side by side), so a rebuild by replay gives the same view.
 */
export type PartHandler<P = unknown> = (
  manager: EntityManager,
  event: EventEnvelope<P>,
) => Promise<void>;

/** topic -> handlers of one part. */
export type PartHandlers = Record<string, PartHandler<never>>;
