import { Factory, actor, login } from '../setup/factories';
import { createTestApp, TEST_ADMIN, TestApp } from '../setup/test-app';

/** SPEC §3 through the API: the seeded official calendar, admin edits, the deadline computation, SLA policies. */
describe('calendar and SLA policies (e2e)', () => {
  let t: TestApp;
  let f: Factory;
  let admin: string;
  let dispatcher: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.db);
    admin = await login(t, TEST_ADMIN.username, TEST_ADMIN.password);
    dispatcher = (await actor(t, f, 'dispatcher')).auth;
  });
  afterAll(async () => {
    await t?.close();
  });

  const deadline = (from: string, duration: string, clock: string) =>
    t
      .http()
      .get('/api/v1/calendar/deadline')
      .query({ from, duration, clock })
      .set('Authorization', dispatcher);

  it.each([
    ['2026-04-30T16:00:00+08:00', 'P1D', 'working', '2026-05-06T17:30:00+08:00'],
    ['2026-05-08T17:00:00+08:00', 'PT2H', 'working', '2026-05-09T10:30:00+08:00'],
    ['2026-05-11T11:30:00+08:00', 'PT1H', 'working', '2026-05-11T14:00:00+08:00'],
    ['2026-05-01T10:00:00+08:00', 'PT3S', 'natural', '2026-05-01T10:00:03+08:00'],
  ])('SPEC §3 example: %s + %s (%s) → %s', async (from, duration, clock, due) => {
    const res = await deadline(from, duration, clock).expect(200);
    expect(res.body).toEqual({ dueAt: due });
  });

  it('400 for a malformed duration, instant or clock', async () => {
    expect((await deadline('2026-05-01T10:00:00+08:00', 'five days', 'working').expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    await deadline('yesterday', 'P1D', 'working').expect(400);
    await deadline('2026-05-01T10:00:00+08:00', 'P1D', 'lunar').expect(400);
  });

  it('lists the seeded official days of a year', async () => {
    const res = await t
      .http()
      .get('/api/v1/calendar/days')
      .query({ from: '2026-01-01', to: '2026-12-31' })
      .set('Authorization', dispatcher)
      .expect(200);
    const workdays = res.body.items
      .filter((d: { kind: string }) => d.kind === 'workday')
      .map((d: { date: string }) => d.date);
    expect(workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(res.body.items).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
  });

  it("an admin enters next year's notice and the computation follows at once", async () => {
    // Friday 2027-01-01 is New Year's Day; before the notice it counts as a working day
    const before = await deadline('2026-12-31T10:00:00+08:00', 'P1D', 'working').expect(200);
    expect(before.body.dueAt).toBe('2027-01-01T17:30:00+08:00');
    await t
      .http()
      .put('/api/v1/calendar/days/2027-01-01')
      .set('Authorization', admin)
      .send({ kind: 'holiday', name: '元旦' })
      .expect(200);
    const after = await deadline('2026-12-31T10:00:00+08:00', 'P1D', 'working').expect(200);
    expect(after.body.dueAt).toBe('2027-01-04T17:30:00+08:00');
    await t.http().delete('/api/v1/calendar/days/2027-01-01').set('Authorization', admin).expect(204);
    expect((await deadline('2026-12-31T10:00:00+08:00', 'P1D', 'working')).body.dueAt).toBe(
      '2027-01-01T17:30:00+08:00',
    );
    await t.http().delete('/api/v1/calendar/days/2027-01-01').set('Authorization', admin).expect(404);
  });

  it('only admins edit the calendar; a bad date is 400', async () => {
    await t
      .http()
      .put('/api/v1/calendar/days/2027-01-01')
      .set('Authorization', dispatcher)
      .send({ kind: 'holiday' })
      .expect(403);
    await t
      .http()
      .put('/api/v1/calendar/days/2027-02-30')
      .set('Authorization', admin)
      .send({ kind: 'holiday' })
      .expect(400);
    await t
      .http()
      .put('/api/v1/calendar/days/2027-01-01')
      .set('Authorization', admin)
      .send({ kind: 'weekend' })
      .expect(400);
  });

  it('SLA policies: seeded defaults listed; a category policy takes over for its category and children', async () => {
    const seeded = await t.http().get('/api/v1/sla-policies').set('Authorization', admin).expect(200);
    expect(
      seeded.body.items.map((p: { type: string | null; urgency: string | null }) => [p.type, p.urgency]),
    ).toEqual([
      [null, null],
      ['consultation', null],
      [null, 'urgent'],
      // SPEC §9: complaints and requests for help owe a staged reply within 3 working days
      ['complaint', 'normal'],
      ['help', 'normal'],
    ]);
    expect(
      seeded.body.items.map((p: { contactWithin: string | null; stagedReplyWithin: string | null }) => [
        p.contactWithin,
        p.stagedReplyWithin,
      ]),
    ).toEqual([
      ['PT1H', null],
      ['PT1H', null],
      ['PT30M', null],
      ['PT1H', 'P3D'],
      ['PT1H', 'P3D'],
    ]);
    const dep = await f.department();
    const util = await f.category({ code: 'UTIL-T' });
    await f.category({ code: 'UTIL-T.POWER', parentCode: util.code });
    await t
      .http()
      .post('/api/v1/sla-policies')
      .set('Authorization', admin)
      .send({
        name: '水电气: 24小时答复',
        categoryCode: 'UTIL-T',
        clock: 'natural',
        ackWithin: 'PT2H',
        replyWithin: 'PT24H',
      })
      .expect(201);
    const ent = await actor(t, f, 'enterprise');
    const filed = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', ent.auth)
      .send({
        type: 'help',
        categoryCode: 'UTIL-T.POWER',
        title: '工厂突然停电',
        content: '生产线全部停工，请尽快恢复供电',
      })
      .expect(201);
    const res = await t
      .http()
      .post(`/api/v1/appeals/${filed.body.id}/dispatch`)
      .set('Authorization', dispatcher)
      .send({ leadDepartmentId: dep.id })
      .expect(200);
    const a = res.body.assignments[0];
    const dispatchedAt = new Date(a.dispatchedAt).getTime();
    expect(new Date(a.ackDueAt).getTime() - dispatchedAt).toBe(2 * 3600_000);
    expect(new Date(a.replyDueAt).getTime() - dispatchedAt).toBe(24 * 3600_000);
  });

  it('400 for an SLA policy with a bad duration or an unknown category', async () => {
    await t
      .http()
      .post('/api/v1/sla-policies')
      .set('Authorization', admin)
      .send({ name: 'x', clock: 'working', ackWithin: 'P1Y', replyWithin: 'P5D' })
      .expect(400);
    await t
      .http()
      .post('/api/v1/sla-policies')
      .set('Authorization', admin)
      .send({ name: 'x', categoryCode: 'NOPE', clock: 'working', ackWithin: 'P1D', replyWithin: 'P5D' })
      .expect(400);
    await t
      .http()
      .post('/api/v1/sla-policies')
      .set('Authorization', dispatcher)
      .send({ name: 'x', clock: 'working', ackWithin: 'P1D', replyWithin: 'P5D' })
      .expect(403);
  });
});
