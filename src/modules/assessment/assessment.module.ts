import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { SlaModule } from '../sla/sla.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { AssessmentAppeals } from './assessment-appeals';
import { AssessmentController } from './assessment.controller';
import { Surveys } from './surveys';
import { SurveyWindow } from './survey-window';

/** The return visit and what keeps its figures fair (SPEC §2, §7.2): surveys, the survey window, assessment appeals. */
@Module({
  imports: [AppealsModule, AssignmentsModule, SupervisionModule, SlaModule],
  controllers: [AssessmentController],
  providers: [Surveys, SurveyWindow, AssessmentAppeals],
  exports: [Surveys, SurveyWindow],
})
export class AssessmentModule {}
