import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  SourcePartyRecordedV1,
  type EventEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { ResolutionService } from './resolution.service';

/** Resolves every source party record on arrival (identity resolution). */
@Controller()
export class ResolutionConsumer {
  constructor(private readonly resolution: ResolutionService) {}

  @EventPattern(SourcePartyRecordedV1.topic)
  async onSourcePartyRecorded(
    @Payload() event: EventEnvelope<SourcePartyRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.resolution.resolve(ctx.manager, event.payload, {
      eventId: event.id,
      correlationId: event.correlationId,
      occurredAt: event.occurredAt,
    });
  }
}
