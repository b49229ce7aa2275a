/**
 * Routing (SPEC §2): how many `routing.route` jobs per second the application's own workers get through.
 *
 * 10,000 appeals are inserted with SQL as just filed (status submitted, routed_at NULL) across 200
 * enterprises, 50 each within the 30-day window, half of them with near-identical titles, so duplicate
 * detection has real trigram work to do. Twenty routing rules sit in the table. Half the appeals match an
 * auto-dispatch rule (a dispatch with lead + co assignments, SLA deadlines, events and notifications),
 * a quarter a suggest-only rule, a quarter fall back to the category default. One job per appeal is
 * added with addBulk — what filing does one by one — and the clock runs until every appeal has
 * routed_at set. Every appeal must be routed exactly once: one appeal.dispatched event per auto-dispatched
 * appeal, none for the others.
 */
import { performance } from 'node:perf_hooks';
import { QueueService } from '../../src/infra/queue/queue.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import type { BenchContext, Measurement, Scenario, ScenarioResult } from '../context';
import { fmtMs, percentile, round, sleep } from '../stats';

const N = 10_000;
const ENTERPRISES = 200;
const DRAIN_TIMEOUT_MS = 300_000;
const PREFIX = 'BROUTE';

const scenario: Scenario = {
  name: 'routing',
  description: `${N.toLocaleString('en-US')} new appeals routed by the routing queue (rules, category default, duplicate detection)`,

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const { app } = await ctx.app();
    const seed = await ctx.seed();
    const routing = app.get(RoutingService);
    const failures: string[] = [];

    // time the application's own route() calls for the scenario only
    const calls: { ms: number; outcome: string }[] = [];
    const origRoute = routing.route.bind(routing);
    let inFlight = 0;
    let maxInFlight = 0;
    routing.route = async (id: string) => {
      const t = performance.now();
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        const outcome = await origRoute(id);
        calls.push({ ms: performance.now() - t, outcome });
        return outcome;
      } finally {
        inFlight -= 1;
      }
    };

    try {
      const [{ id: coId }] = await ctx.sql<{ id: string }>(
        `INSERT INTO departments (code, name, kind) VALUES ('BRCO', '协办单位', 'department') RETURNING id`,
      );
      await ctx.sql(
        `INSERT INTO categories (code, name, parent_code, default_department_id) VALUES
           ('BR_AUTO', '自动分拨', $1, NULL), ('BR_SUGGEST', '建议分拨', $1, NULL),
           ('BR_DEFAULT', '默认单位', $1, $2)`,
        [seed.category.code, seed.department.id],
      );
      // 18 rules that never match (other districts) make the matcher look through a realistic table
      await ctx.sql(
        `INSERT INTO routing_rules (priority, category_code, keywords, district, lead_department_id, co_department_ids,
                                    auto_dispatch, created_at)
         SELECT i, NULL, jsonb_build_array('关键词' || i), '其他区' || i, $1::uuid, '[]'::jsonb, true, now()
           FROM generate_series(1, 18) AS i
         UNION ALL SELECT 50, 'BR_AUTO', '[]'::jsonb, NULL, $1::uuid, jsonb_build_array($2::text), true, now()
         UNION ALL SELECT 50, 'BR_SUGGEST', '[]'::jsonb, NULL, $2::uuid, '[]'::jsonb, false, now()`,
        [seed.department.id, coId],
      );
      const enterprises = await ctx.sql<{ id: string }>(
        `INSERT INTO enterprises (name, uscc, contact_name, contact_phone)
         SELECT '基准企业' || i || '有限公司', 'BR' || lpad(i::text, 16, '0'), '张经理', '13800000000'
           FROM generate_series(1, $1::int) AS i RETURNING id`,
        [ENTERPRISES],
      );
      // appeals earlier scenarios filed and left unrouted (filing holds the routing queue for its ratio)
      // would be routed first, oldest first: set them aside so the figure is these 10,000 only
      await ctx.sql(`UPDATE appeals SET routed_at = now() WHERE routed_at IS NULL`);
      let t = performance.now();
      await ctx.sql(
        `INSERT INTO appeals (number, type, category_code, title, content, urgency, district, channel, enterprise_id,
           contact_name, contact_phone, confidential, status, reopen_count, supervised, version, created_by,
           created_at, updated_at)
         SELECT $1 || lpad(i::text, 6, '0'), 'help',
                CASE WHEN i % 4 IN (0, 1) THEN 'BR_AUTO' WHEN i % 4 = 2 THEN 'BR_SUGGEST' ELSE 'BR_DEFAULT' END,
                CASE WHEN i % 2 = 0 THEN '技改项目贷款贴息审批超过三个月仍无结果' ELSE '诉求' || i || '：用地报批进度咨询' || md5(i::text) END,
                '基准测试：路由。' || md5(i::text), 'normal', '吴兴区', 'web', ($2::uuid[])[1 + i % $3],
                '张经理', '13800000000', false, 'submitted', 0, false, 1, $4,
                now() - interval '10 days' + i * interval '1 second', now()
           FROM generate_series(0, $5::int - 1) AS i`,
        [PREFIX, enterprises.map((e) => e.id), ENTERPRISES, seed.user.id, N],
      );
      const insertMs = performance.now() - t;

      // one job per appeal, as filing enqueues them (ids as filing's)
      const ids = await ctx.sql<{ id: string }>(`SELECT id FROM appeals WHERE number LIKE $1 || '%'`, [
        PREFIX,
      ]);
      t = performance.now();
      await app.get(QueueService).addBulk(
        'routing.route',
        ids.map((r) => ({ data: { appealId: r.id }, opts: { key: [r.id] } })),
      );
      const enqueueMs = performance.now() - t;

      let routed = 0;
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      while (Date.now() < deadline) {
        [{ routed }] = await ctx.sql<{ routed: number }>(
          `SELECT count(*)::int AS routed FROM appeals WHERE number LIKE $1 || '%' AND routed_at IS NOT NULL`,
          [PREFIX],
        );
        if (routed >= N) break;
        await sleep(100);
      }
      const drainMs = performance.now() - t;
      await sleep(500);

      const [facts] = await ctx.sql<{
        dispatched: number;
        suggested: number;
        fallback: number;
        events: number;
        dup_flagged: number;
      }>(
        `SELECT count(*) FILTER (WHERE a.status = 'dispatched')::int AS dispatched,
                count(*) FILTER (WHERE a.status = 'submitted' AND a.suggested_routing->>'source' = 'rule')::int AS suggested,
                count(*) FILTER (WHERE a.suggested_routing->>'source' = 'category_default')::int AS fallback,
                (SELECT count(*)::int FROM appeal_events e JOIN appeals b ON b.id = e.appeal_id
                  WHERE b.number LIKE $1 || '%' AND e.action = 'appeal.dispatched') AS events,
                count(*) FILTER (WHERE jsonb_array_length(a.possible_duplicates) > 0)::int AS dup_flagged
           FROM appeals a WHERE a.number LIKE $1 || '%'`,
        [PREFIX],
      );
      if (routed !== N) failures.push(`${routed} of ${N} appeals routed within ${DRAIN_TIMEOUT_MS / 1000} s`);
      if (facts.dispatched !== N / 2 || facts.events !== N / 2)
        failures.push(
          `${facts.dispatched} dispatched with ${facts.events} dispatch events, expected ${N / 2} each`,
        );
      if (facts.suggested !== N / 4) failures.push(`${facts.suggested} suggested by rule, expected ${N / 4}`);
      if (facts.fallback !== N / 4) failures.push(`${facts.fallback} category defaults, expected ${N / 4}`);
      if (facts.dup_flagged === 0) failures.push('no appeal was flagged as a possible duplicate');

      const ms = calls.map((c) => c.ms).sort((a, b) => a - b);
      const rate = (N / drainMs) * 1000;
      const measurements: Measurement[] = [
        {
          key: 'routing',
          label: `routing.route jobs (${N.toLocaleString('en-US')}, concurrency 10)`,
          unit: 'tx/s',
          rate: round(rate, 1),
          p50Ms: round(percentile(ms, 0.5), 1),
          p99Ms: round(percentile(ms, 0.99), 1),
          ok: routed,
          failed: N - routed,
          durationS: round(drainMs / 1000, 1),
        },
      ];
      return {
        measurements,
        summary: [
          `inserted ${N} submitted appeals in ${fmtMs(insertMs)}; enqueued ${ids.length} jobs in ${fmtMs(enqueueMs)}`,
          `all routed in ${fmtMs(drainMs)}: ${round(rate, 1)} jobs/s; route() p50 ${fmtMs(percentile(ms, 0.5))}, p99 ${fmtMs(percentile(ms, 0.99))}`,
          `${facts.dispatched} auto-dispatched (one event each: ${facts.events}), ${facts.suggested} suggested by rule, ` +
            `${facts.fallback} category default; ${facts.dup_flagged} flagged with possible duplicates`,
          `outcomes: ${JSON.stringify(countBy(calls.map((c) => c.outcome)))}; at most ${maxInFlight} jobs ran at once`,
        ],
        failures,
        details: { insertMs, enqueueMs, drainMs, facts, calls: calls.length },
      };
    } finally {
      routing.route = origRoute;
    }
  },
};

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

export default scenario;
