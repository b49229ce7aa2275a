import { ReportsService } from '../../src/modules/reports/reports.service';
import { actor } from '../setup/factories';
import { appealSuite } from '../setup/appeal-helpers';

/**
 * SPEC §8 end to end: meetings and their access rules, a meeting's issues filed in one call (all or none,
 * answered on the spot at once), SLA policies by channel, the meetings report on a history computed by
 * hand, and leader-led cases.
 *
 * Meeting A (吴兴区, 3 enterprises E1 E2 E3, 10 attendees), held an hour ago; its five issues:
 *   i0 E1  answered on the spot → replied; rated satisfied → closed
 *   i1 E1  dispatched, acknowledged, replied; rated basically satisfied → closed
 *   i2 E2  dispatched, acknowledged, replied; rated unsatisfied → reopened (in progress: not answered)
 *   i3 E2  withdrawn by E2 (not valid)
 *   i4 E1  dispatched, acknowledged, replied; not rated yet (answered)
 *   → issues 5, on the spot 1, valid 4, answered 3 (feedback 3/4), closed 2 (2/4), rated 3, satisfied 2 (2/3)
 * Meeting B (南浔区, E1 only, 6 attendees), held an hour ago: one issue j0, dispatched only
 *   → issues 1, answered 0 (0/1), closed 0 (0/1), rated 0 (null)
 * Meeting C, held in 2025 (outside the period), attended by E4 only.
 * Totals over A and B: 2 meetings, 3 distinct enterprises, 16 attendees, 6 issues, 1 on the spot,
 *   answered 3 (3/5), closed 2 (2/5), rated 3, satisfaction 2/3.
 */
