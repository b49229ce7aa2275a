import { Global, Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';
import { Notifier, TableNotifier } from './notifier';

@Global()
@Module({
  controllers: [NotificationsController],
  providers: [{ provide: Notifier, useClass: TableNotifier }],
  exports: [Notifier],
})
export class NotificationsModule {}
