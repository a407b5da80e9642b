import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

export class MergeCustomersDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Customers to absorb into the path customer (the survivor).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  absorbedIds!: string[];

  @ApiProperty({ example: 'same resident id, confirmed by the branch' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  cause!: string;
}

export class UnmergeCustomerDto {
  @ApiProperty({ example: 'twins: same birth date and address, different people' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  cause!: string;
}
