import { FakeClock } from '../../src/common/clock';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { appealBody, categoryWithPolicy, client, world, World } from '../setup/appeal-helpers';
import { actor } from '../setup/factories';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

type Api = ReturnType<typeof client>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An instant as the API answers it (SPEC §5.1: with the calendar zone's offset). */
const local = (s: string) => new Date(s).toISOString();
const same = (answered: string | null, expected: string) =>
  expect(answered && new Date(answered).toISOString()).toBe(local(expected));

/**
 * SPEC §9.1 first contact and §9.2 staged replies over HTTP, on the seeded help policy (contact within
 * one working hour, a staged reply within three working days, reply within five) and a clock the test
 * sets; no workers: the timers are fired by the service's own sweeper and wake-up, as a worker would.
 */
describe('SPEC §9.1–9.2: first contact and staged replies (e2e)', () => {
  const clock = new FakeClock(new Date('2026-05-11T09:00:00+08:00'));
  let t: TestApp;
  let w: World;
  let api: Api;

  beforeAll(async () => {
    t = await createTestApp({ clock, env: { ROLE: 'api' } });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function dispatched(at: string, extra: Record<string, unknown> = {}, co: string[] = []) {
    clock.set(at);
    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w, extra)).expect(201)).body
      .id as string;
    await api
      .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: w.lead.id,
        coDepartmentIds: co,
      })
      .expect(200);
    return id;
  }
  const view = async (id: string, auth = w.dispatcher.auth) =>
    (await api.get(`/appeals/${id}`, auth).expect(200)).body;
  const lead = async (id: string) =>
    (await view(id)).assignments.find((a: { role: string; status: string }) => a.role === 'lead');
  const actions = async (id: string) => {
    const rows: { action: string }[] = await t.db.query(
      `SELECT action FROM appeal_events WHERE appeal_id = $1 ORDER BY seq`,
      [id],
    );
    return rows.map((r) => r.action);
  };
  const contact = (id: string, body: object, auth = w.leadHandler.auth, status = 201) =>
    api.post(`/appeals/${id}/contacts`, auth, body).expect(status);

  it('the seeded help policy: contact within one working hour, a staged reply within three working days', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00', {}, [w.co.id]);
    const a = await view(id);
    const l = a.assignments.find((x: { role: string }) => x.role === 'lead');
    same(l.contactDueAt, '2026-05-11T11:00:00+08:00');
    same(l.stagedDueAt, '2026-05-14T17:30:00+08:00');
    expect(l).toMatchObject({ contactedAt: null, contactedOnTime: null, contactOverdue: false });
    // only the lead owes them
    const co = a.assignments.find((x: { role: string }) => x.role === 'co');
    expect(co).toMatchObject({ contactDueAt: null, stagedDueAt: null });
    // the handler's queue shows the contact due
    const queue = (await api.get('/queue', w.leadHandler.auth).expect(200)).body.items;
    const item = queue.find((i: { appealId: string }) => i.appealId === id);
    same(item.contactDueAt, '2026-05-11T11:00:00+08:00');
    expect(item).toMatchObject({ contactedAt: null, contactOverdue: false, contactWarning: false });
  });

  it('reached at once: the contact counts at that attempt, on time, recorded once', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00');
    clock.set('2026-05-11T10:20:00+08:00');
    const first = (await contact(id, { method: 'phone', outcome: 'reached', note: '已电话联系，告知承办人' }))
      .body;
    expect(first).toMatchObject({
      method: 'phone',
      outcome: 'reached',
      counted: true,
      departmentId: w.lead.id,
    });
    same(first.at, '2026-05-11T10:20:00+08:00');
    const l = await lead(id);
    same(l.contactedAt, '2026-05-11T10:20:00+08:00');
    expect(l.contactedOnTime).toBe(true);
    // another reached attempt later changes nothing
    clock.set('2026-05-11T15:00:00+08:00');
    expect((await contact(id, { method: 'visit', outcome: 'reached' })).body.counted).toBe(false);
    same((await lead(id)).contactedAt, '2026-05-11T10:20:00+08:00');
    expect(
      (await actions(id)).filter((x) => x.startsWith('contact.') || x === 'assignment.contacted'),
    ).toEqual(['contact.logged', 'assignment.contacted', 'contact.logged']);
    const list = (await api.get(`/appeals/${id}/contacts`, w.supervisor.auth).expect(200)).body.items;
    expect(list.map((c: { method: string }) => c.method)).toEqual(['phone', 'visit']);
    expect(list[0].note).toBe('已电话联系，告知承办人');
  });

  it('two unreached attempts 30 minutes apart do not count; one working hour apart over lunch they do', async () => {
    const id = await dispatched('2026-05-11T11:00:00+08:00');
    // one working hour from 11:00 uses up the morning: due at 12:00, not at 13:30
    same((await lead(id)).contactDueAt, '2026-05-11T12:00:00+08:00');
    clock.set('2026-05-11T11:30:00+08:00');
    expect((await contact(id, { method: 'phone', outcome: 'unreachable' })).body.counted).toBe(false);
    clock.set('2026-05-11T12:00:00+08:00');
    expect((await contact(id, { method: 'sms', outcome: 'left_message' })).body.counted).toBe(false);
    expect((await lead(id)).contactedAt).toBeNull();
    clock.set('2026-05-11T14:05:00+08:00');
    // logged a little later, made at 14:00: one working hour after 11:30 over the lunch break
    const third = (
      await contact(id, { method: 'phone', outcome: 'unreachable', at: '2026-05-11T14:00:00+08:00' })
    ).body;
    expect(third.counted).toBe(true);
    const l = await lead(id);
    same(l.contactedAt, '2026-05-11T14:00:00+08:00');
    expect(l.contactedOnTime).toBe(false); // counted at 14:00, due 12:00
    const ev = await api.get(`/appeals/${id}/events`, w.dispatcher.auth).expect(200);
    const counted = ev.body.items.find((e: { action: string }) => e.action === 'assignment.contacted');
    expect(counted.data).toMatchObject({ rule: 'two_attempts', onTime: false, contactId: third.id });
  });

  it('`at` may be neither in the future nor before the dispatch (400), nor another department’s case', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00');
    clock.set('2026-05-11T10:30:00+08:00');
    const future = await contact(
      id,
      { method: 'phone', outcome: 'reached', at: '2026-05-11T10:31:00+08:00' },
      w.leadHandler.auth,
      400,
    );
    expect(future.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'at' }] });
    const before = await contact(
      id,
      { method: 'phone', outcome: 'reached', at: '2026-05-11T09:59:00+08:00' },
      w.leadHandler.auth,
      400,
    );
    expect(before.body.details[0].field).toBe('at');
    await contact(id, { method: 'phone', outcome: 'reached', at: 'yesterday' }, w.leadHandler.auth, 400);
    await contact(id, { method: 'fax', outcome: 'reached' }, w.leadHandler.auth, 400);
    await contact(id, { method: 'phone', outcome: 'reached' }, w.otherHandler.auth, 404);
    await contact(id, { method: 'phone', outcome: 'reached' }, w.enterprise.auth, 403);
    await contact(id, { method: 'phone', outcome: 'reached' }, w.supervisor.auth, 403);
    expect(await actions(id)).not.toContain('contact.logged');
    expect((await api.get(`/appeals/${id}/contacts`, w.dispatcher.auth).expect(200)).body.items).toEqual([]);
  });

  it('a co department logs its own contacts; only the lead’s count', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00', {}, [w.co.id]);
    clock.set('2026-05-11T10:10:00+08:00');
    const logged = (await contact(id, { method: 'phone', outcome: 'reached' }, w.coHandler.auth)).body;
    expect(logged).toMatchObject({ counted: false, departmentId: w.co.id });
    expect((await lead(id)).contactedAt).toBeNull();
  });

  it('the centre logs a contact for the lead: on a confidential appeal only it, and as a three-way call', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00', { confidential: true });
    clock.set('2026-05-11T10:15:00+08:00');
    const refused = await contact(id, { method: 'phone', outcome: 'reached' }, w.leadHandler.auth, 403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const wrong = await contact(id, { method: 'phone', outcome: 'reached' }, w.dispatcher.auth, 400);
    expect(wrong.body.details[0].field).toBe('method');
    const call = (
      await contact(
        id,
        { method: 'three_way_call', outcome: 'reached', note: '三方通话，企业联系人张先生 13800000000' },
        w.dispatcher.auth,
      )
    ).body;
    expect(call).toMatchObject({ counted: true, departmentId: w.lead.id, loggedRole: 'dispatcher' });
    expect((await lead(id)).contactedOnTime).toBe(true);
    // the department learns it was contacted, not what the centre wrote about the filer
    const seen = (await api.get(`/appeals/${id}/contacts`, w.leadHandler.auth).expect(200)).body.items;
    expect(seen[0]).toMatchObject({ method: 'three_way_call', note: null });
    expect(JSON.stringify(await view(id, w.leadHandler.auth))).not.toContain('13800000000');
    // the lead is told
    const inbox = (await api.get('/notifications?limit=100', w.leadHandler.auth).expect(200)).body.items;
    expect(
      inbox.some((n: { appealId: string; kind: string }) => n.appealId === id && n.kind === 'contact.logged'),
    ).toBe(true);
  });

  it('a contact overdue: a warning, then exactly one reminder (催办) on the lead, not a supervision', async () => {
    const deadlines = t.app.get(DeadlinesService);
    const id = await dispatched('2026-05-11T10:00:00+08:00');
    const l = await lead(id);
    clock.set('2026-05-11T10:50:00+08:00');
    await deadlines.sweep();
    expect((await actions(id)).filter((a) => a.startsWith('deadline.'))).toEqual([
      'deadline.contact_warning',
    ]);
    expect(
      (await api.get('/queue', w.leadHandler.auth).expect(200)).body.items.find(
        (i: { appealId: string }) => i.appealId === id,
      ),
    ).toMatchObject({ contactWarning: true, contactOverdue: false });
    clock.set('2026-05-11T11:01:00+08:00');
    await deadlines.sweep();
    await deadlines.sweep();
    expect(await deadlines.fire(l.id, 'contact_overdue')).toBe(false);
    expect(await deadlines.wake(l.id, 'contact_overdue')).toBe(false);
    expect((await actions(id)).filter((a) => a.startsWith('deadline.') || a === 'appeal.supervised')).toEqual(
      ['deadline.contact_warning', 'deadline.contact_overdue', 'appeal.supervised'],
    );
    const a = await view(id);
    expect(a.supervised).toBe(true);
    expect(a.supervisions).toHaveLength(1);
    expect(a.supervisions[0]).toMatchObject({
      level: 'reminder',
      source: 'overdue',
      departmentId: w.lead.id,
      status: 'open',
      answerDueAt: null,
    });
    const mine = a.assignments.find((x: { role: string }) => x.role === 'lead');
    // the handling steps are not overdue: the contact is
    expect(mine).toMatchObject({ overdue: false, warning: false, contactOverdue: true });
    const inbox = (await api.get('/notifications?limit=100', w.leadHandler.auth).expect(200)).body.items;
    const kinds = inbox
      .filter((n: { appealId: string }) => n.appealId === id)
      .map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['deadline.contact_warning', 'deadline.contact_overdue']));
    // a late contact is recorded late; the reminder closes itself when the department acts
    clock.set('2026-05-11T11:30:00+08:00');
    await contact(id, { method: 'phone', outcome: 'reached' });
    const after = await view(id);
    expect(after.assignments.find((x: { role: string }) => x.role === 'lead')).toMatchObject({
      contactedOnTime: false,
      contactOverdue: false,
    });
    expect(after.supervisions[0].status).toBe('closed');
    await deadlines.sweep();
    expect((await actions(id)).filter((x) => x === 'deadline.contact_overdue')).toHaveLength(1);
  });

  it('a staged reply: the lead handler’s, shown and told to the enterprise; the clock does not stop', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00', {}, [w.co.id]);
    clock.set('2026-05-11T10:05:00+08:00');
    const early = await api
      .post(`/appeals/${id}/staged-replies`, w.leadHandler.auth, { content: '已受理，正在核实' })
      .expect(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth, {}).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, w.coHandler.auth, {}).expect(200);
    await api.post(`/appeals/${id}/staged-replies`, w.coHandler.auth, { content: '协办进展' }).expect(403);
    await api.post(`/appeals/${id}/staged-replies`, w.enterprise.auth, { content: '企业' }).expect(403);
    const past = await api
      .post(`/appeals/${id}/staged-replies`, w.leadHandler.auth, {
        content: '正在协调',
        nextFeedbackAt: '2026-05-11T10:00:00+08:00',
      })
      .expect(400);
    expect(past.body.details[0].field).toBe('nextFeedbackAt');
    await api.post(`/appeals/${id}/staged-replies`, w.leadHandler.auth, { content: '   ' }).expect(400);
    const before = await lead(id);
    clock.set('2026-05-12T15:00:00+08:00');
    const staged = (
      await api
        .post(`/appeals/${id}/staged-replies`, w.leadHandler.auth, {
          content: '已联系自然资源局核实用地指标，预计一周内给出初步意见。',
          nextFeedbackAt: '2026-05-19T17:30:00+08:00',
        })
        .expect(201)
    ).body;
    expect(staged).toMatchObject({ departmentId: w.lead.id, departmentName: expect.any(String) });
    same(staged.nextFeedbackAt, '2026-05-19T17:30:00+08:00');
    const l = await lead(id);
    expect(l).toMatchObject({ stagedOnTime: true, status: 'in_progress' });
    same(l.stagedRepliedAt, '2026-05-12T15:00:00+08:00');
    expect(l.replyDueAt).toBe(before.replyDueAt); // the clock does not stop
    // the enterprise: on the appeal, on its timeline, in its notifications
    const mine = await view(id, w.enterprise.auth);
    expect(mine.stagedReplies).toEqual([
      expect.objectContaining({
        content: '已联系自然资源局核实用地指标，预计一周内给出初步意见。',
        createdBy: null,
      }),
    ]);
    const timeline = (await api.get(`/appeals/${id}/events`, w.enterprise.auth).expect(200)).body.items;
    const item = timeline.find((e: { action: string }) => e.action === 'appeal.staged_replied');
    expect(item).toMatchObject({ label: '阶段性答复', actorId: null });
    expect(item.data.content).toContain('自然资源局');
    const inbox = (await api.get('/notifications?limit=100', w.enterprise.auth).expect(200)).body.items;
    const told = inbox.find(
      (n: { appealId: string; kind: string }) => n.appealId === id && n.kind === 'appeal.staged_replied',
    );
    expect(told.body).toContain('下次反馈');
    expect(
      (await api.get(`/appeals/${id}/staged-replies`, w.enterprise.auth).expect(200)).body.items,
    ).toHaveLength(1);
    // a second staged reply is shown too; the verdict stays the first one's
    clock.set('2026-05-18T10:00:00+08:00');
    await api
      .post(`/appeals/${id}/staged-replies`, w.leadHandler.auth, { content: '第二次阶段性答复' })
      .expect(201);
    same((await lead(id)).stagedRepliedAt, '2026-05-12T15:00:00+08:00');
    expect((await view(id, w.enterprise.auth)).stagedReplies).toHaveLength(2);
  });

  it('a staged reply overdue: exactly one reminder; a reply before stagedDueAt satisfies it', async () => {
    const deadlines = t.app.get(DeadlinesService);
    const late = await dispatched('2026-05-11T10:00:00+08:00');
    const answered = await dispatched('2026-05-11T10:00:00+08:00');
    for (const id of [late, answered]) {
      clock.set('2026-05-11T10:10:00+08:00');
      await contact(id, { method: 'phone', outcome: 'reached' });
      await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth, {}).expect(200);
    }
    clock.set('2026-05-13T10:00:00+08:00');
    await api
      .post(`/appeals/${answered}/reply`, w.leadHandler.auth, { content: '已办结', outcome: 'resolved' })
      .expect(200);
    const a = (await view(answered)).assignments.find((x: { role: string }) => x.role === 'lead');
    expect(a).toMatchObject({ stagedOnTime: true });
    clock.set('2026-05-14T17:31:00+08:00');
    await deadlines.sweep();
    await deadlines.sweep();
    const staged = (await actions(late)).filter((x) => x === 'deadline.staged_overdue');
    expect(staged).toHaveLength(1);
    expect(await actions(answered)).not.toContain('deadline.staged_overdue');
    const sup = (await view(late)).supervisions;
    expect(sup.map((v: { level: string; source: string }) => [v.level, v.source])).toEqual([
      ['reminder', 'overdue'],
    ]);
    // answered late: the verdict is false
    clock.set('2026-05-15T10:00:00+08:00');
    await api
      .post(`/appeals/${late}/staged-replies`, w.leadHandler.auth, { content: '仍在协调' })
      .expect(201);
    expect((await lead(late)).stagedOnTime).toBe(false);
  });

  it('the survey asks "were you contacted?"; the answer is kept on the survey and its event', async () => {
    const id = await dispatched('2026-05-11T10:00:00+08:00');
    clock.set('2026-05-11T10:30:00+08:00');
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth, {}).expect(200);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '已答复', outcome: 'resolved' })
      .expect(200);
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, {
        satisfaction: 'satisfied',
        resolved: true,
        contacted: 'yes',
      })
      .expect(400);
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, {
        satisfaction: 'satisfied',
        resolved: true,
        contacted: false,
      })
      .expect(200);
    const [row] = await t.db.query(`SELECT contacted FROM surveys WHERE appeal_id = $1`, [id]);
    expect(row.contacted).toBe(false);
    const [appeal] = await t.db.query(`SELECT latest_contacted FROM appeals WHERE id = $1`, [id]);
    expect(appeal.latest_contacted).toBe(false);
    const timeline = (await api.get(`/appeals/${id}/events`, w.enterprise.auth).expect(200)).body.items;
    expect(timeline.find((e: { action: string }) => e.action === 'survey.recorded').data).toMatchObject({
      contacted: false,
    });
  });

  /**
   * The figures on a hand-computed history of one department D (dispatched Mon 2026-06-01 09:00 unless
   * said; contact due 10:00, staged reply due Thu 06-04 17:30), read at Mon 06-08 16:30:
   *   P1 reached 09:30 (on time), staged reply 06-02 (on time), replied 06-03, rated contacted: true
   *   P2 reached 11:00 (late), replied 06-05 without a staged reply (late), rated contacted: false
   *   P3 nothing at all: past both deadlines, open
   *   P4 dispatched 06-08 16:00: neither deadline has come (contact due 17:00)
   *   P5 reached 09:10 (on time), replied 06-02 (answers the staged deadline on time), rated without the question
   *   P6 reached 09:05 (on time), staged reply 06-05 (late)
   * firstContactOnTimeRate = (P1, P5, P6) / (P1, P2, P3, P5, P6) = 3/5;
   * stagedReplyOnTimeRate = (P1, P5) / (P1, P2, P3, P5, P6) = 2/5; contactRate = (P1) / (P1, P2) = 1/2.
   */
  it('the figures of SPEC §9 on a hand-computed history, equal to the raw rows, in every report and CSV', async () => {
    const d = await w.f.department();
    const h = await actor(t, w.f, 'handler', { departmentId: d.id });
    const file = async (at: string) => {
      clock.set(at);
      const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id as string;
      await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: d.id }).expect(200);
      return id;
    };
    const step = async (at: string, id: string, action: string, body: object, status = 200) => {
      clock.set(at);
      await api.post(`/appeals/${id}/${action}`, h.auth, body).expect(status);
    };
    const P: Record<string, string> = {};
    for (const n of ['P1', 'P2', 'P3', 'P5', 'P6']) P[n] = await file('2026-06-01T09:00:00+08:00');
    await step('2026-06-01T09:30:00+08:00', P.P1, 'contacts', { method: 'phone', outcome: 'reached' }, 201);
    await step('2026-06-01T09:31:00+08:00', P.P1, 'acknowledge', {});
    await step('2026-06-02T10:00:00+08:00', P.P1, 'staged-replies', { content: '正在办理' }, 201);
    await step('2026-06-03T10:00:00+08:00', P.P1, 'reply', { content: '已办结', outcome: 'resolved' });
    await step('2026-06-01T11:00:00+08:00', P.P2, 'contacts', { method: 'phone', outcome: 'reached' }, 201);
    await step('2026-06-01T11:00:00+08:00', P.P2, 'acknowledge', {});
    await step('2026-06-05T10:00:00+08:00', P.P2, 'reply', { content: '已办结', outcome: 'resolved' });
    await step('2026-06-01T09:10:00+08:00', P.P5, 'contacts', { method: 'visit', outcome: 'reached' }, 201);
    await step('2026-06-01T09:11:00+08:00', P.P5, 'acknowledge', {});
    await step('2026-06-02T10:00:00+08:00', P.P5, 'reply', { content: '已办结', outcome: 'resolved' });
    await step('2026-06-01T09:05:00+08:00', P.P6, 'contacts', { method: 'phone', outcome: 'reached' }, 201);
    await step('2026-06-01T09:06:00+08:00', P.P6, 'acknowledge', {});
    await step('2026-06-05T10:00:00+08:00', P.P6, 'staged-replies', { content: '正在协调' }, 201);
    clock.set('2026-06-05T11:00:00+08:00');
    const rate = (id: string, extra: object) =>
      api
        .post(`/appeals/${id}/survey`, w.enterprise.auth, {
          satisfaction: 'satisfied',
          resolved: true,
          ...extra,
        })
        .expect(200);
    await rate(P.P1, { contacted: true });
    await rate(P.P2, { contacted: false });
    await rate(P.P5, {});
    P.P4 = await file('2026-06-08T16:00:00+08:00');
    clock.set('2026-06-08T16:30:00+08:00');

    const period = `from=2026-06-01&to=2026-06-08`;
    const summary = (
      await api.get(`/reports/summary?${period}&departmentId=${d.id}`, w.supervisor.auth).expect(200)
    ).body;
    expect(summary).toMatchObject({
      firstContactOnTimeRate: 3 / 5,
      stagedReplyOnTimeRate: 2 / 5,
      contactRate: 1 / 2,
    });

    // the raw rows say the same
    const now = new Date('2026-06-08T16:30:00+08:00');
    const [raw] = await t.db.query(
      `SELECT count(*) FILTER (WHERE contacted_on_time)::int AS contact_on_time,
              count(*) FILTER (WHERE contacted_on_time IS NOT NULL
                OR (contacted_at IS NULL AND contact_due_at <= $2))::int AS contact_due,
              count(*) FILTER (WHERE staged_on_time)::int AS staged_on_time,
              count(*) FILTER (WHERE staged_on_time IS NOT NULL
                OR (staged_replied_at IS NULL AND staged_due_at <= $2))::int AS staged_due
         FROM assignments WHERE department_id = $1 AND role = 'lead'`,
      [d.id, now],
    );
    expect(raw).toEqual({ contact_on_time: 3, contact_due: 5, staged_on_time: 2, staged_due: 5 });
    const [surveyed] = await t.db.query(
      `SELECT count(*) FILTER (WHERE v.contacted)::int AS yes, count(v.contacted)::int AS asked
         FROM appeals a JOIN LATERAL (SELECT contacted FROM surveys s WHERE s.appeal_id = a.id
                                      ORDER BY created_at DESC, id DESC LIMIT 1) v ON true
        WHERE a.lead_department_id = $1`,
      [d.id],
    );
    expect(surveyed).toEqual({ yes: 1, asked: 2 });

    // the same in the ranking, the trend and after a fold
    const row = (
      await api.get(`/reports/departments?${period}`, w.supervisor.auth).expect(200)
    ).body.items.find((r: { departmentId: string }) => r.departmentId === d.id);
    expect(row).toMatchObject({
      firstContactOnTimeRate: 3 / 5,
      stagedReplyOnTimeRate: 2 / 5,
      contactRate: 1 / 2,
    });
    await t.db.query(`SELECT report_fold()`);
    const again = (
      await api.get(`/reports/summary?${period}&departmentId=${d.id}`, w.supervisor.auth).expect(200)
    ).body;
    expect(again).toMatchObject({
      firstContactOnTimeRate: 3 / 5,
      stagedReplyOnTimeRate: 2 / 5,
      contactRate: 1 / 2,
    });
    // once P4's contact deadline passes it joins the denominator
    clock.set('2026-06-08T17:01:00+08:00');
    const later = (
      await api.get(`/reports/summary?${period}&departmentId=${d.id}`, w.supervisor.auth).expect(200)
    ).body;
    expect(later.firstContactOnTimeRate).toBe(3 / 6);
    // CSV: bilingual headers
    const csv = await api
      .get(`/reports/summary?${period}&departmentId=${d.id}&format=csv`, w.supervisor.auth)
      .expect(200);
    const [header, values] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    const cols = header.split(',');
    expect(values.split(',')[cols.indexOf('首次联系及时率 firstContactOnTimeRate')]).toBe(String(3 / 6));
    expect(cols).toEqual(
      expect.arrayContaining([
        '联系率（回访确认已联系） contactRate',
        '阶段性答复及时率 stagedReplyOnTimeRate',
      ]),
    );
  });
});

