import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { bullPrefix, createRedisClient, RedisClient } from '../redis/redis.module';
import { JOB_QUEUE, JobData, JobName, QueueName, jobId } from './job-types';

export interface AddOptions {
  /** Parts of the deterministic job id after the job name (entity id, due time …). */
  key?: (string | number)[];
  delayMs?: number;
  attempts?: number;
}

/** Producer side of BullMQ, present in every process role. Never call it inside a DB transaction. */
@Injectable()
export class QueueService implements OnModuleDestroy {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();
  private connection?: RedisClient;
  private closed = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      if (!this.connection) {
        this.connection = createRedisClient(this.config);
        this.connection.on('error', () => undefined);
      }
      q = new Queue(name, { connection: this.connection, prefix: bullPrefix(this.config) });
      q.on('error', (err) => this.logger.warn(`queue ${name}: ${err.message}`));
      this.queues.set(name, q);
    }
    return q;
  }

  static jobOptions(name: JobName, opts: AddOptions): JobsOptions {
    return {
      jobId: opts.key ? jobId(name, ...opts.key) : undefined,
      delay: opts.delayMs && opts.delayMs > 0 ? Math.ceil(opts.delayMs) : undefined,
      attempts: opts.attempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async add<N extends JobName>(name: N, data: JobData<N>, opts: AddOptions = {}): Promise<void> {
    await this.queue(JOB_QUEUE[name]).add(name, data, QueueService.jobOptions(name, opts));
  }

  async addBulk<N extends JobName>(name: N, jobs: { data: JobData<N>; opts?: AddOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(JOB_QUEUE[name]).addBulk(
      jobs.map((j) => ({ name, data: j.data, opts: QueueService.jobOptions(name, j.opts ?? {}) })),
    );
  }

  /** A repeatable job (BullMQ Job Scheduler); upserting twice is harmless. */
  async schedule<N extends JobName>(name: N, everyMs: number, data: JobData<N>): Promise<void> {
    await this.queue(JOB_QUEUE[name]).upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
  }

  /**
   * Registers a scheduler without holding up boot: waits for Redis, retries every few seconds until it
   * succeeds or the process shuts down. Producers run with the offline queue off, so a command sent
   * before the connection is ready would fail instead of waiting.
   */
  scheduleInBackground<N extends JobName>(name: N, everyMs: number, data: JobData<N>): void {
    this.inBackground(`scheduling ${name}`, JOB_QUEUE[name], () => this.schedule(name, everyMs, data));
  }

  /** add() that waits for Redis and retries the same way, for jobs enqueued at boot. */
  enqueueInBackground<N extends JobName>(name: N, data: JobData<N>, opts: AddOptions = {}): void {
    this.inBackground(`enqueueing ${name}`, JOB_QUEUE[name], () => this.add(name, data, opts));
  }

  private inBackground(what: string, queue: QueueName, op: () => Promise<void>, retryMs = 3000): void {
    const attempt = async (): Promise<void> => {
      if (this.closed) return;
      try {
        await this.queue(queue).waitUntilReady();
        await op();
      } catch (err) {
        this.logger.warn(`${what} failed (${(err as Error).message}); retrying`);
        const timer = setTimeout(() => void attempt(), retryMs);
        timer.unref();
        this.retryTimers.add(timer);
      }
    };
    void attempt();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const t of this.retryTimers) clearTimeout(t);
    await Promise.all(
      [...this.queues.values()].map((q) => withTimeout(q.close(), this.config.shutdownTimeoutMs)),
    );
    this.queues.clear();
    if (this.connection) {
      await withTimeout(this.connection.quit(), 1000).catch(() => undefined);
      this.connection.disconnect();
    }
  }
}

/** Resolves when p settles or after ms, whichever is first: BullMQ close() can hang when Redis is gone. */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.catch(() => undefined),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
