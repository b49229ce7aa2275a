import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { CategoriesModule } from '../categories/categories.module';
import { DepartmentsModule } from '../departments/departments.module';
import { SlaModule } from '../sla/sla.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AppealActionsService } from './appeal-actions.service';
import { AppealReader } from './appeal-reader';
import { AppealsController, QueueController } from './appeals.controller';
import { AppealsService } from './appeals.service';
import { Appeal } from './entities/appeal.entity';
import { DeadlinesProcessor } from './deadlines/deadlines.processor';
import { DeadlinesService } from './deadlines/deadlines.service';
import { EventLog } from './event-log';

@Module({
  imports: [
    TypeOrmModule.forFeature([Appeal]),
    DepartmentsModule,
    CategoriesModule,
    SlaModule,
    WebhooksModule,
    CalendarModule,
  ],
  controllers: [AppealsController, QueueController],
  providers: [
    AppealsService,
    AppealActionsService,
    AppealReader,
    EventLog,
    DeadlinesService,
    DeadlinesProcessor,
  ],
  exports: [AppealsService, AppealActionsService, EventLog, AppealReader, DeadlinesService],
})
export class AppealsModule {}
