import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { type ConnectionOptions, Job, Worker } from 'bullmq';
import { performance } from 'node:perf_hooks';
import type { Logger as PinoLogger } from 'pino';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { lazyChild, ROOT_LOGGER, runWithLogger } from '../observability/logging';
import { Metrics } from '../observability/metrics';
import {
  bullPrefix,
  createRedisClient,
  REDIS,
  RedisClient,
  redisConnectionOptions,
} from '../redis/redis.module';
import {
  JOB_NAMES,
  JOB_QUEUE,
  JobData,
  JobName,
  QueueName,
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
  /** Cluster connections handed to the workers (BullMQ does not close a connection it was given). */
  private readonly clusterConnections: RedisClient[] = [];

  private stopping = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly metrics: Metrics,
    private readonly queues: QueueService,
    @Inject(ROOT_LOGGER) private readonly root: PinoLogger,
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
      const worker = new Worker(queue, (job) => this.run(queue, job), {
        connection: this.workerConnection(),
        prefix: bullPrefix(this.config),
        concurrency: queueConcurrency(queue),
        autorun: true,
      });
      worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
      // a job whose process died mid-run: BullMQ runs it again (failures are logged by run())
      worker.on('stalled', (jobId) => this.root.warn({ queue, jobId }, 'job stalled; it will run again'));
      this.workers.push(worker);
    }
  }

  /**
   * One server or Sentinel: options, from which BullMQ opens the worker's connections itself (and asks
   * the sentinels again after a failover). A Cluster: a client of ours, which BullMQ duplicates for
   * its blocking connection.
   */
  private workerConnection(): ConnectionOptions {
    if (this.config.redisTopology.kind !== 'cluster')
      return redisConnectionOptions(this.config, { forBullWorker: true }) as ConnectionOptions;
    const cluster = createRedisClient(this.config, { forBullWorker: true });
    cluster.on('error', () => undefined);
    this.clusterConnections.push(cluster);
    return cluster;
  }

  /**
   * Runs one job with a logger bound to it (queue, job name, id, attempt and the ids its data names),
   * so whatever its handler logs says which job it was; counts and times it.
   */
  private async run(queue: QueueName, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const log = lazyChild(this.root, {
      queue,
      jobName: job.name,
      jobId: job.id,
      attempt: job.attemptsMade + 1,
      ...jobIds(job.data),
    });
    const started = performance.now();
    const finish = (outcome: 'completed' | 'failed') => {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.jobs.inc({ name: job.name, outcome });
      this.metrics.jobDuration.observe({ queue, name: job.name, outcome }, seconds);
      return Math.round(seconds * 1000);
    };
    return runWithLogger(log, async () => {
      try {
        const result = await handler(job.data as JobData<JobName>, job);
        log.debug({ durationMs: finish('completed') }, 'job completed');
        return result;
      } catch (err) {
        log.warn({ err, durationMs: finish('failed') }, `job ${job.name} failed`);
        throw err;
      }
    });
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
    for (const c of this.clusterConnections.splice(0)) c.disconnect();
  }
}

/** The ids a job's data carries (appeal, assignment, delivery) and its deadline kind, for its log lines. */
function jobIds(data: unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  if (!data || typeof data !== 'object') return ids;
  for (const key of ['appealId', 'assignmentId', 'deliveryId', 'kind', 'dueAt']) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === 'string') ids[key] = value;
  }
  return ids;
}
