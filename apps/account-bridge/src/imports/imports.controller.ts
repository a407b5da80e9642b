import { CurrentUser, Roles, type AuthUser } from '@bank-crm/auth';
import { CorrelationId } from '@bank-crm/service-runtime';
import {
  BadRequestException,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';

import { ImportConflictError, ImportPipeline, type ImportJobReport } from './import-pipeline';
import { IMPORT_KINDS, type ImportKind } from './row-mapping';

export class StartImportQuery {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  system!: string;

  @IsIn(IMPORT_KINDS)
  kind!: ImportKind;

  @IsIn(['csv', 'jsonl'])
  format!: 'csv' | 'jsonl';

  /** Resume a job (after a failure) or add another file to it. */
  @IsOptional()
  @IsUUID()
  jobId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  name?: string;
}

/** CSV field quoting (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

@ApiTags('imports')
@Roles('admin', 'data-steward')
@Controller('imports')
export class ImportsController {
  constructor(private readonly pipeline: ImportPipeline) {}

  /**
   * Streams one file (the raw request body, text/csv or application/x-ndjson) through the import
   * pipeline and answers with the job report when it is done. `jobId` resumes a failed or
   * interrupted file after its last committed batch, or adds another kind of file to a job.
   */
  @Post()
  @HttpCode(201)
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiCreatedResponse({ description: 'The import job report (counts per file).' })
  @ApiBadRequestResponse({ description: 'Bad parameters, a JSON body, or an unreadable header.' })
  async start(
    @Query() query: StartImportQuery,
    @Req() req: Request,
    @CorrelationId() correlationId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<ImportJobReport> {
    const type = String(req.headers['content-type'] ?? '');
    if (/json(?!l)|urlencoded|multipart/i.test(type) && !/ndjson|jsonl/i.test(type)) {
      throw new BadRequestException(
        'send the file itself as the request body (content-type text/csv or application/x-ndjson)',
      );
    }
    try {
      const jobId = await this.pipeline.createJob(query.system, user, query.jobId);
      await this.pipeline.runFile(
        jobId,
        query.kind,
        query.format,
        query.name ?? `${query.kind}.${query.format}`,
        req,
        { correlationId },
      );
      return await this.pipeline.finishJob(jobId, user);
    } catch (error) {
      if (error instanceof ImportConflictError) throw new ConflictException(error.message);
      if (error instanceof Error && /unknown CSV column/.test(error.message)) {
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }

  @Get(':id')
  @ApiOkResponse({ description: 'The job report: status and counts per file.' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ImportJobReport> {
    const report = await this.pipeline.report(id);
    if (!report) throw new NotFoundException(`import job ${id} not found`);
    return report;
  }

  /** The rejected rows as a CSV download: kind, row (line number), reason, raw line. */
  @Get(':id/rejections')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV: kind,row,reason,raw' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  async rejections(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
    @CorrelationId() correlationId: string,
    @Res() res: Response,
  ): Promise<void> {
    if (!(await this.pipeline.report(id)))
      throw new NotFoundException(`import job ${id} not found`);
    // the raw rows hold personal data as the source sent it: reading them is audited
    await this.pipeline.auditRead(id, user, correlationId);
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="import-${id}-rejections.csv"`);
    res.write('kind,row,reason,raw\n');
    let after: { kind: string; row: number } | null = null;
    for (;;) {
      const page = await this.pipeline.rejections(id, after, 1_000);
      if (page.length === 0) break;
      const chunk = page
        .map((r) => [r.kind, r.row, r.reason, r.raw].map(csvField).join(','))
        .join('\n');
      if (!res.write(`${chunk}\n`)) await new Promise((resolve) => res.once('drain', resolve));
      const last = page[page.length - 1];
      after = { kind: last.kind, row: last.row };
    }
    res.end();
  }
}
