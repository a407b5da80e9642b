import { CurrentUser, Roles, type AuthUser } from '@bank-crm/auth';
import { SourcePartyRecordV1Schema } from '@bank-crm/contracts';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiTags } from '@nestjs/swagger';

import { SourcePartiesService } from './source-parties.service';

@ApiTags('source-parties')
@Controller('source-party-records')
export class SourcePartiesController {
  constructor(private readonly parties: SourcePartiesService) {}

  /** Business systems call this with a machine token of role data-steward (see docs/security.md). */
  @Post()
  @Roles('admin', 'data-steward')
  @HttpCode(202)
  @ApiBody({ description: 'SourcePartyRecord v1', schema: SourcePartyRecordV1Schema as object })
  @ApiAcceptedResponse({ description: 'outcome: recorded | unchanged | older-ignored' })
  @ApiBadRequestResponse({ description: 'Field-level reasons the record was rejected.' })
  ingest(
    @Body() body: Record<string, unknown>,
    @CorrelationId() correlationId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.parties.ingest(body, correlationId, user);
  }
}
