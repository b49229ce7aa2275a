import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { DepartmentsModule } from '../departments/departments.module';
import { DistrictsModule } from '../districts/districts.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [AppealsModule, DepartmentsModule, DistrictsModule],
  controllers: [MeetingsController],
  providers: [MeetingsService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
