import { randomUUID } from 'node:crypto';

import { AuditService } from '@bank-crm/audit';
import { CurrentUser, dataScopeOf, Roles, withDataScope, type AuthUser } from '@bank-crm/auth';
import {
  SourcePartyRecordedV1,
  validatePayload,
  type SourcePartyRecordV1,
} from '@bank-crm/contracts';
import { CorrelationId } from '@bank-crm/service-runtime';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DataSource } from 'typeorm';

import { STEWARD_ROLES } from '../common/roles';
import { ResolveBatchDto, SplitSourceRecordsDto } from './dto/resolution.dto';
import { ResolutionService, type ResolutionResult } from './resolution.service';
import { StewardshipService } from './stewardship.service';

export type BatchItemResult =
  | (ResolutionResult & { index: number })
  | { index: number; status: 'invalid'; errors: { field: string; message: string }[] };

@ApiTags('identity-resolution')
@ApiBearerAuth()
@Controller()
export class ResolutionController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly resolution: ResolutionService,
    private readonly stewardship: StewardshipService,
    private readonly audit: AuditService,
  ) {}

  @Post('source-records/batch')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary:
      'Resolve up to 1,000 SourcePartyRecord v1 records now (the same engine as the Kafka path). Each record is validated and resolved in its own transaction; the answer lists, per input index, the customer and outcome, or the field errors of an invalid record.',
  })
  @ApiOkResponse({ description: 'One result per record, in input order.' })
  @ApiBadRequestResponse({ description: 'The body is not {records: [...]} with 1..1000 items.' })
  async batch(
    @Body() dto: ResolveBatchDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ): Promise<{ results: BatchItemResult[]; summary: Record<string, number> }> {
    const results: BatchItemResult[] = [];
    const summary: Record<string, number> = {};
    const count = (k: string) => (summary[k] = (summary[k] ?? 0) + 1);
    for (const [index, raw] of dto.records.entries()) {
      const valid = validatePayload<SourcePartyRecordV1>(SourcePartyRecordedV1, raw);
      if (!valid.ok) {
        results.push({ index, status: 'invalid', errors: valid.errors });
        count('invalid');
        continue;
      }
      const requestId = randomUUID();
      const result = await withDataScope(this.dataSource, dataScopeOf(user), async (manager) => {
        const resolved = await this.resolution.resolve(manager, valid.value, {
          eventId: requestId,
          correlationId,
          occurredAt: new Date().toISOString(),
          actorUserId: user.id,
        });
        await this.audit.record(manager, {
          actor: { id: user.id, roles: user.roles, tokenId: user.tokenId },
          action: 'source-record.resolved',
          entityType: 'source-record',
          entityId: `${valid.value.sourceSystem}:${valid.value.sourceKey}`,
          after: {
            status: resolved.status,
            outcome: resolved.outcome ?? null,
            customerId: resolved.customerId,
          },
          correlationId,
        });
        return resolved;
      });
      results.push({ index, ...result });
      count(result.outcome ?? result.status);
    }
    return { results, summary };
  }

  @Get('source-records/:sourceSystem/:sourceKey/resolution')
  @Roles(...STEWARD_ROLES, 'auditor')
  @ApiOperation({
    summary:
      'Why a source record belongs to its customer: the decision with its per-field explanation (comparison level and weight per field, the total and its band), the link history (who, why) and its review items.',
  })
  @ApiNotFoundResponse({ description: 'The record has not been received.' })
  explain(
    @Param('sourceSystem') sourceSystem: string,
    @Param('sourceKey') sourceKey: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Record<string, unknown>> {
    return this.stewardship.resolutionOf(sourceSystem, sourceKey, dataScopeOf(user));
  }

  @Get('customers/:id/source-records')
  @Roles(...STEWARD_ROLES, 'auditor')
  @ApiOperation({
    summary:
      "The source records a customer is made of (the cross-reference) and the golden record's lineage: which record supplied each value.",
  })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  sourceRecords(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Record<string, unknown>> {
    return this.stewardship.sourceRecordsOf(id, dataScopeOf(user));
  }

  @Post('customers/:id/source-records/split')
  @HttpCode(200)
  @Roles(...STEWARD_ROLES)
  @ApiOperation({
    summary:
      'Take source records out of a customer, into a new customer or another one (unmerge of wrongly linked records). They are never linked automatically to the records they leave again; source-record.linked tells downstream systems to re-key.',
  })
  @ApiBadRequestResponse({ description: 'Field-level validation errors.' })
  @ApiNotFoundResponse({ description: 'No such customer.' })
  split(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SplitSourceRecordsDto,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
  ) {
    return this.stewardship.split(id, dto, user, correlationId);
  }
}
