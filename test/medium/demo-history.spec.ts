import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { AppealsService } from '../../src/modules/appeals/appeals.service';
import type { Actor } from '../../src/modules/auth/auth.decorators';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { seedDemo, seedDemoHistory } from '../../scripts/seed-demo';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { createDatabaseFromTemplate, dropDatabase, REDIS_URL, uniqueName, urlFor } from '../setup/test-env';

/**
 * The demo history (scripts/demo-history.ts) at a small scale: played through the services it fills the
 * database with a believable loop; a second run adds nothing; the same seed gives the same history on
 * another database; and on it the meetings report and the leaderLed filters agree with their raw
 * recomputations (the consistency check over a history made by the real code path).
 */
describe('demo history', () => {
  let t: TestApp;
  let other: string | undefined;
  const prefix = uniqueName('demo');
  const until = new Date('2026-06-01T00:00:00+08:00');
  const options = { until, weeks: 6, appealsPerWeek: 3, issuesPerMeeting: [3, 6] as [number, number] };
  const supervisor: Actor = {
    id: '00000000-0000-0000-0000-000000000001',
    username: 'test',
    role: 'supervisor',
    departmentId: null,
    enterpriseId: null,
  };

  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  const seed = async (database: string) => {
    const url = urlFor(database);
    await seedDemo(url, loadConfig({ JWT_SECRET: 'x'.repeat(32), DATABASE_URL: url }));
    return seedDemoHistory(url, env, options);
  };

  /** What the history made, independent of ids, numbers and which appeal came first. */
  const fingerprint = async (database: string) => {
    const c = new Client({ connectionString: urlFor(database) });
    await c.connect();
    try {
      const q = async (sql: string) => (await c.query(sql)).rows;
      return {
        meetings: await q(
          `SELECT title, held_at, district, leader_name, attendee_count,
                  (SELECT count(*)::int FROM meeting_enterprises me WHERE me.meeting_id = m.id) AS enterprises
             FROM meetings m ORDER BY held_at, title`,
        ),
        appeals: await q(
          `SELECT channel, status, type, category_code, reopen_count, resolved_on_spot, leader_name IS NOT NULL AS led,
                  supervised, latest_satisfaction, count(*)::int AS n
             FROM appeals GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
        ),
        events: await q(`SELECT action, count(*)::int AS n FROM appeal_events GROUP BY 1 ORDER BY 1`),
      };
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { ROLE: 'api' } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    if (other) await dropDatabase(other);
    await deleteRedisPrefix(REDIS_URL, prefix);
  });

  it('plays a believable loop through the services, once', async () => {
    const tally = await seed(t.databaseName);
    expect(tally).not.toBeNull();
    expect(tally!.meetings).toBeGreaterThan(3);
    expect(tally!.appeals).toBeGreaterThan(40);
    const [s] = await t.db.query(
      `SELECT count(*) FILTER (WHERE channel = 'meeting')::int AS meeting,
              count(*) FILTER (WHERE status = 'closed')::int AS closed,
              count(*) FILTER (WHERE resolved_on_spot)::int AS on_spot,
              count(*) FILTER (WHERE latest_satisfaction IS NOT NULL)::int AS rated,
              count(*) FILTER (WHERE status IN ('dispatched','in_progress','replied'))::int AS open,
              (SELECT count(*)::int FROM assignments WHERE role = 'co') AS co,
              max(created_at) AS last
         FROM appeals`,
    );
    expect(s.meeting).toBeGreaterThan(15);
    expect(s.closed).toBeGreaterThan(20);
    expect(s.on_spot).toBeGreaterThan(0);
    expect(s.rated).toBeGreaterThan(20);
    expect(s.open).toBeGreaterThan(0);
    expect(s.co).toBeGreaterThan(0);
    expect(new Date(s.last).getTime()).toBeLessThan(until.getTime());
    // every chain the history wrote verifies
    const appeals = t.app.get(AppealsService);
    const ids: { id: string }[] = await t.db.query(`SELECT id FROM appeals ORDER BY number LIMIT 25`);
    for (const { id } of ids) expect(await appeals.verify(id, supervisor)).toMatchObject({ valid: true });

    const before = await fingerprint(t.databaseName);
    expect(await seed(t.databaseName)).toBeNull();
    expect(await fingerprint(t.databaseName)).toEqual(before);
  }, 120_000);

  it('the same seed gives the same history on another database', async () => {
    other = await createDatabaseFromTemplate();
    await seed(other);
    expect(await fingerprint(other)).toEqual(await fingerprint(t.databaseName));
  }, 120_000);

  it('the meetings report and the leaderLed filters equal their raw recomputations', async () => {
    const reports = t.app.get(ReportsService);
    const from = new Date(until.getTime() - 70 * 86_400_000).toISOString();
    const to = until.toISOString();
    const json = (x: unknown) => JSON.parse(JSON.stringify(x));
    for (const q of [
      { from, to },
      { from, to, district: '吴兴区' },
      { from, to, leaderLed: true },
      { from, to, leaderLed: false },
      { from: '2026-04-15T10:00:00+08:00', to: '2026-05-20T16:30:00+08:00' },
    ]) {
      const indexed = json(await reports.meetings(q, 'indexed'));
      expect([q, indexed]).toEqual([q, json(await reports.meetings(q, 'raw'))]);
    }
    const all = await reports.meetings({ from, to });
    expect(all.totals.meetings).toBeGreaterThan(3);
    expect(all.totals.issues).toBeGreaterThan(15);
    expect(all.totals.satisfactionRate).toBeGreaterThan(0.8);
    const led = await reports.meetings({ from, to, leaderLed: true });
    const rest = await reports.meetings({ from, to, leaderLed: false });
    expect(led.totals.issues + rest.totals.issues).toBe(all.totals.issues);

    for (const leaderLed of [true, false, undefined]) {
      const q = { from, to, leaderLed };
      expect(json(await reports.summary(q, supervisor, 'rollup'))).toEqual(
        json(await reports.summary(q, supervisor, 'raw')),
      );
      expect(json(await reports.departments(q, 'rollup'))).toEqual(json(await reports.departments(q, 'raw')));
      expect(json(await reports.categories(q, 'rollup'))).toEqual(json(await reports.categories(q, 'raw')));
    }
  }, 120_000);
});
