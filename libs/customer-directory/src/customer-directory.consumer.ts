import {
  CustomerCreatedV1,
  type CustomerCreatedV1Payload,
  type EventEnvelope,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

@Controller()
export class CustomerDirectoryConsumer {
  @EventPattern(CustomerCreatedV1.topic)
  async onCustomerCreated(
    @Payload() event: EventEnvelope<CustomerCreatedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    const p = event.payload;
    await ctx.manager
      .createQueryBuilder()
      .insert()
      .into(CustomerDirectoryEntryEntity)
      .values({
        customerId: p.customerId,
        partyType: p.partyType,
        category: p.category,
        status: p.status,
        displayName: p.displayName,
        relationshipManagerId: p.relationshipManagerId ?? null,
        asOf: new Date(event.occurredAt),
      })
      .orIgnore()
      .execute();
  }
}
