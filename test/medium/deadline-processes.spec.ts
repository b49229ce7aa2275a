import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { appealBody, client, world, World, categoryWithPolicy } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOT = resolve(__dirname, '../..');
const N = 60;

interface WorkerChild {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * SPEC §3 with the deadline worker as real OS processes (`ROLE=worker node src/main.ts`) next to an
 * API-only app: a worker SIGKILLed mid-run and restarted loses and doubles nothing; two workers at
 * once fire each deadline once; SIGTERM stops a worker within a bound.
 */
describe('deadline workers as OS processes (SIGKILL, two at once)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  let redis: Redis;
  let deadlinesQueue: Queue;
  const children = new Set<WorkerChild>();

  beforeAll(async () => {
    t = await createTestApp({ env: { ROLE: 'api' } });
    w = await world(t);
    t.app.useLogger(['error']); // a 500 from the API shows its stack
    api = client(t);
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    deadlinesQueue = new Queue('deadlines', { connection: redis, prefix: t.config.redisPrefix });
  });

  afterAll(async () => {
    // no orphans, whatever happened
    await Promise.all([...children].map((c) => kill(c, 'SIGKILL')));
    await deadlinesQueue?.close().catch(() => undefined);
    redis?.disconnect();
    await t?.close();
  });

  function startWorker(): WorkerChild {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      ROLE: 'worker',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: t.config.redisPrefix,
      JWT_SECRET: 'worker-process-test-secret',
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_MS: '2000',
      DB_POOL_SIZE: '5',
    };
    delete env.ADMIN_PASSWORD;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (b: Buffer) => {
      out = (out + b.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    const wc: WorkerChild = { child, output: () => out, exited };
    children.add(wc);
    void exited.then(() => children.delete(wc));
    return wc;
  }

  const running = (c: WorkerChild) => c.child.exitCode === null && c.child.signalCode === null;

  async function kill(c: WorkerChild, signal: NodeJS.Signals) {
    if (running(c)) c.child.kill(signal);
    return c.exited;
  }

  async function exitWithin(c: WorkerChild, ms: number) {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), ms);
    });
    try {
      return await Promise.race([c.exited, bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Until `count` worker processes consume the deadlines queue (BullMQ names their Redis clients). */
  async function workersReady(count: number, procs: WorkerChild[], ms = 60_000) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const dead = procs.find((p) => !running(p));
      if (dead) throw new Error(`worker process exited during start-up:\n${dead.output()}`);
      if ((await deadlinesQueue.getWorkersCount()) >= count) return;
      await sleep(200);
    }
    throw new Error(`${count} worker(s) not ready in time:\n${procs.map((p) => p.output()).join('\n')}`);
  }

  async function dispatchMany(categoryCode: string, n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const filed = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode }))
        .expect(201);
      await api
        .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
        .expect(200);
      ids.push(filed.body.id as string);
    }
    return ids;
  }

  async function deadlineEventCount(ids: string[]): Promise<number> {
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM appeal_events WHERE action LIKE 'deadline.%' AND appeal_id = ANY($1)`,
      [ids],
    );
    return n as number;
  }

  /** Exactly one warning and one overdue per assignment, one automatic supervision each, intact chains. */
  async function expectEachDeadlineOnce(ids: string[]) {
    const rows: { assignment_id: string; action: string; n: number }[] = await t.db.query(
      `SELECT data->>'assignmentId' AS assignment_id, action, count(*)::int AS n FROM appeal_events
       WHERE action LIKE 'deadline.%' AND appeal_id = ANY($1) GROUP BY 1, 2`,
      [ids],
    );
    const doubled = rows.filter((r) => r.n !== 1);
    expect(doubled).toEqual([]);
    expect(rows).toHaveLength(2 * ids.length);
    expect(rows.filter((r) => r.action === 'deadline.warning')).toHaveLength(ids.length);
    expect(rows.filter((r) => r.action === 'deadline.overdue')).toHaveLength(ids.length);
    const [{ assignments }] = await t.db.query(
      `SELECT count(*)::int AS assignments FROM assignments WHERE appeal_id = ANY($1)`,
      [ids],
    );
    expect(assignments).toBe(ids.length);
    const sup: { appeal_id: string; n: number }[] = await t.db.query(
      `SELECT appeal_id, count(*)::int AS n FROM supervisions WHERE source = 'overdue' AND appeal_id = ANY($1) GROUP BY 1`,
      [ids],
    );
    expect(sup).toHaveLength(ids.length);
    expect(sup.every((s) => s.n === 1)).toBe(true);
    const [{ unfired }] = await t.db.query(
      `SELECT count(*)::int AS unfired FROM assignments WHERE appeal_id = ANY($1)
       AND (ack_warn_fired_at IS NULL OR ack_overdue_fired_at IS NULL OR NOT overdue OR NOT warning)`,
      [ids],
    );
    expect(unfired).toBe(0);
    const broken: string[] = [];
    for (const id of ids) {
      const res = await api.get(`/appeals/${id}/events/verify`, w.dispatcher.auth).expect(200);
      if (res.body.valid !== true) broken.push(id);
    }
    expect(broken).toEqual([]);
  }

  it('a worker SIGKILLed mid-run and restarted: nothing lost, nothing doubled', async () => {
    const first = startWorker();
    await workersReady(1, [first]);
    // warnings about 4 s after each dispatch, overdues about 8 s after
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT8S', replyWithin: 'PT120S', warnAt: 0.5 });
    const ids = await dispatchMany(code, N);
    // kill while the first warnings are being fired (jobs in flight, transactions open)
    await waitFor(async () => (await deadlineEventCount(ids)) > 0, 'first deadline event', 30_000);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const atKill = await deadlineEventCount(ids);
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(2 * N); // really mid-run: something was still to fire

    const second = startWorker();
    await waitFor(async () => (await deadlineEventCount(ids)) >= 2 * N, 'all deadline events', 60_000);
    await sleep(1500); // give a late double the chance to show
    await expectEachDeadlineOnce(ids);
    expect(running(second)).toBe(true);
    await kill(second, 'SIGKILL');
  }, 120_000);

  it('two worker processes at once: each deadline fires once; SIGTERM stops both within a bound', async () => {
    const a = startWorker();
    const b = startWorker();
    await workersReady(2, [a, b]);
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT6S', replyWithin: 'PT120S', warnAt: 0.5 });
    const ids = await dispatchMany(code, N);
    await waitFor(async () => (await deadlineEventCount(ids)) >= 2 * N, 'all deadline events', 60_000);
    await sleep(1500);
    await expectEachDeadlineOnce(ids);

    const started = Date.now();
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    const [ea, eb] = await Promise.all([exitWithin(a, 10_000), exitWithin(b, 10_000)]);
    expect(ea).not.toBe('timeout');
    expect(eb).not.toBe('timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 120_000);
});
