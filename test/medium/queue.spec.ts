import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { AppModule } from '../../src/app.module';
import { JOB_NAMES, JOB_QUEUE, jobId } from '../../src/infra/queue/job-types';
import { QueueService } from '../../src/infra/queue/queue.service';
import { WorkerService } from '../../src/infra/queue/worker.service';
import { MaintenanceProcessor } from '../../src/modules/maintenance/maintenance.processor';
import { createTestApp, createTestContext, TestApp } from '../setup/test-app';

function redisConnection(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379) };
}

describe('queue plumbing against real Redis', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every job of the map names a queue, and ids are deterministic and colon-free', () => {
    for (const name of JOB_NAMES) expect(JOB_QUEUE[name]).toEqual(expect.any(String));
    expect(jobId('maintenance.purge-idempotency-keys', 'a:b', 12)).toBe(
      'maintenance.purge-idempotency-keys.a_b.12',
    );
  });

  it('a job added twice with the same key is stored once', async () => {
    const queues = t.app.get(QueueService);
    const q = queues.queue('maintenance');
    await q.pause();
    try {
      await queues.add('maintenance.purge-idempotency-keys', {}, { key: ['dedupe'], delayMs: 60_000 });
      await queues.add('maintenance.purge-idempotency-keys', {}, { key: ['dedupe'], delayMs: 60_000 });
      const delayed = await q.getDelayed();
      expect(delayed.filter((j) => j.id === 'maintenance.purge-idempotency-keys.dedupe')).toHaveLength(1);
    } finally {
      await (await q.getJob('maintenance.purge-idempotency-keys.dedupe'))?.remove();
      await q.resume();
    }
  });

  it('the worker runs a queued job through its handler against the real database', async () => {
    await t.db.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, appeal_id, created_at, expires_at)
       VALUES (gen_random_uuid(), 'stale', repeat('a', 64), NULL, now() - interval '2 days', now() - interval '1 day')`,
    );
    const queues = t.app.get(QueueService);
    const events = new (await import('bullmq')).QueueEvents('maintenance', {
      connection: redisConnection(t.config.redisUrl),
      prefix: t.config.redisPrefix,
    });
    try {
      await events.waitUntilReady();
      const q: Queue = queues.queue('maintenance');
      const job = await q.add('maintenance.purge-idempotency-keys', {});
      const result = await job.waitUntilFinished(events, 15_000);
      // the scheduler's own first run may have purged the row already: either way it is gone
      expect(typeof result).toBe('number');
      const left = await t.db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'stale'`);
      expect(left[0].n).toBe(0);
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(
        /zqt_jobs_total\{name="maintenance.purge-idempotency-keys",outcome="completed"\} [1-9]/,
      );
    } finally {
      await events.close();
    }
  });

  it('the maintenance schedule is registered as a BullMQ Job Scheduler', async () => {
    const q = t.app.get(QueueService).queue('maintenance');
    let keys: string[] = [];
    for (let i = 0; i < 50 && !keys.includes('maintenance.purge-idempotency-keys'); i++) {
      keys = (await q.getJobSchedulers()).map((s) => s.key);
      if (!keys.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(keys).toContain('maintenance.purge-idempotency-keys');
    expect(t.app.get(MaintenanceProcessor)).toBeDefined();
  });

  it('a worker-role process refuses to boot when a job has no handler', async () => {
    const ctx = await createTestContext();
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ config: { ...ctx.config, role: 'worker' } })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const original = WorkerService.prototype.handle;
    // simulate a module that forgot to register one job
    jest.spyOn(WorkerService.prototype, 'handle').mockImplementation(function (
      this: WorkerService,
      name,
      handler,
      opts,
    ) {
      if (name !== 'maintenance.purge-idempotency-keys') original.call(this, name, handler, opts);
    });
    try {
      await expect(app.init()).rejects.toThrow(
        /^jobs without a handler: maintenance.purge-idempotency-keys$/,
      );
    } finally {
      WorkerService.prototype.handle = original;
      jest.restoreAllMocks();
      await app.close().catch(() => undefined);
      await ctx.cleanup();
    }
  });

  it('shutdown is bounded even when Redis is unreachable', async () => {
    const ctx = await createTestContext({ REDIS_URL: 'redis://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '500' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ config: ctx.config })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.init();
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await ctx.cleanup();
    }
  });
});
