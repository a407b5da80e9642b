import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  CustomerHoldingsChangedV1,
  type CustomerHoldingsChangedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { LifecycleService } from './lifecycle.service';

/** Account-bridge holdings drive the lifecycle status (the on-event check). */
@Controller()
export class AccountHoldingsConsumer {
  constructor(private readonly lifecycle: LifecycleService) {}

  @EventPattern(CustomerHoldingsChangedV1.topic)
  async onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.lifecycle.recordHoldings(ctx.manager, event);
  }
}
