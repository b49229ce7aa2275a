import { Module } from '@nestjs/common';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookOutbox } from './webhook-outbox';
import { WebhooksController } from './webhooks.controller';
import { WebhooksProcessor } from './webhooks.processor';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks (SPEC §5). Exports the outbox to the appeals module's event log; it must not import the
 * appeals module (the event log depends on this one, not the other way round).
 */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookOutbox, WebhookDeliveryService, WebhooksProcessor],
  exports: [WebhookOutbox],
})
export class WebhooksModule {}
