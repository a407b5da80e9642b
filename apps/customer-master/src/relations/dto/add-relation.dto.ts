import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

import { IsDateOnly } from '../../common/date-only.validator';
import { CODE_PATTERN } from '../../customers/dto/customer-fields.dto';

export class AddRelationDto {
  @ApiProperty({
    description:
      'Relation type code from GET /relation-types, as seen from the path customer: "the customer is <type> of the counterpart".',
    example: 'parent',
  })
  @Matches(CODE_PATTERN, { message: 'type must be a relation type code' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  counterpartCustomerId!: string;

  @ApiPropertyOptional({
    description: 'First day it holds (default today).',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsDateOnly()
  validFrom?: string;

  @ApiPropertyOptional({ description: 'First day it no longer holds (exclusive).' })
  @IsOptional()
  @IsDateOnly()
  validTo?: string;
}
