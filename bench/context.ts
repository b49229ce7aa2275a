/**
 * What every benchmark scenario shares: a database of its own (created, migrated, dropped), a Redis prefix
 * of its own (keys deleted at the end), the real application listening on an ephemeral port, a seeded
 * enterprise user with a token, and pg pools that are closed for you.
 *
 * Nothing here touches the development database or the test databases: the names are `zqt_bench_<ms>`.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { migrate } from '../src/infra/database/data-source-options';
import { configureApp } from '../src/infra/http/configure-app';
import { Category } from '../src/modules/categories/category.entity';
import { Department } from '../src/modules/departments/department.entity';
import { Enterprise } from '../src/modules/enterprises/enterprise.entity';
import { USCC_ALPHABET, usccCheckCharacter } from '../src/modules/enterprises/uscc';
import { PasswordService } from '../src/modules/users/password.service';
import { User } from '../src/modules/users/user.entity';
import { round, sleep } from './stats';

export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The server URL with another database name. */
export function urlForDatabase(database: string): string {
  return urlFor(database);
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BENCH_DB = /^zqt_bench_(\d{13})$/;
/** A bench database older than this is the leftover of a crashed or killed run (a run takes about a minute). */
const STALE_AFTER_MS = 3600_000;

export interface BenchOptions {
  /** Measured seconds per measurement. */
  durationS: number;
  /** Seconds of load before each measurement, thrown away (JIT, pools, caches, autovacuum settle). */
  warmupS: number;
  /** Concurrent HTTP connections / pg clients. */
  connections: number;
  /** Size of the prepared history for the reports scenario (`--appeals`); default 100,000. */
  appeals?: number;
  /**
   * The volume database to read instead of zqt_bench_volume_<N> (`--volume-db`): a copy made with
   * `CREATE DATABASE … TEMPLATE zqt_bench_volume_<N>`, so a schema change can be measured beside the
   * shared history without migrating it.
   */
  volumeDb?: string;
  /** Runs of each raw recomputation (`--raw-runs`); default 5, 3 from 5 M appeals. */
  rawRuns?: number;
  /**
   * Where to write a CPU profile of this process's main thread (the application) for each measured HTTP
   * phase that supports it (`--cpu-profile`); none when absent. See profile.ts.
   */
  cpuProfileDir?: string;
  /**
   * Rounds of the filing scenario's headline pair (`--rounds`, default 3): the bare transaction on plain
   * tables, then filing with routing live, measured back to back; with more than one, the headline ratio
   * is the median of the rounds' ratios, so a drift of the machine's speed between two phases moves one
   * round, not the figure.
   */
  rounds?: number;
}

/** One measured figure: a rate and its latency distribution over the measured window only. */
export interface Measurement {
  /** Stable key for the JSON results (`http`, `pg`, …). */
  key: string;
  label: string;
  unit: 'req/s' | 'tx/s';
  rate: number;
  p50Ms: number;
  p99Ms: number;
  /** Operations that succeeded in the measured window. */
  ok: number;
  /** Operations that did not (non-201 answers, socket errors, failed transactions). */
  failed: number;
  durationS: number;
}

export interface ScenarioResult {
  measurements: Measurement[];
  /** Lines printed under the table (ratios, checks). */
  summary: string[];
  /** A non-empty list makes the run fail loudly: the figures cannot be trusted. */
  failures: string[];
  details?: Record<string, unknown>;
}

/** A file in bench/scenarios exports one of these as its default export. */
export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export interface RunningApp {
  app: INestApplication;
  config: AppConfig;
  db: DataSource;
  baseUrl: string;
}

export interface SeededEnterprise {
  department: Department;
  category: Category;
  enterprise: Enterprise;
  user: User;
  /** `Bearer <token>`, from a real POST /api/v1/auth/login. */
  auth: string;
}

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  totalMemGiB: number;
  node: string;
  platform: string;
  postgres: string;
  redis: string;
}

export class BenchContext {
  /** Milliseconds spent in set-up steps, reported with the results. */
  readonly timings: Record<string, number> = {};
  private running?: Promise<RunningApp>;
  private seeded?: Promise<SeededEnterprise>;
  private readonly pools: Pool[] = [];
  private adminPool?: Pool;
  private closed = false;

  private constructor(
    readonly options: BenchOptions,
    readonly name: string,
    readonly databaseUrl: string,
    readonly machine: MachineFacts,
  ) {}

