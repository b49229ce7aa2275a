/**
 * Filing (SPEC §2, POST /api/v1/appeals): appeals filed per second over HTTP, against the same inserts
 * done directly with pg on the same database in the same run. The ratio says how much of the budget
 * the HTTP stack, NestJS, validation, auth, the rate limiter, TypeORM and the read-back spend on top of
 * the SQL that filing cannot avoid.
 */
import { createHash } from 'node:crypto';
import * as pg from 'pg';
import type { PoolClient } from 'pg';
import { canonicalJson, eventHash, GENESIS_HASH } from '../../src/modules/workflow/hash-chain';
import type { BenchContext, Measurement, Scenario, ScenarioResult } from '../context';
import { httpLoad, otherThan, pgLoad, statusCount } from '../load';
import { round, sleep } from '../stats';

/** What an enterprise types in: a short title and a ~200-character account of the problem. */
const TITLE = '技改项目贷款审批超过三个月仍无结果，影响设备采购进度';
const CONTENT =
  '我公司是吴兴区一家通用设备制造企业，去年十一月向合作银行申请了一笔一千二百万元的技术改造项目贷款，' +
  '用于购置两条数控加工生产线。银行要求补充的环评批复、用地证明和近三年审计报告均已按时提交，' +
  '但至今已超过三个月仍未收到审批结果，客户经理也无法说明具体卡在哪个环节。设备供应商的合同约定下月底前付清首付款，' +
  '否则将取消排产，请求相关部门协调银行尽快给出明确答复，并了解是否有政策性贴息或担保支持。';

const scenario: Scenario = {
  name: 'filing',
  description: 'appeals filed per second: POST /api/v1/appeals over HTTP vs the same SQL with pg',

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const { baseUrl, config } = await ctx.app();
    const seed = await ctx.seed();
    const { connections, durationS, warmupS } = ctx.options;
    const failures: string[] = [];
    const dto = { type: 'help', categoryCode: seed.category.code, title: TITLE, content: CONTENT };
    const body = JSON.stringify(dto);
    const headers = { 'content-type': 'application/json', authorization: seed.auth };

    // --- 0. one probe request: it must succeed, and it tells how many SQL statements one filing costs
    const probe = await countStatements(() =>
      fetch(`${baseUrl}/api/v1/appeals`, { method: 'POST', headers, body }),
    );
    if (probe.value.status !== 201) {
      throw new Error(
        `probe POST /api/v1/appeals answered ${probe.value.status}: ${await probe.value.text()}`,
      );
    }
    await probe.value.arrayBuffer();

    // --- 1. HTTP: autocannon, warm-up then the measured window
    const appealsBefore = await countRows(ctx, 'appeals');
    const http = await httpLoad({
      url: `${baseUrl}/api/v1/appeals`,
      method: 'POST',
      headers,
      body,
      connections,
      durationS,
      warmupS,
    });
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
        `HTTP: not a single 201 in the ${durationS} s window (${unanswered} requests sent and never answered: the application stalled); ` +
          `its database connections: ${await appConnections(ctx)}`,
      );
    }
    if (others.main.count + others.warmup.count > 0) {
      failures.push(
        `HTTP: ${others.main.count + others.warmup.count} responses were not 201 ` +
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
      failures.push(`HTTP: ${answered} × 201 but only ${rowsMade} new rows in appeals`);
    if (rowsMade - answered > inFlightAllowance) {
      failures.push(
        `HTTP: ${rowsMade} new rows for ${answered} × 201, more than ${inFlightAllowance} requests could have been in flight`,
      );
    }
    const events = await countRows(ctx, 'appeal_events');
    if (events !== appealsAfter)
      failures.push(
        `HTTP: ${appealsAfter} appeals but ${events} events (one appeal.submitted each expected)`,
      );

    const httpM: Measurement = {
      key: 'http',
      label: 'HTTP  POST /api/v1/appeals',
      unit: 'req/s',
      rate: created.main / http.main.duration,
      p50Ms: http.main.latency.p50,
      p99Ms: http.main.latency.p99,
      ok: created.main,
      failed: others.main.count,
      durationS: http.main.duration,
    };

    // --- 2. the same inserts with pg, same concurrency, same database
    const pool = ctx.pgPool(connections);
    const before = await countRows(ctx, 'appeals');
    const direct = await pgLoad(pool, { clients: connections, durationS, warmupS }, (c) =>
      fileWithSql(c, dto, {
        enterprise: seed.enterprise,
        userId: seed.user.id,
        timeZone: config.calendarTimeZone,
      }),
    );
    if (direct.failed > 0)
      failures.push(`pg: ${direct.failed} transactions failed: ${direct.errors.join(' | ')}`);
    const pgRows = (await countRows(ctx, 'appeals')) - before;
    const pgM: Measurement = {
      key: 'pg',
      label: 'pg    same SQL, no HTTP',
      unit: 'tx/s',
      rate: direct.rate,
      p50Ms: direct.p50Ms,
      p99Ms: direct.p99Ms,
      ok: direct.ok,
      failed: direct.failed,
      durationS: direct.elapsedS,
    };

    const ratio = httpM.rate / pgM.rate;
    return {
      measurements: [httpM, pgM],
      summary: [
        `HTTP filing = ${ratio.toFixed(2)} × direct pg`,
        `one HTTP filing ran ${probe.statements.length} SQL statements; the pg loop runs ${SQL_PER_FILING}`,
        `rows: ${rowsMade} appeals for ${answered} × 201 over HTTP (warm-up included), ${pgRows} over pg (warm-up included); ` +
          `${events} events for ${appealsAfter} appeals after the HTTP phase`,
      ],
      failures,
      details: {
        ratio: round(ratio, 3),
        body: { titleChars: TITLE.length, contentChars: [...CONTENT].length, bytes: Buffer.byteLength(body) },
        http: {
          connections,
          requestsPerSecondAutocannonMean: http.main.requests.average,
          latencyMs: pick(http.main.latency, ['mean', 'stddev', 'p50', 'p90', 'p99', 'max']),
          warmup201: created.warmup,
          // sent but unanswered when the window closed: at most one per connection in a healthy run
          unanswered,
          rowsMade,
          answered201: answered,
          nonCreated: others,
          statementsPerFiling: probe.statements,
        },
        pg: { clients: connections, errors: direct.errors, rowsMade: pgRows },
      },
    };
  },
};

