/**
 * What the failover tests check on whatever Redis or PostgreSQL topology the app runs: the queues
 * (every filed appeal gets routed), deadlines (wake-ups fire), the login limit (counted in Redis) and
 * the reports.
 */
import { appealBody, categoryWithPolicy, client, World } from './appeal-helpers';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

type Api = ReturnType<typeof client>;

/** Until every appeal of `ids` has been routed (by its job, or by the sweeper when the job was lost). */
export async function allRouted(t: TestApp, ids: string[], ms = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM appeals WHERE id = ANY($1) AND routed_at IS NULL`,
        [ids],
      );
      return n === 0;
    },
    `${ids.length} appeals routed`,
    ms,
  );
}

/**
 * An appeal dispatched under a policy of a 3 s acknowledgement window: its warning and its overdue
 * fire from the deadlines queue, once each.
 */
export async function deadlinesFire(t: TestApp, api: Api, w: World, ms = 40_000): Promise<void> {
  const code = await categoryWithPolicy(api, w, { ackWithin: 'PT3S', replyWithin: 'PT120S', warnAt: 0.5 });
  const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code })).expect(201);
  await api
    .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
    .expect(200);
  const actions = await waitFor(
    async () => {
      const rows: { action: string }[] = await t.db.query(
        `SELECT action FROM appeal_events WHERE appeal_id = $1 AND action LIKE 'deadline.%' ORDER BY seq`,
        [filed.body.id],
      );
      return rows.some((r) => r.action === 'deadline.overdue') ? rows.map((r) => r.action) : undefined;
    },
    'the warning and the overdue of a 3 s deadline',
    ms,
  );
  expect(actions.filter((a) => a === 'deadline.warning')).toHaveLength(1);
  expect(actions.filter((a) => a === 'deadline.overdue')).toHaveLength(1);
}

/** LOGIN_FAILURE_LIMIT wrong passwords are 401; the next attempt, right password or not, is 429. */
export async function loginLimitHolds(t: TestApp, username: string, limit: number): Promise<void> {
  for (let i = 0; i < limit; i++)
    await t.http().post('/api/v1/auth/login').send({ username, password: 'wrong-password' }).expect(401);
  const refused = await t.http().post('/api/v1/auth/login').send({ username, password: 'wrong-password' });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
}

/** The summary report counts what was filed today (at least `atLeast` appeals). */
export async function summaryCounts(api: Api, w: World, atLeast: number) {
  const res = await api.get('/reports/summary', w.supervisor.auth).expect(200);
  expect(res.body.received).toBeGreaterThanOrEqual(atLeast);
  return res;
}
