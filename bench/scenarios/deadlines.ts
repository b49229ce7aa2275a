/**
 * Deadlines (SPEC §3): two figures of deadline enforcement.
 *
 * 1. the burst: 10,000 open assignments (status 'dispatched') whose acknowledgement warning and overdue
 *    instants all fall within 18 s a little in the future, armed with DeadlinesService.arm() (20,000
 *    BullMQ delayed jobs) and fired by the application's own workers (ROLE=all, in this process).
 *    Lateness is the fired event's created_at (the clock reading the firing writes) minus the instant it
 *    was due (data.dueAt, copied from the assignment's column). Every deadline must fire exactly once.
 * 2. a cold worker: 10,000 assignments whose acknowledgement deadline and warning are both in the past
 *    and for which no wake-up was armed — what a worker finds when it starts after every worker was down
 *    and Redis was flushed. The service is spawned as `npm start` runs it (node dist/src/main.js, built
 *    first when stale) with ROLE=worker and a Redis prefix of its own, while this process's deadline
 *    and maintenance queues are paused; the figure is spawn → the last firing's created_at (and spawn
 *    → the first), each exactly once, with their supervisions.
 *
 * Rows are inserted with SQL (appeals in 'dispatched', already routed, with one lead assignment each, no
 * prior events: the firing code starts the event chain at genesis). wake(), sweep() and arm() of the
 * running application's DeadlinesService are wrapped during phase 1 only to count and time calls; the
 * wrapped code is the application's own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { QueueService } from '../../src/infra/queue/queue.service';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import {
  deleteRedisPrefix,
  REDIS_URL,
  type BenchContext,
  type Measurement,
  type Scenario,
  type ScenarioResult,
} from '../context';
import { cpuSince, cpuSnapshot, perOperation } from '../cpu';
import { CpuProfile, summarise } from '../profile';
import { fmtMs, percentile, round, sleep } from '../stats';
import { tableUpdates, TableUpdates, updatesBetween } from '../table-updates';

/** Pending deadlines (assignments) per phase; each has a warning and an overdue instant. */
const N = 10_000;
/** The first warning instant is this far after arming starts … */
const LEAD_MS = 15_000;
/** … the warnings are spread evenly over this window … */
const SPREAD_MS = 15_000;
/** … and each overdue instant follows its warning by this much (SLA "1515" shape squeezed into seconds). */
const WARN_TO_DUE_MS = 3_000;
/** Give up waiting for the wake-ups this long after the last instant … */
const DRAIN_TIMEOUT_MS = 120_000;
/** … or once nothing has fired for this long (longer than one sweep period, 30 s). */
const STALL_MS = 40_000;

const WAKE_PREFIX = 'BDLWAKE';
const SWEEP_PREFIX = 'BDLSWEEP';

interface WakeCall {
  secondLook: boolean;
  /** its own timer fired in its batch */
  ok: boolean;
  ms: number;
}