  /** The Redis prefix is the database name: one name to look for if anything is left behind. */
  get redisPrefix(): string {
    return this.name;
  }

  /** Creates and migrates `zqt_bench_<ms>`; on any failure drops it again before rethrowing. */
  static async create(options: BenchOptions): Promise<BenchContext> {
    const name = `zqt_bench_${Date.now()}`;
    const t0 = performance.now();
    const postgres = await withAdminClient(async (c) => {
      await dropStaleBenchDatabases(c);
      await c.query(`CREATE DATABASE "${name}"`);
      return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v.split(
        ' ',
      )[0];
    });
    await deleteStaleRedisPrefixes().catch(() => undefined);
    const databaseUrl = urlFor(name);
    try {
      await migrate(databaseUrl);
    } catch (err) {
      await dropDatabase(name).catch(() => undefined);
      throw err;
    }
    const ctx = new BenchContext(options, name, databaseUrl, {
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? '?',
      totalMemGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      postgres,
      redis: await redisVersion().catch(() => '?'),
    });
    ctx.timings.createAndMigrateDbMs = Math.round(performance.now() - t0);
    return ctx;
  }

  /**
   * The real application, configured exactly as main.ts configures it (AppModule.forRoot + configureApp,
   * our own body parser), listening on 127.0.0.1:<ephemeral>. Started once, on first use.
   */
  app(): Promise<RunningApp> {
    this.running ??= this.startApp();
    return this.running;
  }

