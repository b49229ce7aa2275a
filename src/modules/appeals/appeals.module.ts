import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { CategoriesModule } from '../categories/categories.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AppealReader } from './appeal-reader';
import { AppealsController, QueueController } from './appeals.controller';
import { AppealsService } from './appeals.service';
import { BatchFiling } from './batch-filing';
import { Appeal } from './entities/appeal.entity';
import { DeadlinesProcessor } from './deadlines/deadlines.processor';
import { DeadlinesService } from './deadlines/deadlines.service';
import { EventLog } from './event-log';
import { DeadlineAlarms } from './deadlines/deadline-alarms';
import { AppealWriter } from './write/appeal-writer';
import { Assignments } from './write/assignments';
import { CentreActions } from './write/centre.actions';
import { DepartmentActions } from './write/department.actions';
import { EnterpriseActions } from './write/enterprise.actions';
import { SupervisorActions } from './write/supervisor.actions';
import { SupervisionActions } from './write/supervision.actions';
import { SupervisionRecords } from './write/supervisions';
import { SupervisionsController } from './supervisions.controller';
import { SupervisionsService } from './supervisions.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Appeal]),
    DepartmentsModule,
    CategoriesModule,
    SlaModule,
    WebhooksModule,
    CalendarModule,
  ],
  controllers: [AppealsController, QueueController, SupervisionsController],
  providers: [
    AppealsService,
    BatchFiling,
    AppealReader,
    AppealWriter,
    Assignments,
    CentreActions,
    DepartmentActions,
    EnterpriseActions,
    SupervisorActions,
    SupervisionActions,
    SupervisionRecords,
    SupervisionsService,
    DeadlineAlarms,
    EventLog,
    DeadlinesService,
    DeadlinesProcessor,
  ],
  exports: [
    AppealsService,
    BatchFiling,
    SupervisorActions,
    EnterpriseActions,
    DepartmentActions,
    AppealWriter,
    CentreActions,
    EventLog,
    AppealReader,
    DeadlinesService,
  ],
})
export class AppealsModule {}
