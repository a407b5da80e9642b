import { Roles } from '@bank-crm/auth';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { READ_ROLES } from '../common/roles';
import type { CustomerCategoryEntity } from './customer-category.entity';
import { CustomersService } from './customers.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customer-categories')
export class CustomerCategoriesController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'The configurable list of customer categories.' })
  list(): Promise<CustomerCategoryEntity[]> {
    return this.customers.categories();
  }
}