const scenario: Scenario = {
  name: 'deadlines',
  description: `deadline events with ${N.toLocaleString('en-US')} pending: wake-up lateness, and the sweeper catching up ${N.toLocaleString('en-US')} missed`,

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const { app } = await ctx.app();
    const seed = await ctx.seed();
    const deadlines = app.get(DeadlinesService);
    const queue = app.get(QueueService).queue('deadlines');
    const failures: string[] = [];
    const summary: string[] = [];

    // --- instrumentation: count and time the application's own calls (restored in finally)
    const origWake = deadlines.wake.bind(deadlines);
    const origSweep = deadlines.sweep.bind(deadlines);
    const origArm = deadlines.arm.bind(deadlines);
    const calls: WakeCall[] = [];
    const sweeps: { startedAt: number; ms: number; result: unknown }[] = [];
    const arms: { ms: number; armed: number }[] = [];
    deadlines.wake = async (id, kind, secondLook, dueAt) => {
      const t = performance.now();
      const ok = await origWake(id, kind, secondLook, dueAt);
      calls.push({ secondLook: secondLook === true, ok, ms: performance.now() - t });
      return ok;
    };
    deadlines.sweep = async (...args) => {
      const startedAt = Date.now();
      const t = performance.now();
      const result = await origSweep(...args);
      sweeps.push({ startedAt, ms: performance.now() - t, result });
      return result;
    };
    deadlines.arm = async (...args) => {
      const t = performance.now();
      const armed = await origArm(...args);
      arms.push({ ms: performance.now() - t, armed });
      return armed;
    };

    const ref = {
      departmentId: seed.department.id,
      categoryCode: seed.category.code,
      enterpriseId: seed.enterprise.id,
      userId: seed.user.id,
    };

    try {
      // ================= 1. wake-ups with 10,000 pending deadlines =================
      const t0 = Date.now() + LEAD_MS;
      const stepMs = SPREAD_MS / N;
      let t = performance.now();
      await insertOpenAssignments(ctx, ref, WAKE_PREFIX, t0, stepMs, WARN_TO_DUE_MS);
      const insertMs = performance.now() - t;

      t = performance.now();
      const armed = await deadlines.arm();
      const armMs = performance.now() - t;
      if (armed < 2 * N) failures.push(`wake-ups: arm() armed ${armed} wake-ups, expected ≥ ${2 * N}`);
      const counts = await queue.getJobCounts('delayed', 'wait', 'active', 'completed', 'failed');
      const armedAheadMs = t0 - Date.now();
      if (armedAheadMs < 0)
        failures.push(`wake-ups: arming finished ${-armedAheadMs} ms after the first instant was due`);

      // what the burst costs: this database's statements and the CPU of everyone serving it from here on
      const stats = await burstStatsStart(ctx);
      const cpuStart = await cpuSnapshot(ctx);

      const lastDue = t0 + SPREAD_MS + WARN_TO_DUE_MS;
      const drainDeadline = lastDue + DRAIN_TIMEOUT_MS;
      let fired = { warn: 0, overdue: 0 };
      let lastProgress = Date.now();
      while (Date.now() < drainDeadline && Date.now() - lastProgress < STALL_MS) {
        const now = await firedCounts(ctx, WAKE_PREFIX);
        if (now.warn + now.overdue > fired.warn + fired.overdue || Date.now() < lastDue)
          lastProgress = Date.now();
        fired = now;
        if (fired.warn >= N && fired.overdue >= N) break;
        // the count scans every bench row: often enough to stop soon, rarely enough not to weigh
        await sleep(1000);
      }
      const cpu = await cpuSince(ctx, cpuStart);
      const burstStatements = await burstStats(ctx, stats, 2 * N);
      // a wake-up that ran twice would write a second event only on a bug: give stragglers a moment
      await sleep(500);
      fired = await firedCounts(ctx, WAKE_PREFIX);
      const wake = await eventFacts(ctx, WAKE_PREFIX);
      if (fired.warn !== N || fired.overdue !== N)
        failures.push(
          `wake-ups: ${fired.warn} warnings and ${fired.overdue} overdue marked fired of ${N} each ` +
            `within ${DRAIN_TIMEOUT_MS / 1000} s of the last instant (or nothing fired for ${STALL_MS / 1000} s)`,
        );
      checkExactlyOnce('wake-ups', wake, N, N, failures);
      const jobsAfter = await queue.getJobCounts('delayed', 'wait', 'active', 'completed', 'failed');
      if ((jobsAfter.failed ?? 0) > 0) failures.push(`wake-ups: ${jobsAfter.failed} failed jobs in BullMQ`);

      const lateness = wake.latenessMs.slice().sort((a, b) => a - b);
      const firstDue = t0;
      const lastFired = wake.lastCreatedAt ?? NaN;
      const firingSpanS = (lastFired - firstDue) / 1000;
      const eventsPerS = wake.events / firingSpanS;
      const workerCalls = calls;
      const workerFireMs = workerCalls.map((c) => c.ms).sort((a, b) => a - b);
      const sweepsDuringWake = sweeps;
      const wakeM: Measurement = {
        key: 'wakeups',
        label: `wake-ups   ${(2 * N).toLocaleString('en-US')} due in ${(SPREAD_MS + WARN_TO_DUE_MS) / 1000} s · lateness`,
        unit: 'tx/s',
        rate: eventsPerS,
        p50Ms: percentile(lateness, 50),
        p99Ms: percentile(lateness, 99),
        ok: wake.events,
        failed: 2 * N - wake.distinct,
        durationS: firingSpanS,
      };
      const offered = (2 * N) / ((SPREAD_MS + WARN_TO_DUE_MS) / 1000);
      summary.push(
        `wake-ups: lateness p50 ${fmtMs(wakeM.p50Ms)} · p99 ${fmtMs(wakeM.p99Ms)} · max ${fmtMs(lateness[lateness.length - 1])} · ` +
          `${Math.round(eventsPerS)} events/s (first due → last fired, ${round(firingSpanS, 1)} s) against ${Math.round(offered)}/s falling due`,
      );
      summary.push(
        `wake-ups: ${wake.events} deadline events for ${wake.distinct} distinct (assignment, kind) of ${2 * N} · ` +
          `${fired.warn} warn + ${fired.overdue} overdue marked · ${wake.supervised} appeal.supervised · ${wake.supervisions} supervisions · ` +
          `lateness by kind p50/p99: warning ${fmtMs(percentile(sorted(wake.byKind.warning), 50))}/${fmtMs(percentile(sorted(wake.byKind.warning), 99))}, ` +
          `overdue ${fmtMs(percentile(sorted(wake.byKind.overdue), 50))}/${fmtMs(percentile(sorted(wake.byKind.overdue), 99))}`,
      );
      summary.push(
        `wake-ups: insert ${Math.round(insertMs)} ms · arm() ${Math.round(armMs)} ms for ${armed} jobs (queue then: ${JSON.stringify(counts)}), ` +
          `${Math.round(armedAheadMs)} ms before the first instant · wake() by workers: ${workerCalls.length} calls ` +
          `(${workerCalls.filter((c) => c.secondLook).length} second looks), ${workerCalls.filter((c) => c.ok).length} fired their own timer, ` +
          `service time p50 ${fmtMs(percentile(workerFireMs, 50))} p99 ${fmtMs(percentile(workerFireMs, 99))} · ` +
          `periodic sweeps meanwhile: ${sweepsDuringWake.length} (${sweepsDuringWake.map((s) => `${Math.round(s.ms)} ms ${JSON.stringify(s.result)}`).join('; ') || '-'})`,
      );

      summary.push(`wake-ups: CPU per firing (arming done → all fired): ${perOperation(cpu, 2 * N)}`);
      summary.push(...burstStatements.lines);

      // ================= 2. a cold ROLE=worker process after 10,000 missed deadlines =================
      // No periodic sweep and no wake-up of this process may touch these rows: pause its deadlines and
      // maintenance queues (the spawned worker has a Redis prefix of its own) and wait for what runs.
      const maintenance = app.get(QueueService).queue('maintenance');
      await queue.pause();
      await maintenance.pause();
      let coldM: Measurement | null = null;
      let cold: ColdFacts | null = null;
      try {
        for (
          let i = 0;
          i < 120 && (await queue.getActiveCount()) + (await maintenance.getActiveCount()) > 0;
          i++
        )
          await sleep(250);
        const active = await queue.getActiveCount();
        if (active > 0)
          failures.push(`cold worker: ${active} deadline jobs still active after pausing the queue`);
        const service = await builtService();

        // overdue instants 2 h ago, 1 ms apart; warnings 1 h before them: both missed, nothing armed
        const pastT0 = Date.now() - 2 * 3600_000;
        await insertOpenAssignments(ctx, ref, SWEEP_PREFIX, pastT0, 1, 3600_000, -3600_000);
        cold = await coldWorker(ctx, service, failures);
        const sf = await firedCounts(ctx, SWEEP_PREFIX);
        const coldFacts = await eventFacts(ctx, SWEEP_PREFIX);
        if (sf.overdue !== N || sf.warn !== N)
          failures.push(
            `cold worker: ${sf.warn} warnings and ${sf.overdue} overdue of ${N} each marked fired`,
          );
        checkExactlyOnce('cold worker', coldFacts, N, N, failures);
        const lastS =
          coldFacts.lastCreatedAt === null ? NaN : (coldFacts.lastCreatedAt - cold.spawnedAt) / 1000;
        const firstS =
          coldFacts.firstCreatedAt === null ? NaN : (coldFacts.firstCreatedAt - cold.spawnedAt) / 1000;
        coldM = {
          key: 'coldWorker',
          label: `cold ROLE=worker: ${N.toLocaleString('en-US')} missed ack deadlines + warnings · spawn → last fired`,
          unit: 'tx/s',
          rate: coldFacts.events / lastS,
          p50Ms: firstS * 1000,
          p99Ms: lastS * 1000,
          ok: coldFacts.events,
          failed: 2 * N - coldFacts.distinct,
          durationS: lastS,
        };
        summary.push(
          `cold worker (${service.how}): spawn → first firing ${round(firstS, 2)} s · → last firing ${round(lastS, 2)} s ` +
            `(${Math.round(coldFacts.events / (lastS - firstS))} deadlines/s while firing) · ` +
            `${coldFacts.events} events for ${coldFacts.distinct} distinct of ${2 * N} · ${coldFacts.supervised} appeal.supervised · ` +
            `${coldFacts.supervisions} supervisions · its log: ${cold.milestones.join(' · ') || '-'}`,
        );
        summary.push(
          `the rate column of the cold-worker row is events per second of spawn → last firing; p50 = spawn → first firing, p99 = spawn → last firing`,
        );
        if (cold.profile) {
          const profile = JSON.parse(readFileSync(cold.profile, 'utf8')) as CpuProfile;
          summary.push(
            `cold worker: CPU profile of its main thread, spawn to exit → ${cold.profile}`,
            ...summarise(profile, coldFacts.events),
          );
        }
      } finally {
        await queue.resume();
        await maintenance.resume();
      }

      return {
        measurements: coldM ? [wakeM, coldM] : [wakeM],
        summary,
        failures,
        details: {
          n: N,
          wakeups: {
            leadMs: LEAD_MS,
            spreadMs: SPREAD_MS,
            warnToDueMs: WARN_TO_DUE_MS,
            offeredPerS: round(offered, 1),
            insertMs: Math.round(insertMs),
            armMs: Math.round(armMs),
            armed,
            armedAheadMs: Math.round(armedAheadMs),
            jobCountsAfterArm: counts,
            jobCountsAfter: jobsAfter,
            latenessMs: {
              p50: round(percentile(lateness, 50), 1),
              p90: round(percentile(lateness, 90), 1),
              p99: round(percentile(lateness, 99), 1),
              max: round(lateness[lateness.length - 1], 1),
              min: round(lateness[0], 1),
            },
            eventsPerS: round(eventsPerS, 1),
            firingSpanS: round(firingSpanS, 2),
            events: wake.events,
            distinct: wake.distinct,
            supervised: wake.supervised,
            supervisions: wake.supervisions,
            wakeCalls: workerCalls.length,
            wakeSecondLooks: workerCalls.filter((c) => c.secondLook).length,
            wakeFiredOwn: workerCalls.filter((c) => c.ok).length,
            wakeMs: {
              p50: round(percentile(workerFireMs, 50), 2),
              p99: round(percentile(workerFireMs, 99), 2),
            },
            cpu,
            statements: burstStatements.rows,
            tables: burstStatements.tables,
            periodicSweeps: sweepsDuringWake.map((s) => ({ ms: Math.round(s.ms), result: s.result })),
          },
          coldWorker:
            coldM && cold
              ? {
                  how: cold.how,
                  firstFiredS: round(coldM.p50Ms / 1000, 2),
                  lastFiredS: round(coldM.durationS, 2),
                  events: coldM.ok,
                  milestones: cold.milestones,
                }
              : null,
          arms: arms.map((a) => ({ ms: Math.round(a.ms), armed: a.armed })),
        },
      };
    } finally {
      deadlines.wake = origWake;
      deadlines.sweep = origSweep;
      deadlines.arm = origArm;
    }
  },
};

