import { Module } from '@nestjs/common';

import { SourceRecordsController } from './source-records.controller';
import { SourceRecordsService } from './source-records.service';

@Module({
  controllers: [SourceRecordsController],
  providers: [SourceRecordsService],
  exports: [SourceRecordsService],
})
export class SourceRecordsModule {}
