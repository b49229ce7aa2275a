import { Global, Module } from '@nestjs/common';
import { AssignmentRelease } from '../appeals/assignment-release';
import { AppealsModule } from '../appeals/appeals.module';
import { CalendarModule } from '../calendar/calendar.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { AssignmentActions } from './assignment.actions';
import { Assignments } from './assignments';
import { AssignmentsController } from './assignments.controller';
import { Extensions } from './extensions';
import { QueueController } from './queue.controller';
import { QueueService } from './queue.service';
import { Returns } from './returns';

/**
 * Who holds the case (SPEC §2, §3, §7.1): dispatch to a lead and co departments, each department's
 * steps on its assignment, returns and extensions, the department's queue. Global only so that the
 * appeal room can end assignments (AssignmentRelease) without importing this one.
 */
@Global()
@Module({
  imports: [AppealsModule, DepartmentsModule, SlaModule, CalendarModule],
  controllers: [AssignmentsController, QueueController],
  providers: [
    Assignments,
    AssignmentActions,
    Returns,
    Extensions,
    QueueService,
    { provide: AssignmentRelease, useExisting: Assignments },
  ],
  exports: [Assignments, AssignmentActions, AssignmentRelease],
})
export class AssignmentsModule {}
