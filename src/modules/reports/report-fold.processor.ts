import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { ReportsService } from './reports.service';

/** Handler of `reports.fold`: moves the report deltas into the rollups (scheduled by JOB_SCHEDULES). */
@Injectable()
export class ReportFoldProcessor implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly reports: ReportsService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('reports.fold', () => this.reports.fold());
  }
}
