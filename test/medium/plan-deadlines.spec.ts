import { performance } from 'node:perf_hooks';
import { PlanDeadlines } from '../../src/modules/plans/plan-deadlines';
import { Factory } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';

const N = 1500;

/**
 * The plans' timers (SPEC §9.3) after an outage: N plans whose feedback and promise have both passed
 * with no wake-up armed — what a worker finds when it starts after every worker was down or Redis was
 * flushed. The sweeper fires each timer exactly once, in batches, also when two sweeps run at once,
 * and a wake-up for a timer already fired does nothing. Prints the time the catch-up took.
 */
describe('plan timers: the sweeper catches up exactly once', () => {
  let t: TestApp;

  beforeAll(async () => {
    // no workers: the test runs the sweeps itself
    t = await createTestApp({ env: { ROLE: 'api' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`${N} missed plans: ${2 * N} timers, each fired once by two sweeps running at once`, async () => {
    const f = new Factory(t.db);
    const department = await f.department();
    const category = await f.category();
    const enterprise = await f.enterprise();
    const creator = await f.user('dispatcher');
    const past = (min: number) => new Date(Date.now() - min * 60_000);
    await t.db.query(
      `WITH a AS (
         INSERT INTO appeals (number, type, category_code, title, content, channel, enterprise_id, status,
                              created_by, created_at, updated_at, lead_department_id, closed_at, close_reason)
         SELECT 'ZQTPLAN' || lpad(g::text, 8, '0'), 'help', $1, 't', 'c', 'web', $2, 'closed', $3, $4, $4, $5, $4, 'rated'
           FROM generate_series(1, ${N}) g
         RETURNING id
       )
       INSERT INTO plans (appeal_id, department_id, assignment_id, content, promised_by, next_feedback_at,
                          status, created_by, created_at)
       SELECT a.id, $5, gen_random_uuid(), 'p', $6, $7, 'open', $3, $4 FROM a`,
      [category.code, enterprise.id, creator.id, past(120), department.id, past(5), past(30)],
    );
    const source = t.app.get(PlanDeadlines);
    const [one] = await t.db.query(`SELECT id FROM plans WHERE department_id = $1 LIMIT 1`, [department.id]);

    const started = performance.now();
    const [a, b] = await Promise.all([source.sweep(), source.sweep()]);
    const ms = performance.now() - started;
    console.log(`plan sweep: ${2 * N} timers of ${N} appeals in ${Math.round(ms)} ms (${a} + ${b} fired)`);
    expect(a + b).toBe(2 * N);
    expect(await source.sweep()).toBe(0);
    expect(await source.wake(one.id, 'plan_feedback')).toBe(false);
    expect(await source.wake(one.id, 'plan_overdue')).toBe(false);

    const [counts] = await t.db.query(
      `SELECT (SELECT count(*)::int FROM appeal_events e JOIN plans p ON p.appeal_id = e.appeal_id
                WHERE p.department_id = $1 AND e.action = 'deadline.plan_feedback_overdue') AS feedback,
              (SELECT count(*)::int FROM appeal_events e JOIN plans p ON p.appeal_id = e.appeal_id
                WHERE p.department_id = $1 AND e.action = 'deadline.plan_overdue') AS overdue,
              (SELECT count(*)::int FROM supervisions WHERE department_id = $1 AND source = 'plan_feedback'
                 AND level = 'reminder' AND status = 'open') AS reminders,
              (SELECT count(*)::int FROM supervisions WHERE department_id = $1 AND source = 'plan_overdue'
                 AND level = 'supervision' AND answer_due_at IS NOT NULL) AS supervisions,
              (SELECT count(DISTINCT appeal_id)::int FROM appeal_events WHERE action = 'appeal.supervised'
                 AND appeal_id IN (SELECT appeal_id FROM plans WHERE department_id = $1)) AS supervised,
              (SELECT count(*)::int FROM appeals WHERE lead_department_id = $1 AND status <> 'closed') AS moved`,
      [department.id],
    );
    expect(counts).toEqual({
      feedback: N,
      overdue: N,
      reminders: N,
      supervisions: N,
      supervised: N,
      moved: 0,
    });
    // every chain the firing wrote verifies: genesis, then the four events of the two timers
    const broken = await t.db.query(
      `SELECT a.id FROM appeals a WHERE a.lead_department_id = $1 AND a.event_count <> 4`,
      [department.id],
    );
    expect(broken).toEqual([]);
  }, 180_000);
});
