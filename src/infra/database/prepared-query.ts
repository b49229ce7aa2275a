import { DatabaseError, Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Runs a named prepared statement on the data source's own pg pool: PostgreSQL parses and plans the text
 * once per connection and only binds and executes it afterwards. For hot, fixed statements (filing); a
 * name must always stand for the same text (pg refuses a name reused with another text).
 *
 * Errors PostgreSQL answers with come back as TypeORM's QueryFailedError, as from DataSource.query, so the
 * error filter maps them the same way (23503 → 400 and so on); connection errors pass through unchanged.
 */
export async function preparedQuery<T>(
  db: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  try {
    return (await pool.query({ name, text, values })).rows as T[];
  } catch (err) {
    if (err instanceof DatabaseError) throw new QueryFailedError(text, values, err);
    throw err;
  }
}
