import { ApiProperty } from '@nestjs/swagger';

import { IsDateOnly } from './date-only.validator';

export class EndPeriodDto {
  @ApiProperty({
    description: 'First day it no longer holds (exclusive): ending on D means valid until D-1.',
    example: '2026-12-01',
  })
  @IsDateOnly()
  validTo!: string;
}
