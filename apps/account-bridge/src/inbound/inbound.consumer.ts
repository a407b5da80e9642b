import { applyDbScope, SYSTEM_SCOPE } from '@bank-crm/auth';
import {
  SourceAccountBalanceRecordedV1,
  SourceAccountRecordedV1,
  SourcePartyRecordedV1,
  type EventEnvelope,
  type SourceAccountBalanceV1,
  type SourceAccountRecordV1,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { KafkaEventContext, PermanentHandlerError } from '@bank-crm/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { AccountIngestor } from '../accounts/account-ingestor';
import { PartyBatchIngestor } from './party-batch-ingestor';

const SELF = 'account-bridge';

/**
 * The Kafka way in: business systems (or their CDC) publish SourcePartyRecord v1,
 * SourceAccountRecord v1 and SourceAccountBalance v1 in the standard envelope. The envelope is
 * validated against the contract before a handler runs (invalid messages are dead-lettered), and
 * each message applies in the transaction of its inbox record, idempotently, as system work (the
 * relationship-manager row-level security lifted for that transaction).
 */
@Controller()
export class InboundConsumer {
  constructor(
    private readonly accounts: AccountIngestor,
    private readonly parties: PartyBatchIngestor,
  ) {}

  @EventPattern(SourceAccountRecordedV1.topic)
  async onSourceAccount(
    @Payload() event: EventEnvelope<SourceAccountRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.accounts.applyRecords(ctx.manager, [event.payload], {
      ...this.meta(event),
      hooks: ctx.hooks,
    });
  }

  @EventPattern(SourceAccountBalanceRecordedV1.topic)
  async onSourceAccountBalance(
    @Payload() event: EventEnvelope<SourceAccountBalanceV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    const [result] = await this.accounts.applyBalances(ctx.manager, [event.payload], {
      ...this.meta(event),
      hooks: ctx.hooks,
    });
    if (result.outcome === 'rejected') throw new PermanentHandlerError(result.reason ?? 'rejected');
  }

  /**
   * A business system may publish its party records straight onto the topic customer-master
   * reads. account-bridge keeps them too (so the REST and file channels see them as unchanged)
   * but does not publish them again; its own messages on the topic are skipped.
   */
  @EventPattern(SourcePartyRecordedV1.topic)
  async onSourceParty(
    @Payload() event: EventEnvelope<SourcePartyRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    if (event.producer === SELF) return;
    await applyDbScope(ctx.manager, SYSTEM_SCOPE);
    await this.parties.apply(ctx.manager, [event.payload], {
      ...this.meta(event),
      publish: false,
      defaultObservedAt: event.occurredAt,
    });
  }

  private meta(event: EventEnvelope) {
    return { correlationId: event.correlationId, causationId: event.id };
  }
}
