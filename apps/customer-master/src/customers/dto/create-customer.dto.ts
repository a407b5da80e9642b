import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsDateOnly } from '../../common/date-only.validator';
import {
  AddressDto,
  CODE_PATTERN,
  CUSTOMER_CATEGORIES,
  EmailDto,
  GENDERS,
  IdentifierDto,
  PhoneDto,
  VALUE_TIERS,
} from './customer-fields.dto';

export { CUSTOMER_CATEGORIES, ID_TYPES, IdentifierDto } from './customer-fields.dto';

export class CreateCustomerDto {
  @ApiProperty({ enum: ['individual', 'organization'] })
  @IsIn(['individual', 'organization'])
  partyType!: 'individual' | 'organization';

  @ApiProperty({
    description: `A code of the configurable category list (GET /customer-categories), e.g. ${CUSTOMER_CATEGORIES.join(', ')}.`,
    example: 'personal',
  })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'category must be a lower-case code' })
  category!: string;

  @ApiProperty({ example: '张伟' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  displayName!: string;

  @ApiPropertyOptional({ example: 'Zhang Wei' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  nameLatin?: string;

  @ApiPropertyOptional({ type: [IdentifierDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IdentifierDto)
  identifiers?: IdentifierDto[];

  @ApiPropertyOptional({
    description: 'Birth date (individuals) or registration date (organisations), YYYY-MM-DD.',
    example: '1949-12-31',
  })
  @IsOptional()
  @IsDateOnly()
  birthDate?: string;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: (typeof GENDERS)[number];

  @ApiPropertyOptional({ type: [PhoneDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhoneDto)
  phones?: PhoneDto[];

  @ApiPropertyOptional({ type: [EmailDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EmailDto)
  emails?: EmailDto[];

  @ApiPropertyOptional({ type: [AddressDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  addresses?: AddressDto[];

  @ApiPropertyOptional({ example: 'young-professionals' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'segment must be a lower-case code' })
  segment?: string;

  @ApiPropertyOptional({ enum: VALUE_TIERS })
  @IsOptional()
  @IsIn(VALUE_TIERS)
  valueTier?: (typeof VALUE_TIERS)[number];
}
