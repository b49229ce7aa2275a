import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { QUEUE_NAMES, QueueName } from '../queue/job-types';
import { QueueService, withTimeout } from '../queue/queue.service';
import { REDIS, RedisClient } from '../redis/redis.module';
import { OPEN_STATUSES, TERMINAL_STATUSES } from '../../modules/workflow/appeal-state-machine';
import { Metrics } from './metrics';

/** The BullMQ states reported per queue. */
export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
/** Counting stops here: a backlog this large is an incident whatever its exact size, and the count stays cheap. */
export const COUNT_CAP = 100_000;
/** A source that does not answer within this is reported as failed for this scrape. */
const SOURCE_TIMEOUT_MS = 2000;

/**
 * Re-reads a source at most every `minIntervalMs` (wall-clock: this is a cache, not product time),
 * one read at a time: the gauges of one scrape share a read. `load` never throws.
 */
class CachedSource {
  private inflight?: Promise<void>;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minIntervalMs: number,
    private readonly load: () => Promise<void>,
  ) {}

  read(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (Date.now() - this.readAt < this.minIntervalMs) return Promise.resolve();
    this.inflight = this.load().finally(() => {
      this.readAt = Date.now();
      this.inflight = undefined;
    });
    return this.inflight;
  }
}

interface DbFigures {
  webhook_pending: string;
  webhook_oldest: Date | null;
  webhooks_failing: string;
  webhook_failing_since: Date | null;
  webhooks_disabled: string;
  deltas_pending: string;
  fold_lag_seconds: number | null;
  routing_pending: string;
  routing_oldest: Date | null;
}

/**
 * The gauges that say what is waiting, read when Prometheus scrapes: BullMQ queue depths and the
 * oldest waiting job (a few Redis commands per queue, every scrape), the webhook outbox, the report
 * deltas not yet folded, the appeals waiting for automatic routing and the appeals by status (a
 * handful of index lookups, at most every METRICS_DB_REFRESH_MS), and whether PostgreSQL and Redis
 * answer. A source that fails or times out is counted in zqt_metrics_collect_errors_total and keeps
 * its last values: a scrape never fails because a dependency is down.
 */
@Injectable()
export class OpsGauges {
  private readonly logger = new Logger(OpsGauges.name);
  private readonly errors: Counter<'source'>;
  private readonly queueSource: CachedSource;
  private readonly dbSource: CachedSource;
  private readonly upSource: CachedSource;
  private readonly queueJobs: Gauge<'queue' | 'state'>;
  private readonly queueOldest: Gauge<'queue'>;
  private readonly dependencyUp: Gauge<'dependency'>;
  private readonly webhookPending: Gauge;
  private readonly webhookOldest: Gauge;
  private readonly webhooksFailing: Gauge;
  private readonly webhookFailingSeconds: Gauge;
  private readonly webhooksDisabled: Gauge;
  private readonly deltasPending: Gauge;
  private readonly foldLag: Gauge;
  private readonly routingPending: Gauge;
  private readonly routingOldest: Gauge;
  private readonly appeals: Gauge<'status'>;

