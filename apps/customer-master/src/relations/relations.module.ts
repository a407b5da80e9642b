import { Module } from '@nestjs/common';

import { CustomersModule } from '../customers/customers.module';
import { RelationsController } from './relations.controller';
import { RelationsService } from './relations.service';

@Module({
  imports: [CustomersModule],
  controllers: [RelationsController],
  providers: [RelationsService],
})
export class RelationsModule {}
