import { Module } from '@nestjs/common';

import { CustomersModule } from '../customers/customers.module';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  imports: [CustomersModule],
  controllers: [GroupsController],
  providers: [GroupsService],
})
export class GroupsModule {}
