import { FakeClock } from '../../src/common/clock';
import { appealBody, appealSuite } from '../setup/appeal-helpers';

/**
 * SPEC §5.1 local time: instants in responses carry the calendar zone's offset, instants inside texts
 * are local YYYY-MM-DD HH:mm, and a date without a time in a query means local calendar days.
 */
describe('local time (e2e)', () => {
  // 00:30 in Beijing is still the previous day in UTC: the case a UTC reading of "today" gets wrong
  const clock = new FakeClock(new Date('2026-12-07T00:30:00+08:00'));
  const s = appealSuite({ clock });
  let id = '';

  beforeAll(async () => {
    const { api, w } = s;
    id = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
  });

  it('every instant of an appeal answers with +08:00, never Z', async () => {
    const appeal = (await s.api.get(`/appeals/${id}`, s.w.dispatcher.auth).expect(200)).body;
    expect(appeal.createdAt).toBe('2026-12-07T00:30:00.000+08:00');
    const instants = JSON.stringify(appeal).match(/"\d{4}-\d{2}-\d{2}T[^"]+"/g) ?? [];
    expect(instants.length).toBeGreaterThan(3);
    for (const v of instants) expect(v).toMatch(/\+08:00"$/);
    const events = (await s.api.get(`/appeals/${id}/events`, s.w.dispatcher.auth).expect(200)).body.items;
    for (const e of events) expect(e.createdAt).toMatch(/\+08:00$/);
  });

  it("a department's notice gives its deadlines as local YYYY-MM-DD HH:mm", async () => {
    const appeal = (await s.api.get(`/appeals/${id}`, s.w.dispatcher.auth).expect(200)).body;
    const lead = appeal.assignments.find((a: { role: string }) => a.role === 'lead');
    const local = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    const inbox = (await s.api.get('/notifications', s.w.leadHandler.auth).expect(200)).body.items;
    const notice = inbox.find((n: { kind: string }) => n.kind === 'assignment.new');
    expect(notice.body).toContain(`请于 ${local(lead.ackDueAt)} 前签收`);
    expect(notice.body).toContain(`${local(lead.replyDueAt)} 前答复`);
    expect(notice.body).not.toMatch(/\d{4}-\d{2}-\d{2}T|Z\b|⟦/);
  });

  it('a summary for from=to= one local date counts an appeal filed at 00:30 that day', async () => {
    clock.set('2026-12-07T12:00:00+08:00');
    const get = async (q: string) =>
      (await s.api.get(`/reports/summary?${q}`, s.w.supervisor.auth).expect(200)).body;
    expect((await get('from=2026-12-07&to=2026-12-07')).received).toBe(1);
    expect((await get('from=2026-12-06&to=2026-12-06')).received).toBe(0);
    // an instant `to` stays exclusive
    expect((await get('from=2026-12-06&to=2026-12-07T00:30:00%2B08:00')).received).toBe(0);
  });

  it('the appeal list reads date-only from and to as local days', async () => {
    const list = async (q: string) =>
      (await s.api.get(`/appeals?${q}`, s.w.dispatcher.auth).expect(200)).body.items.map(
        (a: { id: string }) => a.id,
      );
    expect(await list('from=2026-12-07&to=2026-12-07')).toEqual([id]);
    expect(await list('to=2026-12-06')).toEqual([]);
  });
});
