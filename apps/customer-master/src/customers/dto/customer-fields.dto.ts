import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';

export const ID_TYPES = [
  'CN_RESIDENT_ID',
  'CN_USCC',
  'CN_ORG_CODE',
  'PASSPORT',
  'NATIONAL_ID',
  'OTHER',
] as const;
/** The categories seeded by the migrations; the list itself lives in customer_category. */
export const CUSTOMER_CATEGORIES = [
  'personal',
  'private-banking',
  'small-business',
  'corporate',
  'institution',
] as const;
export const VALUE_TIERS = ['standard', 'silver', 'gold', 'platinum', 'diamond'] as const;
export const GENDERS = ['M', 'F', 'U'] as const;
export const PHONE_TYPES = ['mobile', 'home', 'work', 'fax', 'other'] as const;
export const EMAIL_TYPES = ['personal', 'work', 'other'] as const;
export const ADDRESS_TYPES = ['home', 'work', 'registered', 'mailing', 'other'] as const;
export const CODE_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

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

export class PhoneDto {
  @ApiProperty({ enum: PHONE_TYPES })
  @IsIn(PHONE_TYPES)
  type!: (typeof PHONE_TYPES)[number];

  @ApiProperty({ example: '+86 138 0013 8000' })
  @IsString()
  @MaxLength(32)
  @Matches(/^[+＋]?[\d０-９\s\-()（）]{5,30}$/u, {
    message: 'number must be 5 to 30 digits, optionally with +, spaces, hyphens and brackets',
  })
  number!: string;
}

export class EmailDto {
  @ApiProperty({ enum: EMAIL_TYPES })
  @IsIn(EMAIL_TYPES)
  type!: (typeof EMAIL_TYPES)[number];

  @ApiProperty({ example: 'zhang.wei@example.com' })
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'address must be an e-mail address' })
  address!: string;
}

export class AddressDto {
  @ApiProperty({ enum: ADDRESS_TYPES })
  @IsIn(ADDRESS_TYPES)
  type!: (typeof ADDRESS_TYPES)[number];

  @ApiProperty({ example: '北京市朝阳区建国路88号3栋2单元1201室' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  line!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  province?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{3,12}$/, { message: 'postalCode must be 3 to 12 letters or digits' })
  postalCode?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2', example: 'CN' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code, e.g. CN' })
  country?: string;
}
