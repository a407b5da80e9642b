import type { EventEnvelope } from '@bank-crm/contracts';
import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';

type Args = [EntityManager, EventEnvelope, string, number, string, number];

/**
 * What a handler gets besides the validated envelope: the transaction its effects must use
 * (the inbox record commits with them), and where the message came from.
 */
export class KafkaEventContext extends BaseRpcContext<Args> {
  constructor(
    manager: EntityManager,
    envelope: EventEnvelope,
    topic: string,
    partition: number,
    offset: string,
    attempt: number,
  ) {
    super([manager, envelope, topic, partition, offset, attempt]);
  }

  /** The transaction of this message: write every effect through it. */
  get manager(): EntityManager {
    return this.args[0];
  }
  get envelope(): EventEnvelope {
    return this.args[1];
  }
  get topic(): string {
    return this.args[2];
  }
  get partition(): number {
    return this.args[3];
  }
  get offset(): string {
    return this.args[4];
  }
  get attempt(): number {
    return this.args[5];
  }
}

/**
 * A failure that retrying cannot fix (e.g. a reference that can never resolve): the message goes
 * to the dead-letter topic at once.
 */
export class PermanentHandlerError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentHandlerError';
  }
}

export function isPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { permanent?: unknown }).permanent === true
  );
}
