import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';

import { CreateCustomerDto } from './dto/create-customer.dto';
import { CustomersService, type CustomerView } from './customers.service';

@ApiTags('customers')
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @ApiCreatedResponse({ description: 'The customer was created as a prospect (status potential).' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiConflictResponse({ description: 'An identifier already belongs to another customer.' })
  create(
    @Body() dto: CreateCustomerDto,
    @CorrelationId() correlationId: string,
  ): Promise<CustomerView> {
    return this.customers.create(dto, correlationId);
  }

  @Get(':id')
  @ApiNotFoundResponse({ description: 'No such customer.' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<CustomerView> {
    return this.customers.get(id);
  }
}
