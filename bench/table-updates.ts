import type { BenchContext } from './context';

export type TableUpdates = Map<string, { upd: number; hot: number }>;

/**
 * Rows updated so far in each of `tables`, and how many of those updates were HOT (no index entry),
 * from pg_stat_user_tables. A backend reports its counts when its transaction ends, at most once a
 * second while busy: a caller reading right after a load waits that long first.
 */
export async function tableUpdates(ctx: BenchContext, tables: string[]): Promise<TableUpdates> {
  await ctx.sql('SELECT pg_stat_clear_snapshot()');
  const rows = await ctx.sql<{ relname: string; upd: string; hot: string }>(
    `SELECT relname, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = ANY($1)`,
    [tables],
  );
  return new Map(rows.map((r) => [r.relname, { upd: Number(r.upd), hot: Number(r.hot) }]));
}

/** The updates of each table between two readings. */
export function updatesBetween(
  start: TableUpdates,
  end: TableUpdates,
): Record<string, { upd: number; hot: number }> {
  const out: Record<string, { upd: number; hot: number }> = {};
  for (const [name, e] of end) {
    const s = start.get(name) ?? { upd: 0, hot: 0 };
    out[name] = { upd: e.upd - s.upd, hot: e.hot - s.hot };
  }
  return out;
}
