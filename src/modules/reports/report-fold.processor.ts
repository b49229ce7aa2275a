import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { QueueService } from '../../infra/queue/queue.service';
import { WorkerService } from '../../infra/queue/worker.service';
import { ReportsService } from './reports.service';

/** Every few seconds: fold the report deltas into the rollups. Readers add unfolded deltas, so a late fold never makes a figure wrong, only a read slightly slower. */
export const FOLD_EVERY_MS = 5000;

@Injectable()
export class ReportFoldProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
    private readonly reports: ReportsService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('reports.fold', () => this.reports.fold());
  }

  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    this.queue.scheduleInBackground('reports.fold', FOLD_EVERY_MS, {});
  }
}
