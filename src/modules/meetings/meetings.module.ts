import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { DepartmentsModule } from '../departments/departments.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [AppealsModule, DepartmentsModule],
  controllers: [MeetingsController],
  providers: [MeetingsService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
