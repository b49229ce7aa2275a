import { FakeClock } from '../../src/common/clock';
import { STATUS_NAMES } from '../../src/common/messages';
import { SurveyWindow } from '../../src/modules/assessment/survey-window';
import { LABELS, zhLabel } from '../../src/modules/reports/metric-labels';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';

/**
 * SPEC §4 end to end: a known history built through the API with a fake clock, every figure of
 * summary, departments, trend and categories checked against values computed by hand below.
 *
 * Period [2026-03-02, 2026-03-05) Asia/Shanghai. SLA (natural clock): acknowledge within 4 h, reply
 * within 5 days, return visit within 3 days. Working hours 09:00–12:00, 13:30–17:30 Mon–Fri.
 *
 *   A1 cat,  吴兴区, web  lead L + co C, 03-02 09:00. L acks 09:30 (on time); C acks 14:00 (late, due 13:00),
 *                         opinion 15:00. Extension +3 working days approved (due 03-07 09:00 → 03-11 17:30);
 *                         L replies 03-08 10:00 (after the original deadline, within the extended: on time,
 *                         35 working h). Unsatisfied → reopen round 1 (03-09 09:00); reply 03-09 11:00 (on time,
 *                         2 working h); satisfied + resolved → closed (reopened: not first-time).
 *   A2 cat,  吴兴区, web  lead L, 03-02 09:00. L acks 14:00 (late); replies 03-09 09:30 (late, 35.5 working h);
 *                         no survey → closed not_rated 03-12.
 *   A3 cat,  吴兴区, web  rejected.       A4 cat, 吴兴区, web  withdrawn.      A5 cat, 吴兴区, web  merged into A6.
 *   A6 child, 南浔区, hotline (filed by the centre)  lead O 03-02 09:00, never acknowledged: open and overdue.
 *   A9 cat3, no district, app  lead O 03-02 10:00, ack 10:10, reply 11:10 (70 working min), basically satisfied,
 *                         not resolved → closed.
 *   A7 cat,  吴兴区, web  03-04 10:00 lead L + co O; both ack on time; both still open at "now" (03-20),
 *                         past the reply deadline (03-09 10:00): overdue.
 *   03-03 receives nothing (the empty trend period).
 */
