import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Metrics } from '../../infra/observability/metrics';
import { JOB_QUEUE, JobData } from '../../infra/queue/job-types';
import { QueueService } from '../../infra/queue/queue.service';
import { afterFailure, DeliveryPolicy, disabledReason, shouldDisable } from './delivery-policy';
import { sign, SIGNATURE_HEADER } from './signature';
import { FORBIDDEN_TARGET, targetLookup } from './target-lookup';
import { forbiddenHost } from './webhook-target';

/** Rows the pump hands to the queue per run; the rest wait for the next run. */
const PUMP_BATCH = 500;
/** A claim outlives the POST's timeout by this much, for recording the attempt. */
const CLAIM_MARGIN_MS = 30_000;
const USER_AGENT = 'zhengqitong-webhooks';

interface Claimed {
  id: string;
  webhookId: string;
  event: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

interface AttemptResult {
  attemptedAt: Date;
  durationMs: number;
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  /** no later attempt can go otherwise: the delivery is given up now (a forbidden target) */
  final?: boolean;
}

export type DeliverOutcome = 'skipped' | 'delivered' | 'retrying' | 'failed' | 'disabled' | 'lost';

/**
 * Sends the outbox (SPEC §5). The database decides; BullMQ jobs only say "look at this row now":
 *
 * - the pump (a Job Scheduler every WEBHOOK_POLL_MS) enqueues one `webhook.deliver` per due, unclaimed
 *   row of an enabled webhook, with a job id of the row and its attempt number, so re-adding a queued
 *   job is a no-op;
 * - `deliver` claims the row with one conditional UPDATE (pending, due, not claimed, webhook enabled);
 *   a job that loses the claim does nothing, so a job that runs twice sends once;
 * - the POST happens outside any transaction; the attempt, the row's next state and the webhook's run
 *   of failures are then written in one transaction, and a failure enqueues a delayed job for the
 *   retry (the pump finds it anyway should that job be lost).
 *
 * Delivery is AT LEAST ONCE: a crash after the receiver answered and before the attempt was recorded
 * leaves the row pending; once its claim expires it is sent again, with the same body and the same
 * `id`. Receivers dedupe on `id`. Order is not guaranteed either (a retried event can arrive after a
 * later one): receivers order by `occurredAt` and the appeal's `version`.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly policy: DeliveryPolicy;
  private readonly attemptsMetric: Counter<'outcome'>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly queue: QueueService,
    metrics: Metrics,
  ) {
    this.policy = config.webhooks;
    this.attemptsMetric = new Counter({
      name: 'zqt_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retrying, failed (given up), disabled (webhook switched off), lost',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
  }

  /** Enqueues the deliveries that are due; returns how many rows it found. */
  async pump(): Promise<number> {
    const now = this.clock.now();
    const rows: { id: string; attempts: number }[] = await this.db.query(
      `SELECT d.id, d.attempts FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1
         AND (d.claimed_until IS NULL OR d.claimed_until <= $1) AND w.enabled
       ORDER BY d.next_attempt_at LIMIT $2`,
      [now, PUMP_BATCH],
    );
    await this.enqueue(rows.map((r) => ({ deliveryId: r.id, attempt: r.attempts + 1 })));
    return rows.length;
  }

  /** One attempt of one row, if it is still due and nobody else holds it. */
  async deliver(deliveryId: string): Promise<DeliverOutcome> {
    const claimed = await this.claim(deliveryId);
    if (!claimed) return 'skipped';
    const result = await this.post(claimed);
    const { outcome, retryInMs } = await this.record(claimed, result);
    this.attemptsMetric.inc({ outcome });
    if (outcome === 'retrying' && retryInMs !== undefined) {
      // a wake-up for the retry so it does not wait for the pump; losing it only costs a poll interval
      await this.enqueue([{ deliveryId, attempt: claimed.attempts + 2, delayMs: retryInMs }]).catch(
        (err: Error) => this.logger.warn(`could not enqueue the retry of ${deliveryId}: ${err.message}`),
      );
    }
    return outcome;
  }

