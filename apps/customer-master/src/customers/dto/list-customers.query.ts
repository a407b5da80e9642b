import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto } from '../../common/pagination';
import { CODE_PATTERN, ID_TYPES, VALUE_TIERS } from './customer-fields.dto';

export const CUSTOMER_STATUSES = ['potential', 'active', 'dormant', 'lost'] as const;

export class ListCustomersQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CUSTOMER_STATUSES })
  @IsOptional()
  @IsIn(CUSTOMER_STATUSES)
  status?: (typeof CUSTOMER_STATUSES)[number];

  @ApiPropertyOptional({ example: 'personal' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'category must be a lower-case code' })
  category?: string;

  @ApiPropertyOptional({ enum: VALUE_TIERS })
  @IsOptional()
  @IsIn(VALUE_TIERS)
  tier?: (typeof VALUE_TIERS)[number];

  @ApiPropertyOptional({ description: 'Assigned relationship manager (user id).' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  rm?: string;

  @ApiPropertyOptional({ description: 'Customers who are members of this group today.' })
  @IsOptional()
  @IsUUID()
  groupId?: string;

  @ApiPropertyOptional({
    description:
      'Name search, partial, in the display or Latin name; spaces and case are ignored and every word must occur ("wei zhang" finds Zhang Wei).',
    example: '张',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    description:
      'Identifier number, exact after normalisation (a 15-digit resident id finds the 18-character form).',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\p{L}\p{N}\s\-()（）]{1,64}$/u, {
    message: 'identifier may hold only letters, digits, spaces, hyphens and brackets (max 64)',
  })
  identifier?: string;

  @ApiPropertyOptional({ enum: ID_TYPES })
  @IsOptional()
  @IsIn(ID_TYPES)
  identifierType?: (typeof ID_TYPES)[number];

  @ApiPropertyOptional({ description: 'Phone number, any format (+86, separators).' })
  @IsOptional()
  @Matches(/^[+＋]?[\d０-９\s\-()（）]{5,30}$/u, {
    message: 'phone must be 5 to 30 digits, optionally with +, spaces, hyphens and brackets',
  })
  phone?: string;
}
