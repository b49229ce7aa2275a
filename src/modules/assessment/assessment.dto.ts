import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
} from 'class-validator';
import { ActionDto } from '../appeals/appeals.dto';
import { ASSESSMENT_APPEAL_REASONS, type AssessmentAppealReason } from './entities/assessment-appeal.entity';
import { NotBlank } from '../../common/not-blank';

/** A rating that needs no reason: not unsatisfied, and not marked unresolved. */
const isContentRating = (s: SurveyDto) => s.satisfaction !== 'unsatisfied' && s.resolved !== false;

export class SurveyDto extends ActionDto {
  @ApiProperty({ enum: ['satisfied', 'basically_satisfied', 'unsatisfied'] })
  @IsIn(['satisfied', 'basically_satisfied', 'unsatisfied'])
  satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied';

  @ApiProperty()
  @IsBoolean()
  resolved: boolean;

  @ApiPropertyOptional({
    description: '不满意原因: required when satisfaction is unsatisfied or resolved is false (SPEC §5.1)',
  })
  @ValidateIf((s: SurveyDto) => s.comment != null || !isContentRating(s))
  @IsDefined({ message: 'comment (why the rating is unsatisfied or unresolved) is required' })
  @IsString()
  @Length(0, 2000)
  @NotBlank()
  comment?: string;

  @ApiPropertyOptional({
    description: 'SPEC §9.1: the return visit asks "did anyone contact you?" (工作人员跟您联系了吗)',
  })
  @IsOptional()
  @IsBoolean()
  contacted?: boolean;
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
  @NotBlank()
  explanation: string;

  @ApiProperty({ description: 'whether the department contacted the enterprise again first' })
  @IsBoolean()
  recontacted: boolean;
}