describe('reports (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  const clock = new FakeClock(new Date('2026-03-02T08:00:00+08:00'));
  const at = (s: string) => clock.set(new Date(s));
  let L: string, C: string, O: string;
  let cat: string, child: string, cat3: string;
  const ids: Record<string, string> = {};
  let extendedDue = '';
  let closedUnrated = false;
  const PERIOD = `from=${encodeURIComponent('2026-03-02T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-05T00:00:00+08:00')}`;

  const get = (path: string, auth = w.supervisor.auth) => api.get(path, auth);

  beforeAll(async () => {
    t = await createTestApp({ clock });
    w = await world(t);
    api = client(t);
    L = w.lead.id;
    C = w.co.id;
    O = w.other.id;
    cat = w.category.code;
    child = (await w.f.category({ parentCode: cat })).code;
    cat3 = (await w.f.category()).code;
    const admin = w.admin.auth;
    for (const code of [cat, child, cat3])
      await api
        .post('/sla-policies', admin, {
          name: `r-${code}`,
          categoryCode: code,
          clock: 'natural',
          ackWithin: 'PT4H',
          replyWithin: 'P5D',
          surveyWithin: 'P3D',
        })
        .expect(201);
    const file = async (name: string, extra: Record<string, unknown>, auth = w.enterprise.auth) => {
      ids[name] = (await api.post('/appeals', auth, appealBody(w, extra)).expect(201)).body.id;
    };
    const act = async (name: string, action: string, auth: string, body: object = {}) =>
      (
        await api.post(`/appeals/${ids[name]}/${action}`, auth, body).expect((r) => {
          if (r.status >= 300) throw new Error(`${name} ${action}: ${r.status} ${JSON.stringify(r.body)}`);
        })
      ).body;

    at('2026-03-02T09:00:00+08:00');
    for (const n of ['A1', 'A2', 'A3', 'A4', 'A5']) await file(n, { categoryCode: cat, district: '吴兴区' });
    await file(
      'A6',
      {
        categoryCode: child,
        district: '南浔区',
        channel: 'hotline',
        enterpriseId: w.enterprise.user.enterpriseId,
      },
      w.dispatcher.auth,
    );
    await act('A1', 'dispatch', w.dispatcher.auth, { leadDepartmentId: L, coDepartmentIds: [C] });
    await act('A2', 'dispatch', w.dispatcher.auth, { leadDepartmentId: L });
    await act('A6', 'dispatch', w.dispatcher.auth, { leadDepartmentId: O });
    await act('A3', 'reject', w.dispatcher.auth, { reason: '不属于受理范围' });
    await act('A4', 'withdraw', w.enterprise.auth, { reason: '已自行解决' });
    await act('A5', 'merge', w.dispatcher.auth, { intoAppealId: ids.A6 });
    at('2026-03-02T09:30:00+08:00');
    await act('A1', 'acknowledge', w.leadHandler.auth);
    at('2026-03-02T10:00:00+08:00');
    await file('A9', { categoryCode: cat3, channel: 'app' });
    await act('A9', 'dispatch', w.dispatcher.auth, { leadDepartmentId: O });
    at('2026-03-02T10:10:00+08:00');
    await act('A9', 'acknowledge', w.otherHandler.auth);
    at('2026-03-02T11:10:00+08:00');
    await act('A9', 'reply', w.otherHandler.auth, { content: '已答复', outcome: 'explained' });
    at('2026-03-02T11:20:00+08:00');
    await act('A9', 'survey', w.enterprise.auth, {
      satisfaction: 'basically_satisfied',
      resolved: false,
      comment: '只解决了一部分',
    });
    at('2026-03-02T14:00:00+08:00');
    await act('A1', 'acknowledge', w.coHandler.auth);
    await act('A2', 'acknowledge', w.leadHandler.auth);
    at('2026-03-02T15:00:00+08:00');
    await act('A1', 'opinion', w.coHandler.auth, { content: '协办意见' });
    at('2026-03-02T16:00:00+08:00');
    const ext = await api
      .post(`/appeals/${ids.A1}/extensions`, w.leadHandler.auth, { days: 3, reason: '需协调' })
      .expect(201);
    at('2026-03-02T16:05:00+08:00');
    const approved = await act('A1', `extensions/${ext.body.id}/approve`, w.dispatcher.auth);
    extendedDue = approved.assignments.find((a: { role: string }) => a.role === 'lead').replyDueAt;
    // the background fold may or may not have run by now; fold once explicitly too (a report must not care)
    await t.app.get(ReportsService).fold();
    at('2026-03-04T10:00:00+08:00');
    await file('A7', { categoryCode: cat, district: '吴兴区' });
    await act('A7', 'dispatch', w.dispatcher.auth, { leadDepartmentId: L, coDepartmentIds: [O] });
    at('2026-03-04T10:30:00+08:00');
    await act('A7', 'acknowledge', w.leadHandler.auth);
    at('2026-03-04T11:00:00+08:00');
    await act('A7', 'acknowledge', w.otherHandler.auth);
    at('2026-03-08T10:00:00+08:00');
    await act('A1', 'reply', w.leadHandler.auth, { content: '已办理', outcome: 'resolved' });
    at('2026-03-09T09:00:00+08:00');
    await act('A1', 'survey', w.enterprise.auth, {
      satisfaction: 'unsatisfied',
      resolved: false,
      comment: '问题没有解决',
    });
    at('2026-03-09T09:30:00+08:00');
    await act('A2', 'reply', w.leadHandler.auth, { content: '已办理', outcome: 'resolved' });
    at('2026-03-09T11:00:00+08:00');
    await act('A1', 'reply', w.leadHandler.auth, { content: '已重办', outcome: 'resolved' });
    at('2026-03-09T11:30:00+08:00');
    await act('A1', 'survey', w.enterprise.auth, { satisfaction: 'satisfied', resolved: true });
    at('2026-03-12T10:00:00+08:00');
    closedUnrated = await t.app.get(SurveyWindow).close(ids.A2);
    at('2026-03-20T10:00:00+08:00');
  });
  afterAll(async () => {
    await t?.close();
  });

  const w3 = (response: number, resolution: number, satisfaction: number) =>
    100 * (0.1 * response + 0.5 * resolution + 0.4 * satisfaction);

  /** the whole period, by hand (see the header) */
  const ALL = {
    received: 8,
    valid: 5,
    rejected: 1,
    withdrawn: 1,
    merged: 1,
    closed: 3,
    rated: 2,
    closureRate: 3 / 5,
    // on time: A1-L, A7-L, A7-O, A9-O; due: + A1-C (late), A2-L (late), A6-O (open, past)
    responseRate: 4 / 7,
    // on time: A1 r0 (extended), A1 r1, A9; due: + A2 (late), A6 (open, past), A7-L (open, past)
    onTimeReplyRate: 3 / 6,
    satisfactionRate: 2 / 2,
    resolutionRate: 1 / 2,
    oneTimeResolutionRate: 2 / 3,
    overdueOpen: 3,
    avgReplyWorkingHours: (35 + 2 + 35.5 + 70 / 60) / 4,
  };

  function expectMetrics(body: Record<string, unknown>, want: Record<string, number | null>) {
    for (const [k, v] of Object.entries(want)) {
      if (typeof v === 'number' && !Number.isInteger(v))
        expect([k, body[k]]).toEqual([k, expect.closeTo(v, 12)]);
      else expect([k, body[k]]).toEqual([k, v]);
    }
  }

  it('the history is what the header says', () => {
    // +3 working days from Sat 03-07 09:00: Mon 09, Tue 10, Wed 11, at the close of working hours
    expect(extendedDue).toBe('2026-03-11T17:30:00.000+08:00');
    expect(closedUnrated).toBe(true);
  });

  it('summary: every SPEC §4 figure of the period, and which targets are met', async () => {
    const res = await get(`/reports/summary?${PERIOD}`).expect(200);
    expectMetrics(res.body, { ...ALL, score: w3(4 / 7, 1 / 2, 1) });
    expect(res.body.from).toBe('2026-03-02T00:00:00+08:00');
    // default targets: closure ≥ 0.95, satisfaction ≥ 0.96
    expect(res.body.targets).toEqual([
      { metric: 'closureRate', target: 0.95, value: 3 / 5, met: false },
      { metric: 'satisfactionRate', target: 0.96, value: 1, met: true },
    ]);
  });

  it('summary filters: category with its children, district, channel, combined, department', async () => {
    const cat1 = (await get(`/reports/summary?${PERIOD}&categoryCode=${cat}`).expect(200)).body;
    // A1–A7 without A9 (cat3); A6 is in the child category
    expectMetrics(cat1, { received: 7, valid: 4, closed: 2, closureRate: 2 / 4, rated: 1, overdueOpen: 3 });
    const nanxun = (
      await get(`/reports/summary?${PERIOD}&district=${encodeURIComponent('南浔区')}`).expect(200)
    ).body;
    expectMetrics(nanxun, {
      received: 1,
      valid: 1,
      closureRate: 0,
      responseRate: 0,
      onTimeReplyRate: 0,
      satisfactionRate: null,
      score: null,
      overdueOpen: 1,
      avgReplyWorkingHours: null,
    });
    const app = (await get(`/reports/summary?${PERIOD}&channel=app`).expect(200)).body;
    expectMetrics(app, {
      received: 1,
      closureRate: 1,
      responseRate: 1,
      onTimeReplyRate: 1,
      satisfactionRate: 1,
      resolutionRate: 0,
      oneTimeResolutionRate: 1,
      avgReplyWorkingHours: 70 / 60,
      score: w3(1, 0, 1),
    });
    // two filters: the full rollup
    const both = (
      await get(
        `/reports/summary?${PERIOD}&categoryCode=${cat}&district=${encodeURIComponent('吴兴区')}`,
      ).expect(200)
    ).body;
    expectMetrics(both, { received: 6, valid: 3, closed: 2, closureRate: 2 / 3, overdueOpen: 2 });
    const lead = (await get(`/reports/summary?${PERIOD}&departmentId=${L}`).expect(200)).body;
    expectMetrics(lead, LEAD);
  });

  /** L leads A1, A2, A7; its assignments A1 r0, A1 r1, A2, A7 */
  const LEAD = {
    received: 3,
    valid: 3,
    closed: 2,
    rated: 1,
    closureRate: 2 / 3,
    responseRate: 2 / 3,
    onTimeReplyRate: 2 / 4,
    satisfactionRate: 1,
    resolutionRate: 1,
    oneTimeResolutionRate: 1 / 2,
    overdueOpen: 1,
    avgReplyWorkingHours: (35 + 2 + 35.5) / 3,
    score: w3(2 / 3, 1, 1),
  };
  /** O leads A6, A9; its assignments A6 (open), A7 co (open), A9 */
  const OTHER = {
    received: 2,
    valid: 2,
    closed: 1,
    rated: 1,
    closureRate: 1 / 2,
    responseRate: 2 / 3,
    onTimeReplyRate: 1 / 2,
    satisfactionRate: 1,
    resolutionRate: 0,
    oneTimeResolutionRate: 1,
    overdueOpen: 2,
    avgReplyWorkingHours: 70 / 60,
    score: w3(2 / 3, 0, 1),
  };
  /** C only co-handles A1 and acknowledged late */
  const CO = {
    received: 0,
    valid: 0,
    closureRate: null,
    responseRate: 0,
    onTimeReplyRate: null,
    satisfactionRate: null,
    score: null,
    overdueOpen: 0,
    avgReplyWorkingHours: null,
  };

  it('departments: ranked by score with a minimum sample; the small ones after, unranked', async () => {
    const small = (await get(`/reports/departments?${PERIOD}`).expect(200)).body;
    // default minSample 10: nobody has 10 rated appeals
    expect(
      small.items.every(
        (i: { rank: null; insufficientSample: boolean }) => i.rank === null && i.insufficientSample,
      ),
    ).toBe(true);
    await t
      .http()
      .put('/api/v1/targets')
      .set('Authorization', w.supervisor.auth)
      .send({ minSample: 1 })
      .expect(200);
    const res = (await get(`/reports/departments?${PERIOD}`).expect(200)).body;
    expect(
      res.items.map((i: { departmentId: string; rank: number | null }) => [i.departmentId, i.rank]),
    ).toEqual([
      [L, 1],
      [O, 2],
      [C, null],
    ]);
    expectMetrics(res.items[0], LEAD);
    expectMetrics(res.items[1], OTHER);
    expectMetrics(res.items[2], CO);
    expect(res.items[2].insufficientSample).toBe(true);
    expect(res.items[0].met).toEqual({ closureRate: false, satisfactionRate: true });
    // the summary of a department is its row of the ranking
    const summaryO = (await get(`/reports/summary?${PERIOD}&departmentId=${O}`).expect(200)).body;
    expectMetrics(summaryO, OTHER);
    await t
      .http()
      .put('/api/v1/targets')
      .set('Authorization', w.supervisor.auth)
      .send({ minSample: 10 })
      .expect(200);
  });

  it('trend: day buckets in Asia/Shanghai, the empty day present', async () => {
    const res = (await get(`/reports/trend?${PERIOD}&interval=day`).expect(200)).body;
    expect(res.items.map((i: { periodStart: string }) => i.periodStart)).toEqual([
      '2026-03-02T00:00:00+08:00',
      '2026-03-03T00:00:00+08:00',
      '2026-03-04T00:00:00+08:00',
    ]);
    expectMetrics(res.items[0], {
      received: 7,
      valid: 4,
      closed: 3,
      closureRate: 3 / 4,
      responseRate: 2 / 5, // A1-L, A9 on time; A1-C, A2, A6 not
      onTimeReplyRate: 3 / 5,
      satisfactionRate: 1,
      resolutionRate: 1 / 2,
      oneTimeResolutionRate: 2 / 3,
      overdueOpen: 1,
    });
    expectMetrics(res.items[1], {
      received: 0,
      valid: 0,
      closureRate: null,
      responseRate: null,
      onTimeReplyRate: null,
      satisfactionRate: null,
      resolutionRate: null,
      oneTimeResolutionRate: null,
      overdueOpen: 0,
      avgReplyWorkingHours: null,
      score: null,
    });
    expectMetrics(res.items[2], {
      received: 1,
      valid: 1,
      closureRate: 0,
      responseRate: 1,
      onTimeReplyRate: 0,
      overdueOpen: 2,
      satisfactionRate: null,
    });
    const months = (
      await get(
        `/reports/trend?from=${encodeURIComponent('2026-02-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-04-01T00:00:00+08:00')}&interval=month`,
      ).expect(200)
    ).body;
    expect(
      months.items.map((i: { periodStart: string; received: number }) => [i.periodStart, i.received]),
    ).toEqual([
      ['2026-02-01T00:00:00+08:00', 0],
      ['2026-03-01T00:00:00+08:00', 8],
    ]);
    const weeks = (await get(`/reports/trend?${PERIOD}&interval=week`).expect(200)).body;
    expect(weeks.items).toHaveLength(1);
    expectMetrics(weeks.items[0], { ...ALL, score: w3(4 / 7, 1 / 2, 1) });
  });

  it('categories: counts, shares and rates per category', async () => {
    const res = (await get(`/reports/categories?${PERIOD}`).expect(200)).body;
    const by = (code: string) => res.items.find((i: { categoryCode: string }) => i.categoryCode === code);
    expect(res.items[0].categoryCode).toBe(cat);
    expectMetrics(by(cat), { share: 6 / 8, received: 6, valid: 3, closureRate: 2 / 3, satisfactionRate: 1 });
    expectMetrics(by(child), { share: 1 / 8, received: 1, overdueOpen: 1, responseRate: 0 });
    expectMetrics(by(cat3), { share: 1 / 8, received: 1, satisfactionRate: 1, resolutionRate: 0 });
  });

  it('ragged instants: the partial days come from the raw rows', async () => {
    const q = `from=${encodeURIComponent('2026-03-02T09:30:00+08:00')}&to=${encodeURIComponent('2026-03-04T10:30:00+08:00')}`;
    // A9 (10:00 on 03-02) and A7 (10:00 on 03-04) only
    expectMetrics((await get(`/reports/summary?${q}`).expect(200)).body, {
      received: 2,
      closed: 1,
      responseRate: 3 / 3,
      onTimeReplyRate: 1 / 2,
      overdueOpen: 2,
    });
    // after a fold the answers do not move
    // (without the snapshot's time, `freshness`, which moves from one read to the next)
    const figures = (body: object) => ({ ...body, freshness: undefined });
    const before = figures((await get(`/reports/summary?${PERIOD}`).expect(200)).body);
    await t.app.get(ReportsService).fold();
    expect(figures((await get(`/reports/summary?${PERIOD}`).expect(200)).body)).toEqual(before);
  });

  it('access: enterprises never, handlers only their own summary', async () => {
    await get(`/reports/summary?${PERIOD}`, w.enterprise.auth).expect(403);
    await get(`/reports/departments?${PERIOD}`, w.enterprise.auth).expect(403);
    await get(`/targets`, w.enterprise.auth).expect(403);
    const own = (await get(`/reports/summary?${PERIOD}`, w.leadHandler.auth).expect(200)).body;
    expect(own.filters.departmentId).toBe(L);
    expectMetrics(own, LEAD);
    await get(`/reports/summary?${PERIOD}&departmentId=${L}`, w.leadHandler.auth).expect(200);
    const other = await get(`/reports/summary?${PERIOD}&departmentId=${O}`, w.leadHandler.auth).expect(403);
    expect(other.body.code).toBe('FORBIDDEN');
    await get(`/reports/departments?${PERIOD}`, w.leadHandler.auth).expect(403);
    await get(`/reports/trend?${PERIOD}`, w.leadHandler.auth).expect(403);
    await get(`/reports/categories?${PERIOD}`, w.leadHandler.auth).expect(403);
    await get(`/reports/trend?${PERIOD}`, w.dispatcher.auth).expect(200);
    await get(`/reports/categories?${PERIOD}`, w.admin.auth).expect(200);
  });

  it('CSV: BOM, bilingual headers, full-precision values, by ?format=csv or Accept', async () => {
    const res = await get(`/reports/summary?${PERIOD}&format=csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = text.slice(1).split('\r\n');
    const cols = header.split(',');
    expect(cols).toContain('办结率 closureRate');
    expect(cols).toContain('满意率 satisfactionRate');
    expect(cols).toContain('有效诉求 valid');
    expect(row.split(',')[cols.indexOf('办结率 closureRate')]).toBe(String(3 / 5));
    expect(row.split(',')[cols.indexOf('响应率（按时签收率） responseRate')]).toBe(String(4 / 7));
    const deps = await t
      .http()
      .get(`/api/v1/reports/departments?${PERIOD}`)
      .set('Authorization', w.supervisor.auth)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(deps.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(deps.text.split('\r\n')[0]).toContain('综合得分 score');
    expect(deps.text.split('\r\n')[0]).toContain('部门 name,名次 rank');
    await get(`/reports/summary?${PERIOD}&format=xml`).expect(400);
  });

  it('every figure the summary returns has its label, and the dashboard is served the same table', async () => {
    const body = (await get(`/reports/summary?${PERIOD}`).expect(200)).body as Record<string, unknown>;
    const figures = Object.keys(body).filter(
      (k) => !['from', 'to', 'filters', 'targets', 'freshness'].includes(k),
    );
    expect(figures.length).toBeGreaterThan(20);
    expect(figures.filter((k) => zhLabel(k) === undefined)).toEqual([]);
    // the page's module, as the browser loads it (no sign-in: it is part of the static page)
    const res = await t.http().get('/dashboard/js/metric-labels.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const text = res.text;
    const json = text
      .slice(text.indexOf('export default ') + 'export default '.length)
      .trim()
      .replace(/;$/, '');
    expect(JSON.parse(json)).toEqual(LABELS);
    expect(LABELS.figures.valid.zh).toBe('有效诉求');
  });

  it('the dashboard and the workbench load one API client and the status names of the service', async () => {
    const dashboard = await t.http().get('/dashboard/common/api.js').expect(200);
    const workbench = await t.http().get('/workbench/common/api.js').expect(200);
    expect(dashboard.text).toBe(workbench.text);
    expect(dashboard.headers.etag).toBe(workbench.headers.etag);
    expect(dashboard.headers['content-security-policy']).toContain("script-src 'self'");
    expect(workbench.headers['content-security-policy']).toContain("style-src 'self'");
    expect(dashboard.text).toContain('export class ApiError');
    const names = await t.http().get('/workbench/common/names.js').expect(200);
    expect(names.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const json = names.text.slice(names.text.indexOf('= ') + 2).trim().replace(/;$/, '');
    expect(JSON.parse(json)).toEqual(
      Object.fromEntries(Object.entries(STATUS_NAMES).map(([k, v]) => [k, v.name])),
    );
    // the pages no longer carry copies of their own
    await t.http().get('/dashboard/js/api.js').expect(404);
    await t.http().get('/workbench/js/api.js').expect(404);
  });

  it('targets: read by the centre, set by supervisors and admins, validated', async () => {
    const put = (auth: string, body: object) =>
      t.http().put('/api/v1/targets').set('Authorization', auth).send(body);
    const got = (await get('/targets', w.dispatcher.auth).expect(200)).body;
    expect(got).toMatchObject({
      closureRate: 0.95,
      satisfactionRate: 0.96,
      responseRate: null,
      scoreWeights: { responseRate: 0.1, resolutionRate: 0.5, satisfactionRate: 0.4 },
    });
    await put(w.dispatcher.auth, { closureRate: 0.9 }).expect(403);
    await put(w.leadHandler.auth, { closureRate: 0.9 }).expect(403);
    const bad = await put(w.supervisor.auth, {
      scoreWeights: { responseRate: 0.2, resolutionRate: 0.5, satisfactionRate: 0.4 },
    }).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await put(w.supervisor.auth, {
      scoreWeights: { responseRate: -0.1, resolutionRate: 0.7, satisfactionRate: 0.4 },
    }).expect(400);
    await put(w.supervisor.auth, { closureRate: 1.5 }).expect(400);
    await put(w.supervisor.auth, { nonsense: 1 }).expect(400);
    await put(w.supervisor.auth, { minSample: 0 }).expect(400);
    const ok = await put(w.admin.auth, {
      responseRate: 0.5,
      closureRate: null,
      scoreWeights: { responseRate: 0.2, resolutionRate: 0.3, satisfactionRate: 0.5 },
    }).expect(200);
    expect(ok.body).toMatchObject({ responseRate: 0.5, closureRate: null, satisfactionRate: 0.96 });
    const summary = (await get(`/reports/summary?${PERIOD}`).expect(200)).body;
    expect(summary.score).toBeCloseTo(100 * (0.2 * (4 / 7) + 0.3 * 0.5 + 0.5 * 1), 12);
    expect(summary.targets).toEqual([
      { metric: 'responseRate', target: 0.5, value: 4 / 7, met: true },
      { metric: 'satisfactionRate', target: 0.96, value: 1, met: true },
    ]);
    await put(w.admin.auth, {
      responseRate: null,
      closureRate: 0.95,
      scoreWeights: { responseRate: 0.1, resolutionRate: 0.5, satisfactionRate: 0.4 },
    }).expect(200);
  });

  it('bad parameters are 400, never 500', async () => {
    const bad = [
      `/reports/summary?from=${encodeURIComponent('2026-03-05T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-02T00:00:00+08:00')}`,
      `/reports/summary?from=yesterday`,
      `/reports/summary?from=${encodeURIComponent('2010-01-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`,
      `/reports/summary?departmentId=not-a-uuid`,
      `/reports/summary?channel=fax`,
      `/reports/summary?unknown=1`,
      `/reports/trend?interval=year`,
      `/reports/departments?departmentId=${L}`,
      `/reports/categories?format=pdf`,
    ];
    for (const path of bad) {
      const res = await get(path);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
    // the default period: the 30 days before now
    const def = (await get('/reports/summary').expect(200)).body;
    expect(def.to).toBe('2026-03-20T10:00:00+08:00');
    expect(def.from).toBe('2026-02-18T10:00:00+08:00');
    expect(def.received).toBe(8);
  });
});