describe('meetings and leader-led cases (e2e)', () => {
  const s = appealSuite();
  const ids: Record<string, string> = {};
  const meetings: Record<string, string> = {};
  let e3: string;
  let e4: { user: { enterpriseId: string | null }; auth: string };
  const heldAt = new Date(Date.now() - 3600_000).toISOString();
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const PERIOD = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

  const issue = (enterpriseId: string, extra: Record<string, unknown> = {}) => ({
    enterpriseId,
    type: 'help',
    categoryCode: s.w.category.code,
    title: '厂房扩建用地指标迟迟未落实',
    content: '企业在恳谈会上反映：扩建项目已立项半年，用地指标仍未落实。',
    ...extra,
  });

  const count = async (meetingId: string) =>
    Number((await s.t.db.query(`SELECT count(*) AS n FROM appeals WHERE meeting_id = $1`, [meetingId]))[0].n);

  beforeAll(async () => {
    const { api, w } = s;
    e3 = (await w.f.enterprise()).id;
    e4 = await actor(s.t, w.f, 'enterprise');
    // meeting issues: contact in 3 days, answered in 7 (natural clock), whatever their type
    await api
      .post('/sla-policies', w.admin.auth, {
        name: '恳谈会问题',
        channel: 'meeting',
        clock: 'natural',
        ackWithin: 'P3D',
        replyWithin: 'P7D',
      })
      .expect(201);
  });

  it('a dispatcher or supervisor records a meeting; bad references are 400', async () => {
    const { api, w } = s;
    const E1 = w.enterprise.user.enterpriseId!;
    const E2 = w.otherEnterprise.user.enterpriseId!;
    const a = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '亲清直通车·政企恳谈会（第1期）',
        heldAt,
        district: '吴兴区',
        hostDepartmentId: w.lead.id,
        leaderName: '王副市长',
        enterpriseIds: [E1, E2, e3],
        attendeeCount: 10,
      })
      .expect(201);
    // SPEC §5.1: the district given by name is stored as its code, answered with the name beside it
    expect(a.body).toMatchObject({
      district: '330502',
      districtName: '吴兴区',
      hostDepartmentId: w.lead.id,
      hostDepartmentName: w.lead.name,
      attendeeCount: 10,
      enterpriseCount: 3,
    });
    meetings.A = a.body.id;
    const b = await api
      .post('/meetings', w.supervisor.auth, {
        title: '亲清直通车·政企恳谈会（第2期）',
        heldAt,
        district: '南浔区',
        enterpriseIds: [E1],
        attendeeCount: 6,
      })
      .expect(201);
    meetings.B = b.body.id;
    const c = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '去年的恳谈会',
        heldAt: '2025-03-05T14:00:00+08:00',
        enterpriseIds: [e4.user.enterpriseId],
      })
      .expect(201);
    // attendees default to the enterprises
    expect(c.body.attendeeCount).toBe(1);
    meetings.C = c.body.id;

    const bad = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '无效',
        heldAt,
        enterpriseIds: ['00000000-0000-4000-8000-000000000000'],
      })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await api
      .post('/meetings', w.dispatcher.auth, { title: '无效', heldAt: 'yesterday', enterpriseIds: [] })
      .expect(400);
    await api.post('/meetings', w.leadHandler.auth, { title: '无权', heldAt, enterpriseIds: [] }).expect(403);
    await api.post('/meetings', w.enterprise.auth, { title: '无权', heldAt, enterpriseIds: [] }).expect(403);
  });

  it('an enterprise sees only the meetings it attended (404 for another); a handler gets 403', async () => {
    const { api, w } = s;
    const mine = await api.get('/meetings', e4.auth).expect(200);
    expect(mine.body.items.map((m: { id: string }) => m.id)).toEqual([meetings.C]);
    const e1 = await api.get('/meetings', w.enterprise.auth).expect(200);
    expect(e1.body.items.map((m: { id: string }) => m.id).sort()).toEqual([meetings.A, meetings.B].sort());
    // who else came is the centre's record
    const seen = await api.get(`/meetings/${meetings.A}`, w.enterprise.auth).expect(200);
    expect(seen.body.enterpriseIds).toEqual([w.enterprise.user.enterpriseId]);
    expect(seen.body.enterpriseCount).toBe(3);
    await api.get(`/meetings/${meetings.A}`, e4.auth).expect(404);
    await api.get('/meetings', w.leadHandler.auth).expect(403);
    await api.get(`/meetings/${meetings.A}`, w.leadHandler.auth).expect(403);
    const all = await api
      .get(`/meetings?district=${encodeURIComponent('南浔区')}`, w.supervisor.auth)
      .expect(200);
    expect(all.body.items.map((m: { id: string }) => m.id)).toEqual([meetings.B]);
    const admin = await api.get(`/meetings/${meetings.A}`, w.admin.auth).expect(200);
    expect(admin.body.enterpriseIds).toHaveLength(3);
    await api.get('/meetings/00000000-0000-4000-8000-000000000000', w.admin.auth).expect(404);
  });

  it('one bad item is 400 naming its index, and no appeal is filed', async () => {
    const { api, w } = s;
    const E1 = w.enterprise.user.enterpriseId!;
    const shape = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [issue(E1), issue(E1, { title: '' }), issue(E1)],
      })
      .expect(400);
    expect(shape.body.code).toBe('VALIDATION_FAILED');
    expect(shape.body.details).toEqual([expect.objectContaining({ index: 1, field: 'items.1.title' })]);
    const unknownField = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [issue(E1), issue(E1, { channel: 'web' })],
      })
      .expect(400);
    expect(unknownField.body.details[0]).toMatchObject({ index: 1 });
    const category = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [issue(E1), issue(E1, { categoryCode: 'NO.SUCH' })],
      })
      .expect(400);
    expect(category.body.details).toEqual([
      { index: 1, field: 'items.1.categoryCode', message: '分类不存在' },
    ]);
    const absent = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [issue(E1), issue(e4.user.enterpriseId!)],
      })
      .expect(400);
    expect(absent.body.details).toEqual([
      { index: 1, field: 'items.1.enterpriseId', message: '未参加本次恳谈会' },
    ]);
    await api.post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, { items: [] }).expect(400);
    await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: Array.from({ length: 201 }, () => issue(E1)),
      })
      .expect(400);
    await api.post(`/meetings/${meetings.A}/issues`, w.supervisor.auth, { items: [issue(E1)] }).expect(403);
    await api
      .post('/meetings/00000000-0000-4000-8000-000000000000/issues', w.dispatcher.auth, {
        items: [issue(E1)],
      })
      .expect(404);
    expect(await count(meetings.A)).toBe(0);
  });

  it('three issues, one solved on the spot, filed in one call', async () => {
    const { api, w } = s;
    const E1 = w.enterprise.user.enterpriseId!;
    const E2 = w.otherEnterprise.user.enterpriseId!;
    const res = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [
          issue(E1, {
            title: '企业开办证照咨询',
            resolvedOnSite: { content: '现场答复：可在政务服务网一网通办。' },
          }),
          issue(E1, { title: '技改补贴迟迟未兑现', urgency: 'urgent' }),
          issue(E2, { title: '用工招聘困难' }),
        ],
      })
      .expect(201);
    expect(res.body.meetingId).toBe(meetings.A);
    const items = res.body.items;
    expect(items.map((a: { status: string }) => a.status)).toEqual(['replied', 'submitted', 'submitted']);
    expect(
      items.every(
        (a: { channel: string; meetingId: string }) => a.channel === 'meeting' && a.meetingId === meetings.A,
      ),
    ).toBe(true);
    expect(items[0]).toMatchObject({ resolvedOnSpot: true, reply: { outcome: 'resolved' } });
    expect(items[1]).toMatchObject({ urgency: 'urgent', enterpriseId: E1, resolvedOnSpot: false });
    // numbers in item order
    expect([...items.map((a: { number: string }) => a.number)].sort()).toEqual(
      items.map((a: { number: string }) => a.number),
    );
    [ids.i0, ids.i1, ids.i2] = items.map((a: { id: string }) => a.id);
    const events = await api.get(`/appeals/${ids.i0}/events`, w.dispatcher.auth).expect(200);
    expect(events.body.items.map((e: { action: string }) => e.action)).toEqual([
      'appeal.submitted',
      'appeal.resolved_on_spot',
    ]);
    expect(events.body.items[0].data.meetingId).toBe(meetings.A);
    for (const id of [ids.i0, ids.i1])
      expect(
        (await api.get(`/appeals/${id}/events/verify`, w.dispatcher.auth).expect(200)).body,
      ).toMatchObject({ valid: true });
    const listed = await api.get(`/appeals?meetingId=${meetings.A}`, w.supervisor.auth).expect(200);
    expect(listed.body.items.map((a: { id: string }) => a.id).sort()).toEqual(
      [ids.i0, ids.i1, ids.i2].sort(),
    );
    // the enterprise sees its own issues, not the others'
    const own = await api.get(`/appeals?meetingId=${meetings.A}`, w.enterprise.auth).expect(200);
    expect(own.body.items.map((a: { id: string }) => a.id).sort()).toEqual([ids.i0, ids.i1].sort());
  });

  it('200 issues, the most one call takes, in one transaction; every fifth solved on the spot', async () => {
    const { api, w } = s;
    const c = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '大型恳谈会',
        heldAt: '2024-06-12T14:30:00+08:00',
        enterpriseIds: [e3],
      })
      .expect(201);
    const items = Array.from({ length: 200 }, (_, i) =>
      issue(e3, { title: `问题 ${i}`, ...(i % 5 === 0 ? { resolvedOnSite: { content: '现场答复' } } : {}) }),
    );
    const res = await api.post(`/meetings/${c.body.id}/issues`, w.dispatcher.auth, { items }).expect(201);
    expect(res.body.items).toHaveLength(200);
    expect(res.body.items.filter((a: { status: string }) => a.status === 'replied')).toHaveLength(40);
    expect(res.body.items.map((a: { title: string }) => a.title)).toEqual(items.map((i) => i.title));
    expect(await count(c.body.id)).toBe(200);
    const [chains] = await s.t.db.query(
      `SELECT count(*) FILTER (WHERE event_count = 2)::int AS answered, count(*) FILTER (WHERE event_count = 1)::int AS filed
         FROM appeals WHERE meeting_id = $1`,
      [c.body.id],
    );
    expect(chains).toEqual({ answered: 40, filed: 160 });
  });

  it('the history of the report: two more issues of A, one of B', async () => {
    const { api, w } = s;
    const E1 = w.enterprise.user.enterpriseId!;
    const E2 = w.otherEnterprise.user.enterpriseId!;
    const more = await api
      .post(`/meetings/${meetings.A}/issues`, w.dispatcher.auth, {
        items: [issue(E2, { title: '撤回的问题' }), issue(E1, { title: '融资担保' })],
      })
      .expect(201);
    [ids.i3, ids.i4] = more.body.items.map((a: { id: string }) => a.id);
    const b = await api
      .post(`/meetings/${meetings.B}/issues`, w.dispatcher.auth, {
        items: [issue(E1, { title: 'B 的问题' })],
      })
      .expect(201);
    ids.j0 = b.body.items[0].id;

    const survey = (id: string, satisfaction: string) =>
      api
        .post(`/appeals/${id}/survey`, w.dispatcher.auth, {
          satisfaction,
          resolved: satisfaction !== 'unsatisfied',
          ...(satisfaction === 'unsatisfied' ? { comment: '问题没有解决' } : {}),
        })
        .expect(200);
    await survey(ids.i0, 'satisfied');
    for (const id of [ids.i1, ids.i2, ids.i4, ids.j0])
      await api
        .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
        .expect(200);
    // the meeting channel's policy: answered within 7 days (natural clock)
    const dispatched = await api.get(`/appeals/${ids.i1}`, w.dispatcher.auth).expect(200);
    const lead = dispatched.body.assignments[0];
    expect(new Date(lead.replyDueAt).getTime() - new Date(lead.dispatchedAt).getTime()).toBe(7 * 86_400_000);
    for (const id of [ids.i1, ids.i2, ids.i4]) {
      await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
      await api
        .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '已协调落实', outcome: 'resolved' })
        .expect(200);
    }
    await survey(ids.i1, 'basically_satisfied');
    const reopened = await survey(ids.i2, 'unsatisfied');
    expect(reopened.body).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    await api
      .post(`/appeals/${ids.i3}/withdraw`, w.otherEnterprise.auth, { reason: '已自行解决' })
      .expect(200);
  });

  it('the meetings report: totals and one row per meeting held in the period', async () => {
    const { api, w } = s;
    const res = await api.get(`/reports/meetings?${PERIOD}`, w.supervisor.auth).expect(200);
    expect(res.body.totals).toEqual({
      meetings: 2,
      enterprisesAttending: 3,
      attendeeCount: 16,
      issues: 6,
      resolvedOnSite: 1,
      answered: 3,
      feedbackRate: 3 / 5,
      closed: 2,
      closureRate: 2 / 5,
      rated: 3,
      satisfactionRate: 2 / 3,
    });
    const byId = Object.fromEntries(res.body.items.map((i: { meetingId: string }) => [i.meetingId, i]));
    expect(Object.keys(byId).sort()).toEqual([meetings.A, meetings.B].sort());
    expect({ ...byId[meetings.A], heldAt: new Date(byId[meetings.A].heldAt).toISOString() }).toEqual({
      meetingId: meetings.A,
      title: '亲清直通车·政企恳谈会（第1期）',
      heldAt,
      district: '330502',
      districtName: '吴兴区',
      leaderName: '王副市长',
      issues: 5,
      resolvedOnSite: 1,
      answered: 3,
      feedbackRate: 3 / 4,
      closed: 2,
      closureRate: 2 / 4,
      rated: 3,
      satisfactionRate: 2 / 3,
    });
    expect(byId[meetings.B]).toMatchObject({
      issues: 1,
      resolvedOnSite: 0,
      answered: 0,
      feedbackRate: 0,
      closed: 0,
      closureRate: 0,
      rated: 0,
      satisfactionRate: null,
    });
    const district = await api
      .get(`/reports/meetings?${PERIOD}&district=${encodeURIComponent('南浔区')}`, w.dispatcher.auth)
      .expect(200);
    expect(district.body.totals).toMatchObject({
      meetings: 1,
      enterprisesAttending: 1,
      attendeeCount: 6,
      issues: 1,
    });
    // the whole of 2025: meeting C only, no issues
    const last = await api
      .get(`/reports/meetings?from=2025-01-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00`, w.admin.auth)
      .expect(200);
    expect(last.body.totals).toMatchObject({ meetings: 1, issues: 0, feedbackRate: null });
    await api.get(`/reports/meetings?${PERIOD}`, w.leadHandler.auth).expect(403);
    await api.get(`/reports/meetings?${PERIOD}`, w.enterprise.auth).expect(403);
    await api
      .get(`/reports/meetings?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, w.admin.auth)
      .expect(400);
  });

  it('the meetings report as CSV', async () => {
    const { api, w } = s;
    const res = await api.get(`/reports/meetings?${PERIOD}&format=csv`, w.supervisor.auth).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('反馈率 feedbackRate');
    // named as the dashboard names them (src/modules/reports/metric-labels.ts)
    expect(lines[0].split(',')).toEqual(
      expect.arrayContaining(['会议 title', '领衔领导 leaderName', '恳谈会场次 meetings', '收集问题 issues']),
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain('合计 total');
    expect(lines[3].endsWith(',2,3,16')).toBe(true);
    const accept = await s.t
      .http()
      .get(`/api/v1/reports/meetings?${PERIOD}`)
      .set('Authorization', w.supervisor.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(accept.headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('the meetings report in pages: limit and cursor, the period’s totals on every page', async () => {
    const { api, w } = s;
    const whole = (await api.get(`/reports/meetings?${PERIOD}`, w.supervisor.auth).expect(200)).body;
    // without limit or cursor: every meeting, nothing after it
    expect(whole.nextCursor).toBeNull();
    expect(whole.items).toHaveLength(2);
    const first = (await api.get(`/reports/meetings?${PERIOD}&limit=1`, w.supervisor.auth).expect(200)).body;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = (
      await api
        .get(
          `/reports/meetings?${PERIOD}&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
          w.supervisor.auth,
        )
        .expect(200)
    ).body;
    // the last page: nothing after it
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeNull();
    // the pages are the whole list in its order, each meeting once, with the same figures
    expect([...first.items, ...next.items]).toEqual(whole.items);
    // the totals are the period's on every page, not the page's
    expect(first.totals).toEqual(whole.totals);
    expect(next.totals).toEqual(whole.totals);
    expect(first.totals).toMatchObject({
      meetings: 2,
      issues: 6,
      enterprisesAttending: 3,
      attendeeCount: 16,
    });
    expect({ ...first, items: [], nextCursor: null, freshness: null }).toEqual({
      ...whole,
      items: [],
      nextCursor: null,
      freshness: null,
    });
    // a page as large as the list: all in one page, no cursor; a cursor alone pages by 20
    const all = (await api.get(`/reports/meetings?${PERIOD}&limit=100`, w.supervisor.auth).expect(200)).body;
    // (the snapshot's time, `freshness`, moves from one read to the next)
    expect({ ...all, freshness: null }).toEqual({ ...whole, freshness: null });
    const rest = (
      await api
        .get(`/reports/meetings?${PERIOD}&cursor=${encodeURIComponent(first.nextCursor)}`, w.supervisor.auth)
        .expect(200)
    ).body;
    expect({ ...rest, freshness: null }).toEqual({ ...next, freshness: null });
    // the leader-led filter pages the same meetings, its totals over the leader-led issues only
    const led = (
      await api.get(`/reports/meetings?${PERIOD}&leaderLed=false&limit=1`, w.supervisor.auth).expect(200)
    ).body;
    expect(led.items).toHaveLength(1);
    expect(led.totals.meetings).toBe(2);

    // a cursor that is not one: 400 with the SPEC §5 body, in Chinese by default
    for (const cursor of [
      '!!!',
      Buffer.from('not json').toString('base64url'),
      Buffer.from(JSON.stringify({ t: 'yesterday', id: meetings.A })).toString('base64url'),
      Buffer.from(JSON.stringify({ t: heldAt, id: 'x' })).toString('base64url'),
      // not an instant the route writes (a day that does not exist, an hour past the day's last)
      Buffer.from(JSON.stringify({ t: '2026-02-30T00:00:00.000000Z', id: meetings.A })).toString('base64url'),
      Buffer.from(JSON.stringify({ t: '2026-01-01T24:00:00.000000Z', id: meetings.A })).toString('base64url'),
      Buffer.from(JSON.stringify({ t: heldAt })).toString('base64url'),
    ]) {
      const bad = await api
        .get(`/reports/meetings?${PERIOD}&limit=1&cursor=${encodeURIComponent(cursor)}`, w.supervisor.auth)
        .expect(400);
      expect(bad.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: '分页游标无效',
        details: [{ field: 'cursor', message: '游标格式不正确' }],
      });
    }
    // the cursor carries the totals, signed: altered, or sent with other filters or another period, a 400
    const written = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(
      JSON.stringify({ ...written, n: written.n.map((v: number) => v + 1) }),
    ).toString('base64url');
    for (const [query, cursor] of [
      [PERIOD, forged],
      [`${PERIOD}&district=${encodeURIComponent('吴兴区')}`, first.nextCursor],
      [`${PERIOD}&leaderLed=true`, first.nextCursor],
      [`from=${encodeURIComponent(heldAt)}&to=${encodeURIComponent(to)}`, first.nextCursor],
    ]) {
      const bad = await api
        .get(`/reports/meetings?${query}&limit=1&cursor=${encodeURIComponent(cursor)}`, w.supervisor.auth)
        .expect(400);
      expect(bad.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: '分页游标无效',
        details: [{ field: 'cursor', message: '游标已被改动，或不属于当前的筛选条件和期间' }],
      });
    }
    // the period is the paging's: a later page without from and to keeps the first page's
    const kept = (
      await api
        .get(`/reports/meetings?limit=1&cursor=${encodeURIComponent(first.nextCursor)}`, w.supervisor.auth)
        .expect(200)
    ).body;
    expect({ ...kept, freshness: null }).toEqual({ ...next, freshness: null });
    for (const limit of ['0', '101', 'ten'])
      expect(
        (await api.get(`/reports/meetings?${PERIOD}&limit=${limit}`, w.supervisor.auth).expect(400)).body
          .code,
      ).toBe('VALIDATION_FAILED');
    // a CSV export is whole: paging it is a clear 400
    const csv = await api
      .get(`/reports/meetings?${PERIOD}&format=csv&limit=1`, w.supervisor.auth)
      .expect(400);
    expect(csv.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'limit' }] });
    // the whistles report takes no paging parameters (unknown fields are rejected, SPEC §5)
    await api.get(`/reports/whistles?${PERIOD}&limit=1`, w.supervisor.auth).expect(400);
  });

  it('a leader-led appeal: instructions shown to its department, listed under leaderLed=true', async () => {
    const { api, w } = s;
    const first = await api
      .post(`/appeals/${ids.i2}/leader`, w.supervisor.auth, {
        leaderName: '王副市长',
        instruction: '请市人社局牵头，一周内拿出方案。',
      })
      .expect(200);
    expect(first.body.leaderLed).toBe(true);
    expect(first.body.leader).toMatchObject({
      name: '王副市长',
      instructions: [{ text: '请市人社局牵头，一周内拿出方案。' }],
    });
    await api
      .post(`/appeals/${ids.i2}/leader`, w.supervisor.auth, {
        leaderName: '王副市长',
        instruction: '进展每周报我。',
      })
      .expect(200);
    // the department sees who leads it and every instruction
    const seen = await api.get(`/appeals/${ids.i2}`, w.leadHandler.auth).expect(200);
    expect(seen.body.leader.name).toBe('王副市长');
    expect(seen.body.leader.instructions.map((i: { text: string }) => i.text)).toEqual([
      '请市人社局牵头，一周内拿出方案。',
      '进展每周报我。',
    ]);
    expect(typeof seen.body.leader.instructions[0].at).toBe('string');
    const queue = await api.get('/queue', w.leadHandler.auth).expect(200);
    const row = queue.body.items.find((q: { appealId: string }) => q.appealId === ids.i2);
    expect(row).toMatchObject({ leaderLed: true, leaderName: '王副市长' });
    expect(queue.body.items.find((q: { appealId: string }) => q.appealId === ids.j0)).toMatchObject({
      leaderLed: false,
    });
    const led = await api.get('/appeals?leaderLed=true', w.supervisor.auth).expect(200);
    expect(led.body.items.map((a: { id: string }) => a.id)).toEqual([ids.i2]);
    const notLed = await api
      .get(`/appeals?leaderLed=false&meetingId=${meetings.A}`, w.supervisor.auth)
      .expect(200);
    expect(notLed.body.items.map((a: { id: string }) => a.id)).not.toContain(ids.i2);
    expect(notLed.body.items).toHaveLength(4);
    const events = await api.get(`/appeals/${ids.i2}/events`, w.supervisor.auth).expect(200);
    expect(
      events.body.items
        .slice(-2)
        .map((e: { action: string; data: { leaderName: string } }) => [e.action, e.data.leaderName]),
    ).toEqual([
      ['appeal.leader_assigned', '王副市长'],
      ['appeal.leader_instructed', '王副市长'],
    ]);
    // another leader takes it over: assigned again, the earlier instructions kept
    const taken = await api
      .post(`/appeals/${ids.i2}/leader`, w.supervisor.auth, {
        leaderName: '李市长',
        instruction: '由我领衔。',
      })
      .expect(200);
    expect(taken.body.leader.name).toBe('李市长');
    expect(taken.body.leader.instructions).toHaveLength(3);
    // the meetings report counts leader-led issues apart
    const report = await api.get(`/reports/meetings?${PERIOD}&leaderLed=true`, w.supervisor.auth).expect(200);
    expect(report.body.totals).toMatchObject({ meetings: 2, issues: 1, answered: 0, rated: 1 });
  });

  it('every report takes leaderLed: the leader-led part and the rest add up to the whole', async () => {
    const { api, w } = s;
    const summary = async (extra: string) =>
      (await api.get(`/reports/summary?${PERIOD}${extra}`, w.supervisor.auth).expect(200)).body;
    const [all, led, rest] = [
      await summary(''),
      await summary('&leaderLed=true'),
      await summary('&leaderLed=false'),
    ];
    // i2: reopened after an unsatisfied survey, still in progress
    expect(led).toMatchObject({ received: 1, valid: 1, closed: 0, rated: 1, satisfactionRate: 0 });
    expect(led.filters.leaderLed).toBe(true);
    for (const k of ['received', 'valid', 'closed', 'rated', 'withdrawn'])
      expect([k, led[k] + rest[k]]).toEqual([k, all[k]]);
    const departments = await api
      .get(`/reports/departments?${PERIOD}&leaderLed=true`, w.supervisor.auth)
      .expect(200);
    const lead = departments.body.items.find((d: { departmentId: string }) => d.departmentId === s.w.lead.id);
    expect(lead).toMatchObject({ received: 1, rated: 1 });
    const trend = await api
      .get(`/reports/trend?${PERIOD}&interval=month&leaderLed=true`, w.supervisor.auth)
      .expect(200);
    expect(trend.body.items.reduce((n: number, i: { received: number }) => n + i.received, 0)).toBe(1);
    const categories = await api
      .get(`/reports/categories?${PERIOD}&leaderLed=false`, w.supervisor.auth)
      .expect(200);
    expect(categories.body.totalReceived).toBe(rest.received);
    await api.get(`/reports/summary?${PERIOD}&leaderLed=maybe`, w.supervisor.auth).expect(400);
  });

  it('leader-led: supervisors only, open appeals only, body checked', async () => {
    const { api, w } = s;
    const body = { leaderName: '王副市长', instruction: '请办理。' };
    await api.post(`/appeals/${ids.i4}/leader`, w.dispatcher.auth, body).expect(403);
    await api.post(`/appeals/${ids.i4}/leader`, w.leadHandler.auth, body).expect(403);
    const closed = await api.post(`/appeals/${ids.i0}/leader`, w.supervisor.auth, body).expect(409);
    expect(closed.body.code).toBe('INVALID_TRANSITION');
    await api
      .post(`/appeals/${ids.i4}/leader`, w.supervisor.auth, { leaderName: '', instruction: 'x' })
      .expect(400);
    await api.post(`/appeals/${ids.i4}/leader`, w.supervisor.auth, { ...body, extra: 1 }).expect(400);
    const stale = await api
      .post(`/appeals/${ids.i4}/leader`, w.supervisor.auth, { ...body, expectedVersion: 1 })
      .expect(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
  });

  // (these record meetings in and before the period: last, so the figures above stay as computed by hand)
  it('a paging keeps its first page’s totals; a new first page reads the new ones', async () => {
    const { api, w } = s;
    const first = (await api.get(`/reports/meetings?${PERIOD}&limit=1`, w.supervisor.auth).expect(200)).body;
    // a meeting recorded in the period after the first page was read
    const late = await api
      .post('/meetings', w.dispatcher.auth, {
        title: '亲清直通车·政企恳谈会（补录）',
        heldAt: new Date(Date.now() - 60_000).toISOString(),
        district: '南浔区',
        enterpriseIds: [e4.user.enterpriseId!],
        attendeeCount: 2,
      })
      .expect(201);
    const next = (
      await api
        .get(
          `/reports/meetings?${PERIOD}&limit=1&cursor=${encodeURIComponent(first.nextCursor)}`,
          w.supervisor.auth,
        )
        .expect(200)
    ).body;
    expect(next.totals).toEqual(first.totals);
    const fresh = (await api.get(`/reports/meetings?${PERIOD}&limit=1`, w.supervisor.auth).expect(200)).body;
    expect(fresh.totals).toMatchObject({
      meetings: first.totals.meetings + 1,
      enterprisesAttending: first.totals.enterprisesAttending + 1,
      attendeeCount: first.totals.attendeeCount + 2,
    });
    const whole = (await api.get(`/reports/meetings?${PERIOD}`, w.supervisor.auth).expect(200)).body;
    expect(whole.items.map((i: { meetingId: string }) => i.meetingId)).toContain(late.body.id);
  });

  it('distinct attending enterprises follow each enterprise’s attendances, recorded in any order', async () => {
    const { api, w } = s;
    const [e5, e6] = [(await w.f.enterprise()).id, (await w.f.enterprise()).id];
    const record = (heldAt: string, district: string, enterpriseIds: string[]) =>
      api
        .post('/meetings', w.dispatcher.auth, { title: '恳谈会（补录）', heldAt, district, enterpriseIds })
        .expect(201);
    // recorded out of the order they were held, two of them at once
    await record('2024-03-01T02:00:00Z', '吴兴区', [e5]);
    await record('2024-01-01T02:00:00Z', '南浔区', [e5, e6]);
    await record('2024-02-01T02:00:00Z', '吴兴区', [e6]);
    await record('2024-02-15T02:00:00Z', '吴兴区', [e5]);
    await Promise.all([
      record('2024-04-02T02:00:00Z', '南浔区', [e5, e6]),
      record('2024-04-01T02:00:00Z', '南浔区', [e6, e5]),
    ]);
    // every link as a recomputation from scratch would make it
    const [{ wrong }] = await s.t.db.query(
      `SELECT count(*)::int AS wrong FROM meeting_enterprises me
         JOIN (SELECT e.meeting_id, e.enterprise_id, m.held_at, m.district,
                      lag(m.held_at) OVER (PARTITION BY e.enterprise_id ORDER BY m.held_at, m.id) AS prev,
                      lag(m.held_at) OVER (PARTITION BY e.enterprise_id, m.district ORDER BY m.held_at, m.id) AS prevd
                 FROM meeting_enterprises e JOIN meetings m ON m.id = e.meeting_id) x
           ON x.meeting_id = me.meeting_id AND x.enterprise_id = me.enterprise_id
        WHERE me.held_at <> x.held_at OR me.district IS DISTINCT FROM x.district
           OR me.prev_held_at IS DISTINCT FROM x.prev OR me.prev_held_at_in_district IS DISTINCT FROM x.prevd`,
    );
    expect(wrong).toBe(0);
    const reports = s.t.app.get(ReportsService);
    const attending = async (q: { from: string; to: string; district?: string }) => {
      const [served, raw] = [await reports.meetings(q), await reports.meetings(q, 'raw')];
      expect(served.totals).toEqual(raw.totals);
      return served.totals.enterprisesAttending;
    };
    const cases: [string, string, string | undefined, number][] = [
      ['2023-12-01', '2024-05-01', undefined, 2],
      ['2024-01-15', '2024-03-01', undefined, 2],
      ['2024-01-15', '2024-03-01', '吴兴区', 2],
      ['2024-02-10', '2024-03-02', '吴兴区', 1],
      ['2024-02-10', '2024-03-31', '南浔区', 0],
      ['2024-04-01', '2024-05-01', '南浔区', 2],
      ['2024-01-01T02:00:00Z', '2024-01-01T02:00:01Z', undefined, 2],
      ['2024-01-01T02:00:01Z', '2024-02-02', undefined, 1],
    ];
    for (const [from, to, district, n] of cases)
      expect([from, to, district, await attending({ from, to, district })]).toEqual([from, to, district, n]);
  });
});
