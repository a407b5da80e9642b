import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';

import { READ_ROLES } from '../common/roles';
import { SourceRecordsService } from './source-records.service';

@ApiTags('source-records')
@Controller('source-records')
export class SourceRecordsController {
  constructor(private readonly records: SourceRecordsService) {}

  @Get(':sourceSystem/:sourceKey')
  @Roles(...READ_ROLES)
  @ApiNotFoundResponse({ description: 'The record has not been received.' })
  get(
    @Param('sourceSystem') sourceSystem: string,
    @Param('sourceKey') sourceKey: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.records.get(sourceSystem, sourceKey, dataScopeOf(user));
  }
}
