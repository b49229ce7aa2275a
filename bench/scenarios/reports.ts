/**
 * Reports (SPEC §4): latency of the summary (unfiltered and for one department), the
 * department ranking and the monthly trend over the WHOLE history of a prepared database of N appeals
 * (--appeals, default 100,000; 1,000,000 and 10,000,000 for the figures in docs/benchmarks.md),
 * through the real HTTP routes, next to the same reports computed from the raw rows (ReportsService
 * with source 'raw': the SQL baseline the consistency test checks the rollups against). Every rollup
 * answer must equal the raw one, or the run fails.
 *
 * The history is generated once by scripts/seed-volume.ts into zqt_bench_volume_<N> and reused (it
 * takes ~2 minutes per million appeals here); drop that database to regenerate. The application
 * runs with ROLE=api on it (no workers), and a supervisor account is (re)created for the login.
 */
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { seedVolume } from '../../scripts/seed-volume';
import { AppModule } from '../../src/app.module';
import { FakeClock } from '../../src/common/clock';
import type { AppConfig } from '../../src/config/app-config';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config';
import { localTimeReplacer } from '../../src/infra/http/local-time-json';
import { migrate } from '../../src/infra/database/data-source-options';
import { configureApp } from '../../src/infra/http/configure-app';
import type { Actor } from '../../src/modules/auth/auth.decorators';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { PasswordService } from '../../src/modules/users/password.service';
import { BenchContext, Measurement, REDIS_URL, Scenario, ScenarioResult, urlForDatabase } from '../context';
import { fmtMs, percentile, round } from '../stats';

const DEFAULT_APPEALS = 100_000;

export function dbName(n: number): string {
  const label = n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);
  return `zqt_bench_volume_${label}`;
}

export async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: urlForDatabase('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface Timed {
  label: string;
  ms: number[];
}

export const stats = (t: Timed) => {
  const s = [...t.ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), n: s.length };
};

/** The prepared history of N appeals (--appeals): generated once into zqt_bench_volume_<N>, then reused. */
export async function volumeDatabase(ctx: BenchContext, summary: string[]) {
  const n = ctx.options.appeals ?? DEFAULT_APPEALS;
  const name = ctx.options.volumeDb ?? dbName(n);
  const url = urlForDatabase(name);
  const exists = await admin(
    async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount,
  );
  if (!exists) {
    console.log(`  generating ${n.toLocaleString('en-US')} appeals into ${name} (kept for later runs) …`);
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const t0 = performance.now();
    await seedVolume(url, n, { log: (l) => console.log(`    ${l}`) });
    summary.push(`generated ${name} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    await migrate(url);
  }
  return { n, name, url };
}

/**
 * The application (ROLE=api) on the volume database with "now" pinned, a supervisor logged in, and the
 * span of the history: what a report scenario measures through.
 */
export async function volumeApp(ctx: BenchContext, url: string) {
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL,
    REDIS_PREFIX: ctx.redisPrefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '10000000',
    ROLE: 'api',
  });
  // "now" pinned for the whole scenario: the live parts (open assignments past a deadline) move with
  // the clock, and the raw runs take minutes at 10 M — both sides must answer for the same instant
  const now = new Date();
  const clock = new FakeClock(now);
  const app: INestApplication = await NestFactory.create(AppModule.forRoot({ config, clock }), {
    bodyParser: false,
    logger: false,
  });
  try {
    configureApp(app, config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1`;
    const password = `bench-${randomBytes(6).toString('hex')}`;
    const hash = await app.get(PasswordService).hash(password);
    const pg = new Client({ connectionString: url });
    await pg.connect();
    let span: { from: Date; appeals: number; department: string };
    try {
      await pg.query(
        `INSERT INTO users (username, password_hash, role) VALUES ('bench_supervisor', $1, 'supervisor')
         ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash`,
        [hash],
      );
      const [row] = (
        await pg.query(
          `SELECT (SELECT min(created_at) FROM appeals) AS from, (SELECT count(*) FROM appeals)::int AS appeals,
                  (SELECT lead_department_id FROM appeals WHERE lead_department_id IS NOT NULL LIMIT 1) AS department`,
        )
      ).rows;
      span = row;
    } finally {
      await pg.end();
    }
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench_supervisor', password }),
    });
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: Actor };
    return { app, base, auth: { authorization: `Bearer ${accessToken}` }, user, span, now };
  } catch (err) {
    await app.close();
    throw err;
  }
}

