import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { APPEAL_TYPES, CHANNELS, URGENCIES } from '../appeals/entities/appeal.entity';
import { NotBlank } from '../../common/not-blank';

export class CreateSlaPolicyDto {
  @ApiProperty({ example: '水电气: 2小时响应, 24小时答复' })
  @IsString()
  @Length(1, 128)
  @NotBlank()
  name: string;

  @ApiPropertyOptional({ example: 'UTIL' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  categoryCode?: string;

  @ApiPropertyOptional({ enum: CHANNELS, description: "the appeal's channel, e.g. meeting (恳谈会)" })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: (typeof CHANNELS)[number];

  @ApiPropertyOptional({ enum: APPEAL_TYPES })
  @IsOptional()
  @IsIn(APPEAL_TYPES)
  type?: (typeof APPEAL_TYPES)[number];

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: (typeof URGENCIES)[number];

  @ApiProperty({ enum: ['working', 'natural'] })
  @IsIn(['working', 'natural'])
  clock: 'working' | 'natural';

  @ApiProperty({ example: 'PT4H' })
  @IsString()
  @Length(2, 32)
  ackWithin: string;

  @ApiProperty({ example: 'P5D' })
  @IsString()
  @Length(2, 32)
  replyWithin: string;

  @ApiPropertyOptional({ default: 0.8, minimum: 0.01, maximum: 0.99 })
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(0.99)
  warnAt?: number;

  @ApiPropertyOptional({ example: 'P3D' })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  surveyWithin?: string;

  @ApiPropertyOptional({ example: 'P2D', description: 'SPEC §7.1: return requests within this of dispatch' })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  returnWithin?: string;

  @ApiPropertyOptional({
    example: 'P3D',
    description: 'SPEC §7.2: assessment appeals within this of the survey',
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  assessmentAppealWithin?: string;

  @ApiPropertyOptional({ example: 'P3D', description: 'SPEC §7.3: a supervision is answered within this' })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  supervisionAnswerWithin?: string;

  @ApiPropertyOptional({
    example: 'PT1H',
    description:
      'SPEC §9.1: the lead contacts the enterprise within this of its dispatch (absent: no deadline)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  contactWithin?: string;

  @ApiPropertyOptional({
    example: 'P3D',
    description: 'SPEC §9.2: a staged reply (or the reply) within this of the dispatch (absent: none)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  stagedReplyWithin?: string;

  @ApiPropertyOptional({
    example: 'P3M',
    description: 'SPEC §9.3: a plan promises at most this after the reply (natural clock; months allowed)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  planMaxWithin?: string;

  @ApiPropertyOptional({
    example: 'P1M',
    description: 'SPEC §9.3: a plan reports again within this (natural clock; months allowed)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  planFeedbackEvery?: string;

  @ApiPropertyOptional({ example: 'PT4H', description: 'SPEC §12: a whistle is reviewed within this' })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  whistleReviewWithin?: string;

  @ApiPropertyOptional({
    example: 'P3D',
    description: "SPEC §12: a whistle's joint meeting is held within this of the approval",
  })
  @IsOptional()
  @IsString()
  @Length(2, 32)
  whistleMeetingWithin?: string;
}
