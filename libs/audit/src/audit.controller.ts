import { Expensive, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, Roles } from '@bank-crm/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DataSource } from 'typeorm';

import { AUDIT_SELECT, rowContent, type AuditRow, type AuditRowContent } from './audit-chain';

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(512) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(256) actorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) action?: string;
  @ApiPropertyOptional({ description: 'occurred at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  from?: string;
  @ApiPropertyOptional({ description: 'occurred before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
  @ApiPropertyOptional({ description: 'keyset cursor: rows with a greater id' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterId?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  limit?: number;
}

export interface AuditPage {
  items: (AuditRowContent & { prevHash: string; hash: string })[];
  /** Pass as afterId for the next page; null on the last page. */
  nextAfterId: number | null;
}

/** The service's audit trail, for auditors (read-only: there is no route that changes it). */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('auditor', 'admin')
  @Expensive()
  @ApiOkResponse({ description: 'Audit rows, oldest first, filtered; page size at most 200.' })
  async list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    const where: string[] = ['audit_log.id > $1'];
    const params: unknown[] = [query.afterId ?? 0];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.entityType) add('entity_type = ?', query.entityType);
    if (query.entityId) add('entity_id = ?', query.entityId);
    if (query.actorId) add('actor_id = ?', query.actorId);
    if (query.action) add('action = ?', query.action);
    if (query.from) add('occurred_at >= ?', query.from);
    if (query.to) add('occurred_at < ?', query.to);
    const limit = Math.min(query.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX);
    params.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY audit_log.id LIMIT $${params.length}`,
      params,
    )) as AuditRow[];
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ ...rowContent(r), prevHash: r.prev_hash, hash: r.hash })),
      nextAfterId: rows.length > limit ? Number(page[page.length - 1].id) : null,
    };
  }
}
