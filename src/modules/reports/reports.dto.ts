import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CHANNELS, type Channel } from '../appeals/entities/appeal.entity';
import type { Interval } from './report-formulas';
import { PageCursor, PageLimit } from '../../common/pagination';

export const FORMATS = ['json', 'csv'] as const;

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class RangeQuery {
  @ApiPropertyOptional({ description: 'period start, an instant (ISO 8601); default `to` − 30 days' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'period end, exclusive (ISO 8601); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'csv is also chosen by Accept: text/csv' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];

  @ApiPropertyOptional({ description: 'only leader-led appeals (领导领衔, true) or only the others (false)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  leaderLed?: boolean;
}

/** The filters every report takes (SPEC §4): category (with its descendants), district, channel. */
export class FilterQuery extends RangeQuery {
  @ApiPropertyOptional({ description: 'a category and all its descendants' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  categoryCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

/** Summary, trend and categories also narrow to one department (the ranking compares them all). */
export class SummaryQuery extends FilterQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'lead department for appeal counts, own department for assignment counts',
  })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class TrendQuery extends SummaryQuery {
  @ApiPropertyOptional({ enum: ['day', 'week', 'month'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'week', 'month'])
  interval?: Interval;
}

export class ScoreWeightsDto {
  @ApiProperty({ minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  responseRate: number;

  @ApiProperty({ minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  resolutionRate: number;

  @ApiProperty({ minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  satisfactionRate: number;
}

const rate = () => (target: object, key: string) => {
  IsOptional()(target, key);
  IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
  Min(0)(target, key);
  Max(1)(target, key);
};

/** PUT /targets: a field given sets its target, `null` clears it, an absent field stays as it is. */
export class PutTargetsDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 }) @rate() closureRate?:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 }) @rate() responseRate?:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 }) @rate() onTimeReplyRate?:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 }) @rate() satisfactionRate?:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 }) @rate() resolutionRate?:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  oneTimeResolutionRate?: number | null;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: 'met when at or under it',
  })
  @rate()
  returnRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  satisfactionRateAll?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  supervisionAnsweredOnTimeRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  firstContactOnTimeRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  contactRate?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  @rate()
  stagedReplyOnTimeRate?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 100, description: '0–100' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100000,
    description: 'met when the mean is at or under it',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  avgReplyWorkingHours?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'met when at or under it',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  overdueOpen?: number | null;

  @ApiPropertyOptional({ type: ScoreWeightsDto, description: 'non-negative, summing to 1' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScoreWeightsDto)
  scoreWeights?: ScoreWeightsDto;

  @ApiPropertyOptional({ minimum: 1, default: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minSample?: number;
}

/** The meetings (SPEC §8.1) and whistles (SPEC §12) reports: a period and a district, by code or exact name. */
export class DistrictReportQuery extends RangeQuery {
  @ApiPropertyOptional({
    description:
      "a district, code or exact name: the meeting's (meetings report), the appeal's (whistles report)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;
}

/**
 * The meetings report (SPEC §8.1): every meeting of the period in one answer, or, with `limit` or
 * `cursor`, pages of meetings as SPEC §5 lists page (the totals stay the whole period's on every page).
 */
export class MeetingsReportQuery extends DistrictReportQuery {
  @PageLimit({
    description:
      'meetings per page; without `limit` and `cursor` every meeting is in one answer, with a `cursor` alone 20',
  })
  limit?: number;

  @PageCursor('opaque cursor from the previous page (`nextCursor`)')
  cursor?: string;
}
