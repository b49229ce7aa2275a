import { appealSuite } from '../setup/appeal-helpers';
import { waitFor } from '../setup/wait';
import { Receiver } from '../setup/webhook-receiver';

/**
 * The disclosure policy end to end (SPEC §2, §5.1): what a department and a webhook without confidential
 * access can learn of a confidential appeal — nothing that names its filer nor links it to the filer's
 * other appeals; what the enterprise sees of its own appeal — its timeline, no internal note; no merge
 * across confidentiality; a department that returned a confidential appeal stops seeing it.
 */
describe('disclosure (e2e)', () => {
  const s = appealSuite({ env: { WEBHOOK_POLL_MS: '200' } });
  const rx = new Receiver();
  beforeAll(() => rx.start());
  afterAll(() => rx.close());

  const CONTACT = { contactName: '举报人赵六', contactPhone: '13933334444' };
  const leaks = (text: string, values: string[]) => values.filter((v) => text.includes(v));
  const body = (title: string, extra: Record<string, unknown> = {}) => ({
    type: 'complaint',
    categoryCode: s.w.category.code,
    title,
    content: `${title}：检查人员多次上门要求缴纳所谓咨询服务费，否则不予通过年度检查。`,
    ...extra,
  });

  it('a department and a webhook without access get nothing that ties a report to its filer or its other appeals', async () => {
    const { w, api } = s;
    await api
      .post('/webhooks', w.admin.auth, {
        url: rx.url('/plain'),
        events: ['*'],
        secret: 'whsec-plain-0123456789',
      })
      .expect(201);
    await api
      .post('/webhooks', w.admin.auth, {
        url: rx.url('/trusted'),
        events: ['*'],
        secret: 'whsec-trusted-0123456789',
        confidentialAccess: true,
      })
      .expect(201);

    const title = '某检查组违规收取咨询服务费';
    const first = (await api.post('/appeals', w.enterprise.auth, body(title)).expect(201)).body;
    const report = (
      await api.post('/appeals', w.enterprise.auth, body(title, { type: 'report', ...CONTACT })).expect(201)
    ).body;
    const second = (await api.post('/appeals', w.enterprise.auth, body(title)).expect(201)).body;
    expect(report.confidential).toBe(true);
    // routing (duplicate detection) runs in a job: wait until the centre sees the duplicates
    await waitFor(async () => {
      const v = await api.get(`/appeals/${second.id}`, w.dispatcher.auth);
      return v.body.routedAt !== null && v.body.possibleDuplicates.length === 2;
    }, 'duplicates found');
    const centreView = (await api.get(`/appeals/${report.id}`, w.dispatcher.auth).expect(200)).body;
    // the centre sees the links (so the checks below can fail)
    expect(centreView.possibleDuplicates.map((d: { appealId: string }) => d.appealId)).toEqual([first.id]);

    for (const id of [report.id, second.id])
      await api
        .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, {
          leadDepartmentId: w.lead.id,
          coDepartmentIds: id === report.id ? [w.co.id] : [],
          note: '请核查',
        })
        .expect(200);
    await api.post(`/appeals/${report.id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api.post(`/appeals/${report.id}/progress`, w.leadHandler.auth, { note: '已约谈' }).expect(200);
    await api.post(`/appeals/${report.id}/supervise`, w.supervisor.auth, { note: '请加快' }).expect(200);
    await api
      .post(`/appeals/${report.id}/supplements`, w.enterprise.auth, { content: '补充：收费单据。' })
      .expect(200);

    const enterpriseId = w.enterprise.user.enterpriseId!;
    const ent = (await api.get(`/enterprises/${enterpriseId}`, w.dispatcher.auth).expect(200)).body;
    const filer = [
      enterpriseId,
      w.enterprise.user.id,
      ent.name,
      ent.uscc,
      ent.contactPhone,
      ...Object.values(CONTACT),
    ];
    const others = [first.id, first.number, second.id, second.number];
    const values = [...filer, ...others].filter((v): v is string => typeof v === 'string' && v.length > 0);
    expect(values.length).toBeGreaterThanOrEqual(10);

    for (const handler of [w.leadHandler, w.coHandler]) {
      const [view, events, list, queue, notes, sups] = await Promise.all([
        api.get(`/appeals/${report.id}`, handler.auth).expect(200),
        api.get(`/appeals/${report.id}/events`, handler.auth).expect(200),
        api.get('/appeals?limit=100', handler.auth).expect(200),
        api.get('/queue?limit=100', handler.auth).expect(200),
        api.get('/notifications?limit=100', handler.auth).expect(200),
        api.get('/supervisions?limit=100', handler.auth).expect(200),
      ]);
      const mine = (items: { id?: string; appealId?: string }[]) =>
        JSON.stringify(items.filter((x) => (x.appealId ?? x.id) === report.id));
      expect(leaks(view.text, values)).toEqual([]);
      expect(leaks(events.text, values)).toEqual([]);
      expect(leaks(mine(list.body.items), values)).toEqual([]);
      expect(leaks(mine(queue.body.items), values)).toEqual([]);
      expect(leaks(mine(notes.body.items), values)).toEqual([]);
      expect(leaks(mine(sups.body.items), values)).toEqual([]);
      expect(view.body).toMatchObject({
        meetingId: null,
        mergedIntoId: null,
        createdAt: null,
        district: null,
      });
    }
    // the other appeal's own view never names the report among its duplicates
    const other = await api.get(`/appeals/${second.id}`, w.leadHandler.auth).expect(200);
    expect(leaks(other.text, [report.id, report.number])).toEqual([]);

    const count = (await api.get(`/appeals/${report.id}/events`, w.dispatcher.auth).expect(200)).body.items
      .length as number;
    await waitFor(
      async () =>
        rx.at('/plain', report.id).length === count &&
        rx.at('/plain', second.id).some((r) => r.body.event === 'appeal.dispatched') &&
        rx.at('/trusted', report.id).length === count,
      'the deliveries',
    );
    for (const r of rx.at('/plain', report.id)) {
      expect(leaks(r.raw.toString('utf8'), values)).toEqual([]);
      expect(r.body.appeal).toMatchObject({
        possibleDuplicates: [],
        suggestedRouting: null,
        mergedIntoId: null,
      });
    }
    for (const r of rx.at('/plain', second.id))
      expect(leaks(r.raw.toString('utf8'), [report.id, report.number])).toEqual([]);
    // with confidential access the links are there
    const trusted = rx.at('/trusted', report.id).find((r) => r.body.event === 'appeal.dispatched')!;
    expect(trusted.raw.toString('utf8')).toContain(first.id);
    expect(rx.at('/trusted', second.id).some((r) => r.raw.toString('utf8').includes(report.id))).toBe(true);
  });

  it("the enterprise's timeline shows its own actions and the milestones, labelled, and no internal note", async () => {
    const { w, api } = s;
    const a = (await api.post('/appeals', w.enterprise.auth, body('办理营业执照变更遇阻')).expect(201)).body;
    await api
      .post(`/appeals/${a.id}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: w.lead.id,
        coDepartmentIds: [w.co.id],
        note: '内部派单说明甲',
      })
      .expect(200);
    await api.post(`/appeals/${a.id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api.post(`/appeals/${a.id}/acknowledge`, w.coHandler.auth).expect(200);
    await api.post(`/appeals/${a.id}/opinion`, w.coHandler.auth, { content: '协办意见乙' }).expect(200);
    await api.post(`/appeals/${a.id}/progress`, w.leadHandler.auth, { note: '内部进展丙' }).expect(200);
    await api
      .post(`/appeals/${a.id}/progress`, w.leadHandler.auth, {
        note: '已联系登记窗口，三日内办结',
        public: true,
      })
      .expect(200);
    await api.post(`/appeals/${a.id}/progress`, w.leadHandler.auth, { note: 'x', public: 'yes' }).expect(400);
    await api
      .post(`/appeals/${a.id}/extensions`, w.leadHandler.auth, { days: 2, reason: '延期理由丁' })
      .expect(201);
    await api.post(`/appeals/${a.id}/supervise`, w.supervisor.auth, { note: '督办说明戊' }).expect(200);
    await api
      .post(`/appeals/${a.id}/leader`, w.supervisor.auth, { leaderName: '张副市长', instruction: '批示己' })
      .expect(200);

    const view = await api.get(`/appeals/${a.id}`, w.enterprise.auth).expect(200);
    const events = await api.get(`/appeals/${a.id}/events`, w.enterprise.auth).expect(200);
    const internal = ['内部派单说明甲', '协办意见乙', '内部进展丙', '延期理由丁', '督办说明戊', '批示己'];
    const staff = [w.dispatcher.user.id, w.leadHandler.user.id, w.coHandler.user.id, w.supervisor.user.id];
    for (const res of [view, events]) {
      expect(leaks(res.text, internal)).toEqual([]);
      expect(leaks(res.text, staff)).toEqual([]);
    }
    expect(view.body.pendingExtension).toBeNull();
    const items = events.body.items as {
      label: string;
      action: string;
      actorId: string | null;
      data: { note?: string };
    }[];
    expect(items.map((e) => e.label)).toEqual([
      '已提交',
      `已受理，已转办至${w.lead.name}`,
      '已签收',
      '办理进展',
    ]);
    expect(items[0].actorId).toBe(w.enterprise.user.id);
    expect(items[3].data.note).toBe('已联系登记窗口，三日内办结');
    const notes = await api.get('/notifications?limit=100', w.enterprise.auth).expect(200);
    expect(notes.text).toContain('已联系登记窗口，三日内办结');
    expect(notes.text).not.toContain('内部进展丙');

    await api
      .post(`/appeals/${a.id}/reply`, w.leadHandler.auth, { content: '已办理', outcome: 'resolved' })
      .expect(200);
    await api
      .post(`/appeals/${a.id}/survey`, w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '未解决',
      })
      .expect(200);
    const after = await api.get(`/appeals/${a.id}/events`, w.enterprise.auth).expect(200);
    expect((after.body.items as { label: string }[]).map((e) => e.label).slice(4)).toEqual([
      '已答复',
      '已评价',
      '已重办',
    ]);
    // the staff still read the whole history
    const centre = await api.get(`/appeals/${a.id}/events`, w.dispatcher.auth).expect(200);
    expect(leaks(centre.text, internal)).toEqual(internal);
  });

  it('a confidential appeal is never merged into or with a non-confidential one (409)', async () => {
    const { w, api } = s;
    const plain = (await api.post('/appeals', w.enterprise.auth, body('合并测试普通')).expect(201)).body;
    const report = (
      await api.post('/appeals', w.enterprise.auth, body('合并测试举报', { type: 'report' })).expect(201)
    ).body;
    const report2 = (
      await api.post('/appeals', w.enterprise.auth, body('合并测试举报二', { type: 'report' })).expect(201)
    ).body;
    for (const [from, into] of [
      [report.id, plain.id],
      [plain.id, report.id],
    ]) {
      const res = await api
        .post(`/appeals/${from}/merge`, w.dispatcher.auth, { intoAppealId: into })
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
      expect(res.body.message).toMatch(/confidential|保密/);
    }
    const merged = await api
      .post(`/appeals/${report2.id}/merge`, w.dispatcher.auth, { intoAppealId: report.id })
      .expect(200);
    expect(merged.body.mergedIntoId).toBe(report.id);
  });

  it('a department that returned a confidential appeal stops seeing it; an ordinary one it still finds', async () => {
    const { w, api } = s;
    const ids: string[] = [];
    for (const type of ['report', 'complaint']) {
      const a = (
        await api.post('/appeals', w.enterprise.auth, body(`退单后可见性${type}`, { type })).expect(201)
      ).body;
      ids.push(a.id);
      await api
        .post(`/appeals/${a.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
        .expect(200);
      await api
        .post(`/appeals/${a.id}/return`, w.leadHandler.auth, { reason: '不属于本单位职责' })
        .expect(200);
      const pending = (await api.get(`/appeals/${a.id}`, w.dispatcher.auth).expect(200)).body.pendingReturns;
      await api.post(`/appeals/${a.id}/returns/${pending[0].id}/approve`, w.dispatcher.auth, {}).expect(200);
      await api
        .post(`/appeals/${a.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.other.id })
        .expect(200);
      await api
        .post(`/appeals/${a.id}/supplements`, w.enterprise.auth, { content: '离开后的补充' })
        .expect(200);
    }
    const [report, complaint] = ids;
    await api.get(`/appeals/${report}`, w.leadHandler.auth).expect(404);
    await api.get(`/appeals/${report}/events`, w.leadHandler.auth).expect(404);
    const list = await api.get('/appeals?limit=100', w.leadHandler.auth).expect(200);
    expect(list.text).not.toContain(report);
    await api.get(`/appeals/${report}`, w.otherHandler.auth).expect(200);
    await api.get(`/appeals/${complaint}`, w.leadHandler.auth).expect(200);
  });

  it('a report filed at a meeting shares no meeting, instant, adjacent number or district with its batch for a department', async () => {
    const { w, api } = s;
    const E1 = w.enterprise.user.enterpriseId!;
    const E2 = w.otherEnterprise.user.enterpriseId!;
    const meeting = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '政企恳谈会（保密测试）',
        heldAt: new Date(Date.now() - 3600_000).toISOString(),
        district: '吴兴区',
        enterpriseIds: [E1, E2],
        attendeeCount: 5,
      })
      .expect(201);
    const issue = (enterpriseId: string, extra: Record<string, unknown> = {}) => ({
      enterpriseId,
      type: 'help',
      categoryCode: w.category.code,
      title: '恳谈会反映的问题',
      content: '企业在恳谈会上反映的问题。',
      ...extra,
    });
    const res = await api
      .post(`/meetings/${meeting.body.id}/issues`, w.dispatcher.auth, {
        items: [issue(E1), issue(E1, { type: 'report', title: '举报某站所吃拿卡要' }), issue(E2)],
      })
      .expect(201);
    const [before, report, after] = res.body.items as {
      id: string;
      number: string;
      district: string | null;
    }[];
    const seq = (n: string) => Number(n.slice(-10));
    expect(seq(after.number)).toBe(seq(before.number) + 1);
    expect(seq(report.number) - seq(after.number)).toBeGreaterThan(1);
    await api
      .post(`/appeals/${report.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    const view = (await api.get(`/appeals/${report.id}`, w.leadHandler.auth).expect(200)).body;
    expect(view).toMatchObject({ meetingId: null, createdAt: null, enterpriseId: null });
    const events = (await api.get(`/appeals/${report.id}/events`, w.leadHandler.auth).expect(200)).body.items;
    expect(events[0]).toMatchObject({ action: 'appeal.submitted', createdAt: null });
    expect(events[0].data.meetingId).toBeUndefined();
    const byMeeting = await api.get(`/appeals?meetingId=${meeting.body.id}`, w.leadHandler.auth).expect(200);
    expect(byMeeting.text).not.toContain(report.id);
    // the centre sees the meeting (so the checks above can fail)
    expect((await api.get(`/appeals/${report.id}`, w.dispatcher.auth).expect(200)).body.meetingId).toBe(
      meeting.body.id,
    );
  });

  it("a confidential filing's district is not defaulted from the enterprise", async () => {
    const { w, api } = s;
    const ent = await w.f.enterprise({ district: '330502' });
    const file = (extra: Record<string, unknown>) =>
      api
        .post('/appeals', w.dispatcher.auth, body('区县默认', { enterpriseId: ent.id, ...extra }))
        .expect(201);
    const plain = (await file({})).body;
    const report = (await file({ type: 'report' })).body;
    expect(plain.district).toBe(ent.district);
    expect(plain.district).not.toBeNull();
    expect(report.district).toBeNull();
  });
});
