import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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

import { AsOfQuery, asOfDate } from '../common/as-of.query';
import { EndPeriodDto } from '../common/end-period.dto';
import { READ_ROLES, WRITE_ROLES } from '../common/roles';
import { AddRelationDto } from './dto/add-relation.dto';
import type { RelationTypePair, RelationView, StoredRelation } from './relation-perspective';
import { RelationsService } from './relations.service';

@ApiTags('relations')
@ApiBearerAuth()
@Controller()
export class RelationsController {
  constructor(private readonly relations: RelationsService) {}

  @Get('relation-types')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary: 'The configurable relation type catalogue, each type with its reverse.',
  })
  types(): Promise<RelationTypePair[]> {
    return this.relations.types();
  }

  @Post('customers/:id/relations')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary:
      'Relate the customer to another: "the customer is <type> of the counterpart", valid from/to (to exclusive).',
  })
  @ApiCreatedResponse({ description: 'The relation as seen from the path customer.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  @ApiConflictResponse({
    description: 'An overlapping relation of this type exists, or a customer was merged away.',
  })
  add(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AddRelationDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<RelationView> {
    return this.relations.add(id, dto, correlationId, dataScopeOf(user));
  }

  @Get('customers/:id/relations')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary:
      "The customer's relations on a day (default today) or all (history=true), labelled from its side.",
  })
  @ApiOkResponse({ description: 'Relations, oldest first.' })
  list(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<RelationView[]> {
    return this.relations.list(id, asOfDate(query), dataScopeOf(user));
  }

  @Post('customer-relations/:relationId/end')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'End a relation: set its valid-to (exclusive).' })
  @ApiBadRequestResponse({ description: 'validTo missing, malformed or not after validFrom.' })
  @ApiNotFoundResponse({ description: 'No such relation.' })
  @ApiConflictResponse({ description: 'The relation has already ended.' })
  end(
    @Param('relationId', new ParseUUIDPipe()) relationId: string,
    @Body() dto: EndPeriodDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<StoredRelation> {
    return this.relations.end(relationId, dto.validTo, correlationId, dataScopeOf(user));
  }
}
