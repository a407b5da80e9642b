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

export const ID_TYPES = [
  'CN_RESIDENT_ID',
  'CN_USCC',
  'CN_ORG_CODE',
  'PASSPORT',
  'NATIONAL_ID',
  'OTHER',
] as const;
export const CUSTOMER_CATEGORIES = [
  'personal',
  'private-banking',
  'small-business',
  'corporate',
  'institution',
] as const;

export class IdentifierDto {
  @ApiProperty({ enum: ID_TYPES })
  @IsIn(ID_TYPES)
  type!: (typeof ID_TYPES)[number];

  @ApiProperty({ example: '11010519491231002X' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N}\s\-()（）]+$/u, {
    message: 'number may hold only letters, digits, spaces, hyphens and brackets',
  })
  number!: string;
}

export class CreateCustomerDto {
  @ApiProperty({ enum: ['individual', 'organization'] })
  @IsIn(['individual', 'organization'])
  partyType!: 'individual' | 'organization';

  @ApiProperty({ enum: CUSTOMER_CATEGORIES })
  @IsIn(CUSTOMER_CATEGORIES)
  category!: (typeof CUSTOMER_CATEGORIES)[number];

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
}
