import { Module } from '@nestjs/common';

import { MergesController } from './merges.controller';
import { MergesService } from './merges.service';

@Module({
  controllers: [MergesController],
  providers: [MergesService],
  exports: [MergesService],
})
export class MergesModule {}
