import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

import { PageQueryDto } from '../../common/pagination';

export const MAX_BATCH = 1000;

export class ResolveBatchDto {
  @ApiProperty({
    description: `1 to ${MAX_BATCH} SourcePartyRecord v1 objects (the same contract as the Kafka topic account-bridge.source-party.recorded.v1). Each is validated and resolved on its own: one bad record does not stop the others.`,
    type: 'array',
    items: { type: 'object' },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  records!: unknown[];
}

export class SourceRecordRefDto {
  @ApiProperty({ example: 'cards' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'sourceSystem must be a system code' })
  sourceSystem!: string;

  @ApiProperty({ example: 'CARD-88812' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  sourceKey!: string;
}

export class SplitSourceRecordsDto {
  @ApiProperty({ type: [SourceRecordRefDto], description: 'Records to take out of the customer.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SourceRecordRefDto)
  sourceRecords!: SourceRecordRefDto[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Move them to this existing customer; without it they form a new customer.',
  })
  @IsOptional()
  @IsUUID()
  targetCustomerId?: string;

  @ApiProperty({ description: 'Why (kept in the history).', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export const REVIEW_STATUSES = ['open', 'linked', 'rejected', 'superseded'] as const;

export class ListReviewItemsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(REVIEW_STATUSES)
  status?: (typeof REVIEW_STATUSES)[number];
}

export class DecideReviewItemDto {
  @ApiPropertyOptional({ maxLength: 500, description: "The steward's note (kept in the history)." })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
