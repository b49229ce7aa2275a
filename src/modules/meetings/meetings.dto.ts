import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQuery } from '../../common/pagination';
import { CreateAppealDto } from '../appeals/appeals.dto';
import { DistrictField } from '../districts/districts.dto';
import { NotBlank } from '../../common/not-blank';

/** Most enterprises one meeting records; real ones seat 8–10. */
export const MAX_MEETING_ENTERPRISES = 500;
/** Most issues filed in one call (SPEC §8.1). */
export const MAX_ISSUES = 200;

export class CreateMeetingDto {
  @ApiProperty({ example: '亲清直通车·政企恳谈会（第12期）' })
  @IsString()
  @Length(2, 200)
  @NotBlank()
  title: string;

  @ApiProperty({ example: '2026-06-10T14:30:00+08:00' })
  @IsISO8601({ strict: true })
  heldAt: string;

  /** a GB/T 2260 code or the district's exact name; stored as the code (SPEC §5.1) */
  @DistrictField()
  district?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the department that hosted it' })
  @IsOptional()
  @IsUUID()
  hostDepartmentId?: string;

  @ApiPropertyOptional({ example: '王副市长', description: 'the leader who chaired it' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  leaderName?: string;

  @ApiProperty({ type: [String], format: 'uuid', description: 'the enterprises that attended' })
  @IsArray()
  @ArrayMaxSize(MAX_MEETING_ENTERPRISES)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  enterpriseIds: string[];

  @ApiPropertyOptional({ description: 'people who came (entrepreneurs); default: the number of enterprises' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  attendeeCount?: number;
}

export class ListMeetingsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'held at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'held before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  /** a GB/T 2260 code or the district's exact name */
  @DistrictField()
  district?: string;
}

export class ResolvedOnSiteDto {
  @ApiProperty({ description: 'the answer given at the meeting (现场解决)' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;
}

/**
 * One issue raised at a meeting: an appeal of channel `meeting` once filed. Validated item by item. Its
 * appeal fields are those of a filing (same rules), plus the attending enterprise and an on-site answer.
 */
export class MeetingIssueDto extends PickType(CreateAppealDto, [
  'type',
  'categoryCode',
  'title',
  'content',
  'urgency',
] as const) {
  @ApiProperty({ format: 'uuid', description: 'an enterprise that attended the meeting' })
  @IsUUID()
  enterpriseId: string;

  @ApiPropertyOptional({ type: ResolvedOnSiteDto, description: 'solved at the meeting: answered at once' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResolvedOnSiteDto)
  resolvedOnSite?: ResolvedOnSiteDto;
}

export class FileIssuesDto {
  @ApiProperty({ type: [MeetingIssueDto], minItems: 1, maxItems: MAX_ISSUES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ISSUES)
  // each item is validated by the service, so that every problem names its item's index
  @IsObject({ each: true })
  items: Record<string, unknown>[];
}