  constructor(
    metrics: Metrics,
    private readonly queues: QueueService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    const registers = [metrics.registry];
    this.queueSource = new CachedSource(0, () => this.guard('queues', () => this.readQueues()));
    this.dbSource = new CachedSource(config.metricsDbRefreshMs, () =>
      this.guard('database', () => this.readDatabase()),
    );
    this.upSource = new CachedSource(0, () => this.guard('dependencies', () => this.readDependencies()));
    const on = (source: CachedSource) => ({ collect: () => source.read() });

    this.errors = new Counter({
      name: 'zqt_metrics_collect_errors_total',
      help: 'Scrape-time reads that failed or timed out, by source (queues, database, dependencies); their gauges keep the last values',
      labelNames: ['source'] as const,
      registers,
      // after this scrape's reads: a failure shows in the scrape it happened in
      collect: async () => {
        await Promise.all([this.queueSource.read(), this.dbSource.read(), this.upSource.read()]);
      },
    });
    this.dependencyUp = new Gauge({
      name: 'zqt_dependency_up',
      help: 'Whether PostgreSQL (database) and Redis (redis) answered, as GET /health checks them: 1 up, 0 down',
      labelNames: ['dependency'] as const,
      registers,
      ...on(this.upSource),
    });
    this.queueJobs = new Gauge({
      name: 'zqt_queue_jobs',
      help: 'BullMQ jobs per queue and state (waiting, delayed, active, failed and kept for 7 days)',
      labelNames: ['queue', 'state'] as const,
      registers,
      ...on(this.queueSource),
    });
    this.queueOldest = new Gauge({
      name: 'zqt_queue_oldest_waiting_age_seconds',
      help: 'Seconds the oldest waiting job of a queue has been ready to run (0 when none waits)',
      labelNames: ['queue'] as const,
      registers,
      ...on(this.queueSource),
    });
    const dbGauge = (name: string, help: string) =>
      new Gauge({ name, help, registers, ...on(this.dbSource) });
    this.webhookPending = dbGauge(
      'zqt_webhook_deliveries_pending',
      `Webhook deliveries not yet delivered nor given up (counted up to ${COUNT_CAP})`,
    );
    this.webhookOldest = dbGauge(
      'zqt_webhook_oldest_pending_age_seconds',
      'Seconds since the oldest pending webhook delivery was written to the outbox (0 when none)',
    );
    this.webhooksFailing = dbGauge(
      'zqt_webhooks_failing',
      'Enabled webhooks whose last attempt failed (in a run of failures)',
    );
    this.webhookFailingSeconds = dbGauge(
      'zqt_webhook_failing_seconds',
      'Seconds the longest current run of failures of an enabled webhook has lasted (0 when none fails)',
    );
    this.webhooksDisabled = dbGauge(
      'zqt_webhooks_disabled',
      'Webhooks switched off after failing for WEBHOOK_DISABLE_AFTER_MS',
    );
    this.deltasPending = dbGauge(
      'zqt_report_deltas_pending',
      `Report deltas written and not yet folded into the rollups (counted up to ${COUNT_CAP})`,
    );
    this.foldLag = dbGauge(
      'zqt_report_fold_lag_seconds',
      'Age of the oldest report delta not yet folded (0 when none waits); the fold runs every 5 s',
    );
    this.routingPending = dbGauge(
      'zqt_routing_pending',
      `Appeals filed and not yet through automatic routing and duplicate detection (counted up to ${COUNT_CAP})`,
    );
    this.routingOldest = dbGauge(
      'zqt_routing_oldest_pending_age_seconds',
      'Seconds since the oldest appeal still waiting for automatic routing was filed (0 when none waits)',
    );
    this.appeals = new Gauge({
      name: 'zqt_appeals',
      help: 'Appeals by status: open ones counted on an index, ended ones summed from the report rollups',
      labelNames: ['status'] as const,
      registers,
      ...on(this.dbSource),
    });
  }

