import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  CustomerMergedV1,
  CustomerUnmergedV1,
  SourceRecordLinkedV1,
  type CustomerMergedV1Payload,
  type CustomerUnmergedV1Payload,
  type EventEnvelope,
  type SourceRecordLinkedV1Payload,
} from '@bank-crm/contracts';
import { KafkaEventContext } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { lockParties } from '../accounts/account-ingestor';
import { ResolutionHandler } from './resolution.service';

/**
 * customer-master's answers: which customer a party record is, and merges/unmerges of customers.
 * System work: each handler first lifts the relationship-manager row-level security for its
 * transaction (it sees and writes every portfolio's links).
 */
@Controller()
export class ResolutionConsumer {
  constructor(private readonly resolution: ResolutionHandler) {}

  /**
   * The links of one consumer transaction (a healthy chunk) are applied at its end, in order,
   * after every party of the chunk is locked in one sorted statement: taking the party locks link
   * by link could deadlock with an account chunk holding the same parties.
   */
  @EventPattern(SourceRecordLinkedV1.topic)
  onSourceRecordLinked(
    @Payload() event: EventEnvelope<SourceRecordLinkedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect(SourceRecordLinkedV1, event, async (events) => {
      await applyDbScope(manager, SYSTEM_SCOPE);
      await lockParties(
        manager,
        events.map((e) => `${e.payload.sourceSystem}:${e.payload.sourceKey}`),
      );
      await this.resolution.onSourceRecordsLinked(
        manager,
        events.map((e) => ({
          payload: e.payload,
          trace: { correlationId: e.correlationId, causationId: e.id },
        })),
        { correlationId: events[0].correlationId, causationId: events[0].id, hooks: ctx.hooks },
      );
    });
  }

  @EventPattern(CustomerMergedV1.topic)
  async onCustomerMerged(
    @Payload() event: EventEnvelope<CustomerMergedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.resolution.onCustomerMerged(ctx.manager, event.payload, {
      correlationId: event.correlationId,
      causationId: event.id,
      hooks: ctx.hooks,
    });
  }

  @EventPattern(CustomerUnmergedV1.topic)
  async onCustomerUnmerged(
    @Payload() event: EventEnvelope<CustomerUnmergedV1Payload>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.resolution.onCustomerUnmerged(ctx.manager, event.payload);
  }
}
