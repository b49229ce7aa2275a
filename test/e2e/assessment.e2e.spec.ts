import { FakeClock } from '../../src/common/clock';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { SupervisionEscalation } from '../../src/modules/supervision/supervision-escalation';
import { appealBody, categoryWithPolicy, client, world, World } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Api = ReturnType<typeof client>;

/** A department of its own with a handler, so a test's figures are its own. */
async function department(t: TestApp, w: World) {
  const d = await w.f.department();
  const h = await actor(t, w.f, 'handler', { departmentId: d.id });
  return { id: d.id, auth: h.auth };
}

/**
 * SPEC §7.1 return review and §7.2 assessment appeals over HTTP, on the seeded working-day policy and a
 * clock the test sets: 2026's National Day holiday (Thu 1 – Wed 7 Oct, make-up Sat 10 Oct) lies inside
 * the windows. MAX_REOPENS 0, so an unsatisfied rating closes the appeal at once.
 */
describe('SPEC §7.1–7.2: return review and assessment appeals (e2e)', () => {
  const clock = new FakeClock(new Date('2026-09-30T16:00:00+08:00'));
  let t: TestApp;
  let w: World;
  let api: Api;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { ROLE: 'api', MAX_REOPENS: '0' } });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function dispatched(lead: string, co: string[] = [], at = '2026-09-30T16:00:00+08:00') {
    clock.set(at);
    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id as string;
    await api
      .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: lead, coDepartmentIds: co })
      .expect(200);
    return id;
  }
  const events = async (id: string, auth = w.dispatcher.auth) =>
    (await api.get(`/appeals/${id}/events`, auth).expect(200)).body.items.map(
      (e: { action: string }) => e.action,
    );

  describe('return review', () => {
    it('over National Day a return is judged by working days: in time on the holiday and at the close, 409 one minute after', async () => {
      const d = await department(t, w);
      // dispatched Wed 30 Sep 16:00: the 2 working days are Thu 8 and Fri 9 Oct
      const onHoliday = await dispatched(d.id);
      clock.set('2026-10-07T11:00:00+08:00');
      await api.post(`/appeals/${onHoliday}/return`, d.auth, { reason: '不属于本单位职责' }).expect(200);

      const atClose = await dispatched(d.id);
      clock.set('2026-10-09T17:30:00+08:00');
      await api.post(`/appeals/${atClose}/return`, d.auth, { reason: '不属于本单位职责' }).expect(200);

      const late = await dispatched(d.id);
      clock.set('2026-10-09T17:31:00+08:00');
      const res = await api
        .post(`/appeals/${late}/return`, d.auth, { reason: '不属于本单位职责' })
        .expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        code: 'INVALID_TRANSITION',
        message: '退回申请期限已过',
        details: { window: 'returnWithin', windowClosed: true },
      });
      expect(new Date(res.body.details.windowClosedAt).toISOString()).toBe(
        new Date('2026-10-09T17:30:00+08:00').toISOString(),
      );
      expect(await events(late)).not.toContain('return.requested');
    });

    it('a request keeps status and deadlines; one pending per assignment; denied, it cannot be asked again', async () => {
      const d = await department(t, w);
      const id = await dispatched(d.id);
      clock.set('2026-10-08T10:00:00+08:00');
      const before = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body;
      const asked = await api
        .post(`/appeals/${id}/return`, d.auth, {
          reason: '应由市场监管部门办理',
          suggestedDepartmentId: w.lead.id,
        })
        .expect(200);
      expect(asked.body.status).toBe('dispatched');
      expect(asked.body.assignments).toEqual(before.assignments);
      expect(asked.body.pendingReturn).toEqual({
        id: expect.any(String),
        assignmentId: before.assignments[0].id,
        departmentId: d.id,
        departmentName: expect.any(String),
        reason: '应由市场监管部门办理',
        suggestedDepartmentId: w.lead.id,
        suggestedDepartmentName: w.lead.name,
        requestedAt: '2026-10-08T10:00:00.000+08:00',
      });
      const again = await api.post(`/appeals/${id}/return`, d.auth, { reason: '再次申请' }).expect(409);
      expect(again.body.code).toBe('CONFLICT');
      const rid = asked.body.pendingReturn.id;
      // only a dispatcher decides
      await api.post(`/appeals/${id}/returns/${rid}/deny`, w.supervisor.auth, { reason: 'x' }).expect(403);
      await api.post(`/appeals/${id}/returns/${rid}/approve`, d.auth).expect(403);
      const denied = await api
        .post(`/appeals/${id}/returns/${rid}/deny`, w.dispatcher.auth, {
          reason: '属于本单位职责，请继续办理',
        })
        .expect(200);
      expect(denied.body).toMatchObject({ status: 'dispatched', pendingReturn: null, pendingReturns: [] });
      await api.post(`/appeals/${id}/returns/${rid}/approve`, w.dispatcher.auth).expect(409);
      const refused = await api.post(`/appeals/${id}/return`, d.auth, { reason: '再次申请' }).expect(409);
      expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', details: { status: 'denied' } });
      expect(await events(id)).toEqual([
        'appeal.submitted',
        'appeal.dispatched',
        'return.requested',
        'return.denied',
      ]);
      // the department is told, and the figures count the denial against it, not as a return
      const inbox = (await api.get('/notifications?limit=100', d.auth)).body.items.map(
        (n: { kind: string }) => n.kind,
      );
      expect(inbox).toContain('return.denied');
      const r = (
        await api
          .get(
            `/reports/summary?departmentId=${d.id}&from=2026-09-01T00:00:00%2B08:00&to=2026-10-31T00:00:00%2B08:00`,
            w.supervisor.auth,
          )
          .expect(200)
      ).body;
      expect(r).toMatchObject({ returnsDenied: 1 });
    });

    it('an approved return of a co assignment cancels only that assignment; the lead is untouched', async () => {
      const lead = await department(t, w);
      const co = await department(t, w);
      const id = await dispatched(lead.id, [co.id]);
      clock.set('2026-10-08T09:30:00+08:00');
      await api.post(`/appeals/${id}/acknowledge`, lead.auth).expect(200);
      const before = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body;
      const asked = await api.post(`/appeals/${id}/return`, co.auth, { reason: '无协办事项' }).expect(200);
      const approved = await api
        .post(`/appeals/${id}/returns/${asked.body.pendingReturn.id}/approve`, w.dispatcher.auth, {
          note: '同意',
        })
        .expect(200);
      const leadBefore = before.assignments.find((a: { role: string }) => a.role === 'lead');
      const leadAfter = approved.body.assignments.find((a: { role: string }) => a.role === 'lead');
      expect(leadAfter).toEqual(leadBefore);
      expect(approved.body.status).toBe('in_progress');
      expect(approved.body.assignments.find((a: { role: string }) => a.role === 'co')).toMatchObject({
        status: 'returned',
        returnReason: '无协办事项',
      });
      expect((await events(id)).slice(-3)).toEqual([
        'return.requested',
        'return.approved',
        'assignment.returned',
      ]);
      // the lead still works the case
      await api.post(`/appeals/${id}/progress`, lead.auth, { note: '继续办理' }).expect(200);
    });

    it('approved for the lead: the appeal goes back to the centre, co assignments are cancelled and their pending requests lapse; returnRate counts it', async () => {
      const lead = await department(t, w);
      const co = await department(t, w);
      const id = await dispatched(lead.id, [co.id]);
      clock.set('2026-10-08T09:30:00+08:00');
      const coAsked = await api.post(`/appeals/${id}/return`, co.auth, { reason: '无协办事项' }).expect(200);
      const leadAsked = await api
        .post(`/appeals/${id}/return`, lead.auth, { reason: '不属于本单位职责' })
        .expect(200);
      expect(leadAsked.body.pendingReturns).toHaveLength(2);
      // a handler sees its own department's request as pendingReturn
      expect(leadAsked.body.pendingReturn.departmentId).toBe(lead.id);
      const leadRid = leadAsked.body.pendingReturns.find(
        (r: { departmentId: string }) => r.departmentId === lead.id,
      ).id;
      const approved = await api
        .post(`/appeals/${id}/returns/${leadRid}/approve`, w.dispatcher.auth)
        .expect(200);
      expect(approved.body.status).toBe('returned');
      expect(approved.body.pendingReturns).toEqual([]);
      expect(
        approved.body.assignments
          .map((a: { role: string; status: string }) => `${a.role}:${a.status}`)
          .sort(),
      ).toEqual(['co:cancelled', 'lead:returned']);
      await api
        .post(`/appeals/${id}/returns/${coAsked.body.pendingReturn.id}/approve`, w.dispatcher.auth)
        .expect(409);
      const r = (
        await api
          .get(
            `/reports/departments?from=2026-09-01T00:00:00%2B08:00&to=2026-10-31T00:00:00%2B08:00`,
            w.supervisor.auth,
          )
          .expect(200)
      ).body;
      const row = r.items.find((i: { departmentId: string }) => i.departmentId === lead.id);
      expect(row).toMatchObject({ returnRate: 1, returnsDenied: 0 });
      expect(r.items.find((i: { departmentId: string }) => i.departmentId === co.id).returnRate).toBeNull();
      const csv = await t
        .http()
        .get(
          '/api/v1/reports/departments?format=csv&from=2026-09-01T00:00:00%2B08:00&to=2026-10-31T00:00:00%2B08:00',
        )
        .set('Authorization', w.supervisor.auth)
        .expect(200);
      expect(csv.text).toContain('退单率 returnRate');
    });
  });

  describe('assessment appeals', () => {
    /** An appeal at department d, replied and rated; returns the appeal and the survey's id. */
    async function rated(
      d: { id: string; auth: string },
      satisfaction: string,
      resolved: boolean,
      co: string[] = [],
    ) {
      const id = await dispatched(d.id, co, '2026-10-12T09:00:00+08:00');
      await api.post(`/appeals/${id}/acknowledge`, d.auth).expect(200);
      await api.post(`/appeals/${id}/reply`, d.auth, { content: '已答复', outcome: 'explained' }).expect(200);
      const res = await api
        .post(`/appeals/${id}/survey`, w.enterprise.auth, {
          satisfaction,
          resolved,
          ...(satisfaction === 'unsatisfied' || !resolved ? { comment: '问题没有解决' } : {}),
        })
        .expect(200);
      return { id, surveyId: res.body.survey.id as string };
    }
    const contest = (surveyId: string) => ({
      surveyId,
      reason: 'beyond_duty',
      explanation: '诉求超出本单位法定职责，已向企业解释',
      recontacted: true,
    });

    it('only the department that led the rated round contests it: co department, dispatcher, enterprise → 403; a second one → 409', async () => {
      const lead = await department(t, w);
      const co = await department(t, w);
      const { id, surveyId } = await rated(lead, 'unsatisfied', false, [co.id]);
      await api.post(`/appeals/${id}/assessment-appeals`, co.auth, contest(surveyId)).expect(403);
      await api.post(`/appeals/${id}/assessment-appeals`, w.dispatcher.auth, contest(surveyId)).expect(403);
      await api.post(`/appeals/${id}/assessment-appeals`, w.enterprise.auth, contest(surveyId)).expect(403);
      await api.post(`/appeals/${id}/assessment-appeals`, w.supervisor.auth, contest(surveyId)).expect(403);
      // a department that never had the case does not see it at all
      await api.post(`/appeals/${id}/assessment-appeals`, w.otherHandler.auth, contest(surveyId)).expect(404);
      const filed = await api
        .post(`/appeals/${id}/assessment-appeals`, lead.auth, contest(surveyId))
        .expect(201);
      expect(filed.body).toEqual({
        id: expect.any(String),
        status: 'pending',
        surveyId,
        reason: 'beyond_duty',
        explanation: '诉求超出本单位法定职责，已向企业解释',
        recontacted: true,
        createdAt: expect.any(String),
      });
      const second = await api
        .post(`/appeals/${id}/assessment-appeals`, lead.auth, contest(surveyId))
        .expect(409);
      expect(second.body.code).toBe('CONFLICT');
      // the handler cannot decide its own appeal, nor can the centre
      await api.post(`/appeals/${id}/assessment-appeals/${filed.body.id}/approve`, lead.auth).expect(403);
      await api
        .post(`/appeals/${id}/assessment-appeals/${filed.body.id}/approve`, w.dispatcher.auth)
        .expect(403);
      await api
        .post(`/appeals/${id}/assessment-appeals/${filed.body.id}/deny`, w.supervisor.auth, {
          reason: '差评属实',
        })
        .expect(200);
      await api
        .post(`/appeals/${id}/assessment-appeals/${filed.body.id}/approve`, w.supervisor.auth)
        .expect(409);
    });

    it('only an unsatisfied or unresolved rating, within 3 working days of the survey', async () => {
      const d = await department(t, w);
      const happy = await rated(d, 'satisfied', true);
      const r = await api
        .post(`/appeals/${happy.id}/assessment-appeals`, d.auth, contest(happy.surveyId))
        .expect(409);
      expect(r.body.code).toBe('INVALID_TRANSITION');
      // surveyed Mon 12 Oct 2026: Tue 13, Wed 14, Thu 15 Oct → closes Thu 15 Oct 17:30
      const late = await rated(d, 'basically_satisfied', false);
      clock.set('2026-10-15T17:31:00+08:00');
      const res = await api
        .post(`/appeals/${late.id}/assessment-appeals`, d.auth, contest(late.surveyId))
        .expect(409);
      expect(res.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        details: { window: 'assessmentAppealWithin', windowClosed: true },
      });
      clock.set('2026-10-15T17:30:00+08:00');
      await api.post(`/appeals/${late.id}/assessment-appeals`, d.auth, contest(late.surveyId)).expect(201);
      // a survey that does not belong to the appeal is a bad request
      await api.post(`/appeals/${late.id}/assessment-appeals`, d.auth, contest(happy.surveyId)).expect(400);
    });

    it('approved on the latest survey: satisfactionRate, resolutionRate and score move, closureRate and the status do not; the enterprise sees nothing of it', async () => {
      const d = await department(t, w);
      await rated(d, 'satisfied', true);
      const { id, surveyId } = await rated(d, 'unsatisfied', false);
      const q = `/reports/summary?departmentId=${d.id}&from=2026-10-01T00:00:00%2B08:00&to=2026-10-31T00:00:00%2B08:00`;
      const before = (await api.get(q, w.supervisor.auth).expect(200)).body;
      expect(before).toMatchObject({
        closed: 2,
        closureRate: 1,
        rated: 2,
        ratedAll: 2,
        satisfactionRate: 0.5,
        satisfactionRateAll: 0.5,
        resolutionRate: 0.5,
        responseRate: 1,
        assessmentAppeals: 0,
      });
      expect(before.score).toBeCloseTo(100 * (0.1 + 0.5 * 0.5 + 0.4 * 0.5), 9);
      const enterpriseBefore = (await api.get(`/appeals/${id}`, w.enterprise.auth)).body;

      const filed = await api
        .post(`/appeals/${id}/assessment-appeals`, d.auth, contest(surveyId))
        .expect(201);
      const approved = await api
        .post(`/appeals/${id}/assessment-appeals/${filed.body.id}/approve`, w.supervisor.auth, {
          note: '超出职责，申诉成立',
        })
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'closed', closeReason: 'reopen_limit' });
      expect(approved.body.survey).toMatchObject({ id: surveyId, valid: false });
      expect(approved.body.assessmentAppeals).toEqual([
        expect.objectContaining({ id: filed.body.id, status: 'approved', surveyId }),
      ]);

      const after = (await api.get(q, w.supervisor.auth).expect(200)).body;
      expect(after).toMatchObject({
        closed: 2,
        closureRate: 1,
        rated: 1,
        ratedAll: 2,
        satisfactionRate: 1,
        satisfactionRateAll: 0.5,
        resolutionRate: 1,
        assessmentAppeals: 1,
        assessmentAppealsApproved: 1,
      });
      expect(after.score).toBeCloseTo(100, 9);
      expect(after.score).not.toBe(before.score);

      // the enterprise: the same survey as before, no assessment appeal, no such events
      const enterpriseAfter = (await api.get(`/appeals/${id}`, w.enterprise.auth)).body;
      expect(enterpriseAfter.survey).toEqual(enterpriseBefore.survey);
      expect(enterpriseAfter.survey).not.toHaveProperty('valid');
      expect(enterpriseAfter).not.toHaveProperty('assessmentAppeals');
      const seen = await events(id, w.enterprise.auth);
      expect(seen.filter((a: string) => a.startsWith('assessment_appeal.'))).toEqual([]);
      expect((await events(id)).filter((a: string) => a.startsWith('assessment_appeal.'))).toEqual([
        'assessment_appeal.filed',
        'assessment_appeal.approved',
      ]);
      expect((await api.get(`/appeals/${id}/events/verify`, w.supervisor.auth)).body.valid).toBe(true);
    });
  });
});

