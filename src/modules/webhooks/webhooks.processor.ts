import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkerService } from '../../infra/queue/worker.service';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** Handlers of the webhooks queue: deliveries, and the pump that finds due outbox rows (SPEC §5). */
@Injectable()
export class WebhooksProcessor implements OnModuleInit {
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    private readonly worker: WorkerService,
  ) {}

  onModuleInit(): void {
    this.worker.handle('webhook.deliver', (d) => this.deliveries.deliver(d.deliveryId));
    this.worker.handle('webhook.pump', () => this.deliveries.pump());
  }
}
