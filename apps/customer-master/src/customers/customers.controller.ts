import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import type { Page } from '../common/pagination';
import { READ_ROLES, WRITE_ROLES } from '../common/roles';
import type { CustomerView } from './customer.mapper';
import { CustomersService } from './customers.service';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { ListCustomersQuery } from './dto/list-customers.query';
import { UpdateCustomerDto } from './dto/update-customer.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'Create a customer (a prospect: status potential).' })
  @ApiCreatedResponse({ description: 'The customer was created as a prospect (status potential).' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiConflictResponse({ description: 'An identifier already belongs to another customer.' })
  create(
    @Body() dto: CreateCustomerDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<CustomerView> {
    return this.customers.create(dto, correlationId, dataScopeOf(user));
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary:
      'List and search customers: filters (status, category, tier, RM, group), partial name search, identifier (normalised) and phone search. Merged-away customers are not listed.',
  })
  @ApiOkResponse({ description: '{ items, page, pageSize, total }' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  list(
    @Query() query: ListCustomersQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<CustomerView>> {
    return this.customers.list(query, dataScopeOf(user));
  }

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary:
      'One customer. An id absorbed by a merge answers with the survivor; `redirectedFrom` names the requested id.',
  })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<CustomerView> {
    return this.customers.get(id, dataScopeOf(user));
  }

  @Patch(':id')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary:
      'Change a customer: omitted fields stay, null clears, lists are replaced. Publishes customer.updated with the changed fields.',
  })
  @ApiOkResponse({ description: 'The customer after the change.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  @ApiConflictResponse({
    description: 'Version mismatch, an identifier of another customer, or a merged-away id.',
  })
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdateCustomerDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<CustomerView> {
    return this.customers.update(id, dto, correlationId, dataScopeOf(user));
  }
}
