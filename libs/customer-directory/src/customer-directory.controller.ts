import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

@ApiTags('customer-directory')
@Controller('customer-directory')
export class CustomerDirectoryController {
  constructor(
    @InjectRepository(CustomerDirectoryEntryEntity)
    private readonly entries: Repository<CustomerDirectoryEntryEntity>,
  ) {}

  @Get(':customerId')
  @ApiOkResponse({
    description: "This service's copy of a customer, kept from customer-master events.",
  })
  async get(
    @Param('customerId', new ParseUUIDPipe()) customerId: string,
  ): Promise<CustomerDirectoryEntryEntity> {
    const entry = await this.entries.findOneBy({ customerId });
    if (!entry) throw new NotFoundException(`customer ${customerId} is not known to this service`);
    return entry;
  }
}
