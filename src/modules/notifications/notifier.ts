import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LocalDays, renderInstants } from '../../common/local-time';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-insert';

const COLUMNS: BulkColumn<OutgoingNotification>[] = [
  ['recipient_type', 'text', (n) => n.recipientType],
  ['recipient_id', 'uuid', (n) => n.recipientId],
  ['kind', 'text', (n) => n.kind],
  ['appeal_id', 'uuid', (n) => n.appealId],
  ['title', 'text', (n) => n.title.slice(0, 200)],
  ['body', 'text', (n) => n.body],
  ['created_at', 'timestamptz', (n) => n.at],
];

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
  private readonly days: LocalDays;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.days = new LocalDays(config.calendarTimeZone);
  }

  /** Instants in the texts are written in the calendar zone (SPEC §5.1). */
  async notify(m: EntityManager, items: OutgoingNotification[]): Promise<void> {
    const local = (text: string) => renderInstants(text, this.days);
    await bulkInsert(
      m,
      'notifications',
      COLUMNS,
      items.map((n) => ({ ...n, title: local(n.title), body: local(n.body) })),
    );
  }
}
