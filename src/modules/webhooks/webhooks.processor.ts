import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { QueueService } from '../../infra/queue/queue.service';
import { WorkerService } from '../../infra/queue/worker.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** POSTs in flight per worker process; most of their time is spent waiting on receivers. */
const DELIVER_CONCURRENCY = 16;

/** The webhooks queue: deliveries, and the pump that finds due outbox rows (SPEC §5). */
@Injectable()
export class WebhooksProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveryService,
    private readonly worker: WorkerService,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('webhook.deliver', (d) => this.deliveries.deliver(d.deliveryId), {
      concurrency: DELIVER_CONCURRENCY,
    });
    this.worker.handle('webhook.pump', () => this.deliveries.pump());
  }

  /** Not awaited: a worker must boot while Redis is still coming up. */
  onApplicationBootstrap(): void {
    if (!this.worker.isWorker) return;
    this.queue.scheduleInBackground('webhook.pump', this.config.webhooks.pollMs, {});
  }
}
