/**
 * The meetings report (SPEC §8.1): latency of GET /reports/meetings over the WHOLE history of the
 * prepared database of N appeals (--appeals; the reports scenario's zqt_bench_volume_<N>, about 10 % of
 * whose appeals are meeting issues, one meeting per ~10 issues): a page of 20 meetings (the first, which sums
 * the whole period's totals, and the next one through its cursor, which carries them signed: the raw
 * recomputation sums them again and must agree), every meeting in
 * one answer, for one district, for leader-led issues only, and as CSV, through the real HTTP route — next to the same report recomputed
 * from the raw rows (the latest survey from the surveys table, answers on the spot as replies that were
 * never dispatched). Every answer must equal the raw one, or the run fails.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import type { AppConfig } from '../../src/config/app-config';
import { APP_CONFIG } from '../../src/config/app-config';
import { localTimeReplacer } from '../../src/infra/http/local-time-json';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { BenchContext, Measurement, Scenario, ScenarioResult, urlForDatabase } from '../context';
import { fmtMs, percentile, round } from '../stats';
import { figuresOf, stats, Timed, volumeApp, volumeDatabase } from './reports';

const scenario: Scenario = {
  name: 'meetings',
  description: 'meetings report latency over the whole history of N appeals (~10 % meeting issues)',

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const summary: string[] = [];
    const failures: string[] = [];
    const { name } = await volumeDatabase(ctx, summary);
    const url = urlForDatabase(name);
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const [facts] = (
      await pg
        .query(
          `SELECT (SELECT count(*) FROM meetings)::int AS meetings,
                  (SELECT count(*) FROM appeals WHERE meeting_id IS NOT NULL)::int AS issues`,
        )
        .finally(() => pg.end())
    ).rows;
    if (facts.meetings === 0) {
      failures.push(
        `${name} has no meetings: it was generated before seed:volume made them; drop it to regenerate`,
      );
      return { measurements: [], summary, failures, details: {} };
    }
    const { app, base, auth, span, now } = await volumeApp(ctx, url);
    try {
      const reports = app.get(ReportsService);
      // the raw answer as the route serves it: instants in the calendar zone's offset (SPEC §5.1)
      const asServed = localTimeReplacer(app.get<AppConfig>(APP_CONFIG).calendarTimeZone);
      const from = new Date(new Date(span.from).getTime() - 1000).toISOString();
      const to = now.toISOString();
      const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      summary.push(
        `${name}: ${span.appeals.toLocaleString('en-US')} appeals, ${facts.meetings.toLocaleString('en-US')} meetings ` +
          `with ${facts.issues.toLocaleString('en-US')} issues, period ${from} … ${to} (whole history)`,
      );
      const district = '吴兴区';
      // a page in the middle of the history: the cursor after the first page
      const firstPage = await fetch(`${base}/reports/meetings?${q}&limit=20`, { headers: auth });
      const { nextCursor } = (await firstPage.json()) as { nextCursor: string | null };
      if (!nextCursor) throw new Error('the history has fewer than 21 meetings: nothing to page');
      const cases: {
        key: string;
        label: string;
        path: string;
        raw: Parameters<ReportsService['meetings']>[0] | null;
      }[] = [
        {
          key: 'meetings_page',
          label: 'meetings report, first page (20)',
          path: `/reports/meetings?${q}&limit=20`,
          raw: { from, to, limit: 20 },
        },
        {
          key: 'meetings_page_next',
          label: 'meetings report, next page (cursor)',
          path: `/reports/meetings?${q}&limit=20&cursor=${encodeURIComponent(nextCursor)}`,
          raw: { from, to, limit: 20, cursor: nextCursor },
        },
        {
          key: 'meetings',
          label: 'meetings report, every meeting',
          path: `/reports/meetings?${q}`,
          raw: { from, to },
        },
        {
          key: 'meetings_district',
          label: 'meetings, one district',
          path: `/reports/meetings?${q}&district=${encodeURIComponent(district)}`,
          raw: { from, to, district },
        },
        {
          key: 'meetings_leader_led',
          label: 'meetings, leader-led issues',
          path: `/reports/meetings?${q}&leaderLed=true`,
          raw: { from, to, leaderLed: true },
        },
        {
          key: 'meetings_csv',
          label: 'meetings report, CSV',
          path: `/reports/meetings?${q}&format=csv`,
          raw: null,
        },
      ];
      const runs = 30;
      const rawRuns = ctx.options.rawRuns ?? 5;
      const measurements: Measurement[] = [];
      const details: Record<string, unknown> = { ...facts, appeals: span.appeals, database: name, from, to };
      summary.push(
        '',
        `${'report'.padEnd(38)} ${'p50'.padStart(9)} ${'p95'.padStart(9)}   ${'raw p50'.padStart(10)} ${'p95'.padStart(10)}`,
      );
      for (const c of cases) {
        const get = async () => {
          const res = await fetch(`${base}${c.path}`, { headers: auth });
          if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${await res.text()}`);
          return c.raw ? res.json() : res.text();
        };
        let last: unknown;
        for (let i = 0; i < 3; i++) last = await get(); // warm-up
        const served: Timed = { label: c.label, ms: [] };
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          last = await get();
          served.ms.push(performance.now() - t);
        }
        const raw: Timed = { label: c.label, ms: [] };
        if (c.raw) {
          let rawBody: unknown;
          for (let i = 0; i < rawRuns; i++) {
            const t = performance.now();
            rawBody = await reports.meetings(c.raw, 'raw');
            raw.ms.push(performance.now() - t);
          }
          if (figuresOf(rawBody, asServed) !== figuresOf(last))
            failures.push(`${c.label}: the answer differs from the raw recomputation`);
        }
        const r = stats(served);
        const b = raw.ms.length ? stats(raw) : null;
        summary.push(
          `${c.label.padEnd(38)} ${fmtMs(r.p50).padStart(9)} ${fmtMs(r.p95).padStart(9)}   ${(b ? fmtMs(b.p50) : '-').padStart(10)} ${(b ? fmtMs(b.p95) : '-').padStart(10)}`,
        );
        details[c.key] = {
          served: { p50Ms: round(r.p50, 2), p95Ms: round(r.p95, 2), runs: r.n },
          ...(b ? { raw: { p50Ms: round(b.p50, 1), p95Ms: round(b.p95, 1), runs: b.n } } : {}),
        };
        measurements.push({
          key: c.key,
          label: `${c.label} (HTTP)`,
          unit: 'req/s',
          rate: 1000 / r.p50,
          p50Ms: r.p50,
          p99Ms: percentile(
            [...served.ms].sort((x, y) => x - y),
            99,
          ),
          ok: served.ms.length,
          failed: 0,
          durationS: served.ms.reduce((x, y) => x + y, 0) / 1000,
        });
      }
      summary.push(
        `${runs} sequential HTTP requests each after 3 warm-ups; raw: ${rawRuns} runs of the raw SQL`,
      );
      return { measurements, summary, failures, details };
    } finally {
      await app.close();
    }
  },
};

export default scenario;
