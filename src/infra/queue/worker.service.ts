import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import Redis from 'ioredis';
import { Metrics } from '../observability/metrics';
import { REDIS, redisOptions } from '../redis/redis.module';
import {
  JOB_NAMES,
  JOB_QUEUE,
  JobData,
  JobName,
  queueConcurrency,
  resolveSchedules,
  jobMapProblems,
} from './job-types';
import { QueueService, withTimeout } from './queue.service';

export type JobHandler<N extends JobName> = (data: JobData<N>, job: Job) => Promise<unknown>;

/**
 * Consumer side. Modules bind handlers in onModuleInit; at bootstrap a worker-role process checks that
 * every job of the map has one and that the schedules are usable (else boot fails), registers the Job
 * Schedulers and boot runs of JOB_SCHEDULES, and starts one BullMQ Worker per queue with the
 * concurrency of JOB_CONCURRENCY. Workers are closed within SHUTDOWN_TIMEOUT_MS, then forced.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerService.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly workers: Worker[] = [];

  private stopping = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: Metrics,
    private readonly queues: QueueService,
  ) {}

  handle<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`job ${name} has two handlers`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  get isWorker(): boolean {
    return this.config.role !== 'api';
  }

  onApplicationBootstrap(): void {
    if (!this.isWorker) return;
    const missing = JOB_NAMES.filter((n) => !this.handlers.has(n));
    if (missing.length > 0) throw new Error(`jobs without a handler: ${missing.join(', ')}`);
    const problems = jobMapProblems(this.config);
    if (problems.length > 0) throw new Error(`unusable job map: ${problems.join('; ')}`);
    this.scheduleRecurringJobs();
    void this.startWhenRedisAnswers();
  }

  /**
   * Not awaited: a worker must boot (and /health answer) while Redis is still coming up. Upserting a
   * scheduler is idempotent, so every worker process registers them all. A boot run's id carries the
   * wall-clock start time (not the injectable clock), so a restart never collides with a retained run.
   */
  private scheduleRecurringJobs(): void {
    const bootedAt = Date.now();
    for (const s of resolveSchedules(this.config)) {
      this.queues.scheduleInBackground(s.name, s.everyMs, {});
      if (s.atBoot) this.queues.enqueueInBackground(s.name, {}, { key: ['boot', bootedAt] });
    }
  }

  /**
   * Workers start once Redis answers (retrying in the background), so a worker boots while Redis is
   * still coming up, and a process that never reached Redis leaves no reconnect loops behind.
   */
  private async startWhenRedisAnswers(): Promise<void> {
    while (!this.stopping) {
      try {
        if ((await this.redis.ping()) === 'PONG') break;
      } catch {
        // not yet
      }
      await new Promise<void>((resolve) => {
        this.retryTimer = setTimeout(resolve, 2000);
      });
    }
    if (this.stopping) return;
    this.startWorkers();
  }

  private startWorkers(): void {
    const queues = new Set(JOB_NAMES.map((n) => JOB_QUEUE[n]));
    for (const queue of queues) {
      const worker = new Worker(queue, (job) => this.run(job), {
        connection: redisOptionsFor(this.config),
        prefix: this.config.redisPrefix,
        concurrency: queueConcurrency(queue),
        autorun: true,
      });
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      worker.on('failed', (job, err) =>
        this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
      );
      this.workers.push(worker);
    }
  }

  private async run(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    try {
      const result = await handler(job.data as JobData<JobName>, job);
      this.metrics.jobs.inc({ name: job.name, outcome: 'completed' });
      return result;
    } catch (err) {
      this.metrics.jobs.inc({ name: job.name, outcome: 'failed' });
      throw err;
    }
  }

  /** onModuleDestroy runs before TypeORM closes its pool (onApplicationShutdown): running jobs finish first. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const closing = this.workers.map(async (w) => {
      const closed = await withTimeout(
        w.close().then(() => true),
        this.config.shutdownTimeoutMs,
      );
      // Redis gone or a job hung: stop waiting
      if (!closed) await withTimeout(w.close(true), 1000);
      // and stop the clients' reconnect loops, which close() leaves running when Redis is unreachable
      await withTimeout(w.disconnect(), 1000);
    });
    await Promise.all(closing);
    this.workers.length = 0;
  }
}

function redisOptionsFor(config: AppConfig) {
  const url = new URL(config.redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    ...redisOptions(config, { forBullWorker: true }),
  };
}
