import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { waitFor } from '../setup/wait';

/**
 * SPEC §5.1 working the line every day: finding an appeal (?q=), withTotal, names beside ids, a queue for
 * every desk, and reminders (催办) that need no answer.
 */
describe('every desk (e2e)', () => {
  const s = appealSuite();

  type Item = Record<string, unknown> & { appealId: string; awaiting: string };

  async function file(extra: Record<string, unknown> = {}, auth = s.w.enterprise.auth) {
    return (await s.api.post('/appeals', auth, appealBody(s.w, extra)).expect(201)).body;
  }
  async function dispatch(id: string, leadDepartmentId = s.w.lead.id, extra: Record<string, unknown> = {}) {
    return (
      await s.api
        .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId, ...extra })
        .expect(200)
    ).body;
  }
  async function find(q: string, auth: string): Promise<string[]> {
    const res = await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ q, limit: 100 })
      .set('Authorization', auth)
      .expect(200);
    return res.body.items.map((a: { id: string }) => a.id);
  }
  async function queue(auth: string, query: Record<string, string | number> = {}): Promise<Item[]> {
    const res = await s.t
      .http()
      .get('/api/v1/queue')
      .query({ limit: 100, ...query })
      .set('Authorization', auth)
      .expect(200);
    return res.body.items;
  }

  describe('finding an appeal', () => {
    it('by the whole number, by its last 6 or more digits, and by a Chinese word of the title or content', async () => {
      const a = await file({
        title: '光伏屋顶并网验收迟迟未排期',
        content: '申请并网已两个月，供电公司未安排验收。',
      });
      const other = await file();
      expect(await find(a.number, s.w.dispatcher.auth)).toEqual([a.id]);
      expect(await find(a.number.toLowerCase(), s.w.dispatcher.auth)).toEqual([a.id]);
      expect(await find(a.number.slice(-6), s.w.dispatcher.auth)).toContain(a.id);
      expect(await find(a.number.slice(-6), s.w.dispatcher.auth)).not.toContain(other.id);
      expect(await find(a.number.slice(-9), s.w.enterprise.auth)).toEqual([a.id]);
      expect(await find('并网验收', s.w.dispatcher.auth)).toEqual([a.id]);
      expect(await find('供电公司', s.w.enterprise.auth)).toEqual([a.id]);
      // another enterprise finds nothing of it, even by its number
      expect(await find(a.number, s.w.otherEnterprise.auth)).toEqual([]);
      // five digits are not a number search (nor a word of the text)
      expect(await find(a.number.slice(-5), s.w.dispatcher.auth)).not.toContain(a.id);
    });

    it('the centre and supervisors find by the enterprise’s name or USCC and the contact’s name or phone; a department never by the filer', async () => {
      const ent = await s.w.f.enterprise({ name: '滨江绿能科技有限公司' });
      const open = await file(
        { enterpriseId: ent.id, contactName: '欧阳明', contactPhone: '13912345678', title: '用电增容' },
        s.w.dispatcher.auth,
      );
      const secret = await file(
        {
          enterpriseId: ent.id,
          contactName: '欧阳明',
          contactPhone: '13912345678',
          confidential: true,
          title: '举报用电违规',
        },
        s.w.dispatcher.auth,
      );
      await dispatch(open.id);
      await dispatch(secret.id);
      for (const auth of [s.w.dispatcher.auth, s.w.supervisor.auth, s.w.admin.auth]) {
        expect((await find('绿能科技', auth)).sort()).toEqual([open.id, secret.id].sort());
        expect((await find(ent.uscc, auth)).sort()).toEqual([open.id, secret.id].sort());
        expect((await find('13912345678', auth)).sort()).toEqual([open.id, secret.id].sort());
        expect((await find('欧阳明', auth)).sort()).toEqual([open.id, secret.id].sort());
      }
      // the lead department holds both, but finds neither by anything about the filer
      for (const q of ['13912345678', '12345678', '欧阳明', '绿能科技', ent.uscc])
        expect(await find(q, s.w.leadHandler.auth)).toEqual([]);
      // and still finds both by their own words and numbers
      expect(await find('举报用电违规', s.w.leadHandler.auth)).toEqual([secret.id]);
      expect(await find(secret.number.slice(-8), s.w.leadHandler.auth)).toEqual([secret.id]);
    });

    it('withTotal adds the exact total; without it there is none', async () => {
      const word = `统计${Date.now()}`;
      for (let i = 0; i < 3; i++) await file({ title: `${word} 第${i}件` });
      const res = await s.t
        .http()
        .get('/api/v1/appeals')
        .query({ q: word, limit: 2, withTotal: 'true' })
        .set('Authorization', s.w.dispatcher.auth)
        .expect(200);
      expect(res.body.items).toHaveLength(2);
      expect(res.body).toMatchObject({ total: 3, totalCapped: false });
      const next = await s.t
        .http()
        .get('/api/v1/appeals')
        .query({ q: word, limit: 2, withTotal: 'true', cursor: res.body.nextCursor })
        .set('Authorization', s.w.dispatcher.auth)
        .expect(200);
      expect(next.body).toMatchObject({ total: 3, totalCapped: false });
      expect(next.body.items).toHaveLength(1);
      const plain = await s.api.get('/appeals', s.w.dispatcher.auth).expect(200);
      expect(plain.body.total).toBeUndefined();
      await s.t
        .http()
        .get('/api/v1/appeals')
        .query({ withTotal: 'maybe' })
        .set('Authorization', s.w.dispatcher.auth)
        .expect(400);
    });
  });

  it('names beside ids: lead department, category, assignments, routing suggestions and return requests', async () => {
    const a = await file();
    // once the routing job has run, a suggestion with a co department stands in for a routing rule's
    await waitFor(
      async () => (await s.api.get(`/appeals/${a.id}`, s.w.dispatcher.auth)).body.routedAt,
      'routing',
    );
    await s.t.db.query(`UPDATE appeals SET suggested_routing = $2 WHERE id = $1`, [
      a.id,
      JSON.stringify({
        leadDepartmentId: s.w.lead.id,
        coDepartmentIds: [s.w.co.id],
        source: 'rule',
        ruleId: null,
      }),
    ]);
    const dispatched = await dispatch(a.id, s.w.lead.id, { coDepartmentIds: [s.w.co.id] });
    expect(dispatched.leadDepartmentId).toBe(s.w.lead.id);
    expect(dispatched.leadDepartment).toEqual({ id: s.w.lead.id, name: s.w.lead.name });
    expect(dispatched.categoryCode).toBe(s.w.category.code);
    expect(dispatched.categoryName).toBe(s.w.category.name);
    const names = Object.fromEntries(
      dispatched.assignments.map((x: { departmentId: string; departmentName: string }) => [
        x.departmentId,
        x.departmentName,
      ]),
    );
    expect(names).toEqual({ [s.w.lead.id]: s.w.lead.name, [s.w.co.id]: s.w.co.name });
    expect(dispatched.suggestedRouting).toMatchObject({
      leadDepartmentId: s.w.lead.id,
      leadDepartmentName: s.w.lead.name,
      coDepartments: [{ id: s.w.co.id, name: s.w.co.name }],
    });
    const asked = await s.api
      .post(`/appeals/${a.id}/return`, s.w.coHandler.auth, {
        reason: '不属于本单位职责',
        suggestedDepartmentId: s.w.other.id,
      })
      .expect(200);
    expect(asked.body.pendingReturn).toMatchObject({
      departmentId: s.w.co.id,
      departmentName: s.w.co.name,
      suggestedDepartmentId: s.w.other.id,
      suggestedDepartmentName: s.w.other.name,
    });
    // the list carries the same names
    const listed = await s.api.get('/appeals?limit=100', s.w.dispatcher.auth).expect(200);
    expect(listed.body.items.find((x: { id: string }) => x.id === a.id)).toMatchObject({
      leadDepartment: { id: s.w.lead.id, name: s.w.lead.name },
      categoryName: s.w.category.name,
    });
    // and the dispatcher's queue names the department asking to return it
    const row = (await queue(s.w.dispatcher.auth)).find(
      (i) => i.awaiting === 'return_review' && i.appealId === a.id,
    );
    expect(row).toMatchObject({ departmentName: s.w.co.name, suggestedDepartmentName: s.w.other.name });
  });

  describe('a queue for every desk', () => {
    it("a handler's: acknowledge, reply, opinion with since and dueAt, the dispatcher's instruction, the unsatisfied reason; dueBefore", async () => {
      const lead = await s.w.f.department();
      const co = await s.w.f.department();
      const [lh, ch] = await Promise.all([
        actor(s.t, s.w.f, 'handler', { departmentId: lead.id }),
        actor(s.t, s.w.f, 'handler', { departmentId: co.id }),
      ]);
      const a = await file({ title: '排水接驳审批' });
      const d = await dispatch(a.id, lead.id, {
        coDepartmentIds: [co.id],
        note: '请水务局牵头，三日内联系企业',
      });
      const leadAssignment = d.assignments.find((x: { role: string }) => x.role === 'lead');
      let mine = await queue(lh.auth);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        awaiting: 'acknowledge',
        appealId: a.id,
        assignmentId: leadAssignment.id,
        since: leadAssignment.dispatchedAt,
        dueAt: leadAssignment.ackDueAt,
        instruction: '请水务局牵头，三日内联系企业',
        unsatisfiedReason: null,
        leaderLed: false,
        supervised: false,
        departmentName: lead.name,
        categoryName: s.w.category.name,
      });
      await s.api.post(`/appeals/${a.id}/acknowledge`, lh.auth).expect(200);
      await s.api.post(`/appeals/${a.id}/acknowledge`, ch.auth).expect(200);
      mine = await queue(lh.auth);
      expect(mine[0]).toMatchObject({ awaiting: 'reply', dueAt: leadAssignment.replyDueAt });
      expect(new Date(mine[0].since as string).getTime()).toBeGreaterThanOrEqual(
        new Date(leadAssignment.dispatchedAt).getTime(),
      );
      expect((await queue(ch.auth))[0]).toMatchObject({ awaiting: 'opinion', appealId: a.id });

      // dueBefore: the ack deadline has passed into the reply; a day before the reply is due finds nothing
      const replyDue = new Date(leadAssignment.replyDueAt);
      expect(
        await queue(lh.auth, { dueBefore: new Date(replyDue.getTime() - 60_000).toISOString() }),
      ).toEqual([]);
      expect(await queue(lh.auth, { dueBefore: replyDue.toISOString() })).toHaveLength(1);
      // a date means the end of that local day
      const localDay = new Date(replyDue.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      expect(await queue(lh.auth, { dueBefore: localDay })).toHaveLength(1);
      await s.t
        .http()
        .get('/api/v1/queue')
        .query({ dueBefore: 'tomorrow' })
        .set('Authorization', lh.auth)
        .expect(400);

      // replied, rated unsatisfied: the reopened assignment shows why
      await s.api.post(`/appeals/${a.id}/opinion`, ch.auth, { content: '同意' }).expect(200);
      await s.api
        .post(`/appeals/${a.id}/reply`, lh.auth, { content: '已办理', outcome: 'resolved' })
        .expect(200);
      expect(await queue(lh.auth)).toEqual([]);
      await s.api
        .post(`/appeals/${a.id}/survey`, s.w.enterprise.auth, {
          satisfaction: 'unsatisfied',
          resolved: false,
          comment: '接驳口仍未开通',
        })
        .expect(200);
      mine = await queue(lh.auth);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ appealId: a.id, unsatisfiedReason: '接驳口仍未开通', reopenCount: 1 });
    });

    it("a handler's supervisions owing an answer; a reminder is never shown as awaiting one", async () => {
      const dep = await s.w.f.department();
      const h = await actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
      const a = await file({ title: '督办测试' });
      await dispatch(a.id, dep.id);
      await s.api.post(`/appeals/${a.id}/acknowledge`, h.auth).expect(200);
      await s.api.post(`/appeals/${a.id}/supervise`, s.w.supervisor.auth, { note: '请加快办理' }).expect(200);
      await s.api
        .post(`/appeals/${a.id}/supervise`, s.w.supervisor.auth, { note: '提醒一下', level: 'reminder' })
        .expect(200);
      const [row] = await queue(h.auth);
      expect(row).toMatchObject({ awaiting: 'reply', supervised: true });
      expect(row.supervisionsToAnswer).toEqual([
        expect.objectContaining({ note: '请加快办理', dueAt: expect.any(String) }),
      ]);
      // once replied, the supervision is its own item
      await s.api
        .post(`/appeals/${a.id}/reply`, h.auth, { content: '已答复', outcome: 'explained' })
        .expect(200);
      const items = await queue(h.auth);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ awaiting: 'supervision_answer', appealId: a.id, note: '请加快办理' });
      expect(items[0].dueAt).toEqual(expect.any(String));
      const sid = items[0].supervisionId as string;
      await s.api.post(`/supervisions/${sid}/answer`, h.auth, { content: '已办结' }).expect(200);
      expect(await queue(h.auth)).toEqual([]);
      // the supervisor now has it to close
      const sup = (await queue(s.w.supervisor.auth)).find((i) => i.supervisionId === sid);
      expect(sup).toMatchObject({
        awaiting: 'supervision_close',
        dueAt: null,
        answer: '已办结',
        departmentName: dep.name,
      });
      expect(sup!.since).toEqual(expect.any(String));
    });

    it("the centre's: new appeals with their routing suggestion, returned appeals, pending return and extension requests", async () => {
      const dep = await s.w.f.department();
      const h = await actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
      const fresh = await file({ title: '新件', urgency: 'urgent' });
      const toReturn = await file({ title: '退回件' });
      const toExtend = await file({ title: '延期件' });
      for (const x of [toReturn, toExtend]) await dispatch(x.id, dep.id);
      const asked = await s.api
        .post(`/appeals/${toReturn.id}/return`, h.auth, { reason: '不属于本单位职责' })
        .expect(200);
      await s.api.post(`/appeals/${toExtend.id}/acknowledge`, h.auth).expect(200);
      const ext = await s.api
        .post(`/appeals/${toExtend.id}/extensions`, h.auth, { days: 3, reason: '需要现场踏勘' })
        .expect(201);
      // the routing job suggests the category's default department
      let items = await waitFor(async () => {
        const all = await queue(s.w.dispatcher.auth);
        return all.find((i) => i.appealId === fresh.id)?.suggestedRouting ? all : null;
      }, 'the routing suggestion');
      expect(items.find((i) => i.appealId === fresh.id)).toMatchObject({
        awaiting: 'dispatch',
        since: fresh.createdAt,
        dueAt: null,
        urgency: 'urgent',
        suggestedRouting: { leadDepartmentId: s.w.lead.id, leadDepartmentName: s.w.lead.name },
      });
      expect(items.find((i) => i.appealId === toReturn.id)).toMatchObject({
        awaiting: 'return_review',
        returnRequestId: asked.body.pendingReturn.id,
        reason: '不属于本单位职责',
        departmentName: dep.name,
        dueAt: null,
      });
      expect(items.find((i) => i.appealId === toExtend.id)).toMatchObject({
        awaiting: 'extension_review',
        extensionRequestId: ext.body.id,
        days: 3,
        since: expect.any(String),
      });
      // with no due, urgent first
      const undated = items.filter((i) => i.dueAt === null);
      const firstNormal = undated.findIndex((i) => i.urgency === 'normal');
      expect(undated.slice(firstNormal).some((i) => i.urgency === 'urgent')).toBe(false);
      await s.api
        .post(`/appeals/${toReturn.id}/returns/${asked.body.pendingReturn.id}/approve`, s.w.dispatcher.auth)
        .expect(200);
      items = await queue(s.w.dispatcher.auth);
      expect(items.filter((i) => i.appealId === toReturn.id).map((i) => i.awaiting)).toEqual(['redispatch']);
      // the supervisor's desk has none of these
      const sup = await queue(s.w.supervisor.auth);
      expect(sup.some((i) => [fresh.id, toReturn.id, toExtend.id].includes(i.appealId))).toBe(false);
      // paging keeps the order
      const all = await queue(s.w.dispatcher.auth);
      const first = await s.t
        .http()
        .get('/api/v1/queue')
        .query({ limit: 2 })
        .set('Authorization', s.w.dispatcher.auth);
      const second = await s.t
        .http()
        .get('/api/v1/queue')
        .query({ limit: 2, cursor: first.body.nextCursor })
        .set('Authorization', s.w.dispatcher.auth)
        .expect(200);
      expect([...first.body.items, ...second.body.items].map((i: Item) => i.appealId + i.awaiting)).toEqual(
        all.slice(0, 4).map((i) => i.appealId + i.awaiting),
      );
    });

    it("a supervisor's: pending assessment appeals", async () => {
      const dep = await s.w.f.department();
      const h = await actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
      const a = await file({ title: '考核申诉件' });
      await dispatch(a.id, dep.id);
      await s.api.post(`/appeals/${a.id}/acknowledge`, h.auth).expect(200);
      await s.api
        .post(`/appeals/${a.id}/reply`, h.auth, { content: '已答复', outcome: 'explained' })
        .expect(200);
      const rated = await s.api
        .post(`/appeals/${a.id}/survey`, s.w.enterprise.auth, {
          satisfaction: 'unsatisfied',
          resolved: false,
          comment: '不认可',
        })
        .expect(200);
      const contest = await s.api
        .post(`/appeals/${a.id}/assessment-appeals`, h.auth, {
          surveyId: rated.body.survey.id,
          reason: 'beyond_duty',
          explanation: '超出本单位职责',
          recontacted: true,
        })
        .expect(201);
      const row = (await queue(s.w.supervisor.auth)).find((i) => i.awaiting === 'assessment_appeal_review');
      expect(row).toMatchObject({
        appealId: a.id,
        assessmentAppealId: contest.body.id,
        departmentName: dep.name,
        dueAt: null,
      });
      await s.api.get('/queue', s.w.enterprise.auth).expect(403);
    });
  });

  describe('reminders (催办) need no answer', () => {
    it('a reminder closes itself when its department next acts on the appeal', async () => {
      const dep = await s.w.f.department();
      const h = await actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
      const a = await file({ title: '催办件' });
      await dispatch(a.id, dep.id);
      const reminded = await s.api
        .post(`/appeals/${a.id}/supervise`, s.w.supervisor.auth, { note: '请尽快签收', level: 'reminder' })
        .expect(200);
      const reminder = reminded.body.supervisions.find((v: { level: string }) => v.level === 'reminder');
      expect(reminder).toMatchObject({ status: 'open', answerDueAt: null, departmentName: dep.name });
      // never awaiting an answer: not in the handler's queue as such, nor in the supervisor's to close
      expect((await queue(h.auth)).map((i) => i.awaiting)).toEqual(['acknowledge']);
      expect((await queue(h.auth))[0].supervisionsToAnswer).toEqual([]);
      expect((await queue(s.w.supervisor.auth)).some((i) => i.supervisionId === reminder.id)).toBe(false);
      await s.api.post(`/supervisions/${reminder.id}/answer`, h.auth, { content: 'x' }).expect(409);
      // another department's action does not close it; its own does
      await s.api.post(`/appeals/${a.id}/acknowledge`, h.auth).expect(200);
      const after = await s.api.get(`/appeals/${a.id}`, s.w.supervisor.auth).expect(200);
      expect(after.body.supervisions.find((v: { id: string }) => v.id === reminder.id)).toMatchObject({
        status: 'closed',
        closedAt: expect.any(String),
        closeNote: '部门已办理，催办自动销号',
      });
      const open = await s.api.get(`/supervisions?status=open&departmentId=${dep.id}`, s.w.supervisor.auth);
      expect(open.body.items.map((v: { id: string }) => v.id)).not.toContain(reminder.id);
    });

    it('a reminder closes itself when the appeal leaves the department, and not on other departments’ actions', async () => {
      const dep = await s.w.f.department();
      const h = await actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
      const a = await file({ title: '催办退回件' });
      await dispatch(a.id, s.w.lead.id, { coDepartmentIds: [dep.id] });
      const reminded = await s.api
        .post(`/appeals/${a.id}/supervise`, s.w.supervisor.auth, {
          note: '请协办单位尽快签收',
          level: 'reminder',
          departmentId: dep.id,
        })
        .expect(200);
      const reminder = reminded.body.supervisions.find((v: { level: string }) => v.level === 'reminder');
      await s.api.post(`/appeals/${a.id}/acknowledge`, s.w.leadHandler.auth).expect(200);
      let view = await s.api.get(`/appeals/${a.id}`, s.w.supervisor.auth).expect(200);
      expect(view.body.supervisions.find((v: { id: string }) => v.id === reminder.id).status).toBe('open');
      // the co department asks to return it; approved, the appeal leaves the department
      const asked = await s.api
        .post(`/appeals/${a.id}/return`, h.auth, { reason: '非本单位职责' })
        .expect(200);
      const rid = asked.body.pendingReturns.find(
        (r: { departmentId: string }) => r.departmentId === dep.id,
      ).id;
      view = await s.api.get(`/appeals/${a.id}`, s.w.supervisor.auth).expect(200);
      // asking is an action of the department: closed already
      expect(view.body.supervisions.find((v: { id: string }) => v.id === reminder.id)).toMatchObject({
        status: 'closed',
        closeNote: '部门已办理，催办自动销号',
      });
      await s.api.post(`/appeals/${a.id}/returns/${rid}/approve`, s.w.dispatcher.auth).expect(200);

      // withdrawn by the enterprise, the appeal leaves the department: its reminder closes with it
      const b = await file({ title: '催办撤回件' });
      await dispatch(b.id, dep.id);
      const rb = (
        await s.api
          .post(`/appeals/${b.id}/supervise`, s.w.supervisor.auth, { note: '请签收', level: 'reminder' })
          .expect(200)
      ).body.supervisions.find((v: { level: string }) => v.level === 'reminder');
      await s.api
        .post(`/appeals/${b.id}/withdraw`, s.w.enterprise.auth, { reason: '问题已自行解决' })
        .expect(200);
      view = await s.api.get(`/appeals/${b.id}`, s.w.supervisor.auth).expect(200);
      expect(view.body.supervisions.find((v: { id: string }) => v.id === rb.id)).toMatchObject({
        status: 'closed',
        closeNote: '诉求已离开该部门，催办自动销号',
      });
    });
  });
});
