import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { STEWARD_ROLES } from '../common/roles';
import { DecideReviewItemDto, ListReviewItemsQuery } from './dto/resolution.dto';
import { StewardshipService } from './stewardship.service';

@ApiTags('review-queue')
@ApiBearerAuth()
@Controller('review-items')
export class ReviewController {
  constructor(private readonly stewardship: StewardshipService) {}

  @Get()
  @Roles(...STEWARD_ROLES, 'auditor')
  @ApiOperation({ summary: 'The data-steward review queue (default: open items, oldest first).' })
  list(@Query() query: ListReviewItemsQuery, @CurrentUser() user: AuthUser) {
    return this.stewardship.listReviewItems(query, dataScopeOf(user));
  }

  @Get(':id')
  @Roles(...STEWARD_ROLES, 'auditor')
  @ApiOperation({
    summary:
      'One review item: both records side by side (identifiers and contacts masked), their customers now, and the per-field explanation of the score.',
  })
  @ApiNotFoundResponse({ description: 'No such review item.' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthUser) {
    return this.stewardship.reviewItem(id, dataScopeOf(user));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary:
      'Same customer: the two customers are merged (the older survives; customer.merged, review-item.decided).',
  })
  @ApiNotFoundResponse({ description: 'No such review item.' })
  @ApiConflictResponse({ description: 'The item is already decided.' })
  confirm(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DecideReviewItemDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ) {
    return this.stewardship.confirm(id, dto.note, user, correlationId);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary:
      'Not the same: the pair is remembered and never linked automatically again (review-item.decided).',
  })
  @ApiNotFoundResponse({ description: 'No such review item.' })
  @ApiConflictResponse({ description: 'The item is already decided.' })
  reject(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: DecideReviewItemDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ) {
    return this.stewardship.reject(id, dto.note, user, correlationId);
  }
}