export default scenario;

const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);

/**
 * N appeals in 'dispatched' (numbers `<prefix><i>`), one open lead assignment each. The warning of row i is
 * due at firstWarnMs + i·stepMs, its overdue instant warnToDueMs later; the reply deadlines are 30 days out
 * (they matter only once acknowledged). `dispatchedOffsetMs` dates the dispatch relative to the first warning.
 */
async function insertOpenAssignments(
  ctx: BenchContext,
  ref: { departmentId: string; categoryCode: string; enterpriseId: string; userId: string },
  prefix: string,
  firstWarnMs: number,
  stepMs: number,
  warnToDueMs: number,
  dispatchedOffsetMs = -3600_000,
  warningsAlreadyFired = false,
): Promise<void> {
  await ctx.sql(
    `WITH a AS (
       INSERT INTO appeals (number, type, category_code, title, content, urgency, district, channel, enterprise_id,
         contact_name, contact_phone, confidential, status, lead_department_id, reopen_count, supervised, version,
         created_by, created_at, updated_at, dispatched_at, routed_at)
       SELECT $1 || lpad(i::text, 6, '0'), 'help', $2, '技改项目贷款审批超过三个月仍无结果',
              '基准测试：期限事件。', 'normal', '吴兴区', 'web', $3, '张经理', '13800000000', false, 'dispatched', $4, 0,
              false, 1, $5, d, d, d, d
         FROM generate_series(0, $6::int - 1) AS i,
              LATERAL (SELECT 'epoch'::timestamptz + round($7::float8 + $10::float8) * interval '1 millisecond' AS d) AS x
       RETURNING id, number, dispatched_at
     )
     INSERT INTO assignments (appeal_id, department_id, role, status, round, dispatched_at, dispatched_by,
       ack_warn_at, ack_due_at, reply_due_at, reply_warn_at, original_reply_due_at, ack_warn_fired_at, warning)
     SELECT a.id, $4, 'lead', 'dispatched', 0, a.dispatched_at, $5, w.at, w.at + round($9::float8) * interval '1 millisecond',
            now() + interval '30 days', now() + interval '24 days', now() + interval '30 days',
            CASE WHEN $11::boolean THEN w.at END, $11::boolean
       FROM a,
            LATERAL (SELECT 'epoch'::timestamptz + round($7::float8 + substr(a.number, length($1) + 1)::int * $8::float8) * interval '1 millisecond' AS at) AS w`,
    [
      prefix,
      ref.categoryCode,
      ref.enterpriseId,
      ref.departmentId,
      ref.userId,
      N,
      firstWarnMs,
      stepMs,
      warnToDueMs,
      dispatchedOffsetMs,
      warningsAlreadyFired,
    ],
  );
}

