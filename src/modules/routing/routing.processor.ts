import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { RoutingService } from './routing.service';

/** Handlers of the routing jobs: one per new appeal (dispatch queue), and the sweep for lost ones. */
@Injectable()
export class RoutingProcessor implements OnModuleInit {
  private readonly logger = new Logger(RoutingProcessor.name);

  constructor(
    private readonly routing: RoutingService,
    private readonly worker: WorkerService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('routing.route', (d) =>
      this.routing.route(d.appealId, { recheck: d.recheck === true }),
    );
    this.worker.handle('routing.sweep', () => this.sweep());
  }

  private async sweep() {
    const found = await this.routing.sweep();
    if (found) this.logger.log(`sweep re-queued routing of ${found} appeals`);
    return found;
  }
}
