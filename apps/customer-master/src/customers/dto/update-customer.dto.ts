import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { IsDateOnly } from '../../common/date-only.validator';
import {
  AddressDto,
  CODE_PATTERN,
  EmailDto,
  GENDERS,
  IdentifierDto,
  PhoneDto,
  VALUE_TIERS,
} from './customer-fields.dto';

const given = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;
const givenNotNull = (field: string) => (o: Record<string, unknown>) =>
  o[field] !== undefined && o[field] !== null;

/**
 * A partial change. Omitted fields stay as they are; `null` clears an optional field; lists
 * (identifiers, phones, emails, addresses) are replaced as a whole. The party type never changes.
 */
export class UpdateCustomerDto {
  @ApiPropertyOptional({
    description: 'The version the change is based on; 409 when the customer has moved on.',
  })
  @ValidateIf(given('version'))
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ example: 'private-banking' })
  @ValidateIf(given('category'))
  @IsString()
  @Matches(CODE_PATTERN, { message: 'category must be a lower-case code' })
  category?: string;

  @ApiPropertyOptional()
  @ValidateIf(given('displayName'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  displayName?: string;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf(givenNotNull('nameLatin'))
  @IsString()
  @MaxLength(512)
  nameLatin?: string | null;

  @ApiPropertyOptional({ type: [IdentifierDto] })
  @ValidateIf(given('identifiers'))
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IdentifierDto)
  identifiers?: IdentifierDto[];

  @ApiPropertyOptional({ nullable: true, example: '1949-12-31' })
  @ValidateIf(givenNotNull('birthDate'))
  @IsDateOnly()
  birthDate?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @ValidateIf(givenNotNull('gender'))
  @IsIn(GENDERS)
  gender?: (typeof GENDERS)[number] | null;

  @ApiPropertyOptional({ type: [PhoneDto] })
  @ValidateIf(given('phones'))
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PhoneDto)
  phones?: PhoneDto[];

  @ApiPropertyOptional({ type: [EmailDto] })
  @ValidateIf(given('emails'))
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => EmailDto)
  emails?: EmailDto[];

  @ApiPropertyOptional({ type: [AddressDto] })
  @ValidateIf(given('addresses'))
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AddressDto)
  addresses?: AddressDto[];

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf(givenNotNull('segment'))
  @Matches(CODE_PATTERN, { message: 'segment must be a lower-case code' })
  segment?: string | null;

  @ApiPropertyOptional({ enum: VALUE_TIERS, nullable: true })
  @ValidateIf(givenNotNull('valueTier'))
  @IsIn(VALUE_TIERS)
  valueTier?: (typeof VALUE_TIERS)[number] | null;
}
