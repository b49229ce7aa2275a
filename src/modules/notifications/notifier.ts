import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Notification } from './notification.entity';

export interface OutgoingNotification {
  recipientType: 'enterprise' | 'department';
  recipientId: string;
  kind: string;
  appealId: string | null;
  title: string;
  body: string;
  at: Date;
}

/**
 * Tells people what happened. The default writes to the `notifications` table inside the caller's
 * transaction (durable with its cause) and is read at GET /notifications; an SMS or e-mail gateway
 * plugs in behind the same interface (bind Notifier to another class).
 */
export abstract class Notifier {
  abstract notify(m: EntityManager, items: OutgoingNotification[]): Promise<void>;
}

@Injectable()
export class TableNotifier extends Notifier {
  async notify(m: EntityManager, items: OutgoingNotification[]): Promise<void> {
    if (items.length === 0) return;
    await m.getRepository(Notification).insert(
      items.map((n) => ({
        recipientType: n.recipientType,
        recipientId: n.recipientId,
        kind: n.kind,
        appealId: n.appealId,
        title: n.title.slice(0, 200),
        body: n.body,
        createdAt: n.at,
      })),
    );
  }
}