async function firedCounts(ctx: BenchContext, prefix: string): Promise<{ warn: number; overdue: number }> {
  const [r] = await ctx.sql<{ warn: string; overdue: string }>(
    `SELECT count(s.ack_warn_fired_at) AS warn, count(s.ack_overdue_fired_at) AS overdue
       FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE a.number LIKE $1 || '%'`,
    [prefix],
  );
  return { warn: Number(r.warn), overdue: Number(r.overdue) };
}

interface EventFacts {
  events: number;
  distinct: number;
  warnings: number;
  overdues: number;
  supervised: number;
  supervisions: number;
  /** deadline events whose data.dueAt differs from the assignment's column of that kind */
  dueMismatch: number;
  latenessMs: number[];
  byKind: { warning: number[]; overdue: number[] };
  lastCreatedAt: number | null;
  firstCreatedAt: number | null;
}

/** The deadline events of one phase's appeals, with lateness = created_at − the assignment's own instant. */
async function eventFacts(ctx: BenchContext, prefix: string): Promise<EventFacts> {
  const rows = await ctx.sql<{ action: string; ms: number; mismatch: boolean; aid: string; at: Date }>(
    `SELECT e.action,
            extract(epoch FROM e.created_at - CASE WHEN e.action = 'deadline.warning' THEN s.ack_warn_at ELSE s.ack_due_at END) * 1000 AS ms,
            (e.data->>'dueAt')::timestamptz IS DISTINCT FROM
              CASE WHEN e.action = 'deadline.warning' THEN s.ack_warn_at ELSE s.ack_due_at END AS mismatch,
            e.data->>'assignmentId' AS aid, e.created_at AS at
       FROM appeal_events e
       JOIN appeals a ON a.id = e.appeal_id
       LEFT JOIN assignments s ON s.id = (e.data->>'assignmentId')::uuid
      WHERE a.number LIKE $1 || '%' AND e.action IN ('deadline.warning', 'deadline.overdue')`,
    [prefix],
  );
  const [extra] = await ctx.sql<{ supervised: string; supervisions: string }>(
    `SELECT (SELECT count(*) FROM appeal_events e JOIN appeals a ON a.id = e.appeal_id
              WHERE a.number LIKE $1 || '%' AND e.action = 'appeal.supervised') AS supervised,
            (SELECT count(*) FROM supervisions v JOIN appeals a ON a.id = v.appeal_id
              WHERE a.number LIKE $1 || '%' AND v.source = 'overdue') AS supervisions`,
    [prefix],
  );
  const keys = new Set<string>();
  const facts: EventFacts = {
    events: rows.length,
    distinct: 0,
    warnings: 0,
    overdues: 0,
    supervised: Number(extra.supervised),
    supervisions: Number(extra.supervisions),
    dueMismatch: 0,
    latenessMs: [],
    byKind: { warning: [], overdue: [] },
    lastCreatedAt: null,
    firstCreatedAt: null,
  };
  for (const r of rows) {
    keys.add(`${r.aid}/${r.action}`);
    const ms = Number(r.ms);
    facts.latenessMs.push(ms);
    if (r.action === 'deadline.warning') {
      facts.warnings++;
      facts.byKind.warning.push(ms);
    } else {
      facts.overdues++;
      facts.byKind.overdue.push(ms);
    }
    if (r.mismatch) facts.dueMismatch++;
    const at = new Date(r.at).getTime();
    if (facts.lastCreatedAt === null || at > facts.lastCreatedAt) facts.lastCreatedAt = at;
    if (facts.firstCreatedAt === null || at < facts.firstCreatedAt) facts.firstCreatedAt = at;
  }
  facts.distinct = keys.size;
  return facts;
}

