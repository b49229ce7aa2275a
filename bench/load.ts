/**
 * Load generators: autocannon for HTTP, a closed loop of pg clients for SQL.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import { percentile } from './stats';

export interface HttpLoadOptions {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
  warmupS: number;
}

export interface HttpLoadResult {
  main: autocannon.Result;
  warmup?: autocannon.Result;
}

/**
 * Runs autocannon (programmatic API, its own warm-up run first) with `workers: 1`: the connections live in a
 * worker thread autocannon starts, and only the result comes back here.
 *
 * Why a thread: the application under test runs in this process's event loop. An autocannon sharing that
 * loop would steal the app's CPU time request by request and the figure would measure both; in a worker it
 * has a loop of its own and, like the autocannon CLI next to a server, competes only for the cores.
 */
export async function httpLoad(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const result = (await autocannon({
    url: o.url,
    method: o.method,
    headers: o.headers,
    body: o.body,
    connections: o.connections,
    duration: o.durationS,
    workers: 1,
    // one request in flight per connection: a browser or a client SDK does not pipeline
    pipelining: 1,
    timeout: 10,
    ...(o.warmupS > 0 ? { warmup: { connections: o.connections, duration: o.warmupS } } : {}),
  })) as autocannon.Result & { warmup?: autocannon.Result };
  return { main: result, warmup: result.warmup };
}

/** autocannon's per-status-code tally, as plain numbers. */
function statusCodes(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
  );
}

/** How many responses carried this status code. */
export function statusCount(result: autocannon.Result, status: number): number {
  return statusCodes(result)[String(status)] ?? 0;
}

/** Every answer or failure other than `status`: other status codes, socket errors and timeouts. */
export function otherThan(
  result: autocannon.Result,
  status: number,
): { count: number; byStatus: Record<string, number> } {
  const byStatus: Record<string, number> = {};
  let count = 0;
  for (const [code, n] of Object.entries(statusCodes(result))) {
    if (code === String(status)) continue;
    byStatus[code] = n;
    count += n;
  }
  // autocannon counts timeouts within errors
  if (result.errors > 0) {
    byStatus.socketErrorsAndTimeouts = result.errors;
    count += result.errors;
  }
  return { count, byStatus };
}

export interface PgLoadResult {
  ok: number;
  failed: number;
  /** A few distinct error messages, for the report. */
  errors: string[];
  elapsedS: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A closed loop like autocannon's: `clients` connections, each running `op` back to back until the time is
 * up, latency measured per op. A warm-up run with the same shape comes first and is thrown away.
 */
export async function pgLoad(
  pool: Pool,
  o: { clients: number; durationS: number; warmupS: number },
  op: (c: PoolClient) => Promise<void>,
): Promise<PgLoadResult> {
  if (o.warmupS > 0) await closedLoop(pool, o.clients, o.warmupS, op);
  return closedLoop(pool, o.clients, o.durationS, op);
}

async function closedLoop(
  pool: Pool,
  clients: number,
  durationS: number,
  op: (c: PoolClient) => Promise<void>,
): Promise<PgLoadResult> {
  // connect everyone before the clock starts: connection set-up is not what we measure
  const conns = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
  const latencies: number[] = [];
  const errors = new Set<string>();
  let failed = 0;
  const start = performance.now();
  const deadline = start + durationS * 1000;
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          try {
            await op(c);
            latencies.push(performance.now() - t);
          } catch (err) {
            failed++;
            if (errors.size < 5) errors.add(err instanceof Error ? err.message : String(err));
          }
        }
      }),
    );
  } finally {
    for (const c of conns) c.release();
  }
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failed,
    errors: [...errors],
    elapsedS,
    rate: latencies.length / elapsedS,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
