/**
 * npm run bench [-- --only filing[,other]] [--duration 10] [--warmup 2] [--connections 16] [--appeals N]
 *
 * --appeals N sizes the history of the reports scenario (default 100,000); its database
 * zqt_bench_volume_<N> is generated once (npm run seed:volume) and reused by later runs. --volume-db name
 * reads another database of the same history instead (a TEMPLATE copy); --raw-runs n sets how often each
 * raw recomputation runs (minutes each at 10 M).
 *
 * Runs every scenario in bench/scenarios/*.ts (each `export default { name, description, run(ctx) }`) against
 * one throw-away database and one application instance, prints a table per scenario and writes
 * .bench/results-<scenario>.json (git-ignored) for later comparison. Exit code 1 when a scenario fails or
 * one of its checks does (a non-201, a missing row): a figure that cannot be trusted must not look fine.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BenchContext, BenchOptions, Scenario, ScenarioResult } from './context';
import { fmtMs, fmtRate, round, table } from './stats';

const ROOT = join(__dirname, '..');
const RESULTS_DIR = join(ROOT, '.bench');

/** A mistake on the command line: printed without a stack trace. */
class UsageError extends Error {}

/**
 * 16 connections (only the filing scenario uses the option): the concurrency the filing target is stated
 * at, HTTP and the pg baseline alike. Enough to keep both cores busy, and more than the application's
 * default pool of 10, so requests queue for connections as they would in production.
 */
const DEFAULTS: BenchOptions = { durationS: 10, warmupS: 2, connections: 16, rounds: 3 };

function parseOptions(): { options: BenchOptions; only: string[] | null } {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      appeals: { type: 'string' },
      'volume-db': { type: 'string' },
      'raw-runs': { type: 'string' },
      'cpu-profile': { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'npm run bench -- [--only name[,name]] [--duration seconds] [--warmup seconds] [--connections n] [--appeals n] [--volume-db name] [--raw-runs n] [--rounds n] [--cpu-profile dir]',
    );
    process.exit(0);
  }
  const num = (v: string | undefined, fallback: number, name: string, min: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new UsageError(`--${name} must be a number ≥ ${min}, got "${v}"`);
    return n;
  };
  const options: BenchOptions = {
    durationS: num(values.duration, DEFAULTS.durationS, 'duration', 1),
    warmupS: num(values.warmup, DEFAULTS.warmupS, 'warmup', 0),
    connections: Math.round(num(values.connections, DEFAULTS.connections, 'connections', 1)),
    appeals: values.appeals === undefined ? undefined : Math.round(num(values.appeals, 0, 'appeals', 1000)),
    volumeDb: values['volume-db'],
    rawRuns:
      values['raw-runs'] === undefined ? undefined : Math.round(num(values['raw-runs'], 0, 'raw-runs', 1)),
    cpuProfileDir: values['cpu-profile'],
    rounds: Math.round(num(values.rounds, DEFAULTS.rounds ?? 1, 'rounds', 1)),
  };
  if (options.volumeDb !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.volumeDb))
    throw new UsageError(`--volume-db must be a plain database name, got "${options.volumeDb}"`);
  const only = values.only
    ? values.only
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  return { options, only };
}

/** Every bench/scenarios/*.ts, in file-name order; a new scenario is a new file there. */
function loadScenarios(): Scenario[] {
  const dir = join(__dirname, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, f)) as { default?: Scenario };
      const s = mod.default;
      if (!s || typeof s.name !== 'string' || typeof s.run !== 'function') {
        throw new Error(`bench/scenarios/${f} must \`export default { name, description, run(ctx) }\``);
      }
      return s;
    });
}

function printResult(s: Scenario, r: ScenarioResult): void {
  console.log(
    table(
      ['', 'rate', 'p50', 'p99', 'ok', 'failed'],
      r.measurements.map((m) => [
        m.label,
        `${fmtRate(m.rate)} ${m.unit}`,
        fmtMs(m.p50Ms),
        fmtMs(m.p99Ms),
        String(m.ok),
        String(m.failed),
      ]),
    ),
  );
  for (const line of r.summary) console.log(`  ${line}`);
  for (const f of r.failures) console.error(`  ✗ FAILED CHECK: ${f}`);
}

