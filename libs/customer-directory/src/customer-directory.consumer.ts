import {
  CustomerCreatedV1,
  type CustomerCreatedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

@Controller()
export class CustomerDirectoryConsumer {
  /**
   * The directory entries of a chunk go in with one insert at its end (the consumer applies a
   * chunk of messages in one transaction); an entry already there is kept.
   */
  @EventPattern(CustomerCreatedV1.topic)
  onCustomerCreated(
    @Payload() event: EventEnvelope<CustomerCreatedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect(this, event, async (events) => {
      // system work: row-level security lets the projection write every portfolio's rows
      await applyDbScope(manager, SYSTEM_SCOPE);
      await manager
        .createQueryBuilder()
        .insert()
        .into(CustomerDirectoryEntryEntity)
        .values(
          events.map(({ payload: p, occurredAt }) => ({
            customerId: p.customerId,
            partyType: p.partyType,
            category: p.category,
            status: p.status,
            displayName: p.displayName,
            relationshipManagerId: p.relationshipManagerId ?? null,
            asOf: new Date(occurredAt),
          })),
        )
        .orIgnore()
        .execute();
    });
  }
}
