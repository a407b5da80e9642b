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
  @EventPattern(CustomerCreatedV1.topic)
  async onCustomerCreated(
    @Payload() event: EventEnvelope<CustomerCreatedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    const p = event.payload;
    // system work: row-level security lets the projection write every portfolio's rows
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
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
