import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssessmentModule } from '../assessment/assessment.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { DeadlinesProcessor } from './deadlines.processor';
import { DeadlinesService } from './deadlines.service';

/**
 * Deadline enforcement (SPEC §3): the assignments' warnings and overdue firings, and the sweeper and
 * job handlers of every timer — the survey window's and the supervisions' escalation included.
 */
@Module({
  imports: [AppealsModule, SupervisionModule, AssessmentModule],
  providers: [DeadlinesService, DeadlinesProcessor],
  exports: [DeadlinesService],
})
export class DeadlinesModule {}
