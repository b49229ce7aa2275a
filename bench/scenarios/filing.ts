/**
 * Filing (SPEC §2, POST /api/v1/appeals): appeals filed per second over HTTP, next to the bare database work
 * of a filing done directly with pg on the same database in the same run: one transaction that inserts the
 * appeal (its number from nextval) and its first event. The ratio says how much of the budget the HTTP
 * stack, NestJS, validation, auth, the rate limiter, the look-ups, the outbox, the routing enqueue and
 * TypeORM spend on top of the two rows filing cannot avoid.
 *
 * Four measurements and more rounds of the last pair, in this order, each with its warm-up:
 * 1. HTTP with the routing queue paused: filing alone, as a ROLE=api process does it (the routing job is
 *    still added, one per filing; the worker does not take it yet). This is the figure the ratio uses.
 * 2. pg, the bare two-row transaction, routing still paused (the machine as quiet as in 1), on the project's
 *    tables (their triggers and indexes fire), then on plain tables with the same columns and a primary key
 *    each: the database's own speed for the two rows. The plain-table figure is the denominator of the
 *    headline ratio, filing with the routing worker live; the project-table one shows what the schema costs.
 * 3. HTTP with the routing queue resumed and the backlog of 1 and 2 inherited: the routing worker in the
 *    same process works meanwhile through the jobs of 1 and 3 (and of 2's rows, once the routing sweeper
 *    finds them unrouted), tens of thousands of appeals it cannot finish within the phase, so it takes
 *    whatever the filings leave of the machine.
 * 4. The backlog routed first (timed: the routing worker's own rate), then HTTP with routing live from a
 *    standing start, as `npm start` (ROLE=all) runs it: every filing's routing job runs beside the filings.
 *    Its rate over the plain-table transaction of 2 is the headline ratio; its rate over the project-table
 *    transaction is printed beside the older ratio of 1.
 * 5. More rounds of the headline pair (`--rounds`, three in all by default): routing drained, the plain-table
 *    transaction, then HTTP with routing live. The headline is the median of the rounds' ratios, each
 *    printed: the plain-table baseline moves by up to 40 % between two phases of one run.
 *
 * Each phase also reports the CPU time per filing of this process, the PostgreSQL backends and Redis (see
 * cpu.ts), and, with pg_stat_statements loaded on the server, its top statements.
 */
import * as pg from 'pg';
import type { PoolClient } from 'pg';
import { QueueService } from '../../src/infra/queue/queue.service';
import { eventHash, GENESIS_HASH } from '../../src/modules/workflow/hash-chain';
import type { BenchContext, Measurement, Scenario, ScenarioResult } from '../context';
import { cpuSince, cpuSnapshot, CpuSpent, perOperation } from '../cpu';
import { httpLoad, HttpLoadResult, otherThan, pgLoad, statusCount } from '../load';
import { startProfile } from '../profile';
import { median, round, sleep } from '../stats';
import { tableUpdates, updatesBetween } from '../table-updates';

/** What an enterprise types in: a short title and a ~200-character account of the problem. */
const TITLE = '技改项目贷款审批超过三个月仍无结果，影响设备采购进度';
const CONTENT =
  '我公司是吴兴区一家通用设备制造企业，去年十一月向合作银行申请了一笔一千二百万元的技术改造项目贷款，' +
  '用于购置两条数控加工生产线。银行要求补充的环评批复、用地证明和近三年审计报告均已按时提交，' +
  '但至今已超过三个月仍未收到审批结果，客户经理也无法说明具体卡在哪个环节。设备供应商的合同约定下月底前付清首付款，' +
  '否则将取消排产，请求相关部门协调银行尽快给出明确答复，并了解是否有政策性贴息或担保支持。';

/** Probe requests before the load; the one with the fewest statements is reported. */
const PROBES = 3;

/** Statements shown per phase from pg_stat_statements. */
const TOP_STATEMENTS = Number(process.env.BENCH_TOP_STATEMENTS ?? 6);

