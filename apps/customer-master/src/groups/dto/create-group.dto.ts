import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { CODE_PATTERN } from '../../customers/dto/customer-fields.dto';

export const GROUP_KINDS = ['entity', 'managed-list'] as const;

export class CreateGroupDto {
  @ApiProperty({
    enum: GROUP_KINDS,
    description:
      'entity: customers that really belong together (household, corporate group); managed-list: a list kept by staff.',
  })
  @IsIn(GROUP_KINDS)
  kind!: (typeof GROUP_KINDS)[number];

  @ApiProperty({
    example: 'household',
    description: 'household, corporate-group, campaign-list ...',
  })
  @Matches(CODE_PATTERN, { message: 'groupType must be a lower-case code' })
  groupType!: string;

  @ApiProperty({ example: '张家' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
