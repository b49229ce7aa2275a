import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { CategoriesModule } from '../categories/categories.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AppealActions } from './appeal.actions';
import { AppealReader } from './appeal-reader';
import { AppealWriter } from './appeal-writer';
import { AppealsController } from './appeals.controller';
import { AppealsService } from './appeals.service';
import { BatchFiling } from './batch-filing';
import { DeadlineAlarms } from './deadlines/deadline-alarms';
import { DeadlineLog } from './deadlines/deadline-log';
import { TimerSources } from './deadlines/timer-sources';
import { Appeal } from './entities/appeal.entity';
import { EventLog } from './event-log';

/**
 * The appeal itself: filing (one and many), the one writer every room changes an appeal through, the
 * hash-chained event log, reading and views, the actions on the appeal as a whole, and the wake-ups of
 * deadlines. The rooms of the loop (assignments, supervision, assessment, deadlines, routing, meetings)
 * import this module; it imports none of them. The one rule it borrows — that an appeal leaving the
 * loop ends its departments' assignments — comes in as AssignmentRelease, which the assignments module
 * provides globally.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Appeal]),
    DepartmentsModule,
    CategoriesModule,
    SlaModule,
    WebhooksModule,
    CalendarModule,
  ],
  controllers: [AppealsController],
  providers: [
    AppealsService,
    AppealActions,
    BatchFiling,
    AppealReader,
    AppealWriter,
    DeadlineAlarms,
    DeadlineLog,
    EventLog,
    TimerSources,
  ],
  exports: [
    AppealsService,
    AppealActions,
    BatchFiling,
    AppealWriter,
    AppealReader,
    EventLog,
    DeadlineAlarms,
    DeadlineLog,
    TimerSources,
  ],
})
export class AppealsModule {}
