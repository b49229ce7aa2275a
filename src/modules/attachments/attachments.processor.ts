import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { AttachmentsService } from './attachments.service';

/** Binds the attachments' maintenance job: removing files whose row never committed. */
@Injectable()
export class AttachmentsProcessor implements OnModuleInit {
  constructor(
    private readonly worker: WorkerService,
    private readonly attachments: AttachmentsService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('attachments.sweep-orphans', async () => {
      await this.attachments.sweepOrphans();
    });
  }
}
