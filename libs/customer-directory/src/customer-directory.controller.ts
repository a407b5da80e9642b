import {
  ALL_ROLES,
  CurrentUser,
  dataScopeOf,
  Expensive,
  pageOf,
  PageQueryDto,
  Roles,
  withDataScope,
  type AuthUser,
  type Page,
} from '@bank-crm/auth';
import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

import { CustomerDirectoryEntryEntity } from './customer-directory-entry.entity';

/**
 * This service's copy of the customers. Every staff role may read it; a relationship manager sees
 * only the customers of their own portfolio: filtered here, and again by PostgreSQL row-level
 * security in the same transaction, so another portfolio's customer answers 404 either way.
 */
@ApiTags('customer-directory')
@Roles(...ALL_ROLES)
@Controller('customer-directory')
export class CustomerDirectoryController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Expensive()
  @ApiOkResponse({ description: 'The customers the caller may see, by display name; paged.' })
  list(
    @Query() query: PageQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Page<CustomerDirectoryEntryEntity>> {
    const scope = dataScopeOf(user);
    const { limit, offset } = pageOf(query);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const where =
        scope.kind === 'portfolio' ? { relationshipManagerId: scope.relationshipManagerId } : {};
      const [items, total] = await manager.findAndCount(CustomerDirectoryEntryEntity, {
        where,
        order: { displayName: 'ASC', customerId: 'ASC' },
        take: limit,
        skip: offset,
      });
      return { items, total, limit, offset };
    });
  }

  @Get(':customerId')
  @ApiOkResponse({
    description: "This service's copy of a customer, kept from customer-master events.",
  })
  @ApiNotFoundResponse({ description: 'Unknown here, or outside the caller’s portfolio.' })
  get(
    @Param('customerId', new ParseUUIDPipe()) customerId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<CustomerDirectoryEntryEntity> {
    const scope = dataScopeOf(user);
    return withDataScope(this.dataSource, scope, async (manager) => {
      const entry = await manager.findOneBy(CustomerDirectoryEntryEntity, {
        customerId,
        ...(scope.kind === 'portfolio'
          ? { relationshipManagerId: scope.relationshipManagerId }
          : {}),
      });
      if (!entry)
        throw new NotFoundException(`customer ${customerId} is not known to this service`);
      return entry;
    });
  }
}
