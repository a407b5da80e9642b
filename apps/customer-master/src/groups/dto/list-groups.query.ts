import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto } from '../../common/pagination';
import { CODE_PATTERN } from '../../customers/dto/customer-fields.dto';
import { GROUP_KINDS } from './create-group.dto';

export class ListGroupsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: GROUP_KINDS })
  @IsOptional()
  @IsIn(GROUP_KINDS)
  kind?: (typeof GROUP_KINDS)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'groupType must be a lower-case code' })
  groupType?: string;

  @ApiPropertyOptional({ description: 'Partial name.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}
