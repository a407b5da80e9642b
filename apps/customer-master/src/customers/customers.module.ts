import { Module } from '@nestjs/common';

import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { CustomerCategoriesController } from './customer-categories.controller';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  imports: [LifecycleModule],
  controllers: [CustomersController, CustomerCategoriesController],
  providers: [CustomersService, CustomersRepository],
  exports: [CustomersService, CustomersRepository],
})
export class CustomersModule {}