/**
 * SPEC §7.3 graded supervision against real Redis and PostgreSQL, with natural-clock policies of seconds.
 */
describe('SPEC §7.3: graded supervision (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: Api;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function dispatched(categoryCode: string, lead: string) {
    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode })).expect(201))
      .body.id as string;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: lead }).expect(200);
    return id;
  }
  const notices = (ids: string[]) =>
    t.db.query<{ appeal_id: string; escalated_from_id: string }[]>(
      `SELECT appeal_id, escalated_from_id FROM supervisions WHERE level = 'notice' AND appeal_id = ANY($1)`,
      [ids],
    );

  it('a supervision unanswered past its due becomes exactly one notice; answered late, closed, counted', async () => {
    const d = await department(t, w);
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      supervisionAnswerWithin: 'PT2S',
    });
    const id = await dispatched(code, d.id);
    const supervised = await api
      .post(`/appeals/${id}/supervise`, w.supervisor.auth, { note: '请三日内答复' })
      .expect(200);
    expect(supervised.body.supervised).toBe(true);
    const [sup] = supervised.body.supervisions;
    expect(sup).toMatchObject({
      level: 'supervision',
      source: 'manual',
      departmentId: d.id,
      status: 'open',
      answer: null,
    });
    await waitFor(async () => (await notices([id])).length > 0, 'the escalation to a notice');
    const deadlines = t.app.get(DeadlinesService);
    expect(await t.app.get(SupervisionEscalation).wake(sup.id)).toBe(false);
    await deadlines.sweep();
    await sleep(500);
    expect(await notices([id])).toEqual([{ appeal_id: id, escalated_from_id: sup.id }]);

    const listed = (await api.get(`/supervisions?departmentId=${d.id}`, w.dispatcher.auth).expect(200)).body
      .items;
    expect(listed.map((v: { level: string; source: string }) => `${v.level}/${v.source}`).sort()).toEqual([
      'notice/escalation',
      'supervision/manual',
    ]);
    // the department sees its own only; another department's handler neither lists nor answers it
    expect((await api.get('/supervisions', d.auth).expect(200)).body.items).toHaveLength(2);
    await api.get(`/supervisions?departmentId=${d.id}`, w.otherHandler.auth).expect(403);
    await api.post(`/supervisions/${sup.id}/answer`, w.otherHandler.auth, { content: 'x' }).expect(404);
    await api.post(`/supervisions/${sup.id}/close`, w.supervisor.auth).expect(409);

    const answered = await api
      .post(`/supervisions/${sup.id}/answer`, d.auth, { content: '已整改并联系企业' })
      .expect(200);
    expect(answered.body).toMatchObject({
      status: 'answered',
      answeredOnTime: false,
      answer: '已整改并联系企业',
    });
    await api.post(`/supervisions/${sup.id}/answer`, d.auth, { content: '再答' }).expect(409);
    await api.post(`/supervisions/${sup.id}/close`, w.supervisor.auth, { note: '销号' }).expect(200);
    const notice = listed.find((v: { level: string }) => v.level === 'notice');
    await api.post(`/supervisions/${notice.id}/close`, d.auth).expect(403);
    await api.post(`/supervisions/${notice.id}/close`, w.supervisor.auth).expect(200);
    expect(await notices([id])).toHaveLength(1);

    const actions = (await api.get(`/appeals/${id}/events`, w.supervisor.auth)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions.slice(2)).toEqual([
      'appeal.supervised',
      'supervision.escalated',
      'appeal.supervised',
      'supervision.answered',
      'supervision.closed',
      'supervision.closed',
    ]);
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 3600_000).toISOString();
    const r = (
      await api.get(
        `/reports/summary?departmentId=${d.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        w.supervisor.auth,
      )
    ).body;
    expect(r).toMatchObject({ supervisions: 1, notices: 1, supervisionAnsweredOnTimeRate: 0 });
  });

  it('answered in time: no notice; a reminder needs no answer; overdue opens a supervision with an answer due', async () => {
    const d = await department(t, w);
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT2S',
      replyWithin: 'PT1H',
      supervisionAnswerWithin: 'PT1H',
    });
    const id = await dispatched(code, d.id);
    const res = await api
      .post(`/appeals/${id}/supervise`, w.supervisor.auth, { note: '催办', level: 'reminder' })
      .expect(200);
    const reminder = res.body.supervisions[0];
    expect(reminder).toMatchObject({ level: 'reminder', answerDueAt: null });
    await api.post(`/supervisions/${reminder.id}/answer`, d.auth, { content: 'x' }).expect(409);
    await waitFor(
      async () => (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.supervisions.length === 2,
      'the overdue supervision',
    );
    const overdue = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.supervisions[1];
    expect(overdue).toMatchObject({
      level: 'supervision',
      source: 'overdue',
      departmentId: d.id,
      status: 'open',
    });
    expect(new Date(overdue.answerDueAt).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const answered = await api
      .post(`/supervisions/${overdue.id}/answer`, d.auth, { content: '已签收办理' })
      .expect(200);
    expect(answered.body).toMatchObject({ answeredOnTime: true });
    expect(await notices([id])).toEqual([]);
    // a department the appeal never had cannot be supervised on it
    await api
      .post(`/appeals/${id}/supervise`, w.supervisor.auth, { note: 'x', departmentId: w.other.id })
      .expect(400);
  });

  it('Redis flushed while 20 escalations are pending, worker restarted: each supervision becomes exactly one notice', async () => {
    const d = await department(t, w);
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      supervisionAnswerWithin: 'PT15S',
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await dispatched(code, d.id);
      await api.post(`/appeals/${id}/supervise`, w.supervisor.auth, { note: '督办' }).expect(200);
      ids.push(id);
    }
    const [{ pending }] = await t.db.query(
      `SELECT count(*)::int AS pending FROM supervisions WHERE appeal_id = ANY($1) AND escalated_at IS NULL`,
      [ids],
    );
    expect(pending).toBe(20);
    const reuse = { databaseName: t.databaseName, redisPrefix: t.config.redisPrefix };
    await t.stop();
    await deleteRedisPrefix(REDIS_URL, reuse.redisPrefix); // every wake-up and the sweep scheduler are gone
    t = await createTestApp({ reuse });
    api = client(t);
    await waitFor(async () => (await notices(ids)).length === 20, 'all 20 notices', 90_000);
    await sleep(1000);
    const rows = await notices(ids);
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.appeal_id)).size).toBe(20);
    const [{ escalated }] = await t.db.query(
      `SELECT count(*)::int AS escalated FROM appeal_events WHERE action = 'supervision.escalated' AND appeal_id = ANY($1)`,
      [ids],
    );
    expect(escalated).toBe(20);
  }, 150_000);
});