function writeResult(
  ctx: BenchContext,
  s: Scenario,
  r: ScenarioResult | null,
  error: string | null,
  startedAt: Date,
  wallS: number,
): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `results-${s.name}.json`);
  const doc = {
    scenario: s.name,
    description: s.description,
    startedAt: startedAt.toISOString(),
    wallS: round(wallS, 1),
    ok: !error && (r?.failures.length ?? 1) === 0,
    machine: ctx.machine,
    options: ctx.options,
    setupMs: ctx.timings,
    measurements: Object.fromEntries(
      (r?.measurements ?? []).map((m) => [
        m.key,
        {
          ...m,
          rate: round(m.rate, 1),
          p50Ms: round(m.p50Ms, 2),
          p99Ms: round(m.p99Ms, 2),
          durationS: round(m.durationS, 2),
        },
      ]),
    ),
    summary: r?.summary ?? [],
    failures: r?.failures ?? [],
    error,
    details: r?.details ?? {},
  };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}

async function main(): Promise<number> {
  const wall0 = performance.now();
  const { options, only } = parseOptions();
  const all = loadScenarios();
  const unknown = (only ?? []).filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown scenario ${unknown.join(', ')}; there are: ${all.map((s) => s.name).join(', ')}`,
    );
  const selected = only ? all.filter((s) => only.includes(s.name)) : all;

  const ctx = await BenchContext.create(options);
  let exitCode = 0;
  // Ctrl-C: clean up (drop the database, delete the keys) before leaving. NestJS's own shutdown hook (see
  // configureApp) re-raises the signal after closing the app; this listener keeps that from killing us early.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up ${ctx.name} …`);
    void ctx.close().then((problems) => {
      for (const p of problems) console.error(`  cleanup: ${p}`);
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const m = ctx.machine;
  console.log(
    `zhengqitong bench · ${m.cores} cores (${m.cpuModel}) · ${m.totalMemGiB} GiB · node ${m.node} · PostgreSQL ${m.postgres} · Redis ${m.redis}`,
  );
  console.log(
    `database ${ctx.name} · ${options.connections} connections · ${options.durationS} s measured after ${options.warmupS} s warm-up · ` +
      `app, database, Redis and load generator share the machine`,
  );
  try {
    for (const s of selected) {
      const startedAt = new Date();
      const t0 = performance.now();
      console.log(`\n▶ ${s.name}: ${s.description}`);
      let result: ScenarioResult | null = null;
      let error: string | null = null;
      try {
        result = await s.run(ctx);
        printResult(s, result);
        if (result.failures.length > 0) exitCode = 1;
      } catch (err) {
        error = err instanceof Error ? (err.stack ?? err.message) : String(err);
        console.error(`  ✗ ${s.name} FAILED: ${error}`);
        exitCode = 1;
      }
      const file = writeResult(ctx, s, result, error, startedAt, (performance.now() - t0) / 1000);
      console.log(`  → ${file.slice(ROOT.length + 1)}`);
    }
    const t = ctx.timings;
    console.log(
      `\nset-up: database created and migrated ${t.createAndMigrateDbMs ?? '-'} ms · app boot ${t.appBootMs ?? '-'} ms · ` +
        `argon2id hash ${t.argon2HashMs ?? '-'} ms · login ${t.loginMs ?? '-'} ms`,
    );
  } finally {
    const problems = await ctx.close();
    for (const p of problems) console.error(`cleanup: ${p}`);
    if (problems.length > 0) exitCode = 1;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  console.log(
    `total wall time ${((performance.now() - wall0) / 1000).toFixed(1)} s${exitCode ? ' · FAILED' : ''}`,
  );
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now and node should exit by itself. If a handle leaks (a pool, a socket, a
    // timer), say so and leave anyway rather than hang a CI job; unref'd, so it never delays a clean exit.
    setTimeout(() => {
      console.error('bench: process still alive 5 s after cleanup — something was left open');
      process.exit(code || 1);
    }, 5000).unref();
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`bench: ${(err as Error).message}`);
    } else {
      console.error('bench failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    }
    process.exitCode = 1;
  },
);