const scenario: Scenario = {
  name: 'filing',
  description: 'appeals filed per second: POST /api/v1/appeals over HTTP vs the bare two-row insert with pg',

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const { app, baseUrl, config } = await ctx.app();
    const seed = await ctx.seed();
    const { connections, durationS, warmupS } = ctx.options;
    const failures: string[] = [];
    const dto = { type: 'help', categoryCode: seed.category.code, title: TITLE, content: CONTENT };
    const body = JSON.stringify(dto);
    const headers = { 'content-type': 'application/json', authorization: seed.auth };
    const routingQueue = app.get(QueueService).queue('dispatch');
    const statements = await StatementStats.open(ctx);

    const httpPhase = async (label: string, key: string) => {
      await statements.reset();
      const appealsBefore = await countRows(ctx, 'appeals');
      const cpuStart = await cpuSnapshot(ctx);
      const profiler = await startProfile(ctx.options.cpuProfileDir, `filing-${key}`);
      const http = await httpLoad({
        url: `${baseUrl}/api/v1/appeals`,
        method: 'POST',
        headers,
        body,
        connections,
        durationS,
        warmupS,
      });
      const cpu = await cpuSince(ctx, cpuStart);
      const top = await statements.top();
      const checked = await checkHttp(ctx, http, appealsBefore, key, failures);
      // the profile covers the warm-up too: per filing made in the phase
      const profile = (await profiler?.stop(checked.rowsMade)) ?? [];
      const m: Measurement = {
        key,
        label,
        unit: 'req/s',
        rate: checked.created.main / http.main.duration,
        p50Ms: http.main.latency.p50,
        p99Ms: http.main.latency.p99,
        ok: checked.created.main,
        failed: checked.others.main.count,
        durationS: http.main.duration,
      };
      return { m, http, checked, top, cpu, profile };
    };

    const dayFormat = new Intl.DateTimeFormat('en-CA', {
      timeZone: config.calendarTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const pool = ctx.pgPool(connections);
    /** The bare transaction on the plain tables (made once, in 2b): the headline ratio's denominator. */
    const plainPhase = async (key: string, label: string): Promise<Measurement> => {
      const plain = await pgLoad(pool, { clients: connections, durationS, warmupS }, (c) =>
        bareFiling(c, dto, { enterprise: seed.enterprise, userId: seed.user.id, dayFormat }, PLAIN_TABLES),
      );
      if (plain.failed > 0)
        failures.push(`${label}: ${plain.failed} transactions failed: ${plain.errors.join(' | ')}`);
      return {
        key,
        label,
        unit: 'tx/s',
        rate: plain.rate,
        p50Ms: plain.p50Ms,
        p99Ms: plain.p99Ms,
        ok: plain.ok,
        failed: plain.failed,
        durationS: plain.elapsedS,
      };
    };

    // routing paused from here to the end of 2: the probes count filing's statements only, 1 and 2 run alone
    await routingQueue.pause();
    let probe: { value: Response; statements: string[] } | undefined;
    let alone: Awaited<ReturnType<typeof httpPhase>>;
    let pgM: Measurement;
    let plainM: Measurement;
    let pgRows: number;
    let pgErrors: string[];
    let pgCpu: CpuSpent;
    try {
      // --- 0. probe requests: they must succeed, and they tell how many SQL statements one filing costs. The
      // count catches every statement of the process, so a background job's can fall into one: keep the fewest.
      for (let i = 0; i < PROBES; i++) {
        const p = await countStatements(() =>
          fetch(`${baseUrl}/api/v1/appeals`, { method: 'POST', headers, body }),
        );
        if (p.value.status !== 201) {
          throw new Error(`probe POST /api/v1/appeals answered ${p.value.status}: ${await p.value.text()}`);
        }
        await p.value.arrayBuffer();
        if (!probe || p.statements.length < probe.statements.length) probe = p;
      }

      // --- 1. HTTP, routing queue paused: filing alone
      alone = await httpPhase('HTTP  POST /api/v1/appeals (routing held)', 'http');

      // --- 2. the bare two-row transaction with pg, same concurrency, same database, routing still paused
      const before = await countRows(ctx, 'appeals');
      const cpuStart = await cpuSnapshot(ctx);
      const direct = await pgLoad(pool, { clients: connections, durationS, warmupS }, (c) =>
        bareFiling(c, dto, { enterprise: seed.enterprise, userId: seed.user.id, dayFormat }),
      );
      pgCpu = await cpuSince(ctx, cpuStart);
      if (direct.failed > 0)
        failures.push(`pg: ${direct.failed} transactions failed: ${direct.errors.join(' | ')}`);
      pgRows = (await countRows(ctx, 'appeals')) - before;
      pgErrors = direct.errors;
      pgM = {
        key: 'pg',
        label: 'pg    BEGIN, 2 × INSERT, COMMIT',
        unit: 'tx/s',
        rate: direct.rate,
        p50Ms: direct.p50Ms,
        p99Ms: direct.p99Ms,
        ok: direct.ok,
        failed: direct.failed,
        durationS: direct.elapsedS,
      };

      // --- 2b. the same transaction on plain tables: no triggers, no secondary indexes, no foreign keys
      await createPlainTables(ctx);
      plainM = await plainPhase('pgPlain', 'pg    same, on plain tables');
    } finally {
      await routingQueue.resume();
    }

    // --- 3. HTTP with the routing worker of this process working through the backlog meanwhile
    const unroutedBefore = await countUnrouted(ctx);
    const backlogged = await httpPhase('HTTP  same, routing live, backlog inherited', 'httpRoutingBacklog');
    const routedDuring = unroutedBefore + backlogged.checked.rowsMade - (await countUnrouted(ctx));

    // --- 4. the backlog routed (the worker alone), then HTTP with routing live from a standing start
    const drain = await drainRouting(ctx);
    if (drain.left > 0) failures.push(`routing left ${drain.left} appeals unrouted after ${drain.seconds} s`);
    // the drain's updates reported first (a backend reports at most once a second while busy)
    await sleep(1500);
    const updatesBefore = await tableUpdates(ctx, ['appeals']);
    const live = await httpPhase('HTTP  same, routing worker live', 'httpRoutingLive');
    const unroutedAfter = await countUnrouted(ctx);
    await sleep(1500);
    const updates = updatesBetween(updatesBefore, await tableUpdates(ctx, ['appeals'])).appeals ?? {
      upd: 0,
      hot: 0,
    };

    // --- 5. more rounds of the headline pair (--rounds): plain tables, then routing live, back to back
    const rounds = [{ plain: plainM!, live: live.m }];
    for (let r = 2; r <= (ctx.options.rounds ?? 1); r++) {
      const drained = await drainRouting(ctx);
      if (drained.left > 0) failures.push(`round ${r}: routing left ${drained.left} appeals unrouted`);
      const p = await plainPhase(`pgPlain${r}`, `pg    same, on plain tables (round ${r})`);
      const l = await httpPhase(`HTTP  same, routing worker live (round ${r})`, `httpRoutingLive${r}`);
      rounds.push({ plain: p, live: l.m });
    }
    const roundRatios = rounds.map((r) => r.live.rate / r.plain.rate);
    const liveRatio = median(roundRatios);

    const ratio = alone.m.rate / pgM.rate;
    const plainRatio = {
      held: alone.m.rate / plainM!.rate,
      live: liveRatio,
      backlog: backlogged.m.rate / plainM!.rate,
    };
    const summary = [
      `HTTP filing with the routing worker live = ${plainRatio.live.toFixed(3)} × the bare transaction on plain tables` +
        (rounds.length > 1
          ? ` (median of ${rounds.length} rounds: ${roundRatios.map((x) => x.toFixed(3)).join(', ')}) `
          : ' ') +
        `(${plainRatio.held.toFixed(3)} × with routing held; ${plainRatio.backlog.toFixed(3)} × with routing working through a backlog of ${unroutedBefore})`,
      `HTTP filing = ${ratio.toFixed(2)} × the bare pg transaction on the project's tables (${(live.m.rate / pgM.rate).toFixed(2)} × with the routing worker live)`,
      `one HTTP filing ran ${probe!.statements.length} SQL statement${probe!.statements.length === 1 ? '' : 's'} (${probe!.statements.map(kind).join(', ')}); the pg loop runs ${SQL_PER_FILING}`,
      `CPU, 1 (HTTP, routing held): ${perOperation(alone.cpu, alone.checked.rowsMade)}`,
      `CPU, 2 (pg):                 ${perOperation(pgCpu, pgRows)}`,
      `CPU, 4 (HTTP, routing live): ${perOperation(live.cpu, live.checked.rowsMade)}`,
      `routing worker during 3: ${routedDuring} appeals routed (${fmtPerS(routedDuring, backlogged.http.main.duration + (backlogged.http.warmup?.duration ?? 0))}), ` +
        `backlog ${unroutedBefore} at the start`,
      `routing worker alone between 3 and 4: ${drain.routed} appeals routed in ${drain.seconds} s (${fmtPerS(drain.routed, drain.seconds)}); ` +
        `unrouted at the end of 4: ${unroutedAfter} of its ${live.checked.rowsMade}`,
      `updates of appeals during 4: ${updates.upd}, of them HOT (no index entries) ${updates.hot}` +
        (updates.upd > 0 ? ` (${((100 * updates.hot) / updates.upd).toFixed(0)} %)` : ''),
      `rows: ${alone.checked.rowsMade} + ${backlogged.checked.rowsMade} + ${live.checked.rowsMade} appeals for ${alone.checked.answered} + ${backlogged.checked.answered} + ${live.checked.answered} × 201 over HTTP (warm-up included), ` +
        `${pgRows} over pg (warm-up included)`,
    ];
    for (const [phase, top] of [
      ['1', alone.top],
      ['3', backlogged.top],
      ['4', live.top],
    ] as const) {
      if (!top) continue;
      summary.push(`pg_stat_statements, phase ${phase} (warm-up included), by total time:`);
      for (const st of top)
        summary.push(
          `  ${st.totalS.toFixed(1)} s  ${st.calls} calls  mean ${st.meanMs.toFixed(2)} ms  ${st.query}`,
        );
    }
    if (!statements.available) summary.push(`pg_stat_statements: ${statements.why}`);
    for (const [phase, p] of [
      ['1', alone.profile],
      ['3', backlogged.profile],
      ['4', live.profile],
    ] as const)
      if (p.length > 0) summary.push(`phase ${phase}: ${p[0]}`, ...p.slice(1));

    return {
      measurements: [
        alone.m,
        pgM,
        plainM!,
        backlogged.m,
        live.m,
        ...rounds.slice(1).flatMap((r) => [r.plain, r.live]),
      ],
      summary,
      failures,
      details: {
        ratio: round(ratio, 3),
        ratioRoutingLive: round(live.m.rate / pgM.rate, 3),
        ratioPlain: round(plainRatio.held, 3),
        ratioPlainRoutingLive: round(plainRatio.live, 3),
        ratioPlainRoutingLiveRounds: roundRatios.map((x) => round(x, 3)),
        ratioPlainRoutingBacklog: round(plainRatio.backlog, 3),
        poolSize: config.dbPoolSize,
        body: { titleChars: TITLE.length, contentChars: [...CONTENT].length, bytes: Buffer.byteLength(body) },
        statementsPerFiling: probe!.statements,
        http: { ...httpDetails(alone.http, alone.checked, connections), cpu: alone.cpu },
        httpRoutingBacklog: {
          ...httpDetails(backlogged.http, backlogged.checked, connections),
          cpu: backlogged.cpu,
          routedDuring,
          unroutedBefore,
        },
        drain,
        httpRoutingLive: {
          ...httpDetails(live.http, live.checked, connections),
          cpu: live.cpu,
          unroutedAfter,
        },
        pg: { clients: connections, errors: pgErrors, rowsMade: pgRows, cpu: pgCpu },
        pgStatStatements: { routingHeld: alone.top, routingBacklog: backlogged.top, routingLive: live.top },
      },
    };
  },
};

export default scenario;

/** Where the bare transaction writes: the project's tables, or plain copies of them. */
interface BareTables {
  appeals: string;
  events: string;
  sequence: string;
}
const PROJECT_TABLES: BareTables = {
  appeals: 'appeals',
  events: 'appeal_events',
  sequence: 'appeal_number_seq',
};
const PLAIN_TABLES: BareTables = {
  appeals: 'bench_plain_appeals',
  events: 'bench_plain_events',
  sequence: 'bench_plain_number_seq',
};

/**
 * Plain tables for the second baseline: the same columns, NOT NULLs and defaults as appeals and
 * appeal_events, a primary key each, and nothing else: no triggers (the report counters), no secondary
 * indexes (search, trigram, number), no foreign keys. The two rows a filing writes at the database's own
 * speed.
 */
async function createPlainTables(ctx: BenchContext): Promise<void> {
  const pool = ctx.pgPool(1);
  await pool.query(`
    DROP TABLE IF EXISTS bench_plain_appeals, bench_plain_events;
    DROP SEQUENCE IF EXISTS bench_plain_number_seq;
    CREATE SEQUENCE bench_plain_number_seq;
    CREATE TABLE bench_plain_appeals (LIKE appeals INCLUDING DEFAULTS);
    ALTER TABLE bench_plain_appeals ADD PRIMARY KEY (id);
    CREATE TABLE bench_plain_events (LIKE appeal_events INCLUDING DEFAULTS);
    ALTER TABLE bench_plain_events ADD PRIMARY KEY (appeal_id, seq);`);
}

/** BEGIN, appeal, event, COMMIT. */
const SQL_PER_FILING = 4;

/**
 * The database work a filing cannot do without, as plainly as pg allows: one transaction that inserts the
 * appeal, its number made in the INSERT from the same sequence, and its first event (hash computed in
 * JavaScript from the returned number, as the application does). Parameterised queries (unnamed prepared
 * statements), as TypeORM sends them. The reports triggers fire on it as on every filing.
 *
 * Not here, on purpose: the enterprise and category look-ups, the webhook outbox, the Idempotency-Key
 * claim, the routing job. They are what the application adds, and the ratio should show their cost.
 */
async function bareFiling(
  c: PoolClient,
  dto: { type: string; categoryCode: string; title: string; content: string },
  ref: {
    enterprise: { id: string; district: string | null; contactName: string; contactPhone: string };
    userId: string;
    dayFormat: Intl.DateTimeFormat;
  },
  tables: BareTables = PROJECT_TABLES,
): Promise<void> {
  const now = new Date();
  const day = ref.dayFormat.format(now).replace(/-/g, '');
  const channel = 'web';
  const urgency = 'normal';
  await c.query('BEGIN');
  try {
    const inserted = await c.query<{ id: string; number: string }>(
      `INSERT INTO ${tables.appeals} (number, type, category_code, title, content, urgency, district, channel, enterprise_id,
         contact_name, contact_phone, confidential, status, lead_department_id, reopen_count, supervised, version,
         created_by, created_at, updated_at)
       VALUES ('ZQT' || $1::text || lpad(nextval('${tables.sequence}')::text, 10, '0'), $2, $3, $4, $5, $6, $7, $8, $9,
         $10, $11, $12, 'submitted', NULL, 0, false, 1, $13, $14, $14)
       RETURNING id, number`,
      [
        day,
        dto.type,
        dto.categoryCode,
        dto.title,
        dto.content,
        urgency,
        ref.enterprise.district,
        channel,
        ref.enterprise.id,
        ref.enterprise.contactName,
        ref.enterprise.contactPhone,
        dto.type === 'report',
        ref.userId,
        now,
      ],
    );
    const { id: appealId, number } = inserted.rows[0];
    const event = {
      appealId,
      seq: 1,
      action: 'appeal.submitted',
      actorId: ref.userId,
      actorRole: 'enterprise',
      fromStatus: null,
      toStatus: 'submitted',
      data: { number, channel, type: dto.type, categoryCode: dto.categoryCode, urgency },
      createdAt: now,
    };
    const hash = eventHash(GENESIS_HASH, event);
    await c.query(
      `INSERT INTO ${tables.events} (appeal_id, seq, action, actor_id, actor_role, from_status, to_status, data, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        appealId,
        event.seq,
        event.action,
        event.actorId,
        event.actorRole,
        event.fromStatus,
        event.toStatus,
        JSON.stringify(event.data),
        now,
        GENESIS_HASH,
        hash,
      ],
    );
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

interface CheckedHttp {
  created: { main: number; warmup: number };
  others: ReturnType<typeof otherThan> extends infer O ? { main: O; warmup: O } : never;
  unanswered: number;
  rowsMade: number;
  answered: number;
}

/** The checks that make an HTTP figure trustworthy: every answer a 201, every 201 a row, one event per appeal. */
async function checkHttp(
  ctx: BenchContext,
  http: HttpLoadResult,
  appealsBefore: number,
  key: string,
  failures: string[],
): Promise<CheckedHttp> {
  const { connections, durationS } = ctx.options;
  const created = {
    main: statusCount(http.main, 201),
    warmup: http.warmup ? statusCount(http.warmup, 201) : 0,
  };
  const others = {
    main: otherThan(http.main, 201),
    warmup: http.warmup ? otherThan(http.warmup, 201) : { count: 0, byStatus: {} },
  };
  // A stalled application answers nothing at all: no non-201 to count, so check for progress explicitly.
  const unanswered = http.main.requests.sent - sumValues(http.main.statusCodeStats) - http.main.errors;
  if (created.main === 0) {
    failures.push(
      `${key}: not a single 201 in the ${durationS} s window (${unanswered} requests sent and never answered: the application stalled); ` +
        `its database connections: ${await appConnections(ctx)}`,
    );
  }
  if (others.main.count + others.warmup.count > 0) {
    failures.push(
      `${key}: ${others.main.count + others.warmup.count} responses were not 201 ` +
        `(measured ${JSON.stringify(others.main.byStatus)}, warm-up ${JSON.stringify(others.warmup.byStatus)})`,
    );
  }
  // Every 201 must have made a row. autocannon stops on the clock, so a request still in flight when a run
  // ends may commit without its 201 being counted: at most one per connection per run (warm-up + measured).
  const appealsAfter = await settledCount(ctx, 'appeals');
  const rowsMade = appealsAfter - appealsBefore;
  const answered = created.main + created.warmup;
  const inFlightAllowance = connections * (http.warmup ? 2 : 1);
  if (rowsMade < answered)
    failures.push(`${key}: ${answered} × 201 but only ${rowsMade} new rows in appeals`);
  if (rowsMade - answered > inFlightAllowance) {
    failures.push(
      `${key}: ${rowsMade} new rows for ${answered} × 201, more than ${inFlightAllowance} requests could have been in flight`,
    );
  }
  // filed appeals (numbers ZQT…; other scenarios insert rows of their own prefixes without events)
  const [{ filed, unmatched }] = await ctx.sql<{ filed: string; unmatched: string }>(
    `SELECT count(*) AS filed,
            count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM appeal_events e
                             WHERE e.appeal_id = a.id AND e.seq = 1 AND e.action = 'appeal.submitted')) AS unmatched
       FROM appeals a WHERE a.number LIKE 'ZQT%'`,
  );
  if (Number(unmatched) > 0)
    failures.push(
      `${key}: ${unmatched} of ${filed} filed appeals without their appeal.submitted event (one each expected)`,
    );
  return { created, others, unanswered, rowsMade, answered };
}

function httpDetails(http: HttpLoadResult, checked: CheckedHttp, connections: number) {
  return {
    connections,
    requestsPerSecondAutocannonMean: http.main.requests.average,
    latencyMs: pick(http.main.latency, ['mean', 'stddev', 'p50', 'p90', 'p99', 'max']),
    warmup201: checked.created.warmup,
    // sent but unanswered when the window closed: at most one per connection in a healthy run
    unanswered: checked.unanswered,
    rowsMade: checked.rowsMade,
    answered201: checked.answered,
    nonCreated: checked.others,
  };
}

interface TopStatement {
  calls: number;
  totalS: number;
  meanMs: number;
  query: string;
}

/**
 * pg_stat_statements for the bench database only, when the server preloads it
 * (shared_preload_libraries = 'pg_stat_statements'); otherwise every call is a no-op and `why` says so.
 */
class StatementStats {
  private constructor(
    private readonly ctx: BenchContext,
    readonly available: boolean,
    readonly why: string,
  ) {}

  static async open(ctx: BenchContext): Promise<StatementStats> {
    try {
      await ctx.sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await ctx.sql('SELECT 1 FROM pg_stat_statements LIMIT 1');
      return new StatementStats(ctx, true, '');
    } catch (err) {
      return new StatementStats(ctx, false, `not available (${(err as Error).message})`);
    }
  }

  /** Forgets this database's statements only: other databases on the server keep theirs. */
  async reset(): Promise<void> {
    if (!this.available) return;
    await this.ctx.sql(
      `SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)`,
    );
  }

  /** The application's statements by total execution time (the bench's own counting queries left out). */
  async top(): Promise<TopStatement[] | null> {
    if (!this.available) return null;
    const rows = await this.ctx.sql<{ calls: string; total: number; mean: number; query: string }>(
      `SELECT s.calls, s.total_exec_time AS total, s.mean_exec_time AS mean,
              left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database() AND s.query NOT LIKE 'SELECT count(*) AS n FROM %'
          AND s.query NOT LIKE '%pg_stat_statements%'
        ORDER BY s.total_exec_time DESC LIMIT ${TOP_STATEMENTS}`,
    );
    return rows.map((r) => ({
      calls: Number(r.calls),
      totalS: round(r.total / 1000, 2),
      meanMs: round(r.mean, 3),
      query: r.query,
    }));
  }
}

/** A short name for a statement: its verb and first table. */
function kind(sql: string): string {
  const m = /^(WITH|INSERT INTO|SELECT|UPDATE|DELETE FROM|START TRANSACTION|COMMIT|BEGIN)\b/i.exec(sql);
  return m ? m[1].split(' ')[0].toUpperCase() : sql.slice(0, 12);
}

function fmtPerS(n: number, seconds: number): string {
  return `${(n / seconds).toFixed(0)}/s`;
}

/** Waits (up to DRAIN_LIMIT_S) until the routing worker and sweeper have routed every appeal. */
async function drainRouting(ctx: BenchContext): Promise<{ routed: number; seconds: number; left: number }> {
  const before = await countUnrouted(ctx);
  const t0 = performance.now();
  let left = before;
  while (left > 0 && performance.now() - t0 < DRAIN_LIMIT_S * 1000) {
    await sleep(250);
    left = await countUnrouted(ctx);
  }
  return { routed: before - left, seconds: round((performance.now() - t0) / 1000, 1), left };
}
const DRAIN_LIMIT_S = 180;

async function countUnrouted(ctx: BenchContext): Promise<number> {
  const [{ n }] = await ctx.sql<{ n: string }>(`SELECT count(*) AS n FROM appeals WHERE routed_at IS NULL`);
  return Number(n);
}

/**
 * Runs fn while counting the SQL statements any pg client in this process sends (TypeORM's pool included:
 * it loads the same `pg` module). Only for a single probe request, never under load.
 */
async function countStatements<T>(fn: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string } | null)?.text ?? '?');
    statements.push(text.replace(/\s+/g, ' ').trim().slice(0, 100));
    return original.apply(this, args);
  };
  try {
    return { value: await fn(), statements };
  } finally {
    proto.query = original;
  }
}

/** What the application's pool connections are doing, grouped: for diagnosing a stall. */
async function appConnections(ctx: BenchContext): Promise<string> {
  const rows = await ctx.sql<{ state: string; query: string; n: string }>(
    `SELECT coalesce(state, '?') AS state, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query, count(*) AS n
       FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'zhengqitong'
      GROUP BY 1, 2 ORDER BY 3 DESC`,
  );
  return rows.map((r) => `${r.n} × ${r.state} after "${r.query}"`).join('; ') || 'none';
}

async function countRows(ctx: BenchContext, table: 'appeals' | 'appeal_events'): Promise<number> {
  const [{ n }] = await ctx.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(n);
}

/** The count once requests cut off at the end of the run have finished committing (stable for 300 ms). */
async function settledCount(ctx: BenchContext, table: 'appeals'): Promise<number> {
  let previous = await countRows(ctx, table);
  for (let i = 0; i < 20; i++) {
    await sleep(300);
    const current = await countRows(ctx, table);
    if (current === previous) return current;
    previous = current;
  }
  return previous;
}

function sumValues(stats: Record<string, { count?: number }> | undefined): number {
  return Object.values(stats ?? {}).reduce((n, s) => n + (s.count ?? 0), 0);
}

function pick<T extends object>(o: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
}
