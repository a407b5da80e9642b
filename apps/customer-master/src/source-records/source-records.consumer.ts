import {
  SourcePartyRecordedV1,
  type EventEnvelope,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { SourceRecordsService } from './source-records.service';

@Controller()
export class SourceRecordsConsumer {
  constructor(private readonly records: SourceRecordsService) {}

  @EventPattern(SourcePartyRecordedV1.topic)
  async onSourcePartyRecorded(
    @Payload() event: EventEnvelope<SourcePartyRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.records.record(ctx.manager, event);
  }
}
