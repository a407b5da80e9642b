import { Module } from '@nestjs/common';

import { SourceRecordsConsumer } from './source-records.consumer';
import { SourceRecordsController } from './source-records.controller';
import { SourceRecordsService } from './source-records.service';

@Module({
  controllers: [SourceRecordsConsumer, SourceRecordsController],
  providers: [SourceRecordsService],
})
export class SourceRecordsModule {}