  private async enqueue(items: { deliveryId: string; attempt: number; delayMs?: number }[]): Promise<void> {
    if (items.length === 0) return;
    await this.queue.queue(JOB_QUEUE['webhook.deliver']).addBulk(
      items.map((i) => ({
        name: 'webhook.deliver',
        data: { deliveryId: i.deliveryId } satisfies JobData<'webhook.deliver'>,
        opts: {
          ...QueueService.jobOptions('webhook.deliver', {
            key: [i.deliveryId, i.attempt],
            delayMs: i.delayMs,
            attempts: 3,
          }),
          // finished jobs must not linger: BullMQ ignores a re-add while a job with that id is kept,
          // and the pump re-adds the same id when a run ended without sending (not yet due, claimed
          // elsewhere, webhook disabled then re-enabled)
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  private async claim(deliveryId: string): Promise<Claimed | null> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.webhooks.timeoutMs + CLAIM_MARGIN_MS);
    const result = await this.db.query<[Claimed[], number]>(
      `UPDATE webhook_deliveries d SET claimed_until = $3
       FROM webhooks w
       WHERE d.id = $1 AND w.id = d.webhook_id AND w.enabled AND d.status = 'pending'
         AND d.next_attempt_at <= $2 AND (d.claimed_until IS NULL OR d.claimed_until <= $2)
       RETURNING d.id, d.webhook_id AS "webhookId", d.event, d.body, d.attempts, w.url, w.secret`,
      [deliveryId, now, until],
    );
    return result[0][0] ?? null;
  }

  /**
   * One POST. The target is checked again here (SPEC §5.1): an address written in the URL, and every
   * address its host name resolves to (inside the connection, see target-lookup), must not be
   * link-local or cloud metadata; such a delivery is not sent and is given up at once.
   */
  private async post(d: Claimed): Promise<AttemptResult> {
    const attemptedAt = this.clock.now();
    const started = performance.now();
    const timeoutMs = this.config.webhooks.timeoutMs;
    const done = (r: Pick<AttemptResult, 'statusCode' | 'ok' | 'error' | 'final'>): AttemptResult => ({
      attemptedAt,
      durationMs: Math.round(performance.now() - started),
      ...r,
    });
    const target = new URL(d.url);
    if (forbiddenHost(target.hostname)) {
      return done({ statusCode: null, ok: false, error: FORBIDDEN_REASON, final: true });
    }
    try {
      const status = await postOnce(target, d.body, timeoutMs, {
        'Content-Type': 'application/json',
        [SIGNATURE_HEADER]: sign(d.secret, d.body),
        'X-Webhook-Id': d.webhookId,
        'X-Delivery-Id': d.id,
        'X-Event': d.event,
        'User-Agent': USER_AGENT,
      });
      const ok = status >= 200 && status < 300;
      // a redirect is a failure: following it would send the signed body somewhere not registered
      const redirect = status >= 300 && status < 400;
      return done({
        statusCode: status || null,
        ok,
        error: ok ? null : redirect ? `HTTP ${status} redirect not followed` : `HTTP ${status}`,
      });
    } catch (err) {
      const forbidden = (err as NodeJS.ErrnoException)?.code === FORBIDDEN_TARGET;
      return done({
        statusCode: null,
        ok: false,
        error: describeDeliveryError(err, timeoutMs),
        final: forbidden,
      });
    }
  }

  /** The attempt, the row's next state and the webhook's run of failures, in one transaction. */
  private async record(
    d: Claimed,
    r: AttemptResult,
  ): Promise<{ outcome: DeliverOutcome; retryInMs?: number }> {
    const attempt = d.attempts + 1;
    const next = r.ok ? null : r.final ? ({ giveUp: true } as const) : afterFailure(attempt, this.policy);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const status = r.ok ? 'delivered' : next?.giveUp ? 'failed' : 'pending';
      const nextAttemptAt = next && !next.giveUp ? new Date(now.getTime() + next.retryInMs) : now;
      // guarded by the attempt count: if our claim expired and another worker recorded meanwhile,
      // this attempt is not written twice (the unique (delivery_id, attempt) index agrees)
      const updated = await m.query<[unknown[], number]>(
        `UPDATE webhook_deliveries
         SET attempts = $2, status = $3, delivered_at = $4, next_attempt_at = $5,
             last_status_code = $6, last_error = $7, claimed_until = NULL
         WHERE id = $1 AND attempts = $8 AND status = 'pending'
         RETURNING id`,
        [d.id, attempt, status, r.ok ? now : null, nextAttemptAt, r.statusCode, r.error, d.attempts],
      );
      if (updated[0].length === 0) return { outcome: 'lost' as const };
      await m.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, ok, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.id, attempt, r.attemptedAt, r.statusCode, r.ok, r.error, r.durationMs],
      );
      if (r.ok) {
        await m.query(
          `UPDATE webhooks SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
          [d.webhookId],
        );
        return { outcome: 'delivered' as const };
      }
      const hook = await m.query<[{ failingSince: Date; enabled: boolean }[], number]>(
        `UPDATE webhooks SET failing_since = COALESCE(failing_since, $2) WHERE id = $1
         RETURNING failing_since AS "failingSince", enabled`,
        [d.webhookId, r.attemptedAt],
      );
      const h = hook[0][0];
      if (h?.enabled && shouldDisable(new Date(h.failingSince), now, this.policy)) {
        const reason = disabledReason(new Date(h.failingSince), r.error ?? 'unknown');
        await m.query(
          `UPDATE webhooks SET enabled = false, disabled_at = $2, disabled_reason = $3 WHERE id = $1 AND enabled`,
          [d.webhookId, now, reason],
        );
        this.logger.warn(`webhook ${d.webhookId} disabled: ${reason}`);
        return { outcome: next?.giveUp ? ('failed' as const) : ('disabled' as const) };
      }
      if (!next || next.giveUp) return { outcome: 'failed' as const };
      return { outcome: 'retrying' as const, retryInMs: next.retryInMs };
    });
  }
}

const FORBIDDEN_REASON = 'target address not allowed (link-local or cloud metadata)';

/**
 * A POST through the guarded lookup; resolves with the status code once the answer's head is in (its
 * body is not needed and the socket is let go), rejects on any failure or after `timeoutMs`. No
 * redirect is followed.
 */
function postOnce(
  target: URL,
  body: string,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: targetLookup,
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Socket error codes, by the plain reason recorded for them. */
const REASONS: [string, string[]][] = [
  ['connection refused', ['ECONNREFUSED']],
  ['connection closed by the target', ['ECONNRESET', 'EPIPE', 'ECONNABORTED']],
  ['timed out', ['ETIMEDOUT', 'ESOCKETTIMEDOUT']],
  ['host name not found', ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']],
  ['target unreachable', ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']],
];

/**
 * A short, plain reason for an attempt that got no answer. Never the socket's own message: the delivery
 * log shows no address, port or system detail (`connect ECONNREFUSED ::1:1234`), so it tells an admin
 * what went wrong without being a port scanner's oracle.
 */
export function describeDeliveryError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; errors?: { code?: string }[] } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  // every address of a name failed: the first one's reason (an AggregateError may carry no code)
  const raw = e?.code ?? e?.errors?.[0]?.code;
  const code = typeof raw === 'string' ? raw : '';
  if (code === FORBIDDEN_TARGET) return FORBIDDEN_REASON;
  const reason = REASONS.find(([, codes]) => codes.includes(code));
  if (reason) return reason[0];
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/.test(code)) return 'TLS handshake failed';
  if (code.startsWith('HPE_')) return 'the target did not answer in HTTP';
  return 'delivery failed';
}
