import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { NotBlank } from '../../common/not-blank';
import { PageQuery } from '../../common/pagination';
import { ActionDto } from '../appeals/appeals.dto';
import { WHISTLE_STATUSES, type WhistleStatus } from './whistle-states';
import { AttachmentIds } from '../appeals/attachment-refs';

/** Departments a whistle may summon at once: a joint meeting, not a plenary. */
export const MAX_WHISTLE_DEPARTMENTS = 20;
/** Commitments one set of minutes may record. */
export const MAX_WHISTLE_COMMITMENTS = 50;

/** SPEC §12: the enterprise (or a dispatcher for it) blows the whistle on an open appeal. */
export class RequestWhistleDto extends ActionDto {
  @ApiProperty({ example: '住建、消防、供电三个部门互相推诿，厂房验收三个月没有进展' })
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  reason: string;

  @ApiPropertyOptional({ type: [String], description: 'the departments the enterprise wants at the table' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_WHISTLE_DEPARTMENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  departmentIds?: string[];
}

/** SPEC §12: approval names the convener (lead), the summoned departments, and the meeting. */
export class ApproveWhistleDto extends ActionDto {
  @ApiProperty({ format: 'uuid', description: 'the convener (牵头部门): the lead of the re-dispatch' })
  @IsUUID()
  leadDepartmentId: string;

  @ApiProperty({
    type: [String],
    description: 'the summoned departments: the co departments of the re-dispatch',
  })
  @IsArray()
  @ArrayMaxSize(MAX_WHISTLE_DEPARTMENTS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  departmentIds: string[];

  @ApiProperty({ example: '2026-06-03T14:30:00+08:00', description: 'within whistleMeetingWithin of now' })
  @IsISO8601({ strict: true })
  meetingAt: string;

  @ApiProperty({ example: '企业会议室（开发区纬一路 8 号）' })
  @IsString()
  @Length(1, 500)
  @NotBlank()
  location: string;
}

export class WhistleReasonDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason: string;
}

/** 报到: who attends for the department. */
export class CheckInDto extends ActionDto {
  @ApiProperty({ example: '王科长' })
  @IsString()
  @Length(1, 128)
  @NotBlank()
  attendeeName: string;
}

export class CommitmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  departmentId: string;

  @ApiProperty({ example: '十个工作日内完成消防验收复核' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  content: string;

  @ApiProperty({ example: '2026-07-01T17:30:00+08:00', description: 'no later than the meeting + 3 months' })
  @IsISO8601({ strict: true })
  dueAt: string;
}

/** The minutes (纪要) of the joint meeting, by the convener. */
export class MinutesDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 8000)
  @NotBlank()
  summary: string;

  @ApiProperty()
  @IsBoolean()
  resolvedOnSite: boolean;

  @ApiProperty({ type: [CommitmentDto] })
  @IsArray()
  @ArrayMaxSize(MAX_WHISTLE_COMMITMENTS)
  @ValidateNested({ each: true })
  @Type(() => CommitmentDto)
  commitments: CommitmentDto[];

  /** SPEC §11: the signed minutes, photos of the meeting — files of the appeal */
  @AttachmentIds()
  attachmentIds?: string[];
}

export class CompleteCommitmentDto extends ActionDto {
  @ApiProperty({ example: '已完成复核，验收意见书已送达企业' })
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  content: string;
}

export class CloseWhistleDto extends ActionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note?: string;
}

export class WhistleQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WHISTLE_STATUSES })
  @IsOptional()
  @IsIn(WHISTLE_STATUSES)
  status?: WhistleStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'whistles summoning this department' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}
