import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  SourcePartyRecordedV1,
  type EventEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { BatchResolver, type BatchItem } from './batch-resolver';

/**
 * Resolves every source party record on arrival (identity resolution). The records of one
 * consumer transaction (a healthy chunk of the partition) are collected and resolved together at
 * its end, in order, with set-based SQL; alone, a record is resolved on its own. Records whose
 * blocking keys another consumer's chunk holds are resolved right after, in a second
 * transaction.
 */
@Controller()
export class ResolutionConsumer {
  constructor(private readonly batch: BatchResolver) {}

  @EventPattern(SourcePartyRecordedV1.topic)
  onSourcePartyRecorded(
    @Payload() event: EventEnvelope<SourcePartyRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const { manager, hooks } = ctx;
    ctx.hooks.collect<BatchItem & { versioned: boolean }>(
      this,
      {
        record: event.payload,
        meta: {
          eventId: event.id,
          correlationId: event.correlationId,
          occurredAt: event.occurredAt,
        },
        versioned: event.subjectVersion !== undefined,
      },
      async (items) => {
        await applyDbScope(manager, SYSTEM_SCOPE);
        // records whose blocking keys another consumer holds wait in a transaction of their own
        // (an event with a subjectVersion cannot be deferred: then the chunk waits for them)
        const defer =
          hooks.mayDefer && !items.some((i) => i.versioned)
            ? (ids: string[]) => hooks.defer(ids)
            : undefined;
        await this.batch.resolveMany(manager, items, defer);
      },
    );
  }
}
