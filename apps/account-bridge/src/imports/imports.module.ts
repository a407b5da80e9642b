import { AuditService } from '@bank-crm/audit';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AccountIngestor } from '../accounts/account-ingestor';
import { AccountsModule } from '../accounts/accounts.module';
import { PartyBatchIngestor } from '../inbound/party-batch-ingestor';
import { ImportPipeline } from './import-pipeline';
import { ImportsController } from './imports.controller';

/** Bulk files: POST /imports (streamed body), the job report and the rejected rows. */
@Module({
  imports: [AccountsModule],
  controllers: [ImportsController],
  providers: [
    {
      provide: ImportPipeline,
      useFactory: (
        dataSource: DataSource,
        accounts: AccountIngestor,
        parties: PartyBatchIngestor,
        audit: AuditService,
      ) => new ImportPipeline(dataSource, accounts, parties, audit),
      inject: [DataSource, AccountIngestor, PartyBatchIngestor, AuditService],
    },
  ],
})
export class ImportsModule {}
