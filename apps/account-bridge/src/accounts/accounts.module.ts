import { OutboxWriter } from '@bank-crm/messaging';
import { Module } from '@nestjs/common';

import { InboundConsumer } from '../inbound/inbound.consumer';
import { PartyBatchIngestor } from '../inbound/party-batch-ingestor';
import { ResolutionConsumer } from '../resolution/resolution.consumer';
import { ResolutionHandler } from '../resolution/resolution.service';
import { AccountIngestor } from './account-ingestor';
import { balanceThresholdFromEnv } from './account-settings';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

/** Accounts and customer-account links: REST, the Kafka ways in, and the customer-master handshake. */
@Module({
  controllers: [AccountsController, InboundConsumer, ResolutionConsumer],
  providers: [
    {
      provide: AccountIngestor,
      useFactory: (outbox: OutboxWriter) => new AccountIngestor(outbox, balanceThresholdFromEnv()),
      inject: [OutboxWriter],
    },
    {
      provide: PartyBatchIngestor,
      useFactory: (outbox: OutboxWriter) => new PartyBatchIngestor(outbox),
      inject: [OutboxWriter],
    },
    {
      provide: ResolutionHandler,
      useFactory: (outbox: OutboxWriter, accounts: AccountIngestor) =>
        new ResolutionHandler(outbox, accounts),
      inject: [OutboxWriter, AccountIngestor],
    },
    AccountsService,
  ],
  exports: [AccountIngestor, PartyBatchIngestor],
})
export class AccountsModule {}
