import { Global, Module } from '@nestjs/common';
import { QueueService } from './queue.service';
import { WorkerService } from './worker.service';

@Global()
@Module({ providers: [QueueService, WorkerService], exports: [QueueService, WorkerService] })
export class QueueModule {}
