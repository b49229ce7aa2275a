/**
 * Deadlines (SPEC §3): two figures of deadline enforcement.
 *
 * 1. wake-ups: 10,000 open assignments (status 'dispatched') whose acknowledgement warning and overdue
 *    instants all fall in a short window a little in the future, armed with DeadlinesService.arm() (20,000
 *    BullMQ delayed jobs) and fired by the application's own workers (ROLE=all, in this process). Lateness
 *    is the fired event's created_at (the clock reading fire() writes) minus the instant it was due
 *    (data.dueAt, which fire() copies from the assignment's column): how late a 超期/预警 event is when
 *    10,000 deadlines are pending at once. Every deadline must fire exactly once.
 * 2. sweeper: 10,000 assignments whose acknowledgement deadline and warning are both in the past and for
 *    which no wake-up was armed — what a worker finds when it starts after every worker was down (or
 *    Redis was flushed) — and DeadlinesService.sweep(), the job a worker runs at boot, called directly:
 *    how long until all 20,000 have fired, each exactly once, with their supervisions and notices.
 *
 * Rows are inserted with SQL (appeals in 'dispatched' with one lead assignment each, no prior events: the
 * firing code starts the event chain at genesis). fire(), sweep() and arm() of the running application's
 * DeadlinesService are wrapped for the duration of the scenario only to count and time calls; the wrapped
 * code is the application's own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { QueueService } from '../../src/infra/queue/queue.service';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import type { BenchContext, Measurement, Scenario, ScenarioResult } from '../context';
import { fmtMs, percentile, round, sleep } from '../stats';

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

interface FireCall {
  source: 'worker' | 'sweep';
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
    const origFire = deadlines.fire.bind(deadlines);
    const origSweep = deadlines.sweep.bind(deadlines);
    const origArm = deadlines.arm.bind(deadlines);
    const inSweep = new AsyncLocalStorage<boolean>();
    const calls: FireCall[] = [];
    const sweeps: { startedAt: number; ms: number; result: unknown; direct: boolean }[] = [];
    const arms: { ms: number; armed: number }[] = [];
    let directSweep = false;
    deadlines.fire = async (id, kind) => {
      const t = performance.now();
      const ok = await origFire(id, kind);
      calls.push({ source: inSweep.getStore() ? 'sweep' : 'worker', ok, ms: performance.now() - t });
      return ok;
    };
    deadlines.sweep = () => {
      const direct = directSweep;
      const startedAt = Date.now();
      const t = performance.now();
      return inSweep.run(true, async () => {
        const result = await origSweep();
        sweeps.push({ startedAt, ms: performance.now() - t, result, direct });
        return result;
      });
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
        await sleep(250);
      }
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
      const workerCalls = calls.filter((c) => c.source === 'worker');
      const sweepCallsPhase1 = calls.filter((c) => c.source === 'sweep');
      const workerFireMs = workerCalls.map((c) => c.ms).sort((a, b) => a - b);
      const sweepsDuringWake = sweeps.filter((s) => !s.direct);
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
          `${Math.round(armedAheadMs)} ms before the first instant · fire() by workers: ${workerCalls.length} calls, ` +
          `${workerCalls.filter((c) => !c.ok).length} no-ops, service time p50 ${fmtMs(percentile(workerFireMs, 50))} p99 ${fmtMs(percentile(workerFireMs, 99))} · ` +
          `periodic sweeps meanwhile: ${sweepsDuringWake.length} (${sweepsDuringWake.map((s) => `${Math.round(s.ms)} ms ${JSON.stringify(s.result)}`).join('; ') || '-'}), ` +
          `firing ${sweepCallsPhase1.filter((c) => c.ok).length}`,
      );

      // ================= 2. the sweeper catching up 10,000 missed deadlines =================
      // No periodic sweep and no wake-up may touch these rows while the direct sweep() is timed: pause the
      // deadlines queue (workers take no new job) and wait for whatever is running to finish.
      // the periodic sweep runs on the maintenance queue: pause it too
      const maintenance = app.get(QueueService).queue('maintenance');
      await queue.pause();
      await maintenance.pause();
      let sweepM: Measurement | null = null;
      try {
        for (
          let i = 0;
          i < 120 && (await queue.getActiveCount()) + (await maintenance.getActiveCount()) > 0;
          i++
        )
          await sleep(250);
        const active = await queue.getActiveCount();
        if (active > 0)
          failures.push(`sweeper: ${active} deadline jobs still active after pausing the queue`);

        // overdue instants 2 h ago, 1 ms apart; warnings 1 h before them: both missed, nothing armed
        const pastT0 = Date.now() - 2 * 3600_000;
        await insertOpenAssignments(ctx, ref, SWEEP_PREFIX, pastT0, 1, 3600_000, -3600_000);
        const callsBefore = calls.length;
        directSweep = true;
        t = performance.now();
        const result = await deadlines.sweep();
        const sweepS = (performance.now() - t) / 1000;
        directSweep = false;
        const armOfSweep = arms[arms.length - 1];
        const sweepCalls = calls.slice(callsBefore).filter((c) => c.source === 'sweep');
        if (sweepCalls.length > 0)
          failures.push(`sweeper: fired one by one (${sweepCalls.length} fire() calls)`);
        const sf = await firedCounts(ctx, SWEEP_PREFIX);
        const sweepFacts = await eventFacts(ctx, SWEEP_PREFIX);
        if (sf.overdue !== N || sf.warn !== N)
          failures.push(`sweeper: ${sf.warn} warnings and ${sf.overdue} overdue of ${N} each marked fired`);
        // phase 1 leftovers (if its wake-ups did not all fire) are due too and fired by this same sweep
        const leftover = 2 * N - (fired.warn + fired.overdue);
        if (result.fired !== 2 * N + leftover)
          failures.push(
            `sweeper: sweep() reported fired ${result.fired}, expected ${2 * N + leftover} (${N} warnings + ${N} overdue + ${leftover} left from the wake-up phase)`,
          );
        checkExactlyOnce('sweeper', sweepFacts, N, N, failures);
        sweepM = {
          key: 'sweep',
          label: `sweep()    ${N.toLocaleString('en-US')} missed ack deadlines + their warnings · whole sweep`,
          unit: 'tx/s',
          rate: result.fired / sweepS,
          p50Ms: sweepS * 1000,
          p99Ms: sweepS * 1000,
          ok: result.fired,
          failed: 2 * N - sweepFacts.distinct,
          durationS: sweepS,
        };
        summary.push(
          `sweeper: ${round(sweepS, 1)} s to catch up ${N} missed acknowledgement deadlines and their ${N} warnings (${leftover} left from the wake-up phase): ` +
            `sweep() returned ${JSON.stringify(result)} · ${Math.round(result.fired / sweepS)} deadlines/s · ` +
            `${Math.round(N / sweepS)} overdue/s · its closing arm() ${armOfSweep ? Math.round(armOfSweep.ms) : '-'} ms`,
        );
      } finally {
        directSweep = false;
        await queue.resume();
        await maintenance.resume();
      }

      return {
        measurements: sweepM ? [wakeM, sweepM] : [wakeM],
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
            workerFireCalls: workerCalls.length,
            workerFireNoops: workerCalls.filter((c) => !c.ok).length,
            workerFireMs: {
              p50: round(percentile(workerFireMs, 50), 2),
              p99: round(percentile(workerFireMs, 99), 2),
            },
            periodicSweeps: sweepsDuringWake.map((s) => ({ ms: Math.round(s.ms), result: s.result })),
          },
          sweeper: sweepM
            ? { seconds: round(sweepM.durationS, 2), fired: sweepM.ok, perS: round(sweepM.rate, 1) }
            : null,
          arms: arms.map((a) => ({ ms: Math.round(a.ms), armed: a.armed })),
        },
      };
    } finally {
      deadlines.fire = origFire;
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
         created_by, created_at, updated_at, dispatched_at)
       SELECT $1 || lpad(i::text, 6, '0'), 'help', $2, '技改项目贷款审批超过三个月仍无结果',
              '基准测试：期限事件。', 'normal', '吴兴区', 'web', $3, '张经理', '13800000000', false, 'dispatched', $4, 0,
              false, 1, $5, d, d, d
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
