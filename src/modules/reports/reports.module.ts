import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { ReportFoldProcessor } from './report-fold.processor';
import { ReportsController, TargetsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [DistrictsModule],
  controllers: [ReportsController, TargetsController],
  providers: [ReportsService, ReportsRepository, ReportFoldProcessor],
  exports: [ReportsService],
})
export class ReportsModule {}
