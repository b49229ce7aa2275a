import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ActionDto } from '../appeals/appeals.dto';
import { ASSESSMENT_APPEAL_REASONS, type AssessmentAppealReason } from './entities/assessment-appeal.entity';

export class SurveyDto extends ActionDto {
  @ApiProperty({ enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] })
  @IsIn(['satisfied', 'basically_satisfied', 'unsatisfied'])
  satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied';

  @ApiProperty()
  @IsBoolean()
  resolved: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  comment?: string;
}

/** SPEC §7.2 考核申诉. */
export class AssessmentAppealDto extends ActionDto {
  @ApiProperty({ format: 'uuid', description: 'the survey contested' })
  @IsUUID()
  surveyId: string;

  @ApiProperty({ enum: ASSESSMENT_APPEAL_REASONS })
  @IsIn(ASSESSMENT_APPEAL_REASONS)
  reason: AssessmentAppealReason;

  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  explanation: string;

  @ApiProperty({ description: 'whether the department contacted the enterprise again first' })
  @IsBoolean()
  recontacted: boolean;
}
