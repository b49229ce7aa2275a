import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { JOB_NAMES, JOB_QUEUE, QUEUE_NAMES, jobId, resolveSchedules } from '../../src/infra/queue/job-types';
import { QueueService } from '../../src/infra/queue/queue.service';
import { WorkerService } from '../../src/infra/queue/worker.service';
import { createTestApp, createTestContext, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

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

  /** The app of a given role on a database and Redis prefix of its own, not listening on a port. */
  async function bootRole(role: AppConfig['role'], edit: (c: AppConfig) => AppConfig = (c) => c) {
    const ctx = await createTestContext({ WEBHOOK_POLL_MS: '750' });
    const config = edit({ ...ctx.config, role });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    return {
      app,
      config,
      close: async () => {
        await app.close().catch(() => undefined);
        await ctx.cleanup();
      },
    };
  }

  async function schedulers(queues: QueueService): Promise<Record<string, number | undefined>> {
    const found: Record<string, number | undefined> = {};
    for (const name of QUEUE_NAMES)
      for (const s of await queues.queue(name).getJobSchedulers()) found[`${name}/${s.key}`] = s.every;
    return found;
  }

  it('a worker registers exactly the Job Schedulers of JOB_SCHEDULES, and runs the boot jobs once each', async () => {
    const w = await bootRole('worker');
    try {
      await w.app.init();
      const queues = w.app.get(QueueService);
      const expected = Object.fromEntries(
        resolveSchedules(w.config).map((s) => [`${JOB_QUEUE[s.name]}/${s.name}`, s.everyMs]),
      );
      expect(expected['webhooks/webhook.pump']).toBe(750); // read from the configuration
      let found: Record<string, number | undefined> = {};
      await waitFor(async () => {
        found = await schedulers(queues);
        return Object.keys(found).length >= Object.keys(expected).length;
      }, 'the schedulers');
      expect(found).toEqual(expected);

      const atBoot = resolveSchedules(w.config).filter((s) => s.atBoot);
      expect(atBoot.map((s) => s.name).sort()).toEqual([
        'deadline.sweep',
        'privacy.anonymise-contacts',
        'routing.sweep',
      ]);
      const bootRuns = async () => {
        const runs: string[] = [];
        for (const name of QUEUE_NAMES)
          for (const job of await queues.queue(name).getJobs(['completed']))
            if (job.id?.includes('.boot.')) runs.push(job.name);
        return runs.sort();
      };
      await waitFor(async () => (await bootRuns()).length >= atBoot.length, 'the boot runs');
      expect(await bootRuns()).toEqual(atBoot.map((s) => s.name).sort());
    } finally {
      await w.close();
    }
  });

  it('an API-only process registers no scheduler and runs no boot job', async () => {
    const a = await bootRole('api');
    try {
      await a.app.init();
      const queues = a.app.get(QueueService);
      await queues.queue('maintenance').waitUntilReady();
      await new Promise((r) => setTimeout(r, 500));
      expect(await schedulers(queues)).toEqual({});
      for (const name of QUEUE_NAMES)
        expect(await queues.queue(name).getJobCounts()).toMatchObject({ waiting: 0 });
    } finally {
      await a.close();
    }
  });

  it('a worker-role process refuses to boot when a job has no handler', async () => {
    const w = await bootRole('worker');
    const original = WorkerService.prototype.handle;
    // simulate a module that forgot to register one job
    jest.spyOn(WorkerService.prototype, 'handle').mockImplementation(function (
      this: WorkerService,
      name,
      handler,
    ) {
      if (name !== 'maintenance.purge-idempotency-keys') original.call(this, name, handler);
    });
    try {
      await expect(w.app.init()).rejects.toThrow(
        /^jobs without a handler: maintenance.purge-idempotency-keys$/,
      );
    } finally {
      WorkerService.prototype.handle = original;
      jest.restoreAllMocks();
      await w.close();
    }
  });

  it('a worker-role process refuses to boot when a schedule is unusable', async () => {
    const w = await bootRole('worker', (c) => ({ ...c, webhooks: { ...c.webhooks, pollMs: 0 } }));
    try {
      await expect(w.app.init()).rejects.toThrow(
        /^unusable job map: schedule of webhook.pump: interval 0 ms is not a positive whole number$/,
      );
    } finally {
      await w.close();
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
