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

import { AccountIngestor, type IngestTrace } from '../accounts/account-ingestor';
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

  /**
   * The records of one consumer transaction (a healthy chunk of the partition) are applied
   * together at its end: the chunk's accounts are then locked in one sorted statement, so a chunk
   * of this topic and one of the balance topic touching the same accounts cannot deadlock.
   */
  @EventPattern(SourceAccountRecordedV1.topic)
  onSourceAccount(
    @Payload() event: EventEnvelope<SourceAccountRecordV1>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect(
      SourceAccountRecordedV1,
      { record: event.payload, trace: this.meta(event) },
      async (items) => {
        await applyDbScope(manager, SYSTEM_SCOPE);
        await this.accounts.applyRecords(
          manager,
          items.map((i) => i.record),
          { ...items[0].trace, traces: items.map((i) => i.trace), hooks: ctx.hooks },
        );
      },
    );
  }

  /**
   * Like records, a chunk's balance updates apply together at its end. An update that cannot
   * apply (another currency than its account's) fails the chunk, which is then retried one
   * message per transaction, where that message alone goes to the dead-letter topic.
   */
  @EventPattern(SourceAccountBalanceRecordedV1.topic)
  onSourceAccountBalance(
    @Payload() event: EventEnvelope<SourceAccountBalanceV1>,
    @Ctx() ctx: KafkaEventContext,
  ): void {
    const manager = ctx.manager;
    ctx.hooks.collect(
      SourceAccountBalanceRecordedV1,
      { update: event.payload, trace: this.meta(event) },
      async (items) => {
        await applyDbScope(manager, SYSTEM_SCOPE);
        const results = await this.accounts.applyBalances(
          manager,
          items.map((i) => i.update),
          { ...items[0].trace, traces: items.map((i) => i.trace), hooks: ctx.hooks },
        );
        const rejected = results.find((r) => r.outcome === 'rejected');
        if (rejected) throw new PermanentHandlerError(rejected.reason ?? 'rejected');
      },
    );
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

  private meta(event: EventEnvelope): IngestTrace {
    return { correlationId: event.correlationId, causationId: event.id };
  }
}