function checkExactlyOnce(
  phase: string,
  f: EventFacts,
  warnings: number,
  n: number,
  failures: string[],
): void {
  if (f.warnings !== warnings)
    failures.push(`${phase}: ${f.warnings} deadline.warning events, expected ${warnings}`);
  if (f.overdues !== n) failures.push(`${phase}: ${f.overdues} deadline.overdue events for ${n} assignments`);
  if (f.distinct !== f.events)
    failures.push(`${phase}: ${f.events - f.distinct} deadlines fired more than once`);
  if (f.supervised !== n)
    failures.push(`${phase}: ${f.supervised} appeal.supervised events for ${n} overdue`);
  if (f.supervisions !== n)
    failures.push(`${phase}: ${f.supervisions} overdue supervisions for ${n} overdue`);
  if (f.dueMismatch > 0)
    failures.push(`${phase}: ${f.dueMismatch} events whose data.dueAt is not the assignment's instant`);
  const early = f.latenessMs.filter((ms) => ms < 0).length;
  if (early > 0) failures.push(`${phase}: ${early} events fired before they were due`);
}

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const BUILD_INPUTS = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

interface Service {
  how: string;
  command: string;
  args: string[];
}

/**
 * The service as `npm start` runs it: dist/src/main.js, built first (`npm run build`, outside the
 * timing) when it is missing or older than the sources, as scripts/start.js does.
 */
