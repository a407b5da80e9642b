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
 * its end, in order, with set-based SQL; alone, a record is resolved on its own.
 */
@Controller()
export class ResolutionConsumer {
  constructor(private readonly batch: BatchResolver) {}

  @EventPattern(SourcePartyRecordedV1.topic)
  onSourcePartyRecorded(
    @Payload() event: EventEnvelope<SourcePartyRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect<BatchItem>(
      this,
      {
        record: event.payload,
        meta: {
          eventId: event.id,
          correlationId: event.correlationId,
          occurredAt: event.occurredAt,
        },
      },
      async (items) => {
        await applyDbScope(manager, SYSTEM_SCOPE);
        await this.batch.resolveMany(manager, items);
      },
    );
  }
}