const scenario: Scenario = {
  name: 'reports',
  description: 'report latency over the whole history of N appeals (rollups vs the raw rows)',

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const summary: string[] = [];
    const failures: string[] = [];
    const { name } = await volumeDatabase(ctx, summary);
    const { app, base, auth, user, span, now } = await volumeApp(ctx, urlForDatabase(name));
    try {
      const reports = app.get(ReportsService);
      // the raw answer as the route serves it: instants in the calendar zone's offset (SPEC §5.1)
      const asServed = localTimeReplacer(app.get<AppConfig>(APP_CONFIG).calendarTimeZone);
      // the whole history, ragged at both ends (to = now): the worst case a supervisor can ask for
      const from = new Date(new Date(span.from).getTime() - 1000).toISOString();
      const to = now.toISOString();
      const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      summary.push(
        `${name}: ${span.appeals.toLocaleString('en-US')} appeals, report period ${from} … ${to} (whole history)`,
      );
      const cases: {
        key: string;
        label: string;
        path: string;
        raw: () => Promise<unknown>;
      }[] = [
        {
          key: 'summary',
          label: 'summary',
          path: `/reports/summary?${q}`,
          raw: () => reports.summary({ from, to }, user, 'raw'),
        },
        {
          key: 'summary_department',
          label: 'summary, one department',
          path: `/reports/summary?${q}&departmentId=${span.department}`,
          raw: () => reports.summary({ from, to, departmentId: span.department }, user, 'raw'),
        },
        {
          key: 'departments',
          label: 'ranking (40 departments)',
          path: `/reports/departments?${q}`,
          raw: () => reports.departments({ from, to }, 'raw'),
        },
        {
          key: 'trend_month',
          label: 'trend by month',
          path: `/reports/trend?${q}&interval=month`,
          raw: () => reports.trend({ from, to, interval: 'month' }, 'raw'),
        },
      ];
      const rollupRuns = 30;
      const rawRuns = ctx.options.rawRuns ?? (span.appeals >= 5_000_000 ? 3 : 5);
      const measurements: Measurement[] = [];
      const details: Record<string, unknown> = { appeals: span.appeals, database: name, from, to };
      summary.push(
        '',
        `${'report'.padEnd(26)} ${'rollup p50'.padStart(11)} ${'p95'.padStart(9)}   ${'raw p50'.padStart(10)} ${'p95'.padStart(10)}   raw/rollup (p50)`,
      );
      for (const c of cases) {
        const get = async () => {
          const res = await fetch(`${base}${c.path}`, { headers: auth });
          if (res.status !== 200) throw new Error(`${c.path}: ${res.status} ${await res.text()}`);
          return res.json();
        };
        let last: unknown;
        for (let i = 0; i < 3; i++) last = await get(); // warm-up
        const rollup: Timed = { label: c.label, ms: [] };
        for (let i = 0; i < rollupRuns; i++) {
          const t = performance.now();
          last = await get();
          rollup.ms.push(performance.now() - t);
        }
        const raw: Timed = { label: c.label, ms: [] };
        let rawBody: unknown;
        for (let i = 0; i < rawRuns; i++) {
          const t = performance.now();
          rawBody = await c.raw();
          raw.ms.push(performance.now() - t);
        }
        // the same figures either way (JSON round trip: dates become strings like the HTTP answer's)
        if (figuresOf(rawBody, asServed) !== figuresOf(last))
          failures.push(`${c.label}: the rollup answer differs from the raw recomputation`);
        const r = stats(rollup);
        const b = stats(raw);
        summary.push(
          `${c.label.padEnd(26)} ${fmtMs(r.p50).padStart(11)} ${fmtMs(r.p95).padStart(9)}   ${fmtMs(b.p50).padStart(10)} ${fmtMs(b.p95).padStart(10)}   ×${round(b.p50 / r.p50, 0)}`,
        );
        details[c.key] = {
          rollup: { p50Ms: round(r.p50, 2), p95Ms: round(r.p95, 2), runs: r.n },
          raw: { p50Ms: round(b.p50, 1), p95Ms: round(b.p95, 1), runs: b.n },
        };
        measurements.push({
          key: c.key,
          label: `${c.label} (rollup, HTTP)`,
          unit: 'req/s',
          rate: 1000 / r.p50,
          p50Ms: r.p50,
          p99Ms: percentile(
            [...rollup.ms].sort((x, y) => x - y),
            99,
          ),
          ok: rollup.ms.length,
          failed: 0,
          durationS: rollup.ms.reduce((x, y) => x + y, 0) / 1000,
        });
      }
      summary.push(
        `rollup: ${rollupRuns} sequential HTTP requests each after 3 warm-ups; raw: ${rawRuns} runs of the service's raw SQL`,
      );
      return { measurements, summary, failures, details };
    } finally {
      await app.close();
    }
  },
};

export default scenario;

/** An answer as JSON without its `freshness` (the snapshot's time differs from one read to the next). */
export function figuresOf(
  body: unknown,
  replacer?: (this: Record<string, unknown>, key: string, value: unknown) => unknown,
): string {
  return JSON.stringify({
    ...(JSON.parse(
      JSON.stringify(body, replacer as (this: unknown, key: string, value: unknown) => unknown),
    ) as object),
    freshness: undefined,
  });
}