async function builtService(): Promise<Service> {
  const mtime = (p: string) => {
    try {
      return statSync(p).mtimeMs;
    } catch {
      return 0;
    }
  };
  const newest = (p: string): number => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return 0;
    if (!st.isDirectory()) return st.mtimeMs;
    return Math.max(st.mtimeMs, ...readdirSync(p).map((n) => newest(join(p, n))));
  };
  const built = mtime(MAIN);
  if (built === 0 || built < Math.max(...BUILD_INPUTS.map((e) => newest(join(ROOT, e))))) {
    rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
    const code = await new Promise<number>((done) =>
      spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], {
        cwd: ROOT,
        stdio: 'inherit',
      }).on('exit', (c) => done(c ?? 1)),
    );
    if (code !== 0) throw new Error(`npm run build failed (exit ${code})`);
  }
  return { how: 'node dist/src/main.js', command: process.execPath, args: [MAIN] };
}

interface ColdFacts {
  how: string;
  spawnedAt: number;
  /** its CPU profile (`--cpu-profile`), written as it exits */
  profile: string | null;
  /** what its log said when, seconds after the spawn */
  milestones: string[];
}

/** How long the spawned worker may take to fire everything before the bench gives up on it. */
const COLD_TIMEOUT_MS = 120_000;

