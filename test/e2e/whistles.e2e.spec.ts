import { FakeClock } from '../../src/common/clock';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { WhistleTimers } from '../../src/modules/whistles/whistle-timers';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { samplePdf } from '../setup/sample-files';
import { createTestApp, TestApp } from '../setup/test-app';

type Api = ReturnType<typeof client>;
const at = (local: string) => `${local}+08:00`;

/**
 * SPEC §12 企业吹哨、部门报到 over HTTP, on the seeded working-day policy (whistleReviewWithin PT4H,
 * whistleMeetingWithin P3D, warnings at 0.8) and the 2026 calendar, with a clock the test sets. The app
 * runs no worker: the timers are fired by calling their source's wake-up and sweep, as the jobs do.
 */
describe('SPEC §12: whistles (e2e)', () => {
  const clock = new FakeClock(new Date(at('2026-06-01T09:00:00')));
  let t: TestApp;
  let w: World;
  let api: Api;
  let timers: WhistleTimers;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { ROLE: 'api' } });
    w = await world(t);
    api = client(t);
    timers = t.app.get(WhistleTimers);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A department of its own with a handler. */
  async function department() {
    const d = await w.f.department();
    const h = await actor(t, w.f, 'handler', { departmentId: d.id });
    return { id: d.id, name: d.name, auth: h.auth };
  }
  /** An appeal of the world's enterprise, dispatched to `lead` and acknowledged. */
  async function working(lead: { id: string; auth: string }, extra: Record<string, unknown> = {}) {
    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w, extra)).expect(201)).body
      .id as string;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: lead.id }).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, lead.auth).expect(200);
    return id;
  }
  const events = async (id: string, auth = w.dispatcher.auth) =>
    (await api.get(`/appeals/${id}/events`, auth).expect(200)).body.items as {
      action: string;
      actorId: string | null;
      actorRole: string;
      fromStatus: string;
      toStatus: string;
      data: Record<string, unknown>;
      label?: string;
    }[];
  const fired = async (id: string, kind: string) =>
    (await events(id)).filter((e) => e.action.startsWith('deadline.') && e.data.kind === kind).length;

  describe('the whole flow: request, review, check-in, minutes, commitments, 销号', () => {
    let first: { id: string; name: string; auth: string };
    let lead: { id: string; name: string; auth: string };
    let co: { id: string; name: string; auth: string };
    let outsider: { id: string; name: string; auth: string };
    let appealId: string;
    let wid: string;

    beforeAll(async () => {
      [first, lead, co, outsider] = await Promise.all([
        department(),
        department(),
        department(),
        department(),
      ]);
      clock.set(at('2026-06-01T09:00:00'));
      appealId = await working(first);
    });

    it('the enterprise blows the whistle on its open appeal: 201 requested, review due in 4 working hours', async () => {
      clock.set(at('2026-06-01T10:00:00'));
      await api.post(`/appeals/${appealId}/whistle`, w.otherEnterprise.auth, { reason: '推诿' }).expect(404);
      await api.post(`/appeals/${appealId}/whistle`, first.auth, { reason: '推诿' }).expect(403);
      await api.post(`/appeals/${appealId}/whistle`, w.enterprise.auth, { reason: '   ' }).expect(400);
      await api
        .post(`/appeals/${appealId}/whistle`, w.enterprise.auth, {
          reason: 'x',
          departmentIds: ['00000000-0000-4000-8000-000000000001'],
        })
        .expect(400);
      const res = await api
        .post(`/appeals/${appealId}/whistle`, w.enterprise.auth, {
          reason: '住建、消防两部门互相推诿，验收三个月无进展',
          departmentIds: [lead.id, co.id],
        })
        .expect(201);
      wid = res.body.id;
      expect(res.body).toMatchObject({
        status: 'requested',
        statusName: '待审核',
        requestedRole: 'enterprise',
        requestedDepartments: [
          { id: lead.id, name: lead.name },
          { id: co.id, name: co.name },
        ],
        // Mon 10:00 + 4 working hours: 10:00–12:00 and 13:30–15:30
        reviewDueAt: '2026-06-01T15:30:00.000+08:00',
        departments: [],
        commitments: [],
        minutes: null,
      });
      const again = await api
        .post(`/appeals/${appealId}/whistle`, w.dispatcher.auth, { reason: '再吹一次' })
        .expect(409);
      expect(again.body).toMatchObject({ code: 'CONFLICT', message: '该诉求已有进行中的吹哨' });
      const appeal = (await api.get(`/appeals/${appealId}`, w.enterprise.auth).expect(200)).body;
      expect(appeal.whistle).toMatchObject({ id: wid, status: 'requested' });
      expect(appeal.status).toBe('in_progress');
    });

    it('approval re-dispatches the appeal to the convener and the summoned departments', async () => {
      clock.set(at('2026-06-01T11:00:00'));
      const body = {
        leadDepartmentId: lead.id,
        departmentIds: [co.id],
        meetingAt: at('2026-06-03T14:00:00'),
        location: '企业会议室',
      };
      await api.post(`/whistles/${wid}/approve`, lead.auth, body).expect(403);
      await api.post(`/whistles/${wid}/approve`, w.enterprise.auth, body).expect(403);
      // Mon 11:00 + 3 working days closes Thu 4 June 17:30
      const late = await api
        .post(`/whistles/${wid}/approve`, w.supervisor.auth, {
          ...body,
          meetingAt: at('2026-06-05T09:00:00'),
        })
        .expect(400);
      expect(late.body.details).toEqual([
        { field: 'meetingAt', message: '会议须在审核同意后的吹哨会议时限（whistleMeetingWithin）内召开' },
      ]);
      await api
        .post(`/whistles/${wid}/approve`, w.supervisor.auth, { ...body, departmentIds: [lead.id] })
        .expect(400);
      const res = await api.post(`/whistles/${wid}/approve`, w.supervisor.auth, body).expect(200);
      expect(res.body).toMatchObject({
        status: 'approved',
        leadDepartment: { id: lead.id, name: lead.name },
        meetingAt: '2026-06-03T14:00:00.000+08:00',
        meetingDueAt: '2026-06-04T17:30:00.000+08:00',
        location: '企业会议室',
        reviewedOnTime: true,
        departments: [
          {
            departmentId: lead.id,
            departmentName: lead.name,
            role: 'lead',
            checkedInAt: null,
            missed: false,
          },
          { departmentId: co.id, departmentName: co.name, role: 'co', checkedInAt: null, missed: false },
        ],
      });
      const appeal = (await api.get(`/appeals/${appealId}`, w.dispatcher.auth).expect(200)).body;
      expect(appeal.status).toBe('dispatched');
      expect(appeal.leadDepartmentId).toBe(lead.id);
      expect(
        appeal.assignments.map((a: { departmentId: string; role: string; status: string }) => [
          a.departmentId,
          a.role,
          a.status,
        ]),
      ).toEqual([
        [first.id, 'lead', 'cancelled'],
        [lead.id, 'lead', 'dispatched'],
        [co.id, 'co', 'dispatched'],
      ]);
      const chain = await events(appealId);
      expect(chain.slice(-2).map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
        ['whistle.approved', 'in_progress', 'dispatched'],
        ['appeal.dispatched', 'in_progress', 'dispatched'],
      ]);
      await api.post(`/whistles/${wid}/approve`, w.supervisor.auth, body).expect(409);
      await api.post(`/whistles/${wid}/deny`, w.supervisor.auth, { reason: 'x' }).expect(409);
      expect(
        (await api.get(`/appeals/${appealId}/events/verify`, w.supervisor.auth).expect(200)).body.valid,
      ).toBe(true);
    });

    it('summoned departments check in before the meeting; others cannot', async () => {
      clock.set(at('2026-06-02T10:00:00'));
      await api.post(`/appeals/${appealId}/acknowledge`, lead.auth).expect(200);
      await api.post(`/appeals/${appealId}/acknowledge`, co.auth).expect(200);
      const res = await api
        .post(`/whistles/${wid}/check-in`, co.auth, { attendeeName: '王科长' })
        .expect(200);
      expect(res.body.departments[1]).toMatchObject({
        departmentId: co.id,
        attendeeName: '王科长',
        checkedInAt: '2026-06-02T10:00:00.000+08:00',
      });
      const twice = await api
        .post(`/whistles/${wid}/check-in`, co.auth, { attendeeName: '王科长' })
        .expect(409);
      expect(twice.body.code).toBe('CONFLICT');
      // held the case before the whistle, so it sees the appeal, but it is not summoned
      await api.post(`/whistles/${wid}/check-in`, first.auth, { attendeeName: '李' }).expect(403);
      // never held it: the appeal is outside its scope
      await api.post(`/whistles/${wid}/check-in`, outsider.auth, { attendeeName: '李' }).expect(404);
      await api.get(`/whistles/${wid}`, outsider.auth).expect(404);
      await api.post(`/whistles/${wid}/check-in`, w.dispatcher.auth, { attendeeName: '李' }).expect(403);
      await api.post(`/whistles/${wid}/check-in`, co.auth, {}).expect(400);
    });

    it('a summoned department that does not check in by the meeting is overdue once, with a reminder', async () => {
      clock.set(at('2026-06-03T14:00:01'));
      const late = await api.post(`/whistles/${wid}/check-in`, lead.auth, { attendeeName: '赵' }).expect(409);
      expect(late.body.message).toBe('会议已开始，报到已截止');
      const [summons] = await t.db.query<{ id: string }[]>(
        `SELECT id FROM whistle_departments WHERE whistle_id = $1 AND department_id = $2`,
        [wid, lead.id],
      );
      expect(await timers.wake(summons.id, 'check_in_overdue')).toBe(true);
      expect(await timers.wake(summons.id, 'check_in_overdue')).toBe(false);
      await timers.sweep();
      await t.app.get(DeadlinesService).sweep();
      expect(await fired(appealId, 'check_in_overdue')).toBe(1);
      // the warning fired before the overdue in the sweeper's batch; the co department checked in, so none
      expect(await fired(appealId, 'check_in_warning')).toBe(1);
      const appeal = (await api.get(`/appeals/${appealId}`, w.supervisor.auth).expect(200)).body;
      expect(
        appeal.supervisions.filter(
          // the whistle's own (the §9 contact timers open reminders of their own)
          (v: { note: string; departmentId: string }) =>
            v.departmentId === lead.id && v.note.startsWith('吹哨'),
        ),
      ).toEqual([expect.objectContaining({ level: 'reminder', source: 'overdue', status: 'open' })]);
      expect(appeal.whistle.departments[0]).toMatchObject({ departmentId: lead.id, missed: true });
    });

    it('the convener records the minutes once the meeting began, with commitments due within 3 months', async () => {
      clock.set(at('2026-06-03T13:00:00'));
      const minutes = {
        summary: '现场会商：消防验收复核、供电增容同步推进',
        resolvedOnSite: false,
        commitments: [
          { departmentId: co.id, content: '完成消防验收复核', dueAt: at('2026-06-10T17:30:00') },
          { departmentId: lead.id, content: '协调供电增容', dueAt: at('2026-06-19T17:30:00') },
        ],
      };
      const early = await api.post(`/whistles/${wid}/minutes`, lead.auth, minutes).expect(409);
      expect(early.body.message).toBe('会议尚未开始');
      clock.set(at('2026-06-03T16:00:00'));
      await api.post(`/whistles/${wid}/minutes`, co.auth, minutes).expect(403);
      const tooLate = await api
        .post(`/whistles/${wid}/minutes`, lead.auth, {
          ...minutes,
          commitments: [
            { departmentId: co.id, content: '复核', dueAt: at('2026-09-03T14:00:01') },
            { departmentId: outsider.id, content: '复核', dueAt: at('2026-06-10T17:30:00') },
          ],
        })
        .expect(400);
      expect(tooLate.body.details).toEqual([
        { field: 'commitments.0.dueAt', message: '不得晚于会议后 3 个月' },
        { field: 'commitments.1.departmentId', message: '不是本次吹哨的参会部门' },
      ]);
      // the signed minutes as a file of the appeal; a file of another appeal is refused
      const upload = (id: string) =>
        t
          .http()
          .post(`/api/v1/appeals/${id}/attachments`)
          .set('Authorization', lead.auth)
          .field('purpose', 'minutes')
          .attach('file', samplePdf(), '会议纪要.pdf')
          .expect(201);
      const signed = (await upload(appealId)).body;
      const elsewhere = (await upload(await working(lead))).body;
      const foreign = await api
        .post(`/whistles/${wid}/minutes`, lead.auth, { ...minutes, attachmentIds: [elsewhere.id] })
        .expect(400);
      expect(foreign.body.details[0].field).toBe('attachmentIds');
      const res = await api
        .post(`/whistles/${wid}/minutes`, lead.auth, { ...minutes, attachmentIds: [signed.id] })
        .expect(200);
      const held = (await events(appealId)).find((e: { action: string }) => e.action === 'whistle.held');
      expect(held?.data.attachments).toEqual([
        { id: signed.id, sha256: signed.sha256, mediaType: 'application/pdf' },
      ]);
      expect(res.body).toMatchObject({
        status: 'held',
        minutes: { summary: minutes.summary, resolvedOnSite: false, onTime: true },
        commitments: [
          { departmentId: co.id, departmentName: co.name, content: '完成消防验收复核', completedAt: null },
          { departmentId: lead.id, content: '协调供电增容', completedAt: null, overdue: false },
        ],
      });
      await api.post(`/whistles/${wid}/check-in`, lead.auth, { attendeeName: '赵' }).expect(409);
      await api.post(`/whistles/${wid}/minutes`, lead.auth, minutes).expect(409);
    });

    it('closing with an incomplete commitment is 409; each department completes its own', async () => {
      clock.set(at('2026-06-05T10:00:00'));
      const refused = await api.post(`/whistles/${wid}/close`, w.supervisor.auth, {}).expect(409);
      expect(refused.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        message: '所有承诺事项完成后才能对吹哨销号',
        details: { openCommitments: 2 },
      });
      const whistle = (await api.get(`/whistles/${wid}`, co.auth).expect(200)).body;
      const [mine, theirs] = whistle.commitments as { id: string }[];
      await api
        .post(`/whistles/${wid}/commitments/${theirs.id}/complete`, co.auth, { content: '已办' })
        .expect(403);
      await api.post(`/whistles/${wid}/close`, w.dispatcher.auth, {}).expect(403);
      const done = await api
        .post(`/whistles/${wid}/commitments/${mine.id}/complete`, co.auth, {
          content: '已完成复核，意见书已送达',
        })
        .expect(200);
      expect(done.body.commitments[0]).toMatchObject({
        completedAt: '2026-06-05T10:00:00.000+08:00',
        completion: '已完成复核，意见书已送达',
        onTime: true,
      });
      await api
        .post(`/whistles/${wid}/commitments/${mine.id}/complete`, co.auth, { content: '再报' })
        .expect(409);
    });

    it('a commitment past its due opens one supervision on its department, however often it is woken', async () => {
      clock.set(at('2026-06-22T09:00:00'));
      const [c] = await t.db.query<{ id: string }[]>(
        `SELECT id FROM whistle_commitments WHERE whistle_id = $1 AND department_id = $2`,
        [wid, lead.id],
      );
      expect(await timers.sweep()).toBeGreaterThanOrEqual(1);
      expect(await timers.wake(c.id, 'commitment_overdue')).toBe(false);
      expect(await timers.sweep()).toBe(0);
      expect(await fired(appealId, 'commitment_overdue')).toBe(1);
      const supervisions = (
        await api.get(`/supervisions?departmentId=${lead.id}`, w.supervisor.auth).expect(200)
      ).body.items as { level: string; note: string; answerDueAt: string | null; appealId: string }[];
      expect(supervisions.filter((v) => v.level === 'supervision')).toEqual([
        expect.objectContaining({ appealId, note: '吹哨承诺事项逾期未完成，系统自动督办：协调供电增容' }),
      ]);
      const view = (await api.get(`/whistles/${wid}`, w.supervisor.auth).expect(200)).body;
      expect(view.commitments[1]).toMatchObject({ overdue: true, supervisionId: expect.any(String) });
      // the enterprise does not see the supervision
      const own = (await api.get(`/appeals/${appealId}`, w.enterprise.auth).expect(200)).body;
      expect(own.whistle.commitments[1].supervisionId).toBeNull();
    });

    it('late completion is recorded as late; then the supervisor closes (销号)', async () => {
      clock.set(at('2026-06-23T10:00:00'));
      const view = (await api.get(`/whistles/${wid}`, lead.auth).expect(200)).body;
      const done = await api
        .post(`/whistles/${wid}/commitments/${view.commitments[1].id}/complete`, lead.auth, {
          content: '增容完成',
        })
        .expect(200);
      expect(done.body.commitments[1]).toMatchObject({ onTime: false, overdue: false });
      const closed = await api
        .post(`/whistles/${wid}/close`, w.supervisor.auth, { note: '事项均已落实' })
        .expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', closeNote: '事项均已落实' });
      await api.post(`/whistles/${wid}/close`, w.supervisor.auth, {}).expect(409);
      const chain = await events(appealId);
      expect(chain.filter((e) => e.action.startsWith('whistle.')).map((e) => e.action)).toEqual([
        'whistle.requested',
        'whistle.approved',
        'whistle.checked_in',
        'whistle.held',
        'whistle.commitment_completed',
        'whistle.commitment_completed',
        'whistle.closed',
      ]);
      expect(
        (await api.get(`/appeals/${appealId}/events/verify`, w.supervisor.auth).expect(200)).body.valid,
      ).toBe(true);
      // the enterprise's timeline names the steps it may see
      const timeline = await events(appealId, w.enterprise.auth);
      expect(timeline.filter((e) => e.action.startsWith('whistle.')).map((e) => e.label)).toEqual([
        '已吹哨',
        '吹哨已受理，联合现场办公已安排',
        '联合现场办公已召开',
        '承诺事项已完成',
        '承诺事项已完成',
        '吹哨事项已销号',
      ]);
      // a new whistle may be blown once the last one ended
      await api
        .post(`/appeals/${appealId}/whistle`, w.enterprise.auth, { reason: '又出现新问题' })
        .expect(201);
    });

    it('GET /whistles: the centre sees all, a handler its own department’s summons', async () => {
      const all = (await api.get(`/whistles?departmentId=${co.id}`, w.dispatcher.auth).expect(200)).body;
      expect(all.items.map((x: { id: string }) => x.id)).toEqual([wid]);
      expect(all.items[0].appeal).toMatchObject({ id: appealId, enterpriseName: expect.any(String) });
      const mine = (await api.get(`/whistles?status=closed`, co.auth).expect(200)).body;
      expect(mine.items.map((x: { id: string }) => x.id)).toEqual([wid]);
      await api.get(`/whistles?departmentId=${lead.id}`, co.auth).expect(403);
      await api.get(`/whistles`, w.enterprise.auth).expect(403);
      await api.get(`/whistles?status=nope`, w.dispatcher.auth).expect(400);
    });
  });

  describe('deadlines of review and meeting, deny and cancel', () => {
    it('a review not made within whistleReviewWithin warns, then is overdue once with a reminder to the centre', async () => {
      const lead = await department();
      clock.set(at('2026-06-08T09:00:00'));
      const id = await working(lead);
      const wid = (
        await api.post(`/appeals/${id}/whistle`, w.dispatcher.auth, { reason: '代企业吹哨' }).expect(201)
      ).body.id as string;
      // due Mon 8 June 13:30 + ... : 09:00–12:00 (3h) and 13:30–14:30
      expect((await api.get(`/whistles/${wid}`, w.dispatcher.auth)).body.reviewDueAt).toBe(
        '2026-06-08T14:30:00.000+08:00',
      );
      // it waits on the centre's and the supervisors' desks (SPEC §5.1)
      for (const auth of [w.supervisor.auth, w.dispatcher.auth]) {
        const desk = (await api.get('/queue?limit=100', auth).expect(200)).body.items;
        expect(desk.find((i: { whistleId?: string }) => i.whistleId === wid)).toMatchObject({
          awaiting: 'whistle_review',
          appealId: id,
          dueAt: '2026-06-08T14:30:00.000+08:00',
          overdue: false,
        });
      }
      clock.set(at('2026-06-08T14:00:00'));
      await expect(timers.wake(wid, 'review_overdue')).rejects.toThrow(/before its instant/);
      expect(await timers.wake(wid, 'review_warning')).toBe(true);
      clock.set(at('2026-06-08T14:30:00'));
      expect(await timers.wake(wid, 'review_overdue')).toBe(true);
      expect(await timers.wake(wid, 'review_overdue')).toBe(false);
      expect(await timers.sweep()).toBe(0);
      expect(await fired(id, 'review_warning')).toBe(1);
      expect(await fired(id, 'review_overdue')).toBe(1);
      const appeal = (await api.get(`/appeals/${id}`, w.supervisor.auth).expect(200)).body;
      expect(appeal.supervisions.filter((v: { note: string }) => v.note.startsWith('吹哨'))).toEqual([
        expect.objectContaining({
          level: 'reminder',
          departmentId: null,
          note: '吹哨审核超期，系统自动催办',
        }),
      ]);
      // a late decision is recorded as late; denied, nothing more fires
      clock.set(at('2026-06-08T14:31:00'));
      const denied = await api
        .post(`/whistles/${wid}/deny`, w.dispatcher.auth, { reason: '属单一部门职责，已督促办理' })
        .expect(200);
      expect(denied.body).toMatchObject({
        status: 'denied',
        reviewedOnTime: false,
        decisionReason: '属单一部门职责，已督促办理',
      });
      await api.post(`/whistles/${wid}/cancel`, w.dispatcher.auth, { reason: 'x' }).expect(409);
    });

    it('a meeting not held within whistleMeetingWithin is overdue once, with a reminder to the convener; a cancelled whistle fires nothing', async () => {
      const [lead, co] = await Promise.all([department(), department()]);
      clock.set(at('2026-06-08T09:00:00'));
      const id = await working(lead);
      const wid = (
        await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '推诿' }).expect(201)
      ).body.id as string;
      clock.set(at('2026-06-08T10:00:00'));
      await api
        .post(`/whistles/${wid}/approve`, w.dispatcher.auth, {
          leadDepartmentId: lead.id,
          departmentIds: [co.id],
          meetingAt: at('2026-06-10T10:00:00'),
          location: '线上会议',
        })
        .expect(200);
      await api.post(`/whistles/${wid}/check-in`, lead.auth, { attendeeName: '甲' }).expect(200);
      await api.post(`/whistles/${wid}/check-in`, co.auth, { attendeeName: '乙' }).expect(200);
      // due Thu 11 June 17:30 (3 working days from Mon); nobody records minutes
      clock.set(at('2026-06-11T17:30:00'));
      await t.app.get(DeadlinesService).sweep();
      await timers.sweep();
      expect(await timers.wake(wid, 'meeting_overdue')).toBe(false);
      expect(await fired(id, 'meeting_overdue')).toBe(1);
      expect(await fired(id, 'meeting_warning')).toBe(1);
      expect(await fired(id, 'check_in_overdue')).toBe(0);
      const appeal = (await api.get(`/appeals/${id}`, w.supervisor.auth).expect(200)).body;
      // (the new assignments were never acknowledged: their own deadlines supervised them too)
      expect(
        appeal.supervisions.filter(
          (v: { level: string; note: string }) => v.level === 'reminder' && v.note.startsWith('吹哨'),
        ),
      ).toEqual([
        expect.objectContaining({
          level: 'reminder',
          departmentId: lead.id,
          note: '吹哨联合会议超期，系统自动催办',
        }),
      ]);
      const notices = (await api.get('/notifications', lead.auth).expect(200)).body.items as {
        kind: string;
      }[];
      expect(notices.map((n) => n.kind)).toEqual(
        expect.arrayContaining(['whistle.summoned', 'supervision.reminder']),
      );

      // another, cancelled before its meeting: its check-in and meeting timers never fire
      const other = await working(lead);
      const wid2 = (
        await api.post(`/appeals/${other}/whistle`, w.enterprise.auth, { reason: '推诿' }).expect(201)
      ).body.id as string;
      await api
        .post(`/whistles/${wid2}/approve`, w.supervisor.auth, {
          leadDepartmentId: lead.id,
          departmentIds: [co.id],
          meetingAt: at('2026-06-12T10:00:00'),
          location: '企业',
        })
        .expect(200);
      const cancelled = await api
        .post(`/whistles/${wid2}/cancel`, w.supervisor.auth, { reason: '企业问题已解决' })
        .expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      clock.set(at('2026-06-30T10:00:00'));
      await timers.sweep();
      expect((await events(other)).filter((e) => e.action.startsWith('deadline.'))).toEqual([]);
    });

    it('a replied appeal cannot be re-dispatched for a whistle (409), and a closed one cannot whistle', async () => {
      const lead = await department();
      clock.set(at('2026-06-15T09:00:00'));
      const id = await working(lead);
      const wid = (
        await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '推诿' }).expect(201)
      ).body.id as string;
      await api
        .post(`/appeals/${id}/reply`, lead.auth, { content: '已解释', outcome: 'explained' })
        .expect(200);
      const refused = await api
        .post(`/whistles/${wid}/approve`, w.dispatcher.auth, {
          leadDepartmentId: lead.id,
          departmentIds: [],
          meetingAt: at('2026-06-16T10:00:00'),
          location: '企业',
        })
        .expect(409);
      expect(refused.body.code).toBe('INVALID_TRANSITION');
      await api.post(`/whistles/${wid}/deny`, w.dispatcher.auth, { reason: '已答复，请评价' }).expect(200);
      await api
        .post(`/appeals/${id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
        .expect(200);
      await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '推诿' }).expect(409);
      await api
        .post(`/whistles/00000000-0000-4000-8000-000000000000/deny`, w.dispatcher.auth, { reason: 'x' })
        .expect(404);
      await api.post(`/whistles/not-a-uuid/deny`, w.dispatcher.auth, { reason: 'x' }).expect(400);
    });
  });

  describe('confidential appeals (SPEC §2)', () => {
    it('summoned departments see the whistle but never the filer', async () => {
      const [lead, co] = await Promise.all([department(), department()]);
      clock.set(at('2026-06-15T09:00:00'));
      const id = await working(lead, { type: 'report', confidential: true });
      const wid = (
        await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '举报后被推诿' }).expect(201)
      ).body.id as string;
      await api
        .post(`/whistles/${wid}/approve`, w.supervisor.auth, {
          leadDepartmentId: lead.id,
          departmentIds: [co.id],
          meetingAt: at('2026-06-16T10:00:00'),
          location: '中心会议室',
        })
        .expect(200);
      for (const h of [lead, co]) {
        const list = (await api.get('/whistles', h.auth).expect(200)).body.items;
        expect(list.find((x: { id: string }) => x.id === wid).appeal.enterpriseName).toBeNull();
        const appeal = (await api.get(`/appeals/${id}`, h.auth).expect(200)).body;
        expect(appeal).toMatchObject({
          enterpriseId: null,
          enterpriseName: null,
          contactName: null,
          contactPhone: null,
        });
        expect(appeal.whistle).toMatchObject({ id: wid, requestedRole: 'enterprise' });
        expect(JSON.stringify(appeal.whistle)).not.toContain(w.enterprise.user.id);
        const requested = (await events(id, h.auth)).find((e) => e.action === 'whistle.requested')!;
        expect(requested.actorId).toBeNull();
      }
      const centre = (await api.get('/whistles', w.dispatcher.auth).expect(200)).body.items;
      expect(centre.find((x: { id: string }) => x.id === wid).appeal.enterpriseName).toEqual(
        expect.any(String),
      );
    });
  });

  describe('figures (SPEC §12): by department and the whistles report, on a hand-computed history', () => {
    it('whistlesSummoned, whistleCheckInRate, whistleCommitmentsOnTimeRate and GET /reports/whistles (JSON, CSV)', async () => {
      const [a, b, c] = await Promise.all([department(), department(), department()]);
      const approve = (wid: string, lead: string, co: string[], meetingAt: string) =>
        api
          .post(`/whistles/${wid}/approve`, w.supervisor.auth, {
            leadDepartmentId: lead,
            departmentIds: co,
            meetingAt: at(meetingAt),
            location: '企业',
          })
          .expect(200);
      const blow = async (id: string) =>
        (await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '推诿' }).expect(201)).body
          .id as string;

      // 1: convened by A with B and C; C misses its check-in; B keeps its commitment, A is late: closed late
      clock.set(at('2026-07-01T09:00:00'));
      const one = await working(a);
      const w1 = await blow(one);
      clock.set(at('2026-07-01T10:00:00'));
      await approve(w1, a.id, [b.id, c.id], '2026-07-03T10:00:00');
      clock.set(at('2026-07-02T09:00:00'));
      await api.post(`/whistles/${w1}/check-in`, a.auth, { attendeeName: '甲' }).expect(200);
      await api.post(`/whistles/${w1}/check-in`, b.auth, { attendeeName: '乙' }).expect(200);
      // 2: convened by B with A, resolved on site without commitments: closed on time, rated satisfied
      const two = await working(b);
      const w2 = await blow(two);
      await approve(w2, b.id, [a.id], '2026-07-03T15:00:00');
      await api.post(`/whistles/${w2}/check-in`, a.auth, { attendeeName: '甲' }).expect(200);
      await api.post(`/whistles/${w2}/check-in`, b.auth, { attendeeName: '乙' }).expect(200);
      // 3: denied; 4: never reviewed
      const w3 = await blow(await working(c));
      await api.post(`/whistles/${w3}/deny`, w.dispatcher.auth, { reason: '单一部门可办' }).expect(200);
      await blow(await working(c));

      clock.set(at('2026-07-03T11:00:00'));
      const held = (
        await api
          .post(`/whistles/${w1}/minutes`, a.auth, {
            summary: '纪要',
            resolvedOnSite: false,
            commitments: [
              { departmentId: b.id, content: '乙办', dueAt: at('2026-07-10T17:30:00') },
              { departmentId: a.id, content: '甲办', dueAt: at('2026-07-10T17:30:00') },
            ],
          })
          .expect(200)
      ).body;
      clock.set(at('2026-07-03T16:00:00'));
      await api
        .post(`/whistles/${w2}/minutes`, b.auth, {
          summary: '现场解决',
          resolvedOnSite: true,
          commitments: [],
        })
        .expect(200);
      await api.post(`/whistles/${w2}/close`, w.supervisor.auth, {}).expect(200);
      await api.post(`/appeals/${two}/acknowledge`, b.auth).expect(200);
      await api
        .post(`/appeals/${two}/reply`, b.auth, { content: '现场已解决', outcome: 'resolved' })
        .expect(200);
      await api
        .post(`/appeals/${two}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
        .expect(200);
      clock.set(at('2026-07-09T10:00:00'));
      const ofB = held.commitments.find((x: { departmentId: string }) => x.departmentId === b.id).id;
      const ofA = held.commitments.find((x: { departmentId: string }) => x.departmentId === a.id).id;
      await api.post(`/whistles/${w1}/commitments/${ofB}/complete`, b.auth, { content: '办结' }).expect(200);
      clock.set(at('2026-07-13T10:00:00'));
      await api.post(`/whistles/${w1}/commitments/${ofA}/complete`, a.auth, { content: '办结' }).expect(200);
      await api.post(`/whistles/${w1}/close`, w.supervisor.auth, {}).expect(200);

      clock.set(at('2026-07-20T10:00:00'));
      const period = 'from=2026-07-01&to=2026-07-31';
      const rows = (await api.get(`/reports/departments?${period}`, w.supervisor.auth).expect(200)).body
        .items as {
        departmentId: string;
      }[];
      const fig = (id: string) => {
        const r = rows.find((x) => x.departmentId === id) as Record<string, unknown>;
        return [r.whistlesSummoned, r.whistleCheckInRate, r.whistleCommitmentsOnTimeRate];
      };
      expect(fig(a.id)).toEqual([2, 1, 0]);
      expect(fig(b.id)).toEqual([2, 1, 1]);
      expect(fig(c.id)).toEqual([1, 0, null]);
      // the same from the raw rows
      const [raw] = await t.db.query<{ summons: string; checked: string }[]>(
        `SELECT count(*) AS summons, count(checked_in_at) AS checked FROM whistle_departments WHERE department_id = $1`,
        [a.id],
      );
      expect([Number(raw.summons), Number(raw.checked)]).toEqual([2, 2]);
      const summary = (
        await api.get(`/reports/summary?${period}&departmentId=${c.id}`, w.supervisor.auth).expect(200)
      ).body;
      expect([summary.whistlesSummoned, summary.whistleCheckInRate]).toEqual([1, 0]);
      const csvDepartments = (
        await api.get(`/reports/departments?${period}&format=csv`, w.supervisor.auth).expect(200)
      ).text;
      expect(csvDepartments.split('\r\n')[0]).toContain(
        '吹哨召集 whistlesSummoned,吹哨报到率 whistleCheckInRate',
      );

      const report = (await api.get(`/reports/whistles?${period}`, w.supervisor.auth).expect(200)).body;
      expect(report.totals).toEqual({
        whistles: 4,
        whistlesApproved: 2,
        whistlesClosed: 2,
        whistlesClosedOnTime: 1,
        whistleClosedOnTimeRate: 0.5,
        whistleRated: 1,
        whistleSatisfactionRate: 1,
      });
      expect(
        report.items.map((i: { name: string; whistles: number; whistlesClosedOnTime: number }) => [
          i.name,
          i.whistles,
          i.whistlesClosedOnTime,
        ]),
      ).toEqual(
        expect.arrayContaining([
          [a.name, 1, 0],
          [b.name, 1, 1],
        ]),
      );
      await api.get(`/reports/whistles?${period}`, a.auth).expect(403);
      const csv = await api.get(`/reports/whistles?${period}&format=csv`, w.supervisor.auth).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe(
        '部门ID departmentId,编码 code,部门 name,吹哨量 whistles,吹哨受理 whistlesApproved,吹哨销号 whistlesClosed,' +
          '按期销号 whistlesClosedOnTime,吹哨按期办结率 whistleClosedOnTimeRate,吹哨诉求回访 whistleRated,' +
          '吹哨满意率 whistleSatisfactionRate',
      );
      expect(lines).toContain(',,合计 total,4,2,2,1,0.5,1,1');
    });
  });
});
