import { CurrentUser, dataScopeOf, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { AsOfQuery, asOfDate } from '../common/as-of.query';
import { EndPeriodDto } from '../common/end-period.dto';
import type { Page } from '../common/pagination';
import { READ_ROLES, WRITE_ROLES } from '../common/roles';
import { AddMemberDto } from './dto/add-member.dto';
import { CreateGroupDto } from './dto/create-group.dto';
import { ListGroupsQuery } from './dto/list-groups.query';
import { GroupsService, type GroupView, type MembershipView } from './groups.service';

@ApiTags('groups')
@ApiBearerAuth()
@Controller()
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post('groups')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary: 'Create an entity group (household, corporate group) or a managed list.',
  })
  @ApiCreatedResponse({ description: 'The group.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  create(@Body() dto: CreateGroupDto, @CurrentUser() user: AuthUser): Promise<GroupView> {
    return this.groups.create(dto, user.id, dataScopeOf(user));
  }

  @Get('groups')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'List groups (kind, type, partial name), paginated.' })
  list(@Query() query: ListGroupsQuery, @CurrentUser() user: AuthUser): Promise<Page<GroupView>> {
    return this.groups.list(query, dataScopeOf(user));
  }

  @Get('groups/:id')
  @Roles(...READ_ROLES)
  @ApiNotFoundResponse({ description: 'No such group.' })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<GroupView> {
    return this.groups.get(id, dataScopeOf(user));
  }

  @Post('groups/:id/members')
  @Roles(...WRITE_ROLES)
  @ApiOperation({
    summary: 'Add a customer to the group with a role, valid from/to (to exclusive).',
  })
  @ApiCreatedResponse({ description: 'The membership.' })
  @ApiBadRequestResponse({ description: 'Field-level validation errors (unknown customer too).' })
  @ApiNotFoundResponse({ description: 'No such group.' })
  @ApiConflictResponse({
    description: 'The customer is already a member in an overlapping period, or was merged away.',
  })
  addMember(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AddMemberDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<MembershipView> {
    return this.groups.addMember(id, dto, correlationId, dataScopeOf(user));
  }

  @Post('groups/:id/members/:membershipId/end')
  @HttpCode(200)
  @Roles(...WRITE_ROLES)
  @ApiOperation({ summary: 'End a membership: set its valid-to (exclusive).' })
  @ApiBadRequestResponse({ description: 'validTo missing, malformed or not after validFrom.' })
  @ApiNotFoundResponse({ description: 'No such membership in this group.' })
  @ApiConflictResponse({ description: 'Already ended.' })
  endMember(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('membershipId', new ParseUUIDPipe()) membershipId: string,
    @Body() dto: EndPeriodDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<MembershipView> {
    return this.groups.endMember(id, membershipId, dto.validTo, correlationId, dataScopeOf(user));
  }

  @Get('groups/:id/members')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary: 'Who was in the group on a day (default today), or all (history=true).',
  })
  @ApiNotFoundResponse({ description: 'No such group.' })
  members(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<MembershipView[]> {
    return this.groups.members(id, asOfDate(query), dataScopeOf(user));
  }

  @Get('customers/:id/groups')
  @Roles(...READ_ROLES)
  @ApiOperation({
    summary: 'Which groups the customer was in on a day (default today), or all (history=true).',
  })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  groupsOf(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: AsOfQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<MembershipView[]> {
    return this.groups.groupsOf(id, asOfDate(query), dataScopeOf(user));
  }
}