/**
 * Spawns the service with ROLE=worker on the bench database, with a Redis prefix of its own (nothing
 * armed: what a worker finds after every worker was down and Redis flushed), waits until every missed
 * deadline is marked fired (or COLD_TIMEOUT_MS), then stops it with SIGTERM.
 */
async function coldWorker(ctx: BenchContext, service: Service, failures: string[]): Promise<ColdFacts> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ROLE: 'worker',
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: `${ctx.redisPrefix}_cold`,
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_FORMAT: 'json',
    SHUTDOWN_TIMEOUT_MS: '5000',
  };
  delete env.METRICS_PORT;
  const milestones: string[] = [];
  const spawnedAt = Date.now();
  const dir = ctx.options.cpuProfileDir ? resolve(ctx.options.cpuProfileDir) : null;
  const profileName = 'deadlines-cold-worker.cpuprofile';
  const args = dir
    ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${profileName}`, ...service.args]
    : service.args;
  // its log lines go to a file, read when it has exited (each carries its time): a pipe read by this
  // process would make the worker wait whenever this process is slow to read (20,000 lines at once)
  const logFile = join(mkdtempSync(join(tmpdir(), 'zqt-cold-')), 'worker.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(service.command, args, { cwd: ROOT, env, stdio: ['ignore', logFd, 'pipe'] });
  closeSync(logFd);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let running = true;
  void exited.then(() => (running = false));
  const tail: string[] = [];
  if (child.stderr)
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  try {
    while (running && Date.now() - spawnedAt < COLD_TIMEOUT_MS) {
      const f = await firedCounts(ctx, SWEEP_PREFIX);
      if (f.warn >= N && f.overdue >= N) break;
      await sleep(1000);
    }
    if (!running) failures.push(`cold worker: exited early; stderr: ${tail.join(' | ')}`);
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
    await deleteRedisPrefix(`${ctx.redisPrefix}_cold`).catch(() => undefined);
  }
  milestones.push(...coldMilestones(readFileSync(logFile, 'utf8'), spawnedAt));
  rmSync(dirname(logFile), { recursive: true, force: true });
  return { how: service.how, spawnedAt, milestones, profile: dir ? join(dir, profileName) : null };
}

/** When the worker's log said it started, fired its first deadline and ended its sweep, after the spawn. */
function coldMilestones(log: string, spawnedAt: number): string[] {
  const milestones: string[] = [];
  const seen = new Set<string>();
  const mark = (what: string, at: number) => {
    if (seen.has(what)) return;
    seen.add(what);
    milestones.push(`${what} ${round((at - spawnedAt) / 1000, 2)} s`);
  };
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    let j: { msg?: string; time?: string };
    try {
      j = JSON.parse(line) as { msg?: string; time?: string };
    } catch {
      continue;
    }
    const msg = j.msg ?? '';
    const at = j.time ? Date.parse(j.time) : NaN;
    if (Number.isNaN(at)) continue;
    if (/worker started/.test(msg)) mark('worker started', at);
    else if (msg === 'deadline fired') mark('first "deadline fired" line', at);
    else if (/^sweep fired/.test(msg)) mark(msg, at);
  }
  return milestones;
}

/** Statements shown for the burst, by total time. */
const TOP_STATEMENTS = 14;

/** The tables whose updates (and their HOT share) the burst reports. */
const BURST_TABLES = ['appeals', 'assignments', 'supervisions', 'appeal_events', 'notifications'];

interface BurstStatsStart {
  available: boolean;
  why: string;
  tables: TableUpdates;
}

/**
 * Forgets this database's pg_stat_statements (other databases keep theirs) and reads the update counts
 * of the tables a firing writes, when the server preloads the extension.
 */
async function burstStatsStart(ctx: BenchContext): Promise<BurstStatsStart> {
  const tables = await tableUpdates(ctx, BURST_TABLES);
  try {
    await ctx.sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await ctx.sql(
      `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`,
    );
    return { available: true, why: '', tables };
  } catch (err) {
    return { available: false, why: (err as Error).message, tables };
  }
}

/** The burst's statements by total time, per firing (time and shared buffers), and the HOT share of its updates. */
async function burstStats(
  ctx: BenchContext,
  start: BurstStatsStart,
  firings: number,
): Promise<{ lines: string[]; rows: unknown[]; tables: Record<string, { upd: number; hot: number }> }> {
  const lines: string[] = [];
  const tables = updatesBetween(start.tables, await tableUpdates(ctx, BURST_TABLES));
  lines.push(
    `wake-ups: updates (HOT of all) during the burst: ${Object.entries(tables)
      .filter(([, t]) => t.upd > 0)
      .map(([n, t]) => `${n} ${t.hot}/${t.upd}`)
      .join(' · ')}`,
  );
  if (!start.available) {
    lines.push(`pg_stat_statements: not available (${start.why})`);
    return { lines, rows: [], tables };
  }
  // statements alike in their first 70 characters are one (a multi-row VALUES is a statement per row count)
  const rows = await ctx.sql<{ calls: string; rows: string; total: number; blks: string; query: string }>(
    `SELECT sum(s.calls) AS calls, sum(s.rows) AS rows, sum(s.total_exec_time) AS total,
            sum(s.shared_blks_hit + s.shared_blks_read) AS blks,
            left(regexp_replace(s.query, '\\s+', ' ', 'g'), 70) AS query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_%'
      GROUP BY 5 ORDER BY 3 DESC`,
  );
  const total = rows.reduce((t, r) => t + r.total, 0);
  const blocks = rows.reduce((t, r) => t + Number(r.blks), 0);
  lines.push(
    `pg_stat_statements of the burst: ${round(total / 1000, 2)} s, ${(total / firings).toFixed(3)} ms and ` +
      `${(blocks / firings).toFixed(1)} buffers per firing; by total time (per firing: ms, buffers; per row):`,
  );
  for (const r of rows.slice(0, TOP_STATEMENTS)) {
    const n = Math.max(1, Number(r.rows));
    lines.push(
      `  ${(r.total / firings).toFixed(3)} ms ${(Number(r.blks) / firings).toFixed(1)} buf · ` +
        `${(r.total / n).toFixed(3)} ms ${(Number(r.blks) / n).toFixed(1)} buf a row · ` +
        `${r.calls} calls ${r.rows} rows · ${r.query}`,
    );
  }
  return {
    lines,
    rows: rows.map((r) => ({ ...r, total: round(r.total, 1) })),
    tables,
  };
}
