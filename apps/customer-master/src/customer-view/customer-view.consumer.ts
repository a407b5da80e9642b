import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  CustomerHoldingsChangedV2,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { CustomerViewProjector } from './customer-view.projector';

/**
 * Other services' events for the view. (customer-master's own events are applied as they are
 * published, see EventPublisher.) A new part fed by another service adds its handler here.
 */
@Controller()
export class CustomerViewConsumer {
  constructor(private readonly projector: CustomerViewProjector) {}

  @EventPattern(CustomerHoldingsChangedV2.topic)
  async onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV2Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.projector.project(ctx.manager, CustomerHoldingsChangedV2.topic, event);
  }
}
