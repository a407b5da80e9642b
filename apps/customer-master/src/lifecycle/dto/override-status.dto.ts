import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

import { CUSTOMER_STATUSES } from '../customer-lifecycle';

export class OverrideStatusDto {
  @ApiProperty({ enum: CUSTOMER_STATUSES })
  @IsIn(CUSTOMER_STATUSES)
  status!: (typeof CUSTOMER_STATUSES)[number];

  @ApiProperty({ description: 'Why the status is overridden (kept in the history, audited).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
