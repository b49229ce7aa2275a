/**
 * CPU time spent during a measurement, by whom: this process (the application and the load generator, which
 * runs in it), the PostgreSQL backends serving the bench database, and Redis. On a shared machine the rates
 * move with whatever else runs; CPU milliseconds per operation move much less, and say where the time goes.
 *
 * Linux only (PostgreSQL backends are read from /proc); elsewhere the PostgreSQL figure is null.
 */
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import type { BenchContext } from './context';
import { REDIS_URL } from './context';

/** Kernel clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every Linux build in use). */
const TICKS_PER_S = 100;

interface Snapshot {
  wallMs: number;
  process: NodeJS.CpuUsage;
  /** CPU ms per PostgreSQL backend pid of the bench database. */
  postgres: Map<number, number> | null;
  redisMs: number | null;
}

export interface CpuSpent {
  wallS: number;
  /** This process: the application, its workers and the load generator. */
  processMs: number;
  postgresMs: number | null;
  redisMs: number | null;
}

export async function cpuSnapshot(ctx: BenchContext): Promise<Snapshot> {
  return {
    wallMs: performance.now(),
    process: process.cpuUsage(),
    postgres: await postgresBackends(ctx),
    redisMs: await redisCpuMs(),
  };
}

export async function cpuSince(ctx: BenchContext, start: Snapshot): Promise<CpuSpent> {
  const end = await cpuSnapshot(ctx);
  const used = process.cpuUsage(start.process);
  let postgresMs: number | null = null;
  if (start.postgres && end.postgres) {
    postgresMs = 0;
    // backends that ended in between are lost; the pools keep theirs open for the whole run
    for (const [pid, ms] of end.postgres) postgresMs += ms - (start.postgres.get(pid) ?? 0);
  }
  return {
    wallS: (end.wallMs - start.wallMs) / 1000,
    processMs: (used.user + used.system) / 1000,
    postgresMs,
    redisMs: start.redisMs !== null && end.redisMs !== null ? end.redisMs - start.redisMs : null,
  };
}

/** "app 1.9 ms + PostgreSQL 0.8 ms + Redis 0.1 ms = 2.8 ms CPU per op" */
export function perOperation(spent: CpuSpent, operations: number): string {
  const per = (ms: number | null) => (ms === null ? '?' : `${(ms / operations).toFixed(2)} ms`);
  const total = spent.processMs + (spent.postgresMs ?? 0) + (spent.redisMs ?? 0);
  return (
    `this process ${per(spent.processMs)} + PostgreSQL ${per(spent.postgresMs)} + Redis ${per(spent.redisMs)} ` +
    `= ${per(total)} CPU per operation (${(total / 1000 / spent.wallS).toFixed(2)} cores busy)`
  );
}

async function postgresBackends(ctx: BenchContext): Promise<Map<number, number> | null> {
  try {
    const rows = await ctx.sql<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      // fields after the command name: state is field 3, utime 14, stime 15 (1-based, see proc(5))
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S);
    }
    return out;
  } catch {
    return null;
  }
}

async function redisCpuMs(): Promise<number | null> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1]);
    const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1]);
    return Number.isFinite(sys + user) ? (sys + user) * 1000 : null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
}