  private async startApp(): Promise<RunningApp> {
    const t0 = performance.now();
    const config = loadConfig({
      DATABASE_URL: this.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: this.redisPrefix,
      JWT_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'silent',
      // The per-user rate limit (default 600/min) would turn the benchmark into a 429 benchmark. The limiter
      // itself still runs (one Redis round trip per request), as it does in production.
      RATE_LIMIT_PER_MINUTE: '10000000',
      // The pool size the application ships with unless the caller overrides it (DB_POOL_SIZE=… npm run bench).
      ...(process.env.DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.DB_POOL_SIZE } : {}),
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const app = await NestFactory.create(AppModule.forRoot({ config }), { bodyParser: false, logger: false });
    try {
      configureApp(app, config);
      await app.listen(0, '127.0.0.1');
    } catch (err) {
      await app.close().catch(() => undefined);
      throw err;
    }
    const { port } = app.getHttpServer().address() as AddressInfo;
    this.timings.appBootMs = Math.round(performance.now() - t0);
    return { app, config, db: app.get(DataSource), baseUrl: `http://127.0.0.1:${port}` };
  }

  /**
   * Reference rows inserted directly (a department, a category, an enterprise, an enterprise user with an
   * argon2id password hash, as test/setup/factories.ts does), then a real login over HTTP.
   */
  seed(): Promise<SeededEnterprise> {
    this.seeded ??= this.doSeed();
    return this.seeded;
  }

  private async doSeed(): Promise<SeededEnterprise> {
    const { app, db, baseUrl } = await this.app();
    const department = await save(db, Department, {
      code: 'BENCH_JXJ',
      name: '市经济和信息化局',
      kind: 'department',
      parentId: null,
    });
    // No default department: filing must not depend on routing, so both sides of the comparison do the same work.
    const category = await save(db, Category, {
      code: 'BENCH.FIN.LOAN',
      name: '融资信贷',
      parentCode: null,
      defaultDepartmentId: null,
    });
    const enterprise = await save(db, Enterprise, {
      name: '湖州吴兴精工机械制造有限公司',
      uscc: makeUscc(),
      district: '330502', // 吴兴区 (GB/T 2260)
      industry: '通用设备制造业',
      contactName: '张经理',
      contactPhone: '13800000000',
    });
    const password = `bench-${randomBytes(6).toString('hex')}`;
    let t = performance.now();
    // the application's own hashing (argon2id, 64 MiB, t=3): login then costs what it costs in production
    const passwordHash = await app.get(PasswordService).hash(password);
    this.timings.argon2HashMs = Math.round(performance.now() - t);
    const user = await save(db, User, {
      username: 'bench_enterprise',
      passwordHash,
      role: 'enterprise',
      displayName: '张经理',
      departmentId: null,
      enterpriseId: enterprise.id,
    });
    t = performance.now();
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password }),
    });
    this.timings.loginMs = Math.round(performance.now() - t);
    const body = (await res.json()) as { accessToken?: string };
    if (res.status !== 200 || !body.accessToken)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
    return { department, category, enterprise, user, auth: `Bearer ${body.accessToken}` };
  }

  /** A pg pool on the bench database, closed by close(). */
  pgPool(max: number): Pool {
    const pool = new Pool({ connectionString: this.databaseUrl, max, application_name: 'zqt-bench' });
    this.pools.push(pool);
    return pool;
  }

  /** One-off SQL on the bench database (counts, checks). */
  async sql<T extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    this.adminPool ??= this.pgPool(2);
    return (await this.adminPool.query<T>(text, params)).rows;
  }

  /**
   * Stops the app, ends the pools, drops the database and deletes the Redis keys, each step attempted even
   * when an earlier one fails. Returns what went wrong (empty when clean). Safe to call twice.
   */
  async close(): Promise<string[]> {
    if (this.closed) return [];
    this.closed = true;
    const problems: string[] = [];
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    // bounded: a shutdown that hangs (a stalled pool, a BullMQ worker) must not hang the bench; the database
    // is dropped WITH (FORCE) afterwards anyway
    if (this.running)
      await step('closing the app', async () =>
        withTimeout((await this.running!).app.close(), 15_000, 'app.close()'),
      );
    await step('ending pg pools', () => Promise.all(this.pools.map((p) => p.end())));
    // Anything still connected now was leaked by the app or a scenario; DROP … WITH (FORCE) would kill it
    // and a pg client without an error listener would take the process down with it. Name it instead.
    // pg's Pool#end() resolves once it has *asked* its clients to end, before the server has seen them go:
    // give the backends a moment to exit before calling what is left a leak.
    await step('checking for leaked connections', async () => {
      let left: { application_name: string; state: string; query: string }[] = [];
      for (let i = 0; i < 50; i++) {
        left = (
          await withAdminClient((c) =>
            c.query<{ application_name: string; state: string; query: string }>(
              `SELECT application_name, state, left(query, 80) AS query FROM pg_stat_activity WHERE datname = $1`,
              [this.name],
            ),
          )
        ).rows;
        if (left.length === 0) return;
        await sleep(100);
      }
      throw new Error(
        `${left.length} connection(s) still open: ${left.map((r) => `${r.application_name} ${r.state} "${r.query}"`).join('; ')}`,
      );
    });
    await step(`dropping ${this.name}`, () => dropDatabase(this.name));
    await step(`deleting Redis keys ${this.redisPrefix}:*`, () => deleteRedisPrefix(this.redisPrefix));
    return problems;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function save<T extends object>(db: DataSource, entity: new () => T, values: Partial<T>): Promise<T> {
  const repo = db.getRepository(entity);
  return repo.save(repo.create(values as T));
}

/** A syntactically valid 统一社会信用代码 (the API validates the check character). */
function makeUscc(): string {
  const pick = (alphabet: string) => alphabet[Math.floor(Math.random() * alphabet.length)];
  const body = '91330502' + Array.from({ length: 9 }, () => pick(USCC_ALPHABET)).join('');
  return body + usccCheckCharacter(body);
}

function urlFor(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: urlFor('postgres'), application_name: 'zqt-bench-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function assertBenchDatabase(name: string): void {
  if (!BENCH_DB.test(name)) throw new Error(`refusing to drop "${name}": not a bench database`);
}

async function dropDatabase(name: string): Promise<void> {
  assertBenchDatabase(name);
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Leftovers of runs killed before their cleanup (kill -9, a crash): bench databases older than an hour. */
async function dropStaleBenchDatabases(c: Client): Promise<void> {
  const { rows } = await c.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'zqt_bench_%'`,
  );
  for (const { datname } of rows) {
    const stamp = Number(BENCH_DB.exec(datname)?.[1] ?? NaN);
    if (stamp < Date.now() - STALE_AFTER_MS)
      await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
  }
}

/** The same for Redis keys: a run can die between dropping its database and deleting its keys. */
async function deleteStaleRedisPrefixes(): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  const stale = new Set<string>();
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'zqt_bench_*', 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const prefix = key.split(':')[0];
        const stamp = Number(BENCH_DB.exec(prefix)?.[1] ?? NaN);
        if (stamp < Date.now() - STALE_AFTER_MS) stale.add(prefix);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  for (const prefix of stale) await deleteRedisPrefix(prefix);
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  } finally {
    redis.disconnect();
  }
}