export default scenario;

/** BEGIN, counter, appeal, last event, event, COMMIT. */
const SQL_PER_FILING = 6;

/**
 * What AppealsService.file → insertAppeal → EventLog.append does in SQL, statement for statement, with the
 * same values and the same JavaScript-side work (hash of the request body, the Shanghai day, the event hash):
 * the difference to HTTP is then the stack, not a cheaper write path. Plain parameterised queries (unnamed
 * prepared statements), as TypeORM sends them.
 *
 * Left out on purpose: the enterprise and category look-ups and the read-back of the filed appeal, which the
 * service does besides the writes. They are application choices the ratio should expose, not hide.
 */
async function fileWithSql(
  c: PoolClient,
  dto: { type: string; categoryCode: string; title: string; content: string },
  ref: {
    enterprise: { id: string; district: string | null; contactName: string; contactPhone: string };
    userId: string;
    timeZone: string;
  },
): Promise<void> {
  // file() hashes the body for Idempotency-Key comparison whether or not a key came
  const _requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
  const now = new Date();
  await c.query('BEGIN');
  try {
    // nextNumber(): a per-day counter row; its row lock serialises concurrent filings until COMMIT, on both sides
    const day = new Intl.DateTimeFormat('en-CA', {
      timeZone: ref.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
    const counter = await c.query<{ last: number }>(
      `INSERT INTO appeal_number_counters (day, last) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET last = appeal_number_counters.last + 1 RETURNING last`,
      [day],
    );
    const number = `ZQT${day.replace(/-/g, '')}${String(counter.rows[0].last).padStart(5, '0')}`;
    const channel = 'web';
    const urgency = 'normal';
    const inserted = await c.query<{ id: string }>(
      `INSERT INTO appeals (number, type, category_code, title, content, urgency, district, channel, enterprise_id,
         contact_name, contact_phone, confidential, status, lead_department_id, reopen_count, supervised, version,
         created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', NULL, 0, false, 1, $13, $14, $14)
       RETURNING id`,
      [
        number,
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
    const appealId = inserted.rows[0].id;
    // EventLog.append reads the chain's tail first (none yet for a new appeal)
    const tail = await c.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM appeal_events WHERE appeal_id = $1 ORDER BY seq DESC LIMIT 1',
      [appealId],
    );
    const seq = (tail.rows[0]?.seq ?? 0) + 1;
    const prevHash = tail.rows[0]?.hash ?? GENESIS_HASH;
    const event = {
      appealId,
      seq,
      action: 'appeal.submitted',
      actorId: ref.userId,
      actorRole: 'enterprise',
      fromStatus: null,
      toStatus: 'submitted',
      data: { number, channel, type: dto.type, categoryCode: dto.categoryCode, urgency },
      createdAt: now,
    };
    const hash = eventHash(prevHash, event);
    await c.query(
      `INSERT INTO appeal_events (appeal_id, seq, action, actor_id, actor_role, from_status, to_status, data, created_at, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        appealId,
        seq,
        event.action,
        event.actorId,
        event.actorRole,
        event.fromStatus,
        event.toStatus,
        JSON.stringify(event.data),
        now,
        prevHash,
        hash,
      ],
    );
    // the webhook outbox: EventLog asks which enabled webhooks subscribe (none here, so no snapshot)
    await c.query('SELECT id, events FROM webhooks WHERE enabled');
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
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
