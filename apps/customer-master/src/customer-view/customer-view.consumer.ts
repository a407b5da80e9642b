import {
  CustomerHoldingsChangedV2,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { applyAtChunkEnd } from '../customers/customer-locks';
import { storeHoldings } from './parts/accounts.part';

/**
 * Other services' events for the view. (customer-master's own events are applied as they are
 * published, see EventPublisher.) A new part fed by another service adds its handler here.
 */
@Controller()
export class CustomerViewConsumer {
  /**
   * A chunk's snapshots are projected at its end, after their customers are locked
   * (applyAtChunkEnd, as the lifecycle's handler of the same events), so the view rows are taken
   * after the customer rows as everywhere else; with one statement (the accounts part's
   * storeHoldings, which its replay handlers use too).
   */
  @EventPattern(CustomerHoldingsChangedV2.topic)
  onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV2Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    applyAtChunkEnd(ctx, this, event, (manager, events) =>
      storeHoldings(
        manager,
        events.map((e) => e.payload),
        true,
      ),
    );
  }
}
