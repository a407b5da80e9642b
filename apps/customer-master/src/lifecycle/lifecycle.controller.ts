import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { READ_ROLES, STEWARD_ROLES } from '../common/roles';
import { OverrideStatusDto } from './dto/override-status.dto';
import { LifecycleService, type StatusHistoryEntry } from './lifecycle.service';

@ApiTags('lifecycle')
@ApiBearerAuth()
@Controller('customers/:id')
export class LifecycleController {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Post('status')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary: 'Override the lifecycle status (audited: who, why, when; publishes status-changed).',
  })
  @ApiOkResponse({ description: 'The recorded transition.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  @ApiConflictResponse({ description: 'Already in that status, or the id was merged away.' })
  override(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: OverrideStatusDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<StatusHistoryEntry> {
    return this.lifecycle.override(
      id,
      dto.status,
      dto.reason.trim(),
      user.id,
      correlationId,
      dataScopeOf(user),
    );
  }

  @Get('status-history')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary:
      'Lifecycle transitions, oldest first, with cause and trigger (an absorbed id answers for its survivor).',
  })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  history(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<StatusHistoryEntry[]> {
    return this.lifecycle.history(id, dataScopeOf(user));
  }
}
