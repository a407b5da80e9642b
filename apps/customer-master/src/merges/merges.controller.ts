import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { STEWARD_ROLES } from '../common/roles';
import { MergeCustomersDto, UnmergeCustomerDto } from './dto/merge-customers.dto';
import { MergesService, type MergeResult, type UnmergeResult } from './merges.service';

@ApiTags('merges')
@ApiBearerAuth()
@Controller('customers/:id')
export class MergesController {
  constructor(private readonly merges: MergesService) {}

  @Post('merge')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary:
      'Merge customers into this one (the survivor): identifiers, relations and memberships move; absorbed ids redirect.',
  })
  @ApiOkResponse({ description: 'What moved and what stayed with the absorbed customers.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiNotFoundResponse({ description: 'A customer does not exist.' })
  @ApiConflictResponse({ description: 'A customer was already merged, or party types differ.' })
  merge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: MergeCustomersDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<MergeResult> {
    return this.merges.merge(
      id,
      dto.absorbedIds,
      dto.cause.trim(),
      { correlationId, actorUserId: user.id },
      dataScopeOf(user),
    );
  }

  @Post('unmerge')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary: 'Undo the merge that absorbed this customer: it exists on its own again.',
  })
  @ApiNotFoundResponse({ description: 'The customer is not merged into another.' })
  unmerge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UnmergeCustomerDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<UnmergeResult> {
    return this.merges.unmerge(
      id,
      dto.cause.trim(),
      { correlationId, actorUserId: user.id },
      dataScopeOf(user),
    );
  }
}
