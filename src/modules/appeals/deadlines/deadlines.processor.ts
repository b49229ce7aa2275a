import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { QueueService } from '../../../infra/queue/queue.service';
import { WorkerService } from '../../../infra/queue/worker.service';
import { DeadlinesService } from './deadlines.service';

const SWEEP_EVERY_MS = 30_000;

/** The deadlines queue: wake-ups, the survey window, and the sweeper (at worker start and every 30 s). */
@Injectable()
export class DeadlinesProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlinesProcessor.name);

  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('deadline.fire', (d) => this.deadlines.wake(d.assignmentId, d.kind), {
      concurrency: 10,
    });
    this.worker.handle('deadline.survey-close', (d) => this.deadlines.closeUnrated(d.appealId), {
      concurrency: 10,
    });
    this.worker.handle('deadline.sweep', async () => {
      const result = await this.deadlines.sweep();
      if (result.fired || result.closed)
        this.logger.log(`sweep fired ${result.fired}, closed ${result.closed} unrated`);
      return result;
    });
  }

  /** A sweep at worker start (whatever was missed while no worker ran), then one every 30 s. */
  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    this.queue.scheduleInBackground('deadline.sweep', SWEEP_EVERY_MS, {});
    this.queue.enqueueInBackground('deadline.sweep', {}, { key: ['boot', Date.now()] });
  }
}
