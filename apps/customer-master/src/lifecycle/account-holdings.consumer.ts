import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  CustomerHoldingsChangedV2,
  type CustomerHoldingsChangedV2Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { lockCustomers } from '../customers/customer-locks';
import { LifecycleService } from './lifecycle.service';

/**
 * Account-bridge holdings drive the lifecycle status (the on-event check). v2: the lifecycle reads
 * only what v1 carried too (openAccountCount counts frozen accounts as held in both), and each
 * snapshot's v1 and v2 share the sequence, so the state applied from v1 carries over.
 *
 * A chunk's snapshots are applied at its end, in order, after all their customers are locked in
 * one sorted statement: locking them snapshot by snapshot could deadlock with a resolution chunk
 * that locks the same customers in id order.
 */
@Controller()
export class AccountHoldingsConsumer {
  constructor(private readonly lifecycle: LifecycleService) {}

  @EventPattern(CustomerHoldingsChangedV2.topic)
  onHoldingsChanged(
    @Payload() event: EventEnvelope<CustomerHoldingsChangedV2Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect(this, event, async (events) => {
      await applyDbScope(manager, SYSTEM_SCOPE);
      await lockCustomers(
        manager,
        events.map((e) => e.payload.customerId),
      );
      for (const e of events) await this.lifecycle.recordHoldings(manager, e);
    });
  }
}