/**
 * The contact and staged-reply timers with real workers (natural-clock policy of seconds): each fires
 * exactly once, also when Redis loses every wake-up and the worker restarts (the sweeper rebuilds them).
 */
describe('SPEC §9 timers with workers: exactly once across a Redis flush and a restart (e2e)', () => {
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

  const count = async (ids: string[], action: string) =>
    (
      await t.db.query(
        `SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = ANY($1) AND action = $2`,
        [ids, action],
      )
    )[0].n as number;

  it('20 appeals whose contact and staged reply lapse while Redis is flushed: one reminder each, per timer', async () => {
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      contactWithin: 'PT6S',
      stagedReplyWithin: 'PT8S',
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = (
        await api.post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code })).expect(201)
      ).body.id;
      await api
        .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
        .expect(200);
      ids.push(id);
    }
    const reuse = { databaseName: t.databaseName, redisPrefix: t.config.redisPrefix };
    await t.stop();
    await deleteRedisPrefix(REDIS_URL, reuse.redisPrefix); // every wake-up and the sweep scheduler are gone
    await sleep(8_000); // both deadlines pass with nothing running
    t = await createTestApp({ reuse });
    api = client(t);
    await waitFor(
      async () =>
        (await count(ids, 'deadline.staged_overdue')) === 20 &&
        (await count(ids, 'deadline.contact_overdue')) === 20,
      'every contact and staged reply to lapse',
      90_000,
    );
    await sleep(1500);
    expect(await count(ids, 'deadline.contact_overdue')).toBe(20);
    expect(await count(ids, 'deadline.contact_warning')).toBe(20);
    expect(await count(ids, 'deadline.staged_overdue')).toBe(20);
    expect(await count(ids, 'deadline.overdue')).toBe(0);
    const reminders: { appeal_id: string; n: number }[] = await t.db.query(
      `SELECT appeal_id, count(*)::int AS n FROM supervisions WHERE appeal_id = ANY($1) AND level = 'reminder'
        AND source = 'overdue' GROUP BY appeal_id`,
      [ids],
    );
    expect(reminders).toHaveLength(20);
    expect(reminders.every((r) => r.n === 2)).toBe(true);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM supervisions WHERE appeal_id = ANY($1) AND level <> 'reminder'`,
      [ids],
    );
    expect(n).toBe(0);
  }, 180_000);
});
