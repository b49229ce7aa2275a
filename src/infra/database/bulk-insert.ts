import type { EntityManager } from 'typeorm';

/** A column of a bulk insert: its name and the PostgreSQL type of its array parameter. */
export type BulkColumn<R> = [name: string, type: string, value: (row: R) => unknown];

/**
 * INSERT … SELECT FROM unnest($1::t1[], $2::t2[], …): any number of rows in one statement with one
 * parameter per column. TypeORM's multi-row insert builds one parameter per cell, which costs more time
 * in the process than the insert costs in the database once rows run into the hundreds.
 */
export async function bulkInsert<R>(
  m: EntityManager,
  table: string,
  columns: BulkColumn<R>[],
  rows: R[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  await m.query(
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`,
    columns.map(([, , value]) => rows.map(value)),
  );
}
