import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { ApproveDto, DenyDto } from '../appeals/appeals.dto';
import { AssessmentAppealDto, SurveyDto } from './assessment.dto';
import { AssessmentAppeals } from './assessment-appeals';
import { Surveys } from './surveys';

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('appeals')
export class AssessmentController {
  constructor(
    private readonly surveys: Surveys,
    private readonly assessmentAppeals: AssessmentAppeals,
  ) {}

  @Post(':id/survey')
  @HttpCode(200)
  @may('survey_close', 'survey_reopen', 'survey_close_reopen_limit')
  survey(@Id() id: string, @Body() dto: SurveyDto, @CurrentActor() actor: Actor) {
    return this.surveys.survey(id, dto, actor);
  }
  /** SPEC §7.2: the lead department of a rated round contests the rating (考核申诉). */
  @Post(':id/assessment-appeals')
  @may('file_assessment_appeal')
  fileAssessmentAppeal(@Id() id: string, @Body() dto: AssessmentAppealDto, @CurrentActor() actor: Actor) {
    return this.assessmentAppeals.file(id, dto, actor);
  }
  @Post(':id/assessment-appeals/:aid/approve')
  @HttpCode(200)
  @may('approve_assessment_appeal')
  approveAssessmentAppeal(
    @Id() id: string,
    @Param('aid', new ParseIdPipe()) aid: string,
    @Body() dto: ApproveDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.assessmentAppeals.decide(id, aid, 'approve', dto, actor);
  }
  @Post(':id/assessment-appeals/:aid/deny')
  @HttpCode(200)
  @may('deny_assessment_appeal')
  denyAssessmentAppeal(
    @Id() id: string,
    @Param('aid', new ParseIdPipe()) aid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.assessmentAppeals.decide(id, aid, 'deny', dto, actor);
  }
}
