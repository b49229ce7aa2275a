/**
 * Where tests find PostgreSQL and Redis, and how each test file gets a database of its own:
 * a template database is migrated once per run (global-setup), each file clones it with
 * CREATE DATABASE … TEMPLATE (milliseconds) and drops it when done. Nothing is truncated or shared.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const SERVER_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_ENV = 'ZQT_TEST_TEMPLATE_DB';

export function urlFor(database: string): string {
  assertTestDatabase(database);
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Refuses any database whose name does not say it is for tests. */
export function assertTestDatabase(name: string): void {
  if (!/test/i.test(name))
    throw new Error(`refusing to use database "${name}": its name does not contain "test"`);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name "${name}"`);
}

export async function withAdminClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const url = new URL(SERVER_URL);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function uniqueName(kind: string): string {
  return `zqt_test_${kind}_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

export async function createDatabaseFromTemplate(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template)
    throw new Error(
      `${TEMPLATE_ENV} is not set: run tests through jest (global-setup migrates the template)`,
    );
  assertTestDatabase(template);
  const name = uniqueName('db');
  assertTestDatabase(name);
  await withAdminClient(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (err) {
        // two files cloning the same template at the same instant: PostgreSQL says 55006; wait and retry
        if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    }
  });
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  assertTestDatabase(name);
  await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A database of this test file's own, cloned from the template, with one client: open in beforeAll, dropped in afterAll. */
export function useTestDatabase(): { client: Client; name: string } {
  const db = {} as { client: Client; name: string };
  beforeAll(async () => {
    db.name = await createDatabaseFromTemplate();
    db.client = new Client({ connectionString: urlFor(db.name) });
    await db.client.connect();
  });
  afterAll(async () => {
    await db.client?.end();
    if (db.name) await dropDatabase(db.name);
  });
  return db;
}
