import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { PHONE } from '../enterprises/enterprises.dto';
import { APPEAL_STATUSES, type AppealStatus } from '../workflow/appeal-state-machine';
import { APPEAL_TYPES, AppealType, Channel, CHANNELS, Urgency, URGENCIES } from './entities/appeal.entity';
import { NotBlank } from '../../common/not-blank';
import { AttachmentIds } from './attachment-refs';

export const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
export const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

/** Every action body may carry expectedVersion (SPEC §5). */
export class ActionDto {
  @ApiPropertyOptional({ description: 'the version you last saw; 409 VERSION_CONFLICT when stale' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class CreateAppealDto {
  @ApiProperty({ enum: APPEAL_TYPES })
  @IsIn(APPEAL_TYPES)
  type: AppealType;

  @ApiProperty({ example: 'FIN.LOAN' })
  @IsString()
  @Length(1, 32)
  categoryCode: string;

  @ApiProperty({ example: '技改项目贷款审批超过三个月未有结果' })
  @IsString()
  @Length(2, 200)
  @NotBlank()
  title: string;

  @ApiProperty()
  @IsString()
  @Length(2, 20000)
  @NotBlank()
  content: string;

  @ApiPropertyOptional({ enum: URGENCIES, default: 'normal' })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ example: '吴兴区' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;

  @ApiPropertyOptional({
    enum: CHANNELS,
    description: 'web or app for enterprises; hotline, meeting or visit for the centre',
  })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  contactName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;

  @ApiPropertyOptional({ description: '举报人保密: departments do not see who filed it' })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: "dispatchers filing on an enterprise's behalf" })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;
}

export class ListAppealsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'one status or several, comma-separated', enum: APPEAL_STATUSES })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(APPEAL_STATUSES, { each: true })
  status?: AppealStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 32)
  categoryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  leadDepartmentId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the issues of one meeting (恳谈会)' })
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional({ description: 'only leader-led appeals (领导领衔), or only the others' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  leaderLed?: boolean;

  @ApiPropertyOptional({ description: 'only appeals with (or without) an overdue open assignment' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'the appeal number (whole, or its last 6 or more digits), words of the title or content; for the centre ' +
      'and supervisors also the enterprise’s name or USCC and the contact’s name or phone',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({
    description: 'adds `total` (exact up to 10000; beyond, 10000 with `totalCapped: true`)',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  withTotal?: boolean;

  @ApiPropertyOptional({ description: 'created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ReasonDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason: string;
}

/** An approval with an optional note (return requests, assessment appeals). */
export class ApproveDto extends ActionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note?: string;
}

export class ContentDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;
}

/** 即时办结 (SPEC §10): the answer and the knowledge entries it rests on (published and in force). */
export class ResolveDto extends ContentDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'the knowledge entries the answer rests on',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  knowledgeEntryIds?: string[];
}

/** 补充材料 (SPEC §2), with the files it refers to (SPEC §11). */
export class SupplementDto extends ContentDto {
  @AttachmentIds()
  attachmentIds?: string[];
}

export class NoteDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  note: string;
}

/** A progress note (办理进展); `public: true` shows it to the enterprise and notifies it (SPEC §5.1). */
export class ProgressDto extends NoteDto {
  @ApiPropertyOptional({ description: 'shown to the enterprise and notifies it' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

export class DenyDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason: string;
}

export class MergeDto extends ActionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  intoAppealId: string;
}

export class LeaderDto extends ActionDto {
  @ApiProperty({ example: '王副市长', description: 'the leader leading the case (领衔领导)' })
  @IsString()
  @Length(1, 64)
  @NotBlank()
  leaderName: string;

  @ApiProperty({ description: "the leader's instruction (批示)" })
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  instruction: string;
}
