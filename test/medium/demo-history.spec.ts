import { ContactsService } from '../../src/modules/privacy/contacts.service';
import { Client } from 'pg';
import { FakeClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { AppealsService } from '../../src/modules/appeals/appeals.service';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import type { Actor } from '../../src/modules/auth/auth.decorators';
import { CalendarService } from '../../src/modules/calendar/calendar.service';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { workingTime } from '../../scripts/demo-history';
import { DEPARTMENTS, LOCAL_CATEGORIES, seedDemo, seedDemoHistory } from '../../scripts/seed-demo';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { createDatabaseFromTemplate, dropDatabase, REDIS_URL, uniqueName, urlFor } from '../setup/test-env';

/**
 * The demo history (scripts/demo-history.ts) at a small scale: played through the services it fills the
 * database with a believable loop; a second run adds nothing; the same seed gives the same history on
 * another database; it tells a consistent story (SPEC §5.1: meetings on working days, a leader in one
 * place at a time, every district with cases, and a service started at its end finds nothing due); and
 * on it the meetings report and the leaderLed filters agree with their raw recomputations (the
 * consistency check over a history made by the real code path). The six weeks span 中秋 and 国庆 2026,
 * whose Wednesday 2026-10-07 is a holiday.
 */
describe('demo history', () => {
  let t: TestApp;
  let other: string | undefined;
  const prefix = uniqueName('demo');
  const until = new Date('2026-10-19T00:00:00+08:00');
  // the service starts when the history ends
  const options = {
    until,
    serviceStart: until,
    weeks: 6,
    appealsPerWeek: 3,
    issuesPerMeeting: [3, 6] as [number, number],
  };
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
    // the test's application: the service as it starts at the end of the history
    t = await createTestApp({ env: { ROLE: 'api' }, clock: new FakeClock(until) });
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
              (SELECT count(*)::int FROM plans) AS plans,
              (SELECT count(*)::int FROM appeal_events WHERE action LIKE 'plan.%') AS plan_events,
              max(created_at) AS last
         FROM appeals`,
    );
    expect(s.meeting).toBeGreaterThan(15);
    expect(s.closed).toBeGreaterThan(20);
    expect(s.on_spot).toBeGreaterThan(0);
    expect(s.rated).toBeGreaterThan(20);
    expect(s.open).toBeGreaterThan(0);
    expect(s.co).toBeGreaterThan(0);
    // SPEC §9.3: some hard cases are answered with a plan, followed through its steps
    if (process.env.DEBUG_HISTORY)
      console.log(s, await t.db.query(`SELECT status, count(*) FROM plans GROUP BY 1`));
    expect(s.plans).toBeGreaterThan(0);
    expect(s.plan_events).toBeGreaterThan(s.plans);
    expect(new Date(s.last).getTime()).toBeLessThan(until.getTime());
    // SPEC §9: leads contact the enterprises (a few late), hard cases get staged replies, visits ask
    const [f] = await t.db.query(
      `SELECT (SELECT count(*)::int FROM contact_attempts) AS attempts,
              (SELECT count(*)::int FROM assignments WHERE contacted_on_time) AS contacted_on_time,
              (SELECT count(*)::int FROM assignments WHERE contacted_on_time = false
                 OR (contacted_at IS NULL AND contact_overdue_fired_at IS NOT NULL)) AS contacted_late,
              (SELECT count(*)::int FROM staged_replies) AS staged,
              (SELECT count(*)::int FROM surveys WHERE contacted IS NOT NULL) AS asked`,
    );
    expect(f.attempts).toBeGreaterThan(20);
    expect(f.contacted_on_time).toBeGreaterThan(10);
    expect(f.contacted_late).toBeGreaterThan(0);
    expect(f.staged).toBeGreaterThan(0);
    expect(f.asked).toBeGreaterThan(5);
    // SPEC §12: a handful of whistles closed off on time, the last still open with a commitment due
    const whistles: { status: string; open_commitments: number; late: number }[] = await t.db.query(
      `SELECT w.status,
              (SELECT count(*)::int FROM whistle_commitments c WHERE c.whistle_id = w.id AND c.completed_at IS NULL) AS open_commitments,
              (SELECT count(*)::int FROM whistle_commitments c WHERE c.whistle_id = w.id AND c.due_at < $1 AND c.completed_at IS NULL) AS late
         FROM whistles w ORDER BY w.created_at`,
      [until],
    );
    expect(whistles.map((x) => x.status)).toEqual(['closed', 'closed', 'closed', 'closed', 'held']);
    expect(whistles.at(-1)).toEqual({ status: 'held', open_commitments: 1, late: 0 });
    // every chain the history wrote verifies
    const appeals = t.app.get(AppealsService);
    const ids: { id: string }[] = await t.db.query(`SELECT id FROM appeals ORDER BY number LIMIT 25`);
    for (const { id } of ids) expect(await appeals.verify(id, supervisor)).toMatchObject({ valid: true });

    const before = await fingerprint(t.databaseName);
    expect(await seed(t.databaseName)).toBeNull();
    expect(await fingerprint(t.databaseName)).toEqual(before);
  }, 300_000);

  it('tells a consistent story: meetings on working days, one place per leader, every district with cases', async () => {
    const calendar = await t.app.get(CalendarService).calendar();
    const meetings: { title: string; held_at: Date; leader_name: string; district: string }[] =
      await t.db.query(`SELECT title, held_at, leader_name, district FROM meetings ORDER BY held_at, title`);
    expect(meetings.length).toBeGreaterThan(3);
    // a meeting with entrepreneurs is held on a working weekday, never on a holiday (2026-10-07 is one)
    expect(
      meetings.filter((m) => {
        const day = calendar.localDate(new Date(m.held_at));
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        return !calendar.isWorkingDay(day) || weekday === 0 || weekday === 6;
      }),
    ).toEqual([]);
    // no leader chairs two meetings in the same half day
    const halfDay = (at: Date) =>
      `${calendar.localDate(at)} ${calendar.formatLocal(at).slice(11, 13) < '12' ? 'am' : 'pm'}`;
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const m of meetings) {
      const slot = `${m.leader_name} ${halfDay(new Date(m.held_at))}`;
      if (seen.has(slot)) clashes.push(`${slot}: ${seen.get(slot)} / ${m.title}`);
      seen.set(slot, m.title);
    }
    expect(clashes).toEqual([]);
    // the history's people keep the calendar too: a step due on 国庆 waits for the next working morning
    expect(workingTime(new Date('2026-10-07T10:00:00+08:00'), calendar)).toEqual(
      new Date('2026-10-08T09:05:00+08:00'),
    );

    // every district has cases; its local matters (LOCAL_CATEGORIES) are routed to its government,
    // which leads them unless it handed one back
    const governments = DEPARTMENTS.filter((d) => d.kind === 'district');
    expect(governments).toHaveLength(5);
    const filed: { district: string; n: number }[] = await t.db.query(
      `SELECT district, count(*)::int AS n FROM appeals GROUP BY 1 ORDER BY 1`,
    );
    // appeals store a district's GB/T 2260 code; the story names them
    const codes: { code: string; name: string }[] = await t.db.query(
      `SELECT code, name FROM districts WHERE name = ANY($1) ORDER BY code`,
      [governments.map((d) => d.district)],
    );
    expect(codes).toHaveLength(5);
    const codeOf = new Map(codes.map((c) => [c.name, c.code]));
    expect(filed.map((f) => f.district)).toEqual(codes.map((c) => c.code));
    const local: { district: string; suggested: string; lead: string | null; returned: boolean }[] =
      await t.db.query(
        `SELECT a.district, s.code AS suggested, l.code AS lead,
                EXISTS (SELECT 1 FROM return_requests r WHERE r.appeal_id = a.id AND r.status = 'approved') AS returned
           FROM appeals a
           LEFT JOIN departments s ON s.id = (a.suggested_routing ->> 'leadDepartmentId')::uuid
           LEFT JOIN departments l ON l.id = a.lead_department_id
          WHERE a.category_code = ANY($1)`,
        [LOCAL_CATEGORIES],
      );
    const government = new Map(governments.map((d) => [codeOf.get(d.district ?? '') ?? '', d.code]));
    expect(local.filter((a) => a.lead && !a.returned).length).toBeGreaterThan(5);
    expect(local.filter((a) => a.suggested !== government.get(a.district))).toEqual([]);
    expect(local.filter((a) => a.lead && !a.returned && a.lead !== government.get(a.district))).toEqual([]);
  });

  it('ends when the service starts: its first start fires nothing, what the story meant happened at its instant', async () => {
    // every timer fired inside the history at its own instant: warnings and overdue at their due,
    // replies nobody rated closed when their survey window lapsed, unanswered 督办 escalated at their due
    const [late] = await t.db.query(
      `SELECT count(*) FILTER (WHERE action LIKE 'deadline.%')::int AS deadlines,
              count(*) FILTER (WHERE action LIKE 'deadline.%' AND created_at <> (data ->> 'dueAt')::timestamptz)::int AS late,
              count(*) FILTER (WHERE created_at > $1)::int AS after_end
         FROM appeal_events`,
      [until],
    );
    expect(late).toEqual({ deadlines: expect.any(Number), late: 0, after_end: 0 });
    expect(late.deadlines).toBeGreaterThan(0);
    const [unrated] = await t.db.query(
      `SELECT count(*)::int AS closed, count(*) FILTER (WHERE closed_at <> survey_due_at)::int AS late
         FROM appeals WHERE close_reason = 'not_rated'`,
    );
    expect(unrated.closed).toBeGreaterThan(0);
    expect(unrated.late).toBe(0);
    const [escalations] = await t.db.query(
      `SELECT count(*)::int AS late FROM supervisions WHERE escalated_at IS NOT NULL AND escalated_at <> answer_due_at`,
    );
    expect(escalations.late).toBe(0);

    // the service, started at the end of the history: its first sweep fires and closes nothing, and
    // no appeal waits for routing
    const before = await fingerprint(t.databaseName);
    expect(await t.app.get(DeadlinesService).sweep()).toMatchObject({ fired: 0, closed: 0 });
    expect(await t.app.get(RoutingService).sweep()).toBe(0);
    // contacts due for anonymisation (SPEC §11) were anonymised inside the history, at their instant
    expect(await t.app.get(ContactsService).anonymiseDue()).toBe(0);
    expect(await fingerprint(t.databaseName)).toEqual(before);
  });

  it('the same seed gives the same history on another database', async () => {
    other = await createDatabaseFromTemplate();
    await seed(other);
    expect(await fingerprint(other)).toEqual(await fingerprint(t.databaseName));
  }, 300_000);

  it('the meetings report and the leaderLed filters equal their raw recomputations', async () => {
    const reports = t.app.get(ReportsService);
    const from = new Date(until.getTime() - 70 * 86_400_000).toISOString();
    const to = until.toISOString();
    // the figures, without the snapshot's time (`freshness`), which differs from one read to the next
    const json = (x: unknown) => ({ ...JSON.parse(JSON.stringify(x)), freshness: undefined });
    for (const q of [
      { from, to },
      { from, to, district: '吴兴区' },
      { from, to, leaderLed: true },
      { from, to, leaderLed: false },
      { from: '2026-09-15T10:00:00+08:00', to: '2026-10-14T16:30:00+08:00' },
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
