import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../src/infra/database/data-source-options';
import { appealBody, client, world } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';
import { assertTestDatabase, SERVER_URL, uniqueName, withAdminClient } from '../setup/test-env';

/**
 * deploy/postgres/roles.sql as docker-compose runs it: migrations as the owner role, the service as an
 * app role that owns nothing. The app role runs the closed loop, and cannot switch off the event log's
 * append-only trigger, truncate it, or bypass triggers.
 */
describe('the service as a database role that does not own the tables', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = uniqueName('roles');
  const owner = `zqt_test_owner_${suffix}`;
  const app = `zqt_test_app_${suffix}`;
  const urlAs = (user: string) => {
    const url = new URL(SERVER_URL);
    url.username = user;
    url.password = '';
    url.pathname = `/${database}`;
    return url.toString();
  };
  let t: TestApp | undefined;

  /** roles.sql with its psql variables filled in (:"name" an identifier, :'name' a literal). */
  function rolesSql(vars: Record<string, string>): string[] {
    const text = readFileSync(join(__dirname, '../../deploy/postgres/roles.sql'), 'utf8')
      .replace(/:"(\w+)"/g, (_, k: string) => `"${vars[k]}"`)
      .replace(/:'(\w+)'/g, (_, k: string) => `'${vars[k]}'`);
    return text
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  beforeAll(async () => {
    assertTestDatabase(database);
    await withAdminClient((c) => c.query(`CREATE DATABASE "${database}"`));
    const su = new Client({ connectionString: urlAs(new URL(SERVER_URL).username || 'postgres') });
    await su.connect();
    try {
      const vars = { database, owner, app, owner_password: 'owner-pass', app_password: 'app-pass' };
      for (const statement of rolesSql(vars)) await su.query(statement);
    } finally {
      await su.end();
    }
    await migrate(urlAs(owner));
  });

  afterAll(async () => {
    await t?.close();
    await withAdminClient(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${app}"`);
      await c.query(`DROP ROLE IF EXISTS "${owner}"`);
    });
  });

  async function asApp<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: urlAs(app) });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }
  const refused = (sql: string) =>
    asApp((c) => c.query(sql)).then(
      () => 'allowed',
      (err: { code?: string }) => err.code,
    );

  it('the tables belong to the owner role, not the app role', async () => {
    const { rows } = await asApp((c) =>
      c.query(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`),
    );
    expect(rows).toEqual([{ tableowner: owner }]);
  });

  it('the app role cannot switch off the append-only trigger, truncate the log, or bypass triggers', async () => {
    expect(await refused(`ALTER TABLE appeal_events DISABLE TRIGGER appeal_events_no_update`)).toBe('42501');
    expect(await refused(`ALTER TABLE appeal_events DISABLE TRIGGER ALL`)).toBe('42501');
    expect(await refused(`DROP TRIGGER appeal_events_no_update ON appeal_events`)).toBe('42501');
    expect(await refused(`TRUNCATE appeal_events`)).toBe('42501');
    expect(await refused(`SET session_replication_role = replica`)).toBe('42501');
    expect(await refused(`CREATE TABLE intruder (id int)`)).toBe('42501');
  });

  it('the whole service runs as the app role: start-up migration check, filing, dispatch, the event chain', async () => {
    // what the service does at every start: nothing pending, so nothing needs the owner
    expect(await migrate(urlAs(app))).toEqual([]);
    t = await createTestApp({ databaseUrl: () => urlAs(app) });
    const w = await world(t);
    const api = client(t);
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await api
      .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    const verify = await api.get(`/appeals/${filed.body.id}/events/verify`, w.dispatcher.auth).expect(200);
    expect(verify.body).toEqual({ valid: true, count: 2 });
    // the log stays append-only for the app role: the trigger refuses (P0001 from the trigger function)
    const del = await t.db.query(`DELETE FROM appeal_events WHERE appeal_id = $1`, [filed.body.id]).then(
      () => 'allowed',
      (err: { code?: string }) => err.code,
    );
    expect(del).not.toBe('allowed');
  });
});
