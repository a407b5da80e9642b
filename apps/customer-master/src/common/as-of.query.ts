import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { todayUtc } from './dates';
import { IsDateOnly } from './date-only.validator';
import { FieldErrorException } from './field-error.exception';

export class AsOfQuery {
  @ApiPropertyOptional({
    description: 'Only what held on this day (YYYY-MM-DD). Default: today.',
    example: '2026-06-30',
  })
  @IsOptional()
  @IsDateOnly()
  asOf?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: every period, past, current and future (not with asOf).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  history?: 'true' | 'false';
}

/** The day to filter on, or null for the whole history. */
export function asOfDate(q: AsOfQuery): string | null {
  if (q.history === 'true') {
    if (q.asOf) {
      throw new FieldErrorException([
        {
          field: 'history',
          message: 'history=true lists every period; do not combine it with asOf',
        },
      ]);
    }
    return null;
  }
  return q.asOf ?? todayUtc();
}
