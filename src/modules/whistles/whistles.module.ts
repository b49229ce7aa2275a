import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { AppealWhistleController } from './appeal-whistle.controller';
import { WhistleActions } from './whistle.actions';
import { WhistleTimers } from './whistle-timers';
import { WhistlesController } from './whistles.controller';
import { WhistlesService } from './whistles.service';

/**
 * 企业吹哨、部门报到 (SPEC §12): the whistles, their summoned departments' check-ins, the minutes'
 * commitments, and their timers; it changes an appeal only through the writer, re-dispatches through
 * the assignments room and opens supervisions through the supervision room.
 */
@Module({
  imports: [AppealsModule, AssignmentsModule, DepartmentsModule, SlaModule, SupervisionModule],
  controllers: [AppealWhistleController, WhistlesController],
  providers: [WhistleActions, WhistlesService, WhistleTimers],
  exports: [WhistlesService, WhistleTimers],
})
export class WhistlesModule {}
