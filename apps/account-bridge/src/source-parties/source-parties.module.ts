import { Module } from '@nestjs/common';

import { SourcePartiesController } from './source-parties.controller';
import { SourcePartiesService } from './source-parties.service';

@Module({
  controllers: [SourcePartiesController],
  providers: [SourcePartiesService],
})
export class SourcePartiesModule {}
