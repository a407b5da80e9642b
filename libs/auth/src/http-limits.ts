import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiPropertyOptional, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const EXPENSIVE_KEY = 'bank-crm:expensive';

/**
 * Marks a route as expensive (searches, lists, exports): ServiceCoreModule's throttler limits it
 * per caller (RATE_LIMIT_EXPENSIVE_PER_MINUTE, in memory per replica), 429 beyond.
 */
export const Expensive = () =>
  applyDecorators(
    SetMetadata(EXPENSIVE_KEY, true),
    ApiTooManyRequestsResponse({ description: 'Rate limit of this expensive route reached.' }),
  );

/** The most rows one page may hold, whatever the caller asks for. */
export const PAGE_SIZE_MAX = 200;
export const PAGE_SIZE_DEFAULT = 50;
/** Deepest offset a page may start at (beyond it, narrow the filter instead). */
export const PAGE_OFFSET_MAX = 10_000;

/** `?limit=&offset=` of list routes, validated: a limit above PAGE_SIZE_MAX is a 400, not a cap. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_MAX)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: PAGE_OFFSET_MAX, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(PAGE_OFFSET_MAX)
  offset?: number;
}

export function pageOf(query: PageQueryDto): { limit: number; offset: number } {
  return {
    limit: Math.min(query.limit ?? PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX),
    offset: query.offset ?? 0,
  };
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
