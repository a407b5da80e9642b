import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  CustomerHoldingsChangedV1,
  type CustomerHoldingsChangedV1Payload,
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

  @EventPattern(CustomerHoldingsChangedV1.topic)
  async onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.projector.project(ctx.manager, CustomerHoldingsChangedV1.topic, event);
  }
}