  private async guard(source: string, read: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${SOURCE_TIMEOUT_MS} ms`)),
            SOURCE_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (err) {
      this.errors.inc({ source });
      this.logger.debug(`metrics source ${source} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readDependencies(): Promise<void> {
    const [database, redis] = await Promise.all([
      withTimeout(
        this.db.query('SELECT 1').then(() => 1),
        1500,
      ),
      withTimeout(
        this.redis.ping().then((pong) => (pong === 'PONG' ? 1 : 0)),
        1000,
      ),
    ]);
    this.dependencyUp.set({ dependency: 'database' }, database ?? 0);
    this.dependencyUp.set({ dependency: 'redis' }, redis ?? 0);
  }

  private async readQueues(): Promise<void> {
    const results = await Promise.allSettled(QUEUE_NAMES.map((name) => this.readQueue(name)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async readQueue(name: QueueName): Promise<void> {
    const queue = this.queues.queue(name);
    const [counts, [oldest]] = await Promise.all([
      queue.getJobCounts(...QUEUE_STATES),
      queue.getJobs(['waiting'], 0, 0, true),
    ]);
    for (const state of QUEUE_STATES) this.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
    // BullMQ stamps jobs with the wall clock; a delayed job became ready at timestamp + delay
    const readyAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : undefined;
    this.queueOldest.set({ queue: name }, readyAt ? Math.max(0, (Date.now() - readyAt) / 1000) : 0);
  }

  private async readDatabase(): Promise<void> {
    const now = this.clock.now();
    // each figure is an index lookup or a bounded count; no table is scanned
    const [figures]: DbFigures[] = await this.db.query(
      `SELECT
         (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' LIMIT ${COUNT_CAP}) p)
           AS webhook_pending,
         (SELECT min(created_at) FROM (SELECT created_at FROM webhook_deliveries WHERE status = 'pending'
           LIMIT ${COUNT_CAP}) p) AS webhook_oldest,
         (SELECT count(*) FROM webhooks WHERE enabled AND failing_since IS NOT NULL) AS webhooks_failing,
         (SELECT min(failing_since) FROM webhooks WHERE enabled) AS webhook_failing_since,
         (SELECT count(*) FROM webhooks WHERE NOT enabled AND disabled_at IS NOT NULL) AS webhooks_disabled,
         (SELECT count(*) FROM (SELECT 1 FROM report_deltas LIMIT ${COUNT_CAP}) d) AS deltas_pending,
         (SELECT extract(epoch FROM now() - created_at)::float8 FROM report_deltas ORDER BY id LIMIT 1)
           AS fold_lag_seconds,
         (SELECT count(*) FROM (SELECT 1 FROM routing_pending LIMIT ${COUNT_CAP}) r) AS routing_pending,
         (SELECT min(created_at) FROM routing_pending) AS routing_oldest`,
    );
    const ageOf = (at: Date | null) =>
      at ? Math.max(0, (now.getTime() - new Date(at).getTime()) / 1000) : 0;
    this.webhookPending.set(Number(figures.webhook_pending));
    this.webhookOldest.set(ageOf(figures.webhook_oldest));
    this.webhooksFailing.set(Number(figures.webhooks_failing));
    this.webhookFailingSeconds.set(ageOf(figures.webhook_failing_since));
    this.webhooksDisabled.set(Number(figures.webhooks_disabled));
    this.deltasPending.set(Number(figures.deltas_pending));
    this.foldLag.set(Math.max(0, Number(figures.fold_lag_seconds ?? 0)));
    this.routingPending.set(Number(figures.routing_pending));
    this.routingOldest.set(ageOf(figures.routing_oldest));
    await this.readAppeals();
  }

  /**
   * Open statuses on the (status, created_at) index; ended ones summed from the daily 'all' rollup
   * rows (one a day), so they are as of the last fold: seconds behind, the fold lag.
   */
  private async readAppeals(): Promise<void> {
    const open: { status: string; n: string }[] = await this.db.query(
      `SELECT status, count(*) AS n FROM appeals WHERE status = ANY($1) GROUP BY status`,
      [OPEN_STATUSES],
    );
    const sums = TERMINAL_STATUSES.map((s) => `coalesce(sum(${s}), 0) AS ${s}`).join(', ');
    const [ended]: Record<(typeof TERMINAL_STATUSES)[number], string>[] = await this.db.query(
      `SELECT ${sums} FROM report_rollup_dim WHERE dim = 'all'`,
    );
    for (const status of OPEN_STATUSES)
      this.appeals.set({ status }, Number(open.find((r) => r.status === status)?.n ?? 0));
    for (const status of TERMINAL_STATUSES) this.appeals.set({ status }, Number(ended[status]));
  }
}
