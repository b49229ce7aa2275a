import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';
import { NotBlank } from '../../common/not-blank';
import { PageQuery } from '../../common/pagination';
import { toBool } from '../appeals/appeals.dto';
import { ENTRY_STATUSES, EntryStatus, KNOWLEDGE_KINDS, KnowledgeKind, MAX_KEYWORDS } from './knowledge-rules';

/** A new entry (SPEC §10): drafted by a handler for its department, or by a dispatcher for the centre. */
export class CreateKnowledgeDto {
  @ApiProperty({ example: 'C0201', description: 'a leaf of the category tree' })
  @IsString()
  @Length(1, 32)
  categoryCode: string;

  @ApiProperty({ example: '小微企业首贷如何申请', maxLength: 128 })
  @IsString()
  @Length(1, 512)
  @NotBlank()
  title: string;

  @ApiPropertyOptional({ example: '第一次向银行申请贷款需要什么条件？' })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  question?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  answer: string;

  @ApiProperty({ enum: KNOWLEDGE_KINDS })
  @IsIn(KNOWLEDGE_KINDS)
  kind: KnowledgeKind;

  @ApiPropertyOptional({ type: [String], description: 'each at most 20 characters, none the title' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_KEYWORDS * 2)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ example: '财税〔2022〕14号', description: 'the policy document it rests on' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  policyRef?: string;

  @ApiPropertyOptional({ description: 'when it applies from; default: now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string;

  @ApiPropertyOptional({ description: 'when it stops applying (the entry expires)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'when it is due for review; default: publication + 6 months' })
  @IsOptional()
  @IsISO8601({ strict: true })
  reviewDueAt?: string;

  @ApiPropertyOptional({ description: 'enterprises may find it (default false)' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

/** An edit: a draft is edited in place; a published entry gets a new draft version. */
export class UpdateKnowledgeDto extends PartialType(CreateKnowledgeDto) {}

export class KnowledgeReasonDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason: string;
}

export class ListKnowledgeQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENTRY_STATUSES })
  @IsOptional()
  @IsIn(ENTRY_STATUSES)
  status?: EntryStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'the source department' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ description: 'published entries past their review due (待复核)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  stale?: boolean;
}

export class SearchKnowledgeQuery {
  @ApiPropertyOptional({
    example: '首贷',
    description: 'Chinese words of the title, question, answer, keywords',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'the category and its descendants' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  categoryCode?: string;

  @ApiPropertyOptional({ enum: KNOWLEDGE_KINDS })
  @IsOptional()
  @IsIn(KNOWLEDGE_KINDS)
  kind?: KnowledgeKind;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsIn(Array.from({ length: 50 }, (_, i) => i + 1))
  limit?: number;
}
