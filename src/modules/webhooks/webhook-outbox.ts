import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { JsonHoles } from '../../infra/database/json-holes';
import type { AppealEvent } from '../appeals/entities/appeal-event.entity';
import type { AppealView } from '../appeals/appeal-view';
import { withContactMasked } from '../appeals/disclosure';
import { ALL_EVENTS, subscribes } from './webhook-events';
import { Webhook, WebhookDelivery } from './webhook.entity';

/** An appeal as webhooks see it: with confidential access, and without (SPEC §2, §5.1; the disclosure policy). */
export interface WebhookSnapshot {
  withAccess: AppealView;
  withoutAccess: AppealView;
}

/**
 * A delivery's body, `{"id", "event", "occurredAt", "appeal"}` — JSON.stringify of that object, with the
 * appeal given as its JSON text. record() and insertSql() both write it.
 */
export function deliveryBody(id: string, action: string, occurredAt: Date, appealJson: string): string {
  const head = JSON.stringify({ id, event: action, occurredAt: occurredAt.toISOString() }).slice(0, -1);
  return `${head},"appeal":${appealJson}}`;
}

/**
 * The webhook outbox (SPEC §5): called by the event log in the transaction that appends the
 * events, so a delivery row exists exactly when its event does — a rollback leaves neither, a crash
 * after commit loses neither. The worker sends the rows later (WebhookDeliveryService).
 *
 * The body is fixed here, once: `{"id", "event", "occurredAt", "appeal"}` with the appeal as the API
 * shows it to a webhook after the change, as the disclosure policy decides: without the filer and the
 * links of a confidential appeal, and without confidential appeals among its duplicates, when the webhook
 * has no confidential access (SPEC §2, §5.1). Every attempt sends these same bytes, so a receiver that got
 * a delivery twice (at-least-once) sees the same `id` and can drop the repeat.
 */
@Injectable()
export class WebhookOutbox {
  constructor(private readonly clock: Clock) {}

  /**
   * Inserts one pending delivery per (enabled webhook subscribed to the event's action, event). Each
   * appeal's snapshot is taken only when some webhook matches one of its events, and once. Returns the
   * rows inserted.
   */
  async record(
    m: EntityManager,
    events: AppealEvent[],
    snapshot: (appealId: string, at: Date) => Promise<WebhookSnapshot>,
  ): Promise<number> {
    if (events.length === 0) return 0;
    // the table is tiny and read per write on purpose: no cache to go stale across processes
    const hooks = await m
      .getRepository(Webhook)
      .find({ where: { enabled: true }, select: { id: true, events: true, confidentialAccess: true, contactAccess: true } });
    const matches = events.flatMap((event) =>
      hooks.filter((h) => subscribes(h.events, event.action)).map((h) => ({ hook: h, event })),
    );
    if (matches.length === 0) return 0;
    const snapshots = new Map<string, WebhookSnapshot>();
    for (const { event } of matches) {
      if (snapshots.has(event.appealId)) continue;
      const last = events.filter((e) => e.appealId === event.appealId).at(-1)!;
      snapshots.set(event.appealId, await snapshot(event.appealId, new Date(last.createdAt)));
    }
    const now = this.clock.now();
    const rows = matches.map(({ hook, event }) => {
      const id = randomUUID();
      const occurredAt = new Date(event.createdAt);
      const views = snapshots.get(event.appealId)!;
      const seen = hook.confidentialAccess ? views.withAccess : views.withoutAccess;
      // SPEC §11: without contact access the filer's contact is masked, as departments see it
      const appeal = hook.contactAccess ? seen : withContactMasked(seen);
      return {
        id,
        webhookId: hook.id,
        appealId: event.appealId,
        eventSeq: event.seq,
        event: event.action,
        occurredAt,
        body: deliveryBody(id, event.action, occurredAt, JSON.stringify(appeal)),
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        createdAt: now,
      };
    });
    await m.getRepository(WebhookDelivery).insert(rows);
    return rows.length;
  }

  /**
   * record() as SQL, for a statement that inserts an event itself (filing writes the appeal, its first event
   * and these rows in one statement): the body of a data-modifying CTE that inserts one pending delivery per
   * enabled webhook subscribed to the event. `source` names a CTE with one row for that event: appeal_id,
   * seq, confidential, appeal_json (the appeal as JSON.stringify writes the snapshot with confidential access)
   * appeal_json_masked (that one with the contact masked, SPEC §11) and appeal_json_hidden (the snapshot
   * without confidential access). The body is then byte for byte
   * what record() writes, with the delivery id made by the database. `param` binds a value and returns its
   * placeholder.
   */
  insertSql(
    source: string,
    event: { action: string; createdAt: Date },
    param: (value: unknown) => string,
  ): string {
    const occurredAt = new Date(event.createdAt);
    // deliveryBody() with the id the database makes in its hole and the appeal's JSON before the closing brace
    const holes = new JsonHoles();
    const shell = deliveryBody(holes.hole('d.id'), event.action, occurredAt, '');
    const action = `${param(event.action)}::text`;
    const now = param(this.clock.now());
    return `INSERT INTO webhook_deliveries (id, webhook_id, appeal_id, event_seq, event, occurred_at, body, status,
        attempts, next_attempt_at, created_at)
      SELECT d.id, d.webhook_id, d.appeal_id, d.seq, ${action}, ${param(occurredAt)},
        ${holes.sql(shell.slice(0, -1), param)} || d.appeal_json || '}', 'pending', 0, ${now}, ${now}
        FROM (SELECT gen_random_uuid() AS id, h.id AS webhook_id, s.appeal_id, s.seq,
                     CASE WHEN s.confidential AND NOT h.confidential_access THEN s.appeal_json_hidden
                          WHEN NOT h.contact_access THEN s.appeal_json_masked
                          ELSE s.appeal_json END AS appeal_json
                FROM ${source} s JOIN webhooks h ON h.enabled AND h.events ?| ARRAY['${ALL_EVENTS}', ${action}]) d
      RETURNING id`;
  }
}
