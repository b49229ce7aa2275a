/// <reference lib="dom" />
// page.evaluate and $$eval callbacks run in the browser
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FakeClock } from '../../src/common/clock';
import { DASHBOARD_CSP } from '../../src/infra/http/dashboard';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { COLUMN_LABELS, FIGURE_LABELS } from '../../src/modules/reports/metric-labels';
import { client } from '../setup/appeal-helpers';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../setup/browser';
import { actor, Factory, login, PASSWORD } from '../setup/factories';
import { createTestApp, TEST_ADMIN, type TestApp } from '../setup/test-app';

/**
 * The supervisors' dashboard in headless Chromium against the whole service listening on a real port.
 * A small history in March 2026 (fake clock, "now" 2026-03-10 10:00 Asia/Shanghai) across four named
 * departments and three categories; the page is opened on 2026-03-01 … 2026-03-09 so what it shows
 * (and the screenshots in docs/screenshots/) does not depend on the day the test runs.
 */
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const PERIOD = 'from=2026-03-01&to=2026-03-09';
const FROM = '2026-03-01T00:00:00+08:00';
const TO = '2026-03-10T00:00:00+08:00';

// Only where Chromium is missing and cannot be installed (scripts/test.js installs it when it can, and
// says so in its summary when it cannot).
const describeBrowser = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable())
  console.warn(
    `dashboard browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
  );

/** How the dashboard shows a value (dashboard/js/metrics.js); working hours carry their unit in the label. */
function shown(kind: 'rate' | 'count' | 'hours' | 'score', v: number | null): string {
  if (v === null) return '—';
  if (kind === 'rate') return `${(v * 100).toFixed(2)}%`;
  if (kind === 'score') return v.toFixed(2);
  if (kind === 'hours') return v.toFixed(1);
  return String(v);
}
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const KIND: Record<string, 'rate' | 'count' | 'hours' | 'score'> = {
  score: 'score',
  avgReplyWorkingHours: 'hours',
  overdueOpen: 'count',
};
const kindOf = (metric: string) => KIND[metric] ?? (/Rate(All)?$/.test(metric) ? 'rate' : 'count');

describeBrowser('supervisors’ dashboard in Chromium', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: ReturnType<typeof client>;
  const clock = new FakeClock(new Date('2026-03-01T08:00:00+08:00'));
  const requests: string[] = [];
  const users = {} as Record<'supervisor' | 'dispatcher' | 'enterprise' | 'handler', string>;
  let supervisorAuth = '';
  let departmentIds: string[] = [];
  let meetingTitle = '';
  let earlierMeetingTitle = '';

  /** Waits until the view has drawn (or failed) after the n-th render. */
  async function rendered(after = 0) {
    await page.waitForFunction(
      (n) =>
        (document.body.dataset.state === 'ready' && Number(document.body.dataset.renders) > n) ||
        document.body.dataset.state === 'error',
      after,
    );
    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
    // charts draw on the next animation frame
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  const renders = async () => Number((await page.getAttribute('body', 'data-renders')) ?? 0);

  async function signIn(username: string) {
    await page.fill('#signin input[name=username]', username);
    await page.fill('#signin input[name=password]', PASSWORD);
    await page.click('#signin button[type=submit]');
  }

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** GET an API route as the supervisor. */
  async function apiGet(path: string) {
    return (await t.http().get(`/api/v1${path}`).set('Authorization', supervisorAuth).expect(200)).body;
  }

  /**
   * The cases behind overdueOpen, from GET /appeals?overdue=true: appeals created in the period with an
   * open assignment (of that department, when given) past its deadline, the earliest deadline first.
   */
  async function overdueCases(params: Record<string, string>, departmentId?: string) {
    type Assignment = {
      departmentId: string;
      status: string;
      overdue: boolean;
      ackDueAt: string;
      replyDueAt: string;
    };
    const items = (await apiGet(`/appeals?${q({ ...params, overdue: 'true', limit: '100' })}`)).items as {
      number: string;
      assignments: Assignment[];
    }[];
    return items
      .map((a) => {
        const late = a.assignments.filter(
          (s) =>
            s.overdue &&
            ['dispatched', 'in_progress'].includes(s.status) &&
            (!departmentId || s.departmentId === departmentId),
        );
        const due = late.map((s) => (s.status === 'dispatched' ? s.ackDueAt : s.replyDueAt)).sort()[0];
        return { number: a.number, late: late.length, due };
      })
      .filter((c) => c.late > 0)
      .sort((x, y) => Date.parse(x.due) - Date.parse(y.due));
  }

  /** Runs a dashboard module's export in the page (the module the page itself loaded, from the service). */
  async function inPage<T>(module: string, expression: string): Promise<T> {
    return page.evaluate<T>(
      `(async () => { const m = await import('/dashboard/js/${module}'); return ${expression}; })()`,
    );
  }

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    api = client(t);
    const f = new Factory(t.db);
    const admin = await login(t, TEST_ADMIN.username, TEST_ADMIN.password);

    const depts = await Promise.all(
      [
        ['SCJG', '市市场监督管理局'],
        ['RSJ', '市人力资源和社会保障局'],
        ['JXJ', '市经济和信息化局'],
        ['ZJJ', '市住房和城乡建设局'],
        ['SWJ', '市商务局'],
      ].map(([code, name]) => f.department({ code, name })),
    );
    departmentIds = depts.map((d) => d.id);
    const cats = await Promise.all(
      [
        ['BIZ', '营商环境'],
        ['FIN', '融资服务'],
        ['LAB', '用工服务'],
      ].map(([code, name]) => f.category({ code, name })),
    );
    // a second level with no appeals of its own, and a root without children: the filter lists the tree
    await f.category({ code: 'FIN.LOAN', name: '贷款审批', parentCode: 'FIN' });
    await f.category({ code: 'FIN.GUAR', name: '融资担保', parentCode: 'FIN' });
    await f.category({ code: 'LAB.RECRUIT', name: '招工用工', parentCode: 'LAB' });
    await f.category({ code: 'OTHER', name: '其他' });
    for (const c of cats)
      await api
        .post('/sla-policies', admin, {
          name: `dash-${c.code}`,
          categoryCode: c.code,
          clock: 'natural',
          ackWithin: 'PT4H',
          replyWithin: 'P3D',
          surveyWithin: 'P3D',
        })
        .expect(201);
    const [supervisor, dispatcher, enterprise, ...handlers] = await Promise.all([
      actor(t, f, 'supervisor', { username: 'dash_supervisor', displayName: '市营商办 督办员 陈静' }),
      actor(t, f, 'dispatcher', { username: 'dash_dispatcher' }),
      actor(t, f, 'enterprise', { username: 'dash_enterprise' }),
      ...depts.map((d) =>
        actor(t, f, 'handler', { departmentId: d.id, username: `dash_${d.code.toLowerCase()}` }),
      ),
    ]);
    users.supervisor = supervisor.user.username;
    users.dispatcher = dispatcher.user.username;
    users.enterprise = enterprise.user.username;
    users.handler = handlers[0].user.username;
    supervisorAuth = supervisor.auth;
    await t
      .http()
      .put('/api/v1/targets')
      .set('Authorization', supervisor.auth)
      .send({
        satisfactionRate: 0.96,
        closureRate: 0.95,
        responseRate: 0.9,
        onTimeReplyRate: 0.9,
        minSample: 2,
      })
      .expect(200);

    // the history: [day, category, district, channel, department, outcome]
    type Outcome = 'satisfied' | 'basic' | 'unsatisfied' | 'replied' | 'acked' | 'open' | 'rejected';
    const history: [number, number, string, string, number, Outcome][] = [
      [2, 0, '吴兴区', 'web', 0, 'satisfied'],
      [2, 1, '南浔区', 'hotline', 1, 'satisfied'],
      [2, 0, '吴兴区', 'app', 0, 'basic'],
      [3, 2, '德清县', 'web', 2, 'satisfied'],
      [3, 0, '吴兴区', 'hotline', 0, 'unsatisfied'],
      [3, 1, '长兴县', 'web', 1, 'satisfied'],
      [4, 0, '吴兴区', 'web', 3, 'rejected'],
      [4, 2, '南浔区', 'app', 2, 'satisfied'],
      [4, 1, '安吉县', 'hotline', 1, 'basic'],
      [4, 0, '长兴县', 'app', 4, 'satisfied'],
      [5, 0, '吴兴区', 'web', 0, 'satisfied'],
      [5, 2, '德清县', 'web', 3, 'satisfied'],
      [5, 0, '吴兴区', 'visit', 3, 'satisfied'],
      [6, 1, '长兴县', 'web', 1, 'unsatisfied'],
      [6, 0, '吴兴区', 'app', 0, 'replied'],
      [7, 2, '安吉县', 'hotline', 2, 'acked'],
      [8, 0, '南浔区', 'web', 3, 'open'],
      [9, 1, '吴兴区', 'web', 1, 'acked'],
      [9, 2, '德清县', 'app', 2, 'open'],
    ];
    // every step at its own time, in time order, so deadlines and verdicts are what a real day gives
    const steps: { at: number; run: () => Promise<unknown> }[] = [];
    const day = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 2, d, h - 8, m)).getTime();
    const ids: string[] = [];
    history.forEach(([d, c, district, channel, dep, outcome], i) => {
      const post = (path: string, auth: string, body: object = {}) =>
        api.post(`/appeals/${ids[i]}${path}`, auth, body).expect((r) => {
          if (r.status >= 300) throw new Error(`#${i} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
        });
      const h = handlers[dep].auth;
      steps.push({
        at: day(d, 9, i),
        run: async () => {
          const res = await api
            .post('/appeals', enterprise.auth, {
              type: 'help',
              categoryCode: cats[c].code,
              title: `企业诉求 ${i + 1}：${cats[c].name}`,
              content: '诉求内容：请协调相关部门尽快办理。',
              district,
              channel: channel === 'web' || channel === 'app' ? channel : 'web',
            })
            .expect(201);
          ids[i] = res.body.id;
        },
      });
      if (outcome === 'rejected') {
        steps.push({
          at: day(d, 9, 30 + i),
          run: () => post('/reject', dispatcher.auth, { reason: '不属于受理范围' }),
        });
        return;
      }
      steps.push({
        at: day(d, 9, 30 + i),
        run: () => post('/dispatch', dispatcher.auth, { leadDepartmentId: depts[dep].id }),
      });
      if (outcome === 'open') return;
      // one in three acknowledges late (after the 4 h window)
      steps.push({ at: day(d, i % 3 === 0 ? 15 : 10, i), run: () => post('/acknowledge', h) });
      if (outcome === 'acked') return;
      steps.push({
        at: day(d + 1, 10, i),
        run: () => post('/reply', h, { content: '已协调办理并答复企业。', outcome: 'resolved' }),
      });
      if (outcome === 'replied') return;
      const satisfaction = {
        satisfied: 'satisfied',
        basic: 'basically_satisfied',
        unsatisfied: 'unsatisfied',
      }[outcome];
      steps.push({
        at: day(d + 1, 16, i),
        run: () =>
          post('/survey', dispatcher.auth, {
            satisfaction,
            resolved: outcome !== 'unsatisfied',
            ...(outcome === 'unsatisfied' ? { comment: '问题没有解决' } : {}),
          }),
      });
    });
    // an earlier 政企恳谈会 on 03-03 whose issues were not filed yet, and one on 03-06 with three issues,
    // one answered on the spot (docs/product.md §8.1)
    steps.push({
      at: day(3, 15),
      run: async () => {
        const meeting = await api
          .post('/meetings', dispatcher.auth, {
            title: '南浔区亲清直通车·政企恳谈会（第 2 期）',
            heldAt: '2026-03-03T14:30:00+08:00',
            district: '南浔区',
            leaderName: '赵副区长',
            enterpriseIds: [enterprise.user.enterpriseId],
            attendeeCount: 8,
          })
          .expect(201);
        earlierMeetingTitle = meeting.body.title;
      },
    });
    steps.push({
      at: day(6, 14),
      run: async () => {
        const meeting = await api
          .post('/meetings', dispatcher.auth, {
            title: '吴兴区亲清直通车·政企恳谈会（第 3 期）',
            heldAt: '2026-03-06T14:00:00+08:00',
            district: '吴兴区',
            leaderName: '王副区长',
            enterpriseIds: [enterprise.user.enterpriseId],
            attendeeCount: 12,
          })
          .expect(201);
        meetingTitle = meeting.body.title;
        const issue = (c: number, title: string, extra: object = {}) => ({
          enterpriseId: enterprise.user.enterpriseId,
          type: 'help',
          categoryCode: cats[c].code,
          title,
          content: '会上企业反映的问题。',
          ...extra,
        });
        await api
          .post(`/meetings/${meeting.body.id}/issues`, dispatcher.auth, {
            items: [
              issue(0, '厂房消防验收排队时间长'),
              issue(1, '首贷户贴息申报材料繁琐'),
              issue(2, '技能人才补贴到账慢', { resolvedOnSite: { content: '人社局现场答复：本周内拨付。' } }),
            ],
          })
          .expect(201);
      },
    });
    // a supervisor supervises (督办) the 经信局's case that nobody acknowledged (SPEC §7.3)
    const stalled = history.findIndex(([, , , , dep, outcome]) => dep === 2 && outcome === 'open');
    steps.push({
      at: day(9, 16),
      run: () =>
        api
          .post(`/appeals/${ids[stalled]}/supervise`, supervisor.auth, {
            note: '请于三个工作日内反馈办理情况。',
          })
          .expect(200),
    });
    // and puts it under a named leader (领导领衔, SPEC §8.2)
    steps.push({
      at: day(9, 17),
      run: () =>
        api
          .post(`/appeals/${ids[stalled]}/leader`, supervisor.auth, {
            leaderName: '李副市长',
            instruction: '请经信局牵头，三日内拿出方案。',
          })
          .expect(200),
    });
    steps.sort((a, b) => a.at - b.at);
    for (const s of steps) {
      clock.set(new Date(s.at));
      await s.run();
    }
    clock.set(new Date('2026-03-10T10:00:00+08:00'));
    // what fell due up to "now" fires here, not in the middle of a test (the periodic sweep would later
    // fire it between the page's figures and the route's, on a slow machine)
    await t.app.get(DeadlinesService).sweep();

    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1360, height: 860 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    context.on('request', (r) => requests.push(r.url()));
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the page, its modules and ECharts from the service, under a strict CSP', async () => {
    const res = await t.http().get('/dashboard').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    await t
      .http()
      .get('/dashboard/vendor/echarts.min.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await t.http().get('/dashboard/js/app.js').expect(200);
    // the icon is the service's own, allowed by the policy's img-src 'self'
    await t
      .http()
      .get('/dashboard/favicon.svg')
      .expect(200)
      .expect('Content-Type', 'image/svg+xml')
      .expect('Content-Security-Policy', DASHBOARD_CSP);
    expect(res.text).toContain('<link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml" />');
    expect(DASHBOARD_CSP).toContain("img-src 'self'");
    await t.http().get('/dashboard/../package.json').expect(404);
    await t.http().get('/dashboard/nothing.js').expect(404);
  });

  it('points the API document’s readers to docs/product.md, which the repository holds', async () => {
    const doc = await t.http().get('/api/docs-json').expect(200);
    expect(doc.body.info.description).toContain('docs/product.md');
    expect(doc.body.info.description).not.toContain('SPEC');
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'product.md'), 'utf8')).toMatch(/^# 政企通/);
  });

  it('refuses an enterprise’s sign-in with a message, and keeps no token', async () => {
    await page.goto(`${origin}/dashboard#/overview?${PERIOD}`);
    await page.waitForSelector('#signin:not([hidden])');
    await signIn(users.enterprise);
    await page.waitForSelector('#signin-message:not([hidden])');
    expect(await page.textContent('#signin-message')).toContain('本看板供督办、派单和管理人员使用');
    expect(await page.isHidden('#shell')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shot('sign-in-refused');

    await signIn(users.handler);
    await page.waitForFunction(() =>
      document.querySelector('#signin-message')?.textContent?.includes('承办单位'),
    );
    expect(await page.isHidden('#shell')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('signs a supervisor in and shows the tiles with the numbers of GET /reports/summary', async () => {
    const summaryRequest = page.waitForRequest((r) => r.url().includes('/api/v1/reports/summary'));
    const meRequest = page.waitForRequest((r) => r.url() === `${origin}/api/v1/me`);
    await signIn(users.supervisor);
    const req = await summaryRequest;
    await meRequest;
    await rendered();
    // who is signed in: the display name, not the username
    await page.waitForFunction(() => document.querySelector('#who')?.textContent?.startsWith('市营商办'));
    expect(await page.textContent('#who')).toBe('市营商办 督办员 陈静 · 督办');
    expect(await page.getAttribute('#who', 'title')).toContain(users.supervisor);
    const url = new URL(req.url());
    expect(url.searchParams.get('from')).toBe(FROM);
    expect(url.searchParams.get('to')).toBe(TO);
    expect(req.headers()['authorization']).toMatch(/^Bearer /);
    // the token is kept for this tab only
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);

    const summary = (
      await t
        .http()
        .get(`/api/v1/reports/summary${url.search}`)
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body;
    expect(summary.received).toBe(22); // 19 + 3 meeting issues
    const tiles = await page.$$eval('[data-metric]', (els) =>
      els.map((e) => ({
        metric: (e as HTMLElement).dataset.metric!,
        value: JSON.parse((e as HTMLElement).dataset.value!),
        text: e.querySelector('.tile-value, .count-value')?.textContent,
        verdict: e.querySelector('.badge')?.getAttribute('data-verdict') ?? null,
        title: e.getAttribute('title'),
      })),
    );
    for (const metric of [
      'closureRate',
      'responseRate',
      'onTimeReplyRate',
      'satisfactionRate',
      'score',
      'received',
      'closed',
      'rated',
    ])
      expect(tiles.map((x) => x.metric)).toContain(metric);
    for (const tile of tiles) {
      expect(tile.value).toEqual(summary[tile.metric]);
      expect(tile.text).toBe(shown(kindOf(tile.metric), summary[tile.metric]));
      expect(tile.title).toMatch(new RegExp(`^${tile.metric}：`)); // the SPEC key in the tooltip
    }
    for (const target of summary.targets) {
      const tile = tiles.find((x) => x.metric === target.metric)!;
      expect(tile.verdict).toBe(target.met === true ? 'met' : target.met === false ? 'missed' : 'nodata');
    }
    // every tile and count is named as the service's table names it (and so as the CSV headers do)
    const labels = await page.$$eval('[data-metric]', (els) =>
      els.map((e) => [
        (e as HTMLElement).dataset.metric!,
        e.querySelector('.tile-label, .count-label')?.textContent,
      ]),
    );
    for (const [metric, text] of labels)
      expect([metric, text]).toEqual([metric, FIGURE_LABELS[metric as keyof typeof FIGURE_LABELS].zh]);
    // the reply time is in working hours, and says so
    expect(await page.textContent('[data-metric=avgReplyWorkingHours] .tile-label')).toBe(
      '平均答复用时（工作小时）',
    );
    expect(await page.textContent('[data-metric=rated] .count-label')).toBe('有效回访');
    await shot('overview');
  });

  it('lists the categories in tree order and the districts as the service has them', async () => {
    const options = await page.$$eval('#filters select[name=categoryCode] option', (os) =>
      os.map((o) => [(o as HTMLOptionElement).value, o.textContent]),
    );
    // each parent followed by its children, indented; the roots without children after the trees
    expect(options).toEqual([
      ['', '全部类别'],
      ['FIN', '融资服务'],
      ['FIN.GUAR', '\u3000融资担保'],
      ['FIN.LOAN', '\u3000贷款审批'],
      ['LAB', '用工服务'],
      ['LAB.RECRUIT', '\u3000招工用工'],
      ['BIZ', '营商环境'],
      ['OTHER', '其他'],
    ]);

    // GET /districts where the service has it (a list of codes with names), else a free-text box
    const res = await t.http().get('/api/v1/districts').set('Authorization', supervisorAuth);
    expect([200, 404]).toContain(res.status);
    const list = res.status === 200 ? (res.body.items as { code: string; name: string }[]) : null;
    const control = await page.$eval('#filters [name=district]', (e) => ({
      tag: e.tagName,
      options: e instanceof HTMLSelectElement ? Array.from(e.options, (o) => [o.value, o.textContent]) : null,
    }));
    expect(control).toEqual(
      list
        ? { tag: 'SELECT', options: [['', '全部区县'], ...list.map((d) => [d.code, d.name])] }
        : { tag: 'INPUT', options: null },
    );
    const district = list ? (list.find((d) => d.name === '吴兴区') ?? list[0]).code : '吴兴区';
    const n = await renders();
    const refetch = page.waitForRequest(
      (r) =>
        r.url().includes('/reports/summary') && new URL(r.url()).searchParams.get('district') === district,
    );
    // choosing an option fires the select's change itself; a typed value is committed by change
    if (list) await page.selectOption('#filters select[name=district]', district);
    else {
      await page.fill('#filters input[name=district]', district);
      await page.dispatchEvent('#filters [name=district]', 'change');
    }
    await refetch;
    await rendered(n);
    const summary = await apiGet(`/reports/summary?${q({ from: FROM, to: TO, district })}`);
    expect(await page.textContent('[data-metric=received] .count-value')).toBe(String(summary.received));
    const m = await renders();
    await page.goto(`${origin}/dashboard#/overview?${PERIOD}`);
    await rendered(m);
  });

  it('opens the cases behind 超期未办 from its tile, and closes them again', async () => {
    const summary = await apiGet(`/reports/summary?${q({ from: FROM, to: TO })}`);
    expect(summary.overdueOpen).toBeGreaterThan(0);
    const n = await renders();
    await page.click('a.tile[data-metric=overdueOpen]');
    await rendered(n);
    expect(page.url()).toContain('list=overdue');
    const cases = await overdueCases({ from: FROM, to: TO });
    // the figure counts overdue assignments; the list has one row per appeal and names them all
    expect(cases.reduce((k, c) => k + c.late, 0)).toBe(summary.overdueOpen);
    const rows = await page.$$eval('#overdue-list tbody tr', (trs) =>
      trs.map((tr) => ({
        number: tr.querySelector('[data-col=number]')?.textContent,
        title: tr.querySelector('[data-col=title]')?.textContent,
        lead: tr.querySelector('[data-col=leadDepartment]')?.textContent,
        due: tr.querySelector('[data-col=due]')?.textContent,
      })),
    );
    expect(rows.map((r) => r.number)).toEqual(cases.map((c) => c.number));
    for (const r of rows) {
      expect(r.title).toMatch(/^企业诉求 \d+：/);
      expect(r.lead).toMatch(/^市/);
      expect(r.due).toMatch(LOCAL_TIME);
    }
    expect(await page.textContent('#overdue-list h2')).toContain(`${summary.overdueOpen} 个超期派单`);
    await shot('overdue');

    // the same filters narrow the list: a district
    const k = await renders();
    await page.goto(
      `${origin}/dashboard#/overview?${PERIOD}&district=${encodeURIComponent('德清县')}&list=overdue`,
    );
    await rendered(k);
    const narrowed = await overdueCases({ from: FROM, to: TO, district: '德清县' });
    expect(narrowed.length).toBeLessThan(cases.length);
    expect(
      await page.$$eval('#overdue-list td[data-col=number]', (tds) => tds.map((td) => td.textContent)),
    ).toEqual(narrowed.map((c) => c.number));

    const m = await renders();
    await page.goto(`${origin}/dashboard#/overview?${PERIOD}&list=overdue`);
    await rendered(m);
    const c = await renders();
    await page.click('#overdue-list a.close');
    await rendered(c);
    expect(page.url()).not.toContain('list=');
    expect(await page.$('#overdue-list')).toBeNull();
  });

  it('refetches and redraws when the period changes, and keeps it in the URL', async () => {
    const before = await renders();
    const refetch = page.waitForRequest(
      (r) =>
        r.url().includes('/reports/summary') &&
        new URL(r.url()).searchParams.get('from') === '2026-03-05T00:00:00+08:00',
    );
    await page.fill('#filters input[name=from]', '2026-03-05');
    await page.dispatchEvent('#filters input[name=from]', 'change');
    await refetch;
    await rendered(before);
    expect(page.url()).toContain('from=2026-03-05&to=2026-03-09');
    const summary = (
      await t
        .http()
        .get(
          `/api/v1/reports/summary?from=${encodeURIComponent('2026-03-05T00:00:00+08:00')}&to=${encodeURIComponent(TO)}`,
        )
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body;
    expect(summary.received).toBe(12);
    expect(await page.textContent('[data-metric=received] .count-value')).toBe('12');
    expect(await page.textContent('[data-metric=closureRate] .tile-value')).toBe(
      shown('rate', summary.closureRate),
    );

    // a shared link opens the same view; another tab has no token of its own until someone signs in there
    const again = await context.newPage();
    await again.goto(page.url());
    await again.waitForSelector('#signin:not([hidden])');
    await again.fill('#signin input[name=username]', users.dispatcher);
    await again.fill('#signin input[name=password]', PASSWORD);
    await again.click('#signin button[type=submit]');
    await again.waitForFunction(() => document.body.dataset.state === 'ready');
    expect(await again.textContent('[data-metric=received] .count-value')).toBe('12');
    expect(await again.inputValue('#filters input[name=from]')).toBe('2026-03-05');
    await again.close();
  });

  it('narrows every figure to leader-led cases when asked', async () => {
    const before = await renders();
    const refetch = page.waitForRequest(
      (r) =>
        r.url().includes('/reports/summary') && new URL(r.url()).searchParams.get('leaderLed') === 'true',
    );
    await page.selectOption('#filters select[name=leaderLed]', 'true');
    await refetch;
    await rendered(before);
    expect(page.url()).toContain('leaderLed=true');
    expect(await page.textContent('[data-metric=received] .count-value')).toBe('1');
    const n = await renders();
    await page.selectOption('#filters select[name=leaderLed]', '');
    await rendered(n);
    expect(page.url()).not.toContain('leaderLed');
  });

  it('downloads the CSV of the view through the report route', async () => {
    const download = page.waitForEvent('download');
    await page.click('#csv');
    const file = await download;
    expect(file.suggestedFilename()).toBe('summary-2026-03-05_2026-03-09.csv');
    const csv = readFileSync(await file.path(), 'utf8');
    const expected = await t
      .http()
      .get(
        `/api/v1/reports/summary?from=${encodeURIComponent('2026-03-05T00:00:00+08:00')}&to=${encodeURIComponent(TO)}&format=csv`,
      )
      .set('Authorization', supervisorAuth)
      .expect(200);
    expect(csv).toBe(expected.text);
    // the CSV names each column as the screen does
    const header = csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]
      .split(',');
    const shownLabels = await page.$$eval('[data-metric]', (els) =>
      els.map((e) => [
        (e as HTMLElement).dataset.metric!,
        e.querySelector('.tile-label, .count-label')?.textContent,
      ]),
    );
    expect(shownLabels.length).toBeGreaterThan(10);
    for (const [metric, text] of shownLabels) expect(header).toContain(`${text} ${metric}`);
  });

  it('draws the trend by day and by week', async () => {
    const before = await renders();
    await page.goto(`${origin}/dashboard#/trend?${PERIOD}`);
    await rendered(before);
    expect(await page.$$eval('table.trend tbody tr', (r) => r.length)).toBe(9);
    expect(await page.textContent('table.trend thead th[data-col=periodStart]')).toBe(
      COLUMN_LABELS.periodStart,
    );
    expect(await page.$$('.chart canvas')).not.toHaveLength(0);
    await shot('trend');
    const n = await renders();
    await page.selectOption('#filters select[name=interval]', 'week');
    await rendered(n);
    expect(page.url()).toContain('interval=week');
    expect(await page.$$eval('table.trend tbody tr', (r) => r.length)).toBe(3); // ISO weeks from Monday: 02-23 (03-01 is a Sunday), 03-02, 03-09
  });

  it('lists every department in the ranking, the insufficient samples apart, and opens a department', async () => {
    const before = await renders();
    await page.goto(`${origin}/dashboard#/departments?${PERIOD}`);
    await rendered(before);
    const report = (
      await t
        .http()
        .get(`/api/v1/reports/departments?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`)
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body;
    type Row = { name: string; insufficientSample: boolean };
    const items = report.items as Row[];
    const names = async (list: string) =>
      page.$$eval(`table[data-list=${list}] td[data-col=name]`, (tds) => tds.map((td) => td.textContent));
    const ranked = await names('ranked');
    const insufficient = await names('insufficient');
    expect(ranked).toEqual(items.filter((d) => !d.insufficientSample).map((d) => d.name));
    expect(insufficient).toEqual(items.filter((d) => d.insufficientSample).map((d) => d.name));
    expect([...ranked, ...insufficient].sort()).toEqual(items.map((d) => d.name).sort());
    expect(items.length).toBeGreaterThanOrEqual(departmentIds.length);
    expect(ranked.length).toBeGreaterThan(0);
    expect(insufficient).toEqual(['市商务局']); // one valid visit, under the minimum sample of 2
    // the score axis starts where the scores do, not at 0, when they all sit high
    const scores = items
      .filter((d) => !d.insufficientSample)
      .map((d) => (d as unknown as { score: number | null }).score);
    const axisMin = Number(await page.getAttribute('[aria-label=综合得分排名]', 'data-axis-min'));
    expect(axisMin).toBe(await inPage('charts.js', `m.scoreAxisMin(${JSON.stringify(scores)})`));
    expect(
      await inPage(
        'charts.js',
        '[m.scoreAxisMin([89.58, 92.77, 100]), m.scoreAxisMin([96, 100]), m.scoreAxisMin([45, 100]), m.scoreAxisMin([null])]',
      ),
    ).toEqual([80, 90, 0, 0]);
    await shot('departments');

    const n = await renders();
    await page.click('table[data-list=ranked] td[data-col=name] a >> text=市经济和信息化局');
    await rendered(n);
    expect(page.url()).toContain(`#/departments/${departmentIds[2]}?`);
    const overdue = (
      await t
        .http()
        .get(`/api/v1/appeals?leadDepartmentId=${departmentIds[2]}&overdue=true&limit=100`)
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body.items;
    expect(overdue.length).toBeGreaterThan(0);
    expect(await page.$$eval('table.overdue tbody tr', (r) => r.length)).toBe(overdue.length);
    const supervisions = (
      await t
        .http()
        .get(`/api/v1/supervisions?departmentId=${departmentIds[2]}&limit=100`)
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body.items as { appealId: string }[];
    expect(supervisions.length).toBeGreaterThan(0);
    expect(await page.$$eval('table.supervisions tbody tr', (r) => r.length)).toBe(supervisions.length);
    // each supervision names its appeal by number, and its times are local YYYY-MM-DD HH:mm
    const numbers = await Promise.all(
      supervisions.map(async (s) => (await apiGet(`/appeals/${s.appealId}`)).number),
    );
    expect(
      await page.$$eval('table.supervisions td[data-col=appeal]', (tds) => tds.map((td) => td.textContent)),
    ).toEqual(numbers);
    for (const text of await page.$$eval('table.supervisions td[data-col=createdAt]', (tds) =>
      tds.map((td) => td.textContent),
    ))
      expect(text).toMatch(LOCAL_TIME);
    await shot('department');
  });

  it('opens the overdue cases behind 超期未办 on a department’s page', async () => {
    const link = page.locator('a.tile[data-metric=overdueOpen]');
    const n = await renders();
    await link.click();
    await rendered(n);
    expect(page.url()).toContain('list=overdue');
    const summary = await apiGet(
      `/reports/summary?${q({ from: FROM, to: TO, departmentId: departmentIds[2] })}`,
    );
    const cases = await overdueCases({ from: FROM, to: TO }, departmentIds[2]);
    expect(cases.reduce((k, c) => k + c.late, 0)).toBe(summary.overdueOpen);
    expect(
      await page.$$eval('#overdue-list td[data-col=number]', (tds) => tds.map((td) => td.textContent)),
    ).toEqual(cases.map((c) => c.number));
  });

  it('says a department’s figures rest on too few return visits when they do', async () => {
    const n = await renders();
    await page.goto(`${origin}/dashboard#/departments/${departmentIds[4]}?${PERIOD}`);
    await rendered(n);
    const summary = await apiGet(
      `/reports/summary?${q({ from: FROM, to: TO, departmentId: departmentIds[4] })}`,
    );
    const { minSample } = await apiGet('/targets');
    expect(summary.rated).toBeGreaterThan(0);
    expect(summary.rated).toBeLessThan(minSample);
    const note = await page.textContent('[data-small-sample]');
    expect(note).toContain(`有效回访 ${summary.rated} 件`);
    expect(note).toContain(`最小样本 ${minSample} 件`);
    expect(await page.getAttribute('[data-metric=satisfactionRate]', 'class')).toContain('small');
    expect(await page.textContent('[data-metric=satisfactionRate] .badge[data-verdict=small]')).toBe(
      '样本不足',
    );
    // a view with enough visits says nothing of the kind
    const m = await renders();
    await page.goto(`${origin}/dashboard#/overview?${PERIOD}`);
    await rendered(m);
    expect(await page.$('[data-small-sample]')).toBeNull();
  });

  it('picks the granularity by the period’s length and pages a long table', async () => {
    // a year on a department's page: by month, not 365 rows
    let n = await renders();
    const monthly = page.waitForRequest((r) => r.url().includes('/reports/trend'));
    await page.goto(`${origin}/dashboard#/departments/${departmentIds[2]}?from=2025-04-01&to=2026-03-31`);
    expect(new URL((await monthly).url()).searchParams.get('interval')).toBe('month');
    await rendered(n);
    expect(await page.$$eval('table.trend tbody tr', (r) => r.length)).toBe(12);
    expect(await page.textContent('#filters select[name=interval] option[value=""]')).toBe('自动·月');

    // a quarter asked for by day: 90 rows, a page of 31 at a time
    n = await renders();
    await page.goto(`${origin}/dashboard#/trend?from=2026-01-01&to=2026-03-31&interval=day`);
    await rendered(n);
    expect(await page.getAttribute('table.trend', 'data-total')).toBe('90');
    expect(await page.$$eval('table.trend tbody tr', (r) => r.length)).toBe(31);
    expect(await page.textContent('.pager-info')).toBe('第 1 / 3 页 · 共 90 行');
    await page.click('.pager [data-pager=next]');
    expect(await page.textContent('table.trend tbody tr td[data-col=periodStart]')).toBe('2026-02-01');
    await page.click('.pager [data-pager=all]');
    expect(await page.$$eval('table.trend tbody tr', (r) => r.length)).toBe(90);

    expect(
      await inPage(
        'period.js',
        "[m.autoInterval('2026-03-01', '2026-03-31'), m.autoInterval('2026-01-01', '2026-03-31'), m.autoInterval('2025-01-01', '2025-12-31')]",
      ),
    ).toEqual(['day', 'week', 'month']);
  });

  it('shows the category hot spots', async () => {
    const before = await renders();
    await page.goto(`${origin}/dashboard#/categories?${PERIOD}`);
    await rendered(before);
    const cells = await page.$$eval('table.categories td[data-col=name]', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(cells).toEqual(['营商环境', '融资服务', '用工服务']);
    // the pie: its slices add up to the period's appeals; three categories are three slices
    const report = await apiGet(`/reports/categories?${q({ from: FROM, to: TO })}`);
    const slices = JSON.parse((await page.getAttribute('[aria-label=类别占比]', 'data-slices'))!) as {
      name: string;
      value: number;
    }[];
    expect(slices.reduce((n, x) => n + x.value, 0)).toBe(report.totalReceived);
    expect(slices.map((x) => x.name).sort()).toEqual(['用工服务', '营商环境', '融资服务'].sort());
    // many small categories fold into one 其他 slice: at most 8 of their own, each at least 3 %
    const many = Array.from({ length: 12 }, (_, i) => ({
      code: `C${i}`,
      name: `类别${i}`,
      received: 40 - 3 * i,
    }));
    const folded = await inPage<{ name: string; value: number }[]>(
      'views/categories.js',
      `m.pieSlices(${JSON.stringify(many)}).map((s) => ({ name: s.name, value: s.value }))`,
    );
    expect(folded.map((x) => x.name)).toEqual([...many.slice(0, 8).map((c) => c.name), '其他（4 类）']);
    expect(folded[8].value).toBe(many.slice(8).reduce((n, c) => n + c.received, 0));
    const tiny = [
      { code: 'A', name: '甲', received: 98 },
      { code: 'B', name: '乙', received: 1 },
      { code: 'C', name: '丙', received: 1 },
    ];
    expect(
      await inPage<string[]>(
        'views/categories.js',
        `m.pieSlices(${JSON.stringify(tiny)}).map((s) => s.name)`,
      ),
    ).toEqual(['甲', '其他（2 类）']);
    // the pie groups a tree's categories under their top level (or under the chosen category)
    const tree = [
      { categoryCode: 'FIN', name: '融资服务', parentCode: null, received: 0 },
      { categoryCode: 'FIN.LOAN', name: '贷款审批', parentCode: 'FIN', received: 5 },
      { categoryCode: 'FIN.GUAR', name: '融资担保', parentCode: 'FIN', received: 2 },
      { categoryCode: 'OTHER', name: '其他', parentCode: null, received: 3 },
    ];
    expect(
      await inPage(
        'views/categories.js',
        `[m.pieGroups(${JSON.stringify(tree)}), m.pieGroups(${JSON.stringify(tree)}, 'FIN')]`,
      ),
    ).toEqual([
      [
        { code: 'FIN', name: '融资服务', received: 7 },
        { code: 'OTHER', name: '其他', received: 3 },
      ],
      [
        { code: 'FIN.LOAN', name: '贷款审批', received: 5 },
        { code: 'FIN.GUAR', name: '融资担保', received: 2 },
      ],
    ]);
    await shot('categories');
  });

  it('lists a meeting filed through the API, with the meetings report’s totals', async () => {
    const before = await renders();
    await page.goto(`${origin}/dashboard#/meetings?${PERIOD}`);
    await rendered(before);
    const report = (
      await t
        .http()
        .get(`/api/v1/reports/meetings?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`)
        .set('Authorization', supervisorAuth)
        .expect(200)
    ).body;
    expect(report.totals).toMatchObject({ meetings: 2, issues: 3, resolvedOnSite: 1 });
    const rows = await page.$$eval('table.meetings tbody tr', (trs) =>
      trs.map((tr) => ({
        heldAt: tr.querySelector('[data-col=heldAt]')?.textContent,
        title: tr.querySelector('[data-col=title]')?.textContent,
        leader: tr.querySelector('[data-col=leaderName]')?.textContent,
        issues: tr.querySelector('[data-col=issues]')?.textContent,
      })),
    );
    // the columns are headed as the meetings CSV heads them
    const heads = await page.$$eval('table.meetings thead th', (ths) =>
      ths.map((th) => [(th as HTMLElement).dataset.col, th.textContent]),
    );
    expect(heads).toEqual(
      expect.arrayContaining([
        ['title', COLUMN_LABELS.title],
        ['leaderName', COLUMN_LABELS.leaderName],
        ['issues', FIGURE_LABELS.issues.zh],
      ]),
    );
    // the latest first, held at local YYYY-MM-DD HH:mm
    expect(rows).toEqual([
      { heldAt: '2026-03-06 14:00', title: meetingTitle, leader: '王副区长', issues: '3' },
      { heldAt: '2026-03-03 14:30', title: earlierMeetingTitle, leader: '赵副区长', issues: '0' },
    ]);
    expect(await inPage('period.js', "m.localTime('2026-03-06T06:00:00.000Z', 'Asia/Shanghai')")).toBe(
      '2026-03-06 14:00',
    );
    const shownTotals = await page.$$eval('.counts [data-metric]', (els) =>
      Object.fromEntries(
        els.map((e) => [(e as HTMLElement).dataset.metric, JSON.parse((e as HTMLElement).dataset.value!)]),
      ),
    );
    expect(Object.keys(shownTotals).length).toBeGreaterThanOrEqual(8);
    for (const [metric, value] of Object.entries(shownTotals)) expect(value).toEqual(report.totals[metric]);
    expect(await page.textContent('[data-metric=meetings] .count-value')).toBe('2');
    await shot('meetings');
  });

  it('the whistles view: the whistles report’s totals and rows, and the whistles still running (SPEC §12)', async () => {
    // after the history's period: the other views' figures are not touched
    clock.set(new Date('2026-03-10T10:00:00+08:00'));
    const enterprise = await login(t, users.enterprise);
    const dispatcher = await login(t, users.dispatcher);
    const file = async () =>
      (
        await api
          .post('/appeals', enterprise, {
            type: 'help',
            categoryCode: 'FIN.LOAN',
            title: '厂房验收多个部门互相推诿',
            content: '消防、住建、供电三个部门各说各的，验收三个月没有进展。',
          })
          .expect(201)
      ).body.id as string;
    const first = await file();
    const second = await file();
    const w1 = (
      await api.post(`/appeals/${first}/whistle`, enterprise, { reason: '部门互相推诿' }).expect(201)
    ).body.id as string;
    await api.post(`/appeals/${second}/whistle`, dispatcher, { reason: '代企业吹哨' }).expect(201);
    await api
      .post(`/whistles/${w1}/approve`, supervisorAuth, {
        leadDepartmentId: departmentIds[0],
        departmentIds: [departmentIds[1]],
        meetingAt: '2026-03-11T10:00:00+08:00',
        location: '企业会议室',
      })
      .expect(200);
    const before = await renders();
    await page.goto(`${origin}/dashboard#/whistles?from=2026-03-10&to=2026-03-10`);
    await rendered(before);
    const report = await apiGet(
      `/reports/whistles?from=${encodeURIComponent('2026-03-10T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-11T00:00:00+08:00')}`,
    );
    expect(report.totals).toMatchObject({ whistles: 2, whistlesApproved: 1, whistlesClosed: 0 });
    const shownTotals = await page.$$eval('.counts [data-metric]', (els) =>
      Object.fromEntries(
        els.map((e) => [(e as HTMLElement).dataset.metric, JSON.parse((e as HTMLElement).dataset.value!)]),
      ),
    );
    expect(shownTotals).toEqual(report.totals);
    expect(await page.textContent('[data-metric=whistles] .count-value')).toBe('2');
    expect(await page.textContent('[data-metric=whistleClosedOnTimeRate] .count-value')).toBe('—');
    const heads = await page.$$eval('table.whistles thead th', (ths) =>
      ths.map((th) => [(th as HTMLElement).dataset.col, th.textContent]),
    );
    expect(heads).toEqual(expect.arrayContaining([['whistles', FIGURE_LABELS.whistles.zh]]));
    const rows = await page.$$eval('table.whistles tbody tr', (trs) =>
      trs.map((tr) => [
        tr.querySelector('[data-col=name]')?.textContent,
        tr.querySelector('[data-col=whistles]')?.textContent,
      ]),
    );
    expect(rows).toEqual(
      report.items.map((i: { name: string; whistles: number }) => [i.name, String(i.whistles)]),
    );
    const running = await page.$$eval('table.whistles-running tbody tr', (trs) =>
      trs.map((tr) => [
        tr.querySelector('[data-col=status]')?.textContent,
        tr.querySelector('[data-col=meetingAt]')?.textContent,
        tr.querySelector('[data-col=checkIns]')?.textContent,
      ]),
    );
    expect(running).toEqual(
      expect.arrayContaining([
        ['已同意待召开', '2026-03-11 10:00', '0/2'],
        ['待审核', '—', '—'],
      ]),
    );
    expect(running).toHaveLength(2);
    await shot('whistles');
  });

  it('makes no request outside the service’s own origin', () => {
    expect(requests.length).toBeGreaterThan(10);
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`));
    expect(foreign).toEqual([]);
  });
});
