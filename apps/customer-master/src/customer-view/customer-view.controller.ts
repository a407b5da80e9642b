import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { READ_ROLES } from '../common/roles';
import { CustomerViewRebuilder, type RebuildResult } from './customer-view.rebuilder';
import { CustomerViewService, type CustomerView360 } from './customer-view.service';

@ApiTags('customer-view')
@ApiBearerAuth()
@Controller()
export class CustomerViewController {
  constructor(
    private readonly view: CustomerViewService,
    private readonly rebuilder: CustomerViewRebuilder,
  ) {}

  @Get('customers/:id/360')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary:
      'The unified customer view: profile (identifiers masked), accounts with roles and balances, relationship manager, relations, groups, lifecycle history; each part with its asOf watermark. Built only from events; parts with no source yet are absent. An absorbed id answers with its survivor.',
  })
  @ApiOkResponse({ description: '{ customerId, redirectedFrom?, absorbedIds, asOf, parts }' })
  @ApiNotFoundResponse({ description: 'No event about this customer has reached the view.' })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<CustomerView360> {
    return this.view.view(id, dataScopeOf(user));
  }

  @Post('customer-view/rebuild')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Rebuild the customer view by replaying its topics from the beginning (operations).',
  })
  rebuild(): Promise<RebuildResult> {
    return this.rebuilder.rebuild();
  }
}
