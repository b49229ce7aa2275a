import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { QueueService } from '../../infra/queue/queue.service';
import { WorkerService } from '../../infra/queue/worker.service';
import { RoutingService } from './routing.service';

const SWEEP_EVERY_MS = 30_000;

/** The dispatch queue routes new appeals; the maintenance queue sweeps for lost routing jobs. */
@Injectable()
export class RoutingProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingProcessor.name);

  constructor(
    private readonly routing: RoutingService,
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('routing.route', (d) => this.routing.route(d.appealId), { concurrency: 10 });
    this.worker.handle('routing.sweep', async () => {
      const found = await this.routing.sweep();
      if (found) this.logger.log(`sweep re-queued routing of ${found} appeals`);
      return found;
    });
  }

  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    this.queue.scheduleInBackground('routing.sweep', SWEEP_EVERY_MS, {});
    this.queue.enqueueInBackground('routing.sweep', {}, { key: ['boot', Date.now()] });
  }
}
