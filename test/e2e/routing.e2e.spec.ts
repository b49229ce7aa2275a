import { QueueService } from '../../src/infra/queue/queue.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { appealBody, client, World, world } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

/** Automatic routing (SPEC §2): routing rules through the BullMQ routing queue, the category fallback, duplicate detection. */
describe('automatic routing (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
    admin = w.admin.auth;
  });
  afterAll(() => t?.close());

  /** The appeal as the dispatcher sees it once its routing job has run. */
  async function routed(id: string) {
    return waitFor(async () => {
      const a = (await api.get(`/appeals/${id}`, w.dispatcher.auth).expect(200)).body;
      return a.routedAt ? a : undefined;
    });
  }

  async function file(extra: Record<string, unknown>, auth = w.enterprise.auth) {
    return (await api.post('/appeals', auth, appealBody(w, extra)).expect(201)).body;
  }

  async function rule(body: Record<string, unknown>) {
    return (await api.post('/routing-rules', admin, body).expect(201)).body;
  }

  async function events(id: string) {
    return (await api.get(`/appeals/${id}/events`, w.dispatcher.auth).expect(200)).body.items;
  }

  it('a matching auto-dispatch rule dispatches as the system, with co-handlers, deadlines and the event', async () => {
    const cat = await w.f.category({ defaultDepartmentId: w.other.id });
    const r = await rule({
      priority: 10,
      categoryCode: cat.code,
      leadDepartmentId: w.lead.id,
      coDepartmentIds: [w.co.id],
      autoDispatch: true,
    });
    expect(r).toMatchObject({ autoDispatch: true, enabled: true, coDepartmentIds: [w.co.id] });
    const filed = await file({ categoryCode: cat.code });
    expect(filed.status).toBe('submitted');
    const a = await routed(filed.id);
    expect(a.status).toBe('dispatched');
    expect(a.leadDepartmentId).toBe(w.lead.id);
    expect(
      a.assignments.map((x: { departmentId: string; role: string }) => [x.departmentId, x.role]),
    ).toEqual(
      expect.arrayContaining([
        [w.lead.id, 'lead'],
        [w.co.id, 'co'],
      ]),
    );
    expect(a.assignments.every((x: { ackDueAt: string }) => x.ackDueAt)).toBe(true);
    expect(a.suggestedRouting).toMatchObject({ leadDepartmentId: w.lead.id, source: 'rule', ruleId: r.id });
    const ev = await events(filed.id);
    expect(ev.map((e: { action: string }) => e.action)).toEqual(['appeal.submitted', 'appeal.dispatched']);
    expect(ev[1]).toMatchObject({
      actorId: null,
      actorRole: 'system',
      fromStatus: 'submitted',
      toStatus: 'dispatched',
    });
    expect(ev[1].data).toMatchObject({ routingRuleId: r.id, leadDepartmentId: w.lead.id });
    expect((await api.get(`/appeals/${filed.id}/events/verify`, admin).expect(200)).body.valid).toBe(true);
    // the lead's handler finds it in the queue, and the department was told
    const queue = (await api.get('/queue', w.leadHandler.auth).expect(200)).body.items;
    expect(queue.map((q: { appealId: string }) => q.appealId)).toContain(filed.id);
    const notes = (await api.get('/notifications', w.leadHandler.auth).expect(200)).body.items;
    expect(notes.some((n: { appealId: string }) => n.appealId === filed.id)).toBe(true);
    // the enterprise does not see the centre's routing notes
    const own = (await api.get(`/appeals/${filed.id}`, w.enterprise.auth).expect(200)).body;
    expect(own.suggestedRouting).toBeNull();
  });

  it('an automatic dispatch arms the wake-ups of its new deadlines at once, not at the next sweep', async () => {
    const cat = await w.f.category({ defaultDepartmentId: w.other.id });
    await rule({ priority: 10, categoryCode: cat.code, leadDepartmentId: w.lead.id, autoDispatch: true });
    const a = await routed((await file({ categoryCode: cat.code })).id);
    expect(a.status).toBe('dispatched');
    const lead = a.assignments.find((x: { role: string }) => x.role === 'lead');
    // the seeded deadlines are hours away, beyond the sweeper's 15-minute horizon: only the writer's
    // arming after the routing batch commits puts their wake-ups in the queue now
    const armed = await waitFor(async () => {
      const delayed = await t.app.get(QueueService).queue('deadlines').getDelayed();
      const mine = delayed.filter((j) => (j.data as { assignmentId?: string }).assignmentId === lead.id);
      return mine.length > 0 ? mine : undefined;
    }, 'the wake-ups of the lead assignment');
    expect(armed.map((j) => (j.data as { kind: string }).kind)).toEqual(
      expect.arrayContaining(['ack_overdue']),
    );
  });

  it('a suggest-only rule leaves the appeal submitted with its suggestion for the dispatcher', async () => {
    const cat = await w.f.category({ defaultDepartmentId: w.other.id });
    const r = await rule({
      priority: 10,
      categoryCode: cat.code,
      leadDepartmentId: w.co.id,
      autoDispatch: false,
    });
    const a = await routed((await file({ categoryCode: cat.code })).id);
    expect(a.status).toBe('submitted');
    expect(a.assignments).toEqual([]);
    expect(a.suggestedRouting).toEqual({
      leadDepartmentId: w.co.id,
      leadDepartmentName: w.co.name,
      coDepartmentIds: [],
      coDepartments: [],
      source: 'rule',
      ruleId: r.id,
    });
    expect((await events(a.id)).map((e: { action: string }) => e.action)).toEqual(['appeal.submitted']);
    // the suggestion did not move the version: a dispatcher's expectedVersion from filing still holds
    await api
      .post(`/appeals/${a.id}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: a.suggestedRouting.leadDepartmentId,
        expectedVersion: 1,
      })
      .expect(200);
  });

  it('with no rule, the nearest category default is suggested — the parent’s for a child category', async () => {
    const parent = await w.f.category({ defaultDepartmentId: w.other.id });
    const child = await w.f.category({ parentCode: parent.code });
    const own = await w.f.category({ parentCode: parent.code, defaultDepartmentId: w.co.id });
    const bare = await w.f.category();
    const [a, b, c] = await Promise.all(
      [child, own, bare].map(async (cat) => routed((await file({ categoryCode: cat.code })).id)),
    );
    expect(a.status).toBe('submitted');
    expect(a.suggestedRouting).toEqual({
      leadDepartmentId: w.other.id,
      leadDepartmentName: w.other.name,
      coDepartmentIds: [],
      coDepartments: [],
      source: 'category_default',
      ruleId: null,
    });
    expect(b.suggestedRouting).toMatchObject({ leadDepartmentId: w.co.id, source: 'category_default' });
    expect(c.suggestedRouting).toBeNull();
    expect(c.routedAt).not.toBeNull();
  });

  it('a rule on a parent category covers its children; a higher priority wins between matches', async () => {
    const parent = await w.f.category();
    const child = await w.f.category({ parentCode: parent.code });
    await rule({ priority: 1, categoryCode: parent.code, leadDepartmentId: w.other.id, autoDispatch: false });
    const high = await rule({
      priority: 5,
      categoryCode: parent.code,
      leadDepartmentId: w.co.id,
      autoDispatch: false,
    });
    const a = await routed((await file({ categoryCode: child.code })).id);
    expect(a.suggestedRouting).toMatchObject({ leadDepartmentId: w.co.id, ruleId: high.id });
  });

  it('keyword rules match title or content, case- and width-insensitively; others fall through', async () => {
    const cat = await w.f.category({ defaultDepartmentId: w.other.id });
    const r = await rule({
      priority: 100,
      categoryCode: cat.code,
      keywords: ['排污许可', 'ESG'],
      leadDepartmentId: w.co.id,
      autoDispatch: true,
    });
    const inTitle = await file({ categoryCode: cat.code, title: '排污许可证延续申请迟迟未批' });
    const inContent = await file({
      categoryCode: cat.code,
      content: '关于ｅｓｇ报告的披露要求，请明确口径。',
    });
    const neither = await file({
      categoryCode: cat.code,
      title: '用电报装进度咨询',
      content: '请问报装要多久。',
    });
    const [a, b, c] = await Promise.all([inTitle, inContent, neither].map((x) => routed(x.id)));
    expect([a.status, a.leadDepartmentId, a.suggestedRouting.ruleId]).toEqual(['dispatched', w.co.id, r.id]);
    expect([b.status, b.leadDepartmentId]).toEqual(['dispatched', w.co.id]);
    expect(c.status).toBe('submitted');
    expect(c.suggestedRouting).toMatchObject({ source: 'category_default', leadDepartmentId: w.other.id });
  });

  it('district rules match only their district', async () => {
    const cat = await w.f.category();
    await rule({
      priority: 1,
      categoryCode: cat.code,
      district: '吴兴区',
      leadDepartmentId: w.lead.id,
      autoDispatch: false,
    });
    await rule({
      priority: 1,
      categoryCode: cat.code,
      district: '南浔区',
      leadDepartmentId: w.co.id,
      autoDispatch: false,
    });
    const [wx, nx, none] = await Promise.all(
      ['吴兴区', '南浔区', '德清县'].map(async (district) =>
        routed((await file({ categoryCode: cat.code, district })).id),
      ),
    );
    expect(wx.suggestedRouting.leadDepartmentId).toBe(w.lead.id);
    expect(nx.suggestedRouting.leadDepartmentId).toBe(w.co.id);
    expect(none.suggestedRouting).toBeNull();
  });

  it('the routing job run again — twice in a row or five at once — dispatches once', async () => {
    const cat = await w.f.category();
    await rule({ priority: 1, categoryCode: cat.code, leadDepartmentId: w.lead.id, autoDispatch: true });
    const a = await routed((await file({ categoryCode: cat.code })).id);
    const routing = t.app.get(RoutingService);
    expect(await routing.route(a.id)).toBe('already_routed');
    expect(await routing.route(a.id)).toBe('already_routed');

    // a fresh appeal whose job has not run: route it directly, five times concurrently
    const b = await file({ categoryCode: cat.code });
    await t.db.query(`UPDATE appeals SET routed_at = NULL WHERE id = $1 AND status = 'submitted'`, [b.id]);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => routing.route(b.id)));
    const bRouted = await routed(b.id);
    expect(bRouted.status).toBe('dispatched');
    expect(outcomes.filter((o) => o === 'dispatched').length).toBeLessThanOrEqual(1);
    for (const id of [a.id, b.id]) {
      const dispatchedEvents = (await events(id)).filter(
        (e: { action: string }) => e.action === 'appeal.dispatched',
      );
      expect(dispatchedEvents).toHaveLength(1);
      const leads = (await api.get(`/appeals/${id}`, admin).expect(200)).body.assignments;
      expect(leads).toHaveLength(1);
    }
  });

  it('an appeal whose routing job was lost is routed by the sweeper', async () => {
    const cat = await w.f.category({ defaultDepartmentId: w.co.id });
    const a = await routed((await file({ categoryCode: cat.code })).id);
    // as if the job had vanished between commit and enqueue, and the appeal is older than the grace period
    await t.db.query(
      `UPDATE appeals SET routed_at = NULL, suggested_routing = NULL, created_at = created_at - interval '1 minute'
       WHERE id = $1`,
      [a.id],
    );
    expect(await t.app.get(RoutingService).sweep()).toBeGreaterThanOrEqual(1);
    const again = await routed(a.id);
    expect(again.suggestedRouting).toMatchObject({ leadDepartmentId: w.co.id, source: 'category_default' });
  });

  it('an appeal the dispatcher handled before routing ran is left alone', async () => {
    const cat = await w.f.category();
    const a = await routed((await file({ categoryCode: cat.code })).id);
    // now a rule would dispatch it, and its routing job "has not run yet"
    await rule({ priority: 1, categoryCode: cat.code, leadDepartmentId: w.co.id, autoDispatch: true });
    await t.db.query(`UPDATE appeals SET routed_at = NULL WHERE id = $1`, [a.id]);
    await api.post(`/appeals/${a.id}/reject`, w.dispatcher.auth, { reason: '非企业诉求' }).expect(200);
    // as a sweeper's job asks: this process's batch routed it before routed_at was cleared above
    expect(await t.app.get(RoutingService).route(a.id, { recheck: true })).toBe('skipped');
    const after = (await api.get(`/appeals/${a.id}`, admin).expect(200)).body;
    expect(after.status).toBe('rejected');
    expect(after.assignments).toEqual([]);
  });

  describe('duplicate detection (重复件)', () => {
    const title = '新厂房消防验收申请提交两个月仍未安排现场检查';
    const content = '我司新建厂房于九月提交消防验收申请，至今未安排现场检查，影响投产。';

    it('flags an earlier open appeal of the same enterprise with a similar title or content', async () => {
      const first = await routed((await file({ title, content })).id);
      expect(first.possibleDuplicates).toEqual([]);
      const second = await routed(
        (
          await file({
            title: '新厂房消防验收申请两个月了仍未安排现场检查',
            content: '再次反映：厂房消防验收一直没有安排检查。',
          })
        ).id,
      );
      expect(second.possibleDuplicates).toEqual([
        expect.objectContaining({ appealId: first.id, number: first.number, title }),
      ]);
      expect(second.possibleDuplicates[0].similarity).toBeGreaterThanOrEqual(0.4);
      // the dispatcher can merge on the strength of it
      await api
        .post(`/appeals/${second.id}/merge`, w.dispatcher.auth, { intoAppealId: first.id })
        .expect(200);
    });

    it('does not flag another enterprise’s similar appeal, a dissimilar one, or a closed-out one', async () => {
      const ent = await actor(t, w.f, 'enterprise');
      const other = await actor(t, w.f, 'enterprise');
      await routed((await file({ title, content }, other.auth)).id);
      const unrelated = await routed(
        (await file({ title: '出口退税进度查询', content: '上季度出口退税尚未到账。' }, ent.auth)).id,
      );
      const withdrawn = await file({ title, content }, ent.auth);
      await api.post(`/appeals/${withdrawn.id}/withdraw`, ent.auth, { reason: '已自行解决' }).expect(200);
      const mine = await routed((await file({ title, content }, ent.auth)).id);
      expect(unrelated.possibleDuplicates).toEqual([]);
      expect(mine.possibleDuplicates).toEqual([]);
      // and a later one of the same enterprise does flag `mine`
      const later = await routed((await file({ title, content }, ent.auth)).id);
      expect(later.possibleDuplicates.map((d: { appealId: string }) => d.appealId)).toEqual([mine.id]);
      expect(later.possibleDuplicates[0].similarity).toBe(1);
    });

    it('does not flag appeals older than 30 days', async () => {
      const ent = await actor(t, w.f, 'enterprise');
      const old = await routed((await file({ title, content }, ent.auth)).id);
      await t.db.query(`UPDATE appeals SET created_at = created_at - interval '31 days' WHERE id = $1`, [
        old.id,
      ]);
      const fresh = await routed((await file({ title, content }, ent.auth)).id);
      expect(fresh.possibleDuplicates).toEqual([]);
    });
  });

  describe('the rules API', () => {
    it('admin only; validated; listed highest priority first; can be disabled and deleted', async () => {
      const body = { priority: 3, leadDepartmentId: w.lead.id, autoDispatch: false, keywords: ['测试规则'] };
      await api.post('/routing-rules', w.dispatcher.auth, body).expect(403);
      await api.post('/routing-rules', w.enterprise.auth, body).expect(403);
      const bad = [
        { ...body, leadDepartmentId: '00000000-0000-4000-8000-000000000000' },
        { ...body, coDepartmentIds: [w.lead.id] },
        { ...body, categoryCode: 'NO_SUCH_CATEGORY' },
        { ...body, priority: 1.5 },
        { ...body, autoDispatch: 'yes' },
        { ...body, keywords: ['  '] },
        { ...body, unknown: 1 },
        { priority: 1, autoDispatch: true },
      ];
      for (const b of bad) {
        const res = await api.post('/routing-rules', admin, b);
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      const low = await rule({ ...body, priority: -5 });
      const high = await rule({ ...body, priority: 500 });
      const list = (await api.get('/routing-rules', w.dispatcher.auth).expect(200)).body.items;
      const ids = list.map((r: { id: string }) => r.id);
      expect(ids.indexOf(high.id)).toBeLessThan(ids.indexOf(low.id));
      expect(list.map((r: { priority: number }) => r.priority)).toEqual(
        [...list.map((r: { priority: number }) => r.priority)].sort((a, b) => b - a),
      );
      const off = await t
        .http()
        .patch(`/api/v1/routing-rules/${high.id}`)
        .set('Authorization', admin)
        .send({ enabled: false })
        .expect(200);
      expect(off.body.enabled).toBe(false);
      await t.http().delete(`/api/v1/routing-rules/${low.id}`).set('Authorization', admin).expect(204);
      await t.http().delete(`/api/v1/routing-rules/${low.id}`).set('Authorization', admin).expect(404);
    });

    it('a disabled rule is not applied', async () => {
      const cat = await w.f.category({ defaultDepartmentId: w.other.id });
      const r = await rule({
        priority: 1,
        categoryCode: cat.code,
        leadDepartmentId: w.lead.id,
        autoDispatch: true,
      });
      await t
        .http()
        .patch(`/api/v1/routing-rules/${r.id}`)
        .set('Authorization', admin)
        .send({ enabled: false })
        .expect(200);
      const a = await routed((await file({ categoryCode: cat.code })).id);
      expect(a.status).toBe('submitted');
      expect(a.suggestedRouting).toMatchObject({ source: 'category_default', leadDepartmentId: w.other.id });
    });
  });
});
