import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { PlanDeadlines } from '../../src/modules/plans/plan-deadlines';
import { appealBody, categoryWithPolicy, client, world, World } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Api = ReturnType<typeof client>;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A department of its own with a handler, so a test's figures and ledger are its own. */
async function department(t: TestApp, w: World) {
  const d = await w.f.department();
  const h = await actor(t, w.f, 'handler', { departmentId: d.id });
  return { id: d.id, name: d.name, auth: h.auth };
}

/**
 * SPEC §9.3 planned resolution (计划解决) over HTTP: the planned reply and its checks, the plan's steps,
 * the ledger's scopes, the cancellation a reopen brings, the two timers (each fired once, also after a
 * Redis flush and a restart) and the figures by the plan's department. Real clock; the plan windows of
 * the tests' policies are short (natural clock).
 */
describe('SPEC §9.3: planned resolution (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: Api;
  let code: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
    code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      planMaxWithin: 'PT1H',
      planFeedbackEvery: 'PT10M',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Filed by the world's enterprise, dispatched to `lead`, acknowledged by `auth`. */
  async function inProgress(lead: string, auth: string, enterprise = w.enterprise.auth) {
    const id = (await api.post('/appeals', enterprise, appealBody(w, { categoryCode: code })).expect(201))
      .body.id as string;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: lead }).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, auth).expect(200);
    return id;
  }
  const plan = (over: Record<string, unknown> = {}) => ({
    content: '已协调国土部门办理用地预审，预计两个月内完成',
    promisedBy: inMs(50 * 60_000),
    nextFeedbackAt: inMs(5 * 60_000),
    ...over,
  });
  async function planned(lead: string, auth: string, p = plan(), enterprise = w.enterprise.auth) {
    const id = await inProgress(lead, auth, enterprise);
    const res = await api
      .post(`/appeals/${id}/reply`, auth, { content: '需分步办理，计划如下', outcome: 'planned', plan: p })
      .expect(200);
    return { id, appeal: res.body, planId: res.body.plan.id as string };
  }
  const actions = async (id: string) =>
    (await api.get(`/appeals/${id}/events`, w.supervisor.auth).expect(200)).body.items.map(
      (e: { action: string }) => e.action,
    );

  it('SLA policies take the plan windows (calendar months allowed), default P3M / P1M', async () => {
    const base = { name: 'plan windows', clock: 'working', ackWithin: 'P1D', replyWithin: 'P5D' };
    const made = await api.post('/sla-policies', w.admin.auth, base).expect(201);
    expect(made.body).toMatchObject({ planMaxWithin: 'P3M', planFeedbackEvery: 'P1M' });
    const custom = await api
      .post('/sla-policies', w.admin.auth, { ...base, planMaxWithin: 'P6M', planFeedbackEvery: 'P2W' })
      .expect(201);
    expect(custom.body).toMatchObject({ planMaxWithin: 'P6M', planFeedbackEvery: 'P2W' });
    for (const bad of ['P3X', 'P6Y', 'three months']) {
      const res = await api.post('/sla-policies', w.admin.auth, { ...base, planMaxWithin: bad }).expect(400);
      expect(res.body.details[0].field).toBe('planMaxWithin');
    }
  });

  it('validation: the plan goes with outcome planned only, its dates within the policy windows (400 naming the field)', async () => {
    const d = await department(t, w);
    const id = await inProgress(d.id, d.auth);
    const reply = (body: object) => api.post(`/appeals/${id}/reply`, d.auth, { content: '答复', ...body });
    const field = async (body: object) => (await reply(body).expect(400)).body.details[0].field as string;
    expect(await field({ outcome: 'planned' })).toBe('plan');
    expect(await field({ outcome: 'resolved', plan: plan() })).toBe('plan');
    expect(await field({ outcome: 'planned', plan: plan({ content: '  ' }) })).toBe('plan.content');
    expect(await field({ outcome: 'planned', plan: plan({ promisedBy: 'next month' }) })).toBe(
      'plan.promisedBy',
    );
    // planMaxWithin PT1H after the reply; planFeedbackEvery PT10M from now
    expect(await field({ outcome: 'planned', plan: plan({ promisedBy: inMs(2 * 3600_000) }) })).toBe(
      'plan.promisedBy',
    );
    expect(await field({ outcome: 'planned', plan: plan({ promisedBy: inMs(-60_000) }) })).toBe(
      'plan.promisedBy',
    );
    expect(await field({ outcome: 'planned', plan: plan({ nextFeedbackAt: inMs(20 * 60_000) }) })).toBe(
      'plan.nextFeedbackAt',
    );
    expect(await field({ outcome: 'planned', plan: plan({ nextFeedbackAt: inMs(-1000) }) })).toBe(
      'plan.nextFeedbackAt',
    );
    const late = await reply({
      outcome: 'planned',
      plan: plan({ promisedBy: inMs(3 * 60_000), nextFeedbackAt: inMs(4 * 60_000) }),
    }).expect(400);
    expect(late.body.details).toEqual([
      { field: 'plan.nextFeedbackAt', message: '不能晚于承诺解决日期（promisedBy）' },
    ]);
    // nothing was written: still in progress, no plan, no event
    const after = (await api.get(`/appeals/${id}`, w.dispatcher.auth).expect(200)).body;
    expect(after).toMatchObject({ status: 'in_progress', plan: null });
    expect(await actions(id)).not.toContain('plan.created');
  });

  it('planned reply → replied → surveyed → closed while the plan stays open; updates, fulfilment, confirmation, each in the chain', async () => {
    const d = await department(t, w);
    const { id, appeal, planId } = await planned(d.id, d.auth);
    expect(appeal).toMatchObject({
      status: 'replied',
      reply: { outcome: 'planned' },
      plan: {
        id: planId,
        appealId: id,
        departmentId: d.id,
        departmentName: d.name,
        status: 'open',
        updates: [],
        overdue: false,
      },
    });
    const closed = await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', plan: { status: 'open' } });

    // the lead handler reports; nobody else may
    await api
      .post(`/plans/${planId}/updates`, w.otherHandler.auth, { content: 'x', nextFeedbackAt: inMs(60_000) })
      .expect(404);
    await api
      .post(`/plans/${planId}/updates`, w.enterprise.auth, { content: 'x', nextFeedbackAt: inMs(60_000) })
      .expect(403);
    await api
      .post(`/plans/${planId}/updates`, d.auth, { content: 'x', nextFeedbackAt: inMs(3600_000) })
      .expect(400);
    const next = inMs(8 * 60_000);
    const updated = await api
      .post(`/plans/${planId}/updates`, d.auth, { content: '用地预审已受理', nextFeedbackAt: next })
      .expect(201);
    expect(updated.body).toMatchObject({ status: 'open', updates: [{ content: '用地预审已受理' }] });
    expect(new Date(updated.body.nextFeedbackAt).toISOString()).toBe(next);
    // confirmed only once fulfilled
    await api.post(`/plans/${planId}/confirm`, w.enterprise.auth, { resolved: true }).expect(409);
    const fulfilled = await api
      .post(`/plans/${planId}/fulfil`, d.auth, { content: '用地手续已办结，证书已发放' })
      .expect(200);
    expect(fulfilled.body).toMatchObject({ status: 'fulfilled', fulfilledOnTime: true });
    await api.post(`/plans/${planId}/fulfil`, d.auth, { content: '再次' }).expect(409);
    await api
      .post(`/plans/${planId}/updates`, d.auth, { content: 'x', nextFeedbackAt: inMs(60_000) })
      .expect(409);
    // another enterprise does not find it; resolved:false must say why
    await api.post(`/plans/${planId}/confirm`, w.otherEnterprise.auth, { resolved: true }).expect(404);
    await api.post(`/plans/${planId}/confirm`, w.enterprise.auth, { resolved: false }).expect(400);
    const confirmed = await api
      .post(`/plans/${planId}/confirm`, w.enterprise.auth, { resolved: true, comment: '已解决，谢谢' })
      .expect(200);
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      confirmedResolved: true,
      confirmedViaPhone: false,
    });
    expect(confirmed.body).not.toHaveProperty('createdBy');

    expect((await actions(id)).slice(-7)).toEqual([
      'appeal.replied',
      'plan.created',
      'survey.recorded',
      'appeal.closed',
      'plan.updated',
      'plan.fulfilled',
      'plan.confirmed',
    ]);
    const verify = await api.get(`/appeals/${id}/events/verify`, w.supervisor.auth).expect(200);
    expect(verify.body.valid).toBe(true);
    // the status never moved after closing
    expect((await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.status).toBe('closed');

    // the enterprise's timeline follows its plan to the end
    const timeline = (await api.get(`/appeals/${id}/events`, w.enterprise.auth).expect(200)).body.items;
    expect(timeline.map((e: { label: string }) => e.label).slice(-6)).toEqual([
      '计划解决',
      '已评价',
      '已办结',
      '计划解决进展',
      '计划解决已完成',
      '已确认解决',
    ]);
  });

  it('the ledger: the centre and supervisors see all, a handler its department’s, an enterprise its own', async () => {
    const d1 = await department(t, w);
    const d2 = await department(t, w);
    const a = await planned(d1.id, d1.auth);
    const b = await planned(d2.id, d2.auth, plan(), w.otherEnterprise.auth);
    const ids = (items: { id: string }[]) => items.map((p) => p.id);

    const all = (await api.get('/plans?limit=100', w.supervisor.auth).expect(200)).body.items;
    expect(ids(all)).toEqual(expect.arrayContaining([a.planId, b.planId]));
    expect(
      ids((await api.get(`/plans?departmentId=${d1.id}`, w.dispatcher.auth).expect(200)).body.items),
    ).toEqual([a.planId]);
    expect(ids((await api.get('/plans', d1.auth).expect(200)).body.items)).toEqual([a.planId]);
    await api.get(`/plans?departmentId=${d2.id}`, d1.auth).expect(403);
    await api.get(`/plans/${b.planId}`, d1.auth).expect(404);
    const mine = ids((await api.get('/plans?limit=100', w.otherEnterprise.auth).expect(200)).body.items);
    expect(mine).toContain(b.planId);
    expect(mine).not.toContain(a.planId);
    await api.get(`/plans/${a.planId}`, w.otherEnterprise.auth).expect(404);
    const got = (await api.get(`/plans/${a.planId}`, w.enterprise.auth).expect(200)).body;
    expect(got).toMatchObject({ id: a.planId, appealNumber: a.appeal.number, departmentName: d1.name });
    await api.get('/plans', w.admin.auth).expect(403);
    // filters
    expect(
      ids((await api.get(`/plans?departmentId=${d1.id}&status=fulfilled`, w.supervisor.auth)).body.items),
    ).toEqual([]);
    expect(
      ids((await api.get(`/plans?departmentId=${d1.id}&overdue=false`, w.supervisor.auth)).body.items),
    ).toEqual([a.planId]);
    expect(
      ids((await api.get(`/plans?departmentId=${d1.id}&overdue=true`, w.supervisor.auth)).body.items),
    ).toEqual([]);
  });

  it('a reopen cancels the open plan; a new planned reply makes a new one', async () => {
    const d = await department(t, w);
    const { id, planId } = await planned(d.id, d.auth);
    const reopened = await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '计划时间太长',
      })
      .expect(200);
    expect(reopened.body).toMatchObject({ status: 'in_progress', plan: { id: planId, status: 'cancelled' } });
    const acts = await actions(id);
    expect(acts.slice(-3)).toEqual(['survey.recorded', 'appeal.reopened', 'plan.cancelled']);
    await api
      .post(`/plans/${planId}/updates`, d.auth, { content: 'x', nextFeedbackAt: inMs(60_000) })
      .expect(409);
    const again = await api
      .post(`/appeals/${id}/reply`, d.auth, { content: '调整计划', outcome: 'planned', plan: plan() })
      .expect(200);
    expect(again.body.plan).toMatchObject({ status: 'open' });
    expect(again.body.plan.id).not.toBe(planId);
  });

  it('a missed feedback opens one reminder, a passed promise one supervision (plan_overdue); each fires once; an update closes the reminder', async () => {
    const d = await department(t, w);
    const { id, planId } = await planned(
      d.id,
      d.auth,
      plan({ nextFeedbackAt: inMs(3000), promisedBy: inMs(4500) }),
    );
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    const records = async () =>
      (await api.get(`/appeals/${id}`, w.supervisor.auth).expect(200)).body.supervisions as {
        id: string;
        level: string;
        source: string;
        status: string;
        answerDueAt: string | null;
      }[];
    await waitFor(async () => (await records()).length === 2, 'the reminder and the supervision', 30_000);
    // woken again and swept: nothing more
    const source = t.app.get(PlanDeadlines);
    expect(await source.wake(planId, 'plan_feedback')).toBe(false);
    expect(await source.wake(planId, 'plan_overdue')).toBe(false);
    await t.app.get(DeadlinesService).sweep();
    await sleep(300);
    const [reminder, supervision] = await records();
    expect(reminder).toMatchObject({ level: 'reminder', source: 'plan_feedback', status: 'open' });
    expect(supervision).toMatchObject({ level: 'supervision', source: 'plan_overdue', status: 'open' });
    expect(supervision.answerDueAt).not.toBeNull();
    const acts = await actions(id);
    expect(acts.filter((a: string) => a === 'deadline.plan_feedback_overdue')).toHaveLength(1);
    expect(acts.filter((a: string) => a === 'deadline.plan_overdue')).toHaveLength(1);
    const p = (await api.get(`/plans/${planId}`, w.supervisor.auth).expect(200)).body;
    expect(p).toMatchObject({ status: 'open', overdue: true, feedbacksMissed: 1 });
    expect(
      (await api.get(`/plans?overdue=true&departmentId=${d.id}`, w.supervisor.auth)).body.items,
    ).toHaveLength(1);
    // the department was told
    const told = (await api.get('/notifications', d.auth).expect(200)).body.items.map(
      (n: { kind: string }) => n.kind,
    );
    expect(told).toEqual(expect.arrayContaining(['supervision.reminder', 'supervision.supervision']));

    // the department reports: the reminder closes itself; the supervision is answered as §7.3 says
    await api
      .post(`/plans/${planId}/updates`, d.auth, { content: '已加快办理', nextFeedbackAt: inMs(5 * 60_000) })
      .expect(201);
    const after = await records();
    expect(after[0].status).toBe('closed');
    expect(after[1].status).toBe('open');
    await api.post(`/supervisions/${supervision.id}/answer`, d.auth, { content: '已加快办理' }).expect(200);
  });

  it('figures by the plan’s department, as counted from the rows by hand', async () => {
    const d = await department(t, w);
    const from = new Date(Date.now() - 60_000).toISOString();
    // 1: fulfilled in time and confirmed resolved; 2: fulfilled in time, confirmed unresolved;
    // 3: open, its promise passed (fired); 4: open, in time; 5: cancelled by a reopen
    const p1 = await planned(d.id, d.auth);
    const p2 = await planned(d.id, d.auth);
    const p3 = await planned(d.id, d.auth, plan({ nextFeedbackAt: inMs(3000), promisedBy: inMs(3500) }));
    await planned(d.id, d.auth);
    const p5 = await planned(d.id, d.auth);
    for (const p of [p1, p2])
      await api.post(`/plans/${p.planId}/fulfil`, d.auth, { content: '完成' }).expect(200);
    await api.post(`/plans/${p1.planId}/confirm`, w.enterprise.auth, { resolved: true }).expect(200);
    await api
      .post(`/plans/${p2.planId}/confirm`, w.dispatcher.auth, {
        resolved: false,
        comment: '电话回访：仍未解决',
      })
      .expect(200);
    await api
      .post(`/appeals/${p5.id}/survey`, w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '不接受',
      })
      .expect(200);
    await waitFor(
      async () =>
        (await api.get(`/plans/${p3.planId}`, w.supervisor.auth)).body.feedbacksMissed === 1 &&
        (await actions(p3.id)).includes('deadline.plan_overdue'),
      'plan 3 overdue',
      30_000,
    );
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const expected = {
      planned: 5,
      plansOpen: 2,
      plansOverdue: 1,
      planFulfilledOnTimeRate: 2 / 3,
      plansConfirmedResolved: 1,
    };
    const summary = (
      await api.get(`/reports/summary?${q}&departmentId=${d.id}`, w.supervisor.auth).expect(200)
    ).body;
    expect(summary).toMatchObject(expected);
    const ranking = (await api.get(`/reports/departments?${q}`, w.supervisor.auth).expect(200)).body.items;
    expect(ranking.find((r: { departmentId: string }) => r.departmentId === d.id)).toMatchObject(expected);
    // the same from the rows
    const [raw] = await t.db.query(
      `SELECT count(*)::int AS planned, count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status = 'open' AND promised_by <= now())::int AS overdue,
              count(*) FILTER (WHERE status = 'confirmed' AND confirmed_resolved)::int AS confirmed
         FROM plans WHERE department_id = $1`,
      [d.id],
    );
    expect(raw).toEqual({ planned: 5, open: 2, overdue: 1, confirmed: 1 });
    // folded into the rollups, the figures stay
    await t.db.query('SELECT report_fold()');
    expect(
      (await api.get(`/reports/summary?${q}&departmentId=${d.id}`, w.supervisor.auth).expect(200)).body,
    ).toMatchObject(expected);
    // the CSV names them in Chinese
    const csv = await api.get(`/reports/summary?${q}&departmentId=${d.id}&format=csv`, w.supervisor.auth);
    expect(csv.text).toContain('计划按期兑现率 planFulfilledOnTimeRate');
    expect(csv.text).toContain('计划逾期 plansOverdue');
  });

  it('Redis flushed while plan timers are pending, worker restarted: each fires exactly once', async () => {
    const d = await department(t, w);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (await planned(d.id, d.auth, plan({ nextFeedbackAt: inMs(12_000), promisedBy: inMs(14_000) }))).id,
      );
    const reuse = { databaseName: t.databaseName, redisPrefix: t.config.redisPrefix };
    await t.stop();
    await deleteRedisPrefix(REDIS_URL, reuse.redisPrefix); // every wake-up and the sweep scheduler are gone
    t = await createTestApp({ reuse });
    api = client(t);
    const count = async (action: string) =>
      (
        await t.db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM appeal_events WHERE action = $2 AND appeal_id = ANY($1)`,
          [ids, action],
        )
      )[0].n;
    await waitFor(async () => (await count('deadline.plan_overdue')) === 6, 'six promises passed', 90_000);
    await t.app.get(DeadlinesService).sweep();
    await sleep(1000);
    expect(await count('deadline.plan_feedback_overdue')).toBe(6);
    expect(await count('deadline.plan_overdue')).toBe(6);
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM supervisions WHERE appeal_id = ANY($1) AND source IN ('plan_feedback','plan_overdue')`,
      [ids],
    );
    expect(n).toBe(12);
  }, 150_000);
});
