import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

import { IsDateOnly } from '../../common/date-only.validator';
import { CODE_PATTERN } from '../../customers/dto/customer-fields.dto';

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  customerId!: string;

  @ApiProperty({
    example: 'head',
    description: 'head, spouse, member, parent-company, subsidiary ...',
  })
  @Matches(CODE_PATTERN, { message: 'role must be a lower-case code' })
  role!: string;

  @ApiPropertyOptional({ description: 'First day of membership (default today).' })
  @IsOptional()
  @IsDateOnly()
  validFrom?: string;

  @ApiPropertyOptional({ description: 'First day no longer a member (exclusive).' })
  @IsOptional()
  @IsDateOnly()
  validTo?: string;
}
