import {
  CustomerHoldingsChangedV2,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { applyAtChunkEnd } from '../customers/customer-locks';
import { LifecycleService } from './lifecycle.service';

/**
 * Account-bridge holdings drive the lifecycle status (the on-event check). v2: the lifecycle reads
 * only what v1 carried too (openAccountCount counts frozen accounts as held in both), and each
 * snapshot's v1 and v2 share the sequence, so the state applied from v1 carries over.
 * A chunk's snapshots are applied at its end, together (applyAtChunkEnd, recordHoldingsMany).
 */
@Controller()
export class AccountHoldingsConsumer {
  constructor(private readonly lifecycle: LifecycleService) {}

  @EventPattern(CustomerHoldingsChangedV2.topic)
  onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV2Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    applyAtChunkEnd(ctx, this, event, (manager, events) =>
      this.lifecycle.recordHoldingsMany(manager, events),
    );
  }
}
