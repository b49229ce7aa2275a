import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../../src/infra/database/data-source-options';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { available, caughtUp, PgServer, startPostgresPair } from '../setup/ha-processes';
import { closeAndStop } from '../setup/ha-checks';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

const NAME = 'reports on a streaming replica (DATABASE_READ_URL, READ_MAX_LAG_SECONDS)';
const DB = 'zqt_test_ha_replica';

/**
 * A primary and a streaming standby (pg_basebackup) started here. The reports read the standby while
 * it lags at most READ_MAX_LAG_SECONDS, the primary when it lags more or does not answer, and say
 * which (`freshness`, X-Data-Source, X-Data-Age).
 */
(available('postgres', NAME) ? describe : describe.skip)(NAME, () => {
  let primary: PgServer;
  let standby: PgServer;
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    const pair = await startPostgresPair({ standby: true });
    primary = pair.primary;
    standby = pair.standby!;
    await primary.query(`CREATE DATABASE ${DB}`);
    await migrate(primary.url(DB));
    await caughtUp(primary, standby);
    t = await createTestApp({
      databaseUrl: () => primary.url(DB),
      env: { DATABASE_READ_URL: standby.url(DB), READ_MAX_LAG_SECONDS: '2' },
    });
    w = await world(t);
    api = client(t);
  }, 120_000);
  afterAll(() => closeAndStop(t), 60_000);

  const summary = () => api.get('/reports/summary', w.supervisor.auth).expect(200);

  /** Until the summary, read where `source` says, counts `received` appeals. */
  const until = (source: 'primary' | 'replica', received: number, ms = 30_000) =>
    waitFor(
      async () => {
        const res = await summary();
        return res.body.freshness.source === source && res.body.received === received ? res : undefined;
      },
      `a summary from the ${source} counting ${received}`,
      ms,
      200,
    );

  it('a replica that keeps up serves the reports, saying so and how old its figures are', async () => {
    for (let i = 0; i < 3; i++) await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const res = await until('replica', 3);
    expect(res.headers['x-data-source']).toBe('replica');
    expect(Number(res.headers['x-data-age'])).toBeLessThanOrEqual(2);
    expect(res.body.freshness.ageSeconds).toBeLessThanOrEqual(2);
    expect(Date.parse(res.body.freshness.asOf)).toBeLessThanOrEqual(Date.now());
    // the CSV says it in its headers
    const csv = await api.get('/reports/departments?format=csv', w.supervisor.auth).expect(200);
    expect(['replica', 'primary']).toContain(csv.headers['x-data-source']);
    expect(csv.headers['x-data-age']).toMatch(/^\d+(\.\d)?$/);
    // the standby answers the report's connections
    const [{ n }] = await standby.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'zhengqitong-read'`,
    );
    expect(n).toBeGreaterThan(0);
  });

  it('a replica lagging more than READ_MAX_LAG_SECONDS: the primary answers, with what the replica lacks', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
      await sleep(2500);
      const res = await summary();
      expect(res.body.freshness).toMatchObject({ source: 'primary', ageSeconds: 0 });
      expect(res.headers['x-data-source']).toBe('primary');
      expect(res.body.received).toBe(4);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    // caught up again: back on the replica
    await until('replica', 4);
  });

  it('a replica that is down: the primary answers at once; once it is back, the replica again', async () => {
    await standby.stop();
    const started = Date.now();
    const res = await summary();
    expect(res.body.freshness.source).toBe('primary');
    expect(res.body.received).toBe(4);
    const tookMs = Date.now() - started;
    await standby.start();
    await until('replica', 4, 30_000);
    console.log(
      `[ha] a report with the replica down answered from the primary in ${tookMs} ms (loaded machine)`,
    );
  });
});
