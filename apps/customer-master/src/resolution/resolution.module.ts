import { Module } from '@nestjs/common';

import { CustomerViewModule } from '../customer-view/customer-view.module';
import { CustomersModule } from '../customers/customers.module';
import { MergesModule } from '../merges/merges.module';
import { ResolutionConsumer } from './resolution.consumer';
import { ResolutionController } from './resolution.controller';
import { BatchResolver } from './batch-resolver';
import { NameStatistics } from './name-statistics';
import { ResolutionService } from './resolution.service';
import { ReviewController } from './review.controller';
import { StewardshipService } from './stewardship.service';

/** Identity resolution: source records -> golden customers, and the data stewards' tools. */
@Module({
  imports: [CustomersModule, MergesModule, CustomerViewModule],
  controllers: [ResolutionConsumer, ResolutionController, ReviewController],
  providers: [ResolutionService, BatchResolver, StewardshipService, NameStatistics],
  exports: [ResolutionService],
})
export class ResolutionModule {}
