import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { Webhook, WebhookAttempt, WebhookDelivery } from './webhook.entity';
import { CreateWebhookDto, ListDeliveriesQuery, UpdateWebhookDto } from './webhooks.dto';

/** A webhook as the API shows it: the secret never leaves the database (SPEC §5). */
export function toWebhookView(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    secretSet: true,
    enabled: w.enabled,
    confidentialAccess: w.confidentialAccess,
    contactAccess: w.contactAccess,
    disabledReason: w.disabledReason,
    disabledAt: w.disabledAt,
    failingSince: w.failingSince,
    createdBy: w.createdBy,
    createdAt: w.createdAt,
  };
}

export type WebhookView = ReturnType<typeof toWebhookView>;

function toDeliveryView(d: WebhookDelivery, attempts: WebhookAttempt[]) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    appealId: d.appealId,
    eventSeq: d.eventSeq,
    event: d.event,
    occurredAt: d.occurredAt,
    status: d.status,
    attemptCount: d.attempts,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      attemptedAt: a.attemptedAt,
      statusCode: a.statusCode,
      ok: a.ok,
      error: a.error,
      durationMs: a.durationMs,
    })),
  };
}

export type DeliveryView = ReturnType<typeof toDeliveryView>;

/** Admin management of webhooks and the record of their deliveries (SPEC §5). */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateWebhookDto, actor: Actor): Promise<WebhookView> {
    const repo = this.db.getRepository(Webhook);
    const saved = await repo.save(
      repo.create({
        url: dto.url,
        events: dto.events,
        secret: dto.secret,
        enabled: true,
        confidentialAccess: dto.confidentialAccess ?? false,
        contactAccess: dto.contactAccess ?? false,
        disabledReason: null,
        disabledAt: null,
        failingSince: null,
        createdBy: actor.id,
        createdAt: this.clock.now(),
      }),
    );
    return toWebhookView(saved);
  }

  async list(): Promise<WebhookView[]> {
    const rows = await this.db.getRepository(Webhook).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toWebhookView);
  }

  async get(id: string): Promise<WebhookView> {
    return toWebhookView(await this.find(id));
  }

  /**
   * Re-enabling clears the reason and the run of failures, and a new URL starts a new run; either way
   * the deliveries still pending become due at once instead of waiting out their backoff.
   */
  async update(id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Webhook);
      const w = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!w) throw DomainError.notFound('webhook');
      const now = this.clock.now();
      let retryNow = false;
      if (dto.url !== undefined && dto.url !== w.url) {
        w.url = dto.url;
        w.failingSince = null;
        retryNow = true;
      }
      if (dto.events !== undefined) w.events = dto.events;
      if (dto.secret !== undefined) w.secret = dto.secret;
      if (dto.confidentialAccess !== undefined) w.confidentialAccess = dto.confidentialAccess;
      if (dto.contactAccess !== undefined) w.contactAccess = dto.contactAccess;
      if (dto.enabled === true && !w.enabled) {
        w.enabled = true;
        w.disabledReason = null;
        w.disabledAt = null;
        w.failingSince = null;
        retryNow = true;
      } else if (dto.enabled === false && w.enabled) {
        w.enabled = false;
        w.disabledReason = 'disabled by an administrator';
        w.disabledAt = now;
        w.failingSince = null;
      }
      await repo.save(w);
      if (retryNow && w.enabled) {
        await m.query(
          `UPDATE webhook_deliveries SET next_attempt_at = $2
           WHERE webhook_id = $1 AND status = 'pending' AND next_attempt_at > $2`,
          [id, now],
        );
      }
      return toWebhookView(w);
    });
  }

  /** Its deliveries and their attempts go with it (ON DELETE CASCADE). */
  async remove(id: string): Promise<void> {
    const result = await this.db.getRepository(Webhook).delete({ id });
    if (!result.affected) throw DomainError.notFound('webhook');
  }

  /** Newest first, each with its attempts in order. */
  async deliveries(id: string, q: ListDeliveriesQuery): Promise<Page<DeliveryView>> {
    await this.find(id);
    const limit = q.limit ?? 20;
    // one snapshot for the deliveries and their attempts: an attempt is never listed before its delivery's
    // status, which the worker records in the same transaction
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const qb = m
        .getRepository(WebhookDelivery)
        .createQueryBuilder('d')
        .where('d.webhook_id = :id', { id })
        .orderBy('d.created_at', 'DESC')
        .addOrderBy('d.event_seq', 'DESC')
        .addOrderBy('d.id', 'DESC')
        .take(limit + 1);
      if (q.status) qb.andWhere('d.status = :status', { status: q.status });
      const after = decodeCursor(q.cursor, ['t', 's', 'id']);
      if (after) {
        const t = new Date(after.t);
        if (Number.isNaN(t.getTime()) || !/^-?\d+$/.test(after.s) || !/^[0-9a-f-]{36}$/i.test(after.id)) {
          throw DomainError.validation('cursor is not valid', [
            { field: 'cursor', message: 'malformed cursor' },
          ]);
        }
        qb.andWhere('(d.created_at, d.event_seq, d.id) < (:t, :s, :did)', {
          t,
          s: Number(after.s),
          did: after.id,
        });
      }
      const page = toPage(await qb.getMany(), limit, (d) => ({
        t: d.createdAt.toISOString(),
        s: d.eventSeq,
        id: d.id,
      }));
      const attempts =
        page.items.length === 0
          ? []
          : await m.getRepository(WebhookAttempt).find({
              where: { deliveryId: In(page.items.map((d) => d.id)) },
              order: { attempt: 'ASC' },
            });
      return {
        items: page.items.map((d) =>
          toDeliveryView(
            d,
            attempts.filter((a) => a.deliveryId === d.id),
          ),
        ),
        nextCursor: page.nextCursor,
      };
    });
  }

  private async find(id: string): Promise<Webhook> {
    const w = await this.db.getRepository(Webhook).findOneBy({ id });
    if (!w) throw DomainError.notFound('webhook');
    return w;
  }
}
