/// <reference lib="dom" />
// page.evaluate and $$eval callbacks run in the browser
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WORKBENCH_CSP } from '../../src/infra/http/workbench';
import { client } from '../setup/appeal-helpers';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from '../setup/browser';
import { actor, Factory, login, PASSWORD } from '../setup/factories';
import { sampleJpeg, samplePdf } from '../setup/sample-files';
import { waitFor } from '../setup/wait';
import { createTestApp, TEST_ADMIN, type TestApp } from '../setup/test-app';
import { Clock } from '../../src/common/clock';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';

/** The real time, shifted back while the history the department's lights show is made. */
class ShiftedClock extends Clock {
  shift = 0;
  now(): Date {
    return new Date(Date.now() + this.shift);
  }
}

/**
 * The workbench in headless Chromium against the whole service on a real port: one case across the
 * three desks, each in its own browser context — the enterprise on a phone's width (390 px), the centre
 * and the departments on 1366×768 — and the buttons each sees, checked against GET /appeals/{id}/actions.
 * The real clock (shifted back only to make two older cases): the department's "due today" view asks
 * for the browser's local day.
 */
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const describeBrowser = chromiumAvailable() ? describe : describe.skip;
if (!chromiumAvailable())
  console.warn(
    `workbench browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`,
  );

const LEAD = '市市场监督管理局';
const CO = '市商务局';
const OTHER = '市住房和城乡建设局';
/** Buttons only the centre uses, and only the enterprise uses: a department's desk never shows them. */
const CENTRE_ONLY = ['dispatch', 'resolve', 'reject', 'review-return', 'review-extension', 'merge'];
const ENTERPRISE_ONLY = ['supplement', 'withdraw', 'whistle'];
/** The table actions behind each button (workbench/js/actions.js), to compare with the service's list. */
const BUTTON_ACTIONS: Record<string, string[]> = {
  dispatch: ['dispatch'],
  resolve: ['resolve_on_spot'],
  reject: ['reject'],
  'review-return': ['approve_return_lead', 'approve_return_co', 'deny_return'],
  'review-extension': ['approve_extension', 'deny_extension'],
  merge: ['merge'],
  survey: ['survey_close', 'survey_reopen', 'survey_close_reopen_limit'],
  acknowledge: ['acknowledge_lead', 'acknowledge_co'],
  contact: ['log_contact'],
  progress: ['progress'],
  staged: ['staged_reply'],
  reply: ['reply'],
  opinion: ['opinion'],
  return: ['request_return'],
  extension: ['request_extension'],
  supervision: ['answer_supervision'],
  'plan-update': ['update_plan'],
  'plan-fulfil': ['fulfil_plan'],
  'confirm-plan': ['confirm_plan'],
  supplement: ['supplement'],
  whistle: ['request_whistle'],
  withdraw: ['withdraw'],
  attach: ['add_attachment'],
};

describeBrowser('workbench in Chromium: the centre, a department and an enterprise', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let api: ReturnType<typeof client>;
  const requests: string[] = [];
  const users = {} as Record<'dispatcher' | 'lead' | 'co' | 'other' | 'enterprise' | 'supervisor', string>;
  const auth = {} as Record<keyof typeof users, string>;
  const pages = {} as Record<'enterprise' | 'centre' | 'lead' | 'co', Page>;
  const contexts: BrowserContext[] = [];
  let appealId = '';
  let appealNumber = '';
  const clock = new ShiftedClock();
  const lights = {} as Record<'red' | 'yellow', string>;
  let knowledgeId = '';

  async function newPage(width: number, height: number) {
    const context = await browser.newContext({
      viewport: { width, height },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    // a loaded machine (shared cores) is slow, not wrong
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    context.on('request', (r) => requests.push(r.url()));
    return context.newPage();
  }

  const renders = async (page: Page) => Number((await page.getAttribute('body', 'data-renders')) ?? 0);
  /** Waits for the render after the n-th, and that it drew. */
  async function rendered(page: Page, after: number) {
    await page.waitForFunction(
      (n) =>
        ['ready', 'error'].includes(document.body.dataset.state ?? '') &&
        Number(document.body.dataset.renders) > n,
      after,
    );
    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
  }
  /** Runs `step` and waits for the page to draw again. */
  async function step(page: Page, fn: () => Promise<unknown>) {
    const n = await renders(page);
    await fn();
    await rendered(page, n);
  }
  async function signIn(page: Page, username: string) {
    await page.goto(`${origin}/workbench`);
    await page.waitForSelector('#signin:not([hidden])');
    await step(page, async () => {
      await page.fill('#signin input[name=username]', username);
      await page.fill('#signin input[name=password]', PASSWORD);
      await page.click('#signin button[type=submit]');
    });
  }
  /** The dashboard's received and closed counts, once it has drawn. */
  async function dashboardCounts(page: Page) {
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    const count = async (metric: string) =>
      Number(((await page.textContent(`[data-metric=${metric}] .count-value`)) ?? '').replace(/[^0-9]/g, ''));
    return { received: await count('received'), closed: await count('closed') };
  }
  /** Opens the case (from the desk's list when the page shows it already, so it is read afresh). */
  async function openCase(page: Page) {
    if (page.url().endsWith(`#/case/${appealId}`)) await step(page, () => page.goto(`${origin}/workbench#/`));
    await step(page, () => page.goto(`${origin}/workbench#/case/${appealId}`));
  }
  const status = (page: Page) => page.textContent('#status');
  const buttons = (page: Page) =>
    page.$$eval('#actions button[data-action]', (bs) => bs.map((b) => (b as HTMLElement).dataset.action!));
  /** Opens a button's form, lets `fill` fill it, submits it and waits for the case to draw again. */
  async function act(page: Page, action: string, fill?: (form: string) => Promise<void>) {
    const form = `form[data-form="${action}"]`;
    const n = await renders(page);
    await page.click(`#actions button[data-action="${action}"]`);
    if (fill) {
      await fill(form);
      await page.click(`${form} button[type=submit]`);
    } // a button without a form acts at once
    // drawn again, or the action's error shown (then the test fails with the service's message)
    await page.waitForFunction(
      (k) =>
        Number(document.body.dataset.renders) > k ||
        !!document.querySelector('#actions .message:not([hidden])'),
      n,
    );
    const error = await page.$('#actions .message:not([hidden])');
    expect(error ? await error.textContent() : null).toBeNull();
    await rendered(page, n);
  }
  /** The buttons a page shows are exactly those the service allows (minus 合并 without a duplicate). */
  async function expectButtonsAsAllowed(page: Page, who: keyof typeof users) {
    const allowed: string[] = (await api.get(`/appeals/${appealId}/actions`, auth[who]).expect(200)).body
      .actions;
    const shown = await buttons(page);
    const expected = Object.entries(BUTTON_ACTIONS)
      .filter(([key, actions]) => key !== 'merge' && actions.some((a) => allowed.includes(a)))
      .map(([key]) => key);
    expect(shown.sort()).toEqual(expected.sort());
    return shown;
  }
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `workbench-${name}.png`), fullPage: true });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    api = client(t);
    const f = new Factory(t.db);
    const [lead, co, other] = await Promise.all(
      [
        ['SCJG', LEAD],
        ['SWJ', CO],
        ['ZJJ', OTHER],
      ].map(([code, name]) => f.department({ code, name })),
    );
    await f.category({ code: 'FIN', name: '融资服务', defaultDepartmentId: lead.id });
    await f.category({ code: 'BIZ', name: '营商环境' });
    const ent = await f.enterprise({ name: '湖州绿源新材料有限公司' });
    const made = {
      dispatcher: await actor(t, f, 'dispatcher', { displayName: '12345 中心 派单员 周敏' }),
      lead: await actor(t, f, 'handler', { departmentId: lead.id, displayName: '市场监管局 承办人 王磊' }),
      co: await actor(t, f, 'handler', { departmentId: co.id, displayName: '商务局 承办人 李娜' }),
      other: await actor(t, f, 'handler', { departmentId: other.id }),
      enterprise: await actor(t, f, 'enterprise', { enterpriseId: ent.id, displayName: '绿源新材料 张经理' }),
      supervisor: await actor(t, f, 'supervisor'),
    };
    for (const [k, v] of Object.entries(made)) {
      users[k as keyof typeof users] = v.user.username;
      auth[k as keyof typeof users] = v.auth;
    }
    // a published knowledge entry (drafted by a department, published by the centre)
    const entry = (
      await api
        .post('/knowledge', made.lead.auth, {
          categoryCode: 'BIZ',
          title: '园区道路施工期间的货车通行',
          question: '园区道路施工，货车怎么进出？',
          answer: '施工单位须保留货车通道；夜间 22 点至次日 6 点开放临时通道，由住建局协调。',
          kind: 'service_guide',
          keywords: ['道路施工', '货车通行'],
          public: true,
        })
        .expect(201)
    ).body;
    await api.post(`/knowledge/${entry.id}/submit`, made.lead.auth).expect(200);
    await api.post(`/knowledge/${entry.id}/publish`, made.dispatcher.auth).expect(200);
    knowledgeId = entry.id;

    // two older cases of the lead department, on a 10-hour acknowledgement window (warning at 80 %):
    // dispatched 11 hours ago, it is past due (red); 9 hours ago, past its warning (yellow)
    const admin = await login(t, TEST_ADMIN.username, TEST_ADMIN.password);
    await f.category({ code: 'LAB', name: '用工服务' });
    await api
      .post('/sla-policies', admin, {
        name: 'workbench-LAB',
        categoryCode: 'LAB',
        clock: 'natural',
        ackWithin: 'PT10H',
        replyWithin: 'P3D',
      })
      .expect(201);
    for (const [light, hours, title] of [
      ['red', 11, '招工补贴申报系统无法登录'],
      ['yellow', 9, '外地员工子女入学咨询'],
    ] as const) {
      clock.shift = -hours * 3_600_000;
      const a = (
        await api
          .post('/appeals', made.enterprise.auth, {
            type: 'help',
            categoryCode: 'LAB',
            title,
            content: `${title}，请尽快协调。`,
          })
          .expect(201)
      ).body;
      await api
        .post(`/appeals/${a.id}/dispatch`, made.dispatcher.auth, { leadDepartmentId: lead.id })
        .expect(200);
      lights[light] = a.id;
    }
    clock.shift = 0;
    // their wake-ups were armed on the shifted clock (hours away): fire what is due now, before any page
    // reads these cases, so the periodic sweep cannot change one between a page's read and its action
    await t.app.get(DeadlinesService).sweep();

    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    pages.enterprise = await newPage(390, 844);
    pages.centre = await newPage(1366, 768);
    pages.lead = await newPage(1366, 768);
    pages.co = await newPage(1366, 768);
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
  });

  it('serves the pages and modules from the service under a strict CSP', async () => {
    const res = await t.http().get('/workbench').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toBe(WORKBENCH_CSP);
    expect(WORKBENCH_CSP).toContain("script-src 'self'");
    expect(WORKBENCH_CSP).not.toContain('unsafe-inline');
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
    await t
      .http()
      .get('/workbench/js/app.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await t.http().get('/workbench/../package.json').expect(404);
    await t.http().get('/workbench/nothing.js').expect(404);
  }, 240_000);

  it('refuses a supervisor’s sign-in with a pointer to the dashboard, and keeps no token', async () => {
    const page = pages.centre;
    await page.goto(`${origin}/workbench`);
    await page.waitForSelector('#signin:not([hidden])');
    await page.fill('#signin input[name=username]', users.supervisor);
    await page.fill('#signin input[name=password]', PASSWORD);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#signin-message:not([hidden])');
    expect(await page.textContent('#signin-message')).toContain('/dashboard');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  }, 240_000);

  it('one case across the three desks: filed with a photo, dispatched by name, handled, rated unsatisfied, handled again, closed', async () => {
    const before = (await api.get('/reports/summary', auth.supervisor).expect(200)).body;
    // the supervisors' dashboard, open beside the desks (this month so far, its default period)
    const board = await newPage(1366, 768);
    await board.goto(`${origin}/dashboard`);
    await board.waitForSelector('#signin:not([hidden])');
    await board.fill('#signin input[name=username]', users.supervisor);
    await board.fill('#signin input[name=password]', PASSWORD);
    await board.click('#signin button[type=submit]');
    const boardBefore = await dashboardCounts(board);

    // ── the enterprise files with a photo, on a phone
    const ent = pages.enterprise;
    await signIn(ent, users.enterprise);
    expect(await ent.textContent('#desk-title')).toContain('我的诉求');
    await step(ent, () => ent.click('nav a[href="#/file"]'));
    await ent.selectOption('#file-form select[name=categoryCode]', { label: '融资服务' });
    await ent.fill('#file-form input[name=title]', '技改贷款贴息申请三个月没有答复');
    await ent.fill(
      '#file-form textarea[name=content]',
      '我司五月提交的技改贷款贴息申请至今没有答复，生产线改造等着这笔资金。',
    );
    await ent.fill('#file-form input[name=contactName]', '张经理');
    await ent.fill('#file-form input[name=contactPhone]', '13905720001');
    await ent.setInputFiles('#file-form input[name=files]', {
      name: '现场照片.jpg',
      mimeType: 'image/jpeg',
      buffer: sampleJpeg(),
    });
    await shot(ent, 'enterprise-file');
    await step(ent, () => ent.click('#file-form button[type=submit]'));
    appealId = (await ent.getAttribute('.case', 'data-appeal'))!;
    expect(appealId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await status(ent)).toBe('待受理');
    expect(await ent.$$eval('#attachments li', (li) => li.length)).toBe(1);
    const filed = (await api.get(`/appeals/${appealId}`, auth.enterprise).expect(200)).body;
    appealNumber = filed.number;
    expect(
      (await api.get(`/appeals/${appealId}/attachments`, auth.enterprise).expect(200)).body.items,
    ).toHaveLength(1);
    await expectButtonsAsAllowed(ent, 'enterprise');
    expect(await buttons(ent)).toEqual(expect.arrayContaining(['supplement', 'withdraw']));

    // ── the centre: the appeal in its inbox, dispatched to a lead and a co department picked by name
    // (routing runs as a job after filing: the suggestion is there once it has)
    await waitFor(
      async () => (await api.get(`/appeals/${appealId}`, auth.dispatcher).expect(200)).body.routedAt,
      'the routing suggestion',
      120_000,
    );
    const centre = pages.centre;
    await signIn(centre, users.dispatcher);
    expect(await centre.textContent('#desk-title')).toContain('受理派单台');
    const inbox = await centre.$$eval('#inbox td[data-col=number]', (tds) => tds.map((td) => td.textContent));
    expect(inbox).toContain(appealNumber);
    await step(centre, () => centre.click(`#inbox a:text("${appealNumber}")`));
    expect(await status(centre)).toBe('待受理');
    expect(await centre.textContent('#routing')).toContain(LEAD);
    expect(await centre.textContent('.case')).toContain('湖州绿源新材料有限公司');
    const centreButtons = await expectButtonsAsAllowed(centre, 'dispatcher');
    expect(centreButtons).toEqual(expect.arrayContaining(['dispatch', 'resolve', 'reject']));
    await centre.click('#actions button[data-action=dispatch]');
    await shot(centre, 'centre-case');
    await act(centre, 'dispatch', async (form) => {
      await centre.selectOption(`${form} select[name=leadDepartmentId]`, { label: LEAD });
      await centre.getByRole('checkbox', { name: CO }).check();
      await centre.fill(`${form} textarea[name=note]`, '请主办部门三日内联系企业。');
    });
    expect(await status(centre)).toBe('待签收');
    const dispatched = (await api.get(`/appeals/${appealId}`, auth.dispatcher).expect(200)).body;
    expect(
      dispatched.assignments.map((s: { role: string; departmentName: string }) => [s.role, s.departmentName]),
    ).toEqual(
      expect.arrayContaining([
        ['lead', LEAD],
        ['co', CO],
      ]),
    );
    await expectButtonsAsAllowed(centre, 'dispatcher');
    expect(await buttons(centre)).not.toContain('dispatch');

    // ── the lead department: its queue with a light, 签收, 联系企业, 答复
    const lead = pages.lead;
    await signIn(lead, users.lead);
    expect(await lead.textContent('#desk-title')).toContain('承办工作台');
    expect(
      await lead.$$eval('#queue td[data-col=number]', (tds) => tds.map((td) => td.textContent)),
    ).toContain(appealNumber);
    expect(await lead.getAttribute(`#queue tr[data-appeal="${appealId}"]`, 'data-light')).toBe('green');
    // what falls due first on top: the red case, then the yellow one, then the new one
    expect(
      await lead.$$eval('#queue tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.appeal)),
    ).toEqual([lights.red, lights.yellow, appealId]);
    expect(await lead.getAttribute(`#queue tr[data-appeal="${lights.red}"]`, 'data-light')).toBe('red');
    expect(await lead.getAttribute(`#queue tr[data-appeal="${lights.yellow}"]`, 'data-light')).toBe('yellow');
    await shot(lead, 'department-queue');
    await step(lead, () => lead.click(`#queue a:text("${appealNumber}")`));
    expect(await status(lead)).toBe('待签收');
    await expectButtonsAsAllowed(lead, 'lead');
    expect(await buttons(lead)).toContain('acknowledge');
    await act(lead, 'acknowledge');
    expect(await status(lead)).toBe('办理中');
    const leadButtons = await expectButtonsAsAllowed(lead, 'lead');
    expect(leadButtons).toEqual(
      expect.arrayContaining(['contact', 'progress', 'staged', 'reply', 'return', 'extension']),
    );
    await act(lead, 'contact', async (form) => {
      await lead.selectOption(`${form} select[name=method]`, { label: '电话' });
      await lead.selectOption(`${form} select[name=outcome]`, { label: '已联系上' });
      await lead.fill(`${form} textarea[name=note]`, '与张经理通话，约定下周上门核实。');
    });
    expect(
      await lead.$$eval('#timeline li', (li) => li.map((x) => (x as HTMLElement).dataset.action)),
    ).toContain('contact.logged');
    await act(lead, 'reply', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '经核实，贴息资金已列入本月拨付计划，月底前到账。');
      await lead.selectOption(`${form} select[name=outcome]`, { label: '已解决' });
    });
    expect(await status(lead)).toBe('已答复待回访');

    // ── the co department: it never sees the lead's or the centre's buttons
    const co = pages.co;
    await signIn(co, users.co);
    await openCase(co);
    const coButtons = await expectButtonsAsAllowed(co, 'co');
    expect(coButtons).not.toContain('reply');

    // ── the enterprise rates unsatisfied, with its reason
    await openCase(ent);
    expect(await ent.textContent('#reply')).toContain('月底前到账');
    expect(await buttons(ent)).toContain('survey');
    await ent.click('#actions button[data-action=survey]');
    await shot(ent, 'enterprise-rate');
    await act(ent, 'survey', async (form) => {
      await ent.selectOption(`${form} select[name=satisfaction]`, { label: '不满意' });
      await ent.selectOption(`${form} select[name=resolved]`, { label: '未解决' });
      await ent.fill(`${form} textarea[name=comment]`, '资金没有到账，答复只说列入计划。');
    });
    expect(await status(ent)).toBe('办理中');

    // ── the lead sees the reason, in its queue and on the case, and replies again
    await step(lead, () => lead.goto(`${origin}/workbench#/`));
    expect(await lead.textContent(`#queue tr[data-appeal="${appealId}"] td[data-col=notes]`)).toContain(
      '资金没有到账',
    );
    await openCase(lead);
    expect(await lead.textContent('#unsatisfied-reason')).toContain('资金没有到账，答复只说列入计划。');
    await expectButtonsAsAllowed(lead, 'lead');
    await shot(lead, 'department-case');
    await act(lead, 'reply', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '已督促财政拨付，贴息资金已于今日到账，请查收。');
      await lead.selectOption(`${form} select[name=outcome]`, { label: '已解决' });
    });
    expect(await status(lead)).toBe('已答复待回访');

    // ── the enterprise is satisfied: closed, and nothing more to do
    await openCase(ent);
    await act(ent, 'survey', async (form) => {
      await ent.selectOption(`${form} select[name=satisfaction]`, { label: '满意' });
      await ent.selectOption(`${form} select[name=resolved]`, { label: '已解决' });
    });
    expect(await status(ent)).toBe('已办结');
    const closedButtons = await expectButtonsAsAllowed(ent, 'enterprise');
    expect(closedButtons).not.toEqual(expect.arrayContaining(['survey']));
    expect(closedButtons).not.toContain('withdraw');
    await shot(ent, 'enterprise-case');
    await step(ent, () => ent.click('nav a[href="#/"]'));
    expect(await ent.textContent(`#my-appeals tr[data-appeal="${appealId}"] td[data-col=status]`)).toBe(
      '已办结',
    );
    expect(await ent.textContent(`#my-appeals tr[data-appeal="${appealId}"] td[data-col=lead]`)).toBe(LEAD);
    await shot(ent, 'enterprise-list');

    // ── the dashboard's figures (GET /reports/summary and the dashboard page) count the closed case
    const after = (await api.get('/reports/summary', auth.supervisor).expect(200)).body;
    expect(after.received).toBe(before.received + 1);
    expect(after.closed).toBe(before.closed + 1);
    await board.reload();
    expect(await dashboardCounts(board)).toEqual({
      received: boardBefore.received + 1,
      closed: boardBefore.closed + 1,
    });
  }, 240_000);

  it('a department’s desk never shows the centre’s or the enterprise’s buttons, and another department cannot open the case', async () => {
    for (const page of [pages.lead, pages.co]) {
      await openCase(page);
      const shown = await buttons(page);
      for (const b of [...CENTRE_ONLY, ...ENTERPRISE_ONLY, 'survey']) expect(shown).not.toContain(b);
    }
    // a handler of a department that does not hold the case: the service answers 404, the page says so
    await api.get(`/appeals/${appealId}/actions`, auth.other).expect(404);
    const other = await newPage(1366, 768);
    await signIn(other, users.other);
    const n = await renders(other);
    await other.goto(`${origin}/workbench#/case/${appealId}`);
    await other.waitForFunction((k) => Number(document.body.dataset.renders) > k, n);
    expect(await other.getAttribute('body', 'data-state')).toBe('error');
    expect(await other.$('#actions')).toBeNull();
  }, 240_000);

  it('the department’s “due today” view; the centre files for a caller found by name and answers on the call citing the knowledge base', async () => {
    await step(pages.lead, () => pages.lead.click('nav a[href="#/today"]'));
    expect(await pages.lead.textContent('main h2')).toMatch(/^今日到期（\d+）$/);
    // what falls due by the end of the local day (the red case is past due; tomorrow's are not listed)
    const today = await pages.lead.evaluate(() =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
    );
    const due = await pages.lead.$$eval('#queue tbody tr', (trs) =>
      trs.map((tr) => [
        (tr as HTMLElement).dataset.appeal,
        tr.querySelector('td[data-col=light]')!.textContent,
      ]),
    );
    expect(due.map(([id]) => id)).toContain(lights.red);
    for (const [, at] of due) expect(at!.slice(0, 10) <= today).toBe(true);
    await shot(pages.lead, 'department-today');

    const centre = pages.centre;
    await step(centre, () => centre.click('nav a[href="#/file"]'));
    await centre.fill('form[role=search] input[name=q]', '绿源');
    await centre.click('form[role=search] button[type=submit]');
    await centre.click('#enterprise-results button:text("湖州绿源新材料有限公司")');
    expect(await centre.textContent('#picked-enterprise')).toContain('湖州绿源新材料有限公司');
    expect(await centre.inputValue('#file-form input[name=contactName]')).toBe('张经理');
    await centre.selectOption('#file-form select[name=categoryCode]', { label: '营商环境' });
    await centre.fill('#file-form input[name=title]', '来电：园区道路施工影响货车进出');
    await centre.fill('#file-form textarea[name=content]', '企业来电反映园区道路施工，货车无法进出。');
    await shot(centre, 'centre-file');
    await step(centre, () => centre.click('#file-form button[type=submit]'));
    expect(await status(centre)).toBe('待受理');
    expect(await centre.textContent('.case')).toContain('湖州绿源新材料有限公司');
    const called = (await centre.getAttribute('.case', 'data-appeal'))!;
    await step(centre, () => centre.click('nav a[href="#/"]'));
    await shot(centre, 'centre-inbox');

    // answered on the call (即时办结), citing an entry found in the knowledge base
    await step(centre, () => centre.click(`#inbox tr[data-appeal="${called}"] a`));
    await act(centre, 'resolve', async (form) => {
      await centre.fill(`${form} textarea[name=content]`, '已联系住建局，施工期间夜间开放货车通道。');
      await centre.fill(`${form} input[name=kq]`, '道路施工');
      await centre.press(`${form} input[name=kq]`, 'Enter');
      await centre.getByRole('checkbox', { name: '园区道路施工期间的货车通行' }).check();
    });
    expect(await status(centre)).toBe('已答复待回访');
    const answered = (await api.get(`/appeals/${called}`, auth.dispatcher).expect(200)).body;
    expect(answered.resolvedOnSpot).toBe(true);
    expect(answered.knowledgeEntryIds).toEqual([knowledgeId]);
  }, 240_000);

  it('requests and their review across the desks: 申请延期 and 申请退单, 审核延期 and 审核退单, 阶段性答复, 答复 with a plan, 电话回访, 确认计划', async () => {
    const filed = (
      await api
        .post('/appeals', auth.enterprise, {
          type: 'help',
          categoryCode: 'FIN',
          title: '新厂房用电增容申请迟迟未批',
          content: '新厂房投产在即，用电增容申请提交一个月没有进展。',
        })
        .expect(201)
    ).body;
    appealId = filed.id;
    const d = (await api.get('/departments', auth.dispatcher).expect(200)).body.items as {
      id: string;
      name: string;
    }[];
    const dep = (name: string) => d.find((x) => x.name === name)!.id;
    await api
      .post(`/appeals/${appealId}/dispatch`, auth.dispatcher, {
        leadDepartmentId: dep(LEAD),
        coDepartmentIds: [dep(CO)],
      })
      .expect(200);
    const lead = pages.lead;
    const co = pages.co;
    const centre = pages.centre;

    // the lead acknowledges and asks for five more working days; the co department asks to hand its part back
    await openCase(lead);
    await act(lead, 'acknowledge');
    await act(lead, 'extension', async (form) => {
      await lead.fill(`${form} input[name=days]`, '5');
      await lead.fill(`${form} textarea[name=reason]`, '需供电公司现场勘查。');
    });
    expect(await buttons(lead)).not.toContain('extension');
    await openCase(co);
    await act(co, 'acknowledge');
    await act(co, 'return', async (form) => {
      await co.fill(`${form} textarea[name=reason]`, '用电增容不属于商务局职责。');
    });
    expect(await buttons(co)).not.toContain('return');

    // the centre reviews both
    await openCase(centre);
    await expectButtonsAsAllowed(centre, 'dispatcher');
    expect(await buttons(centre)).toEqual(expect.arrayContaining(['review-extension', 'review-return']));
    await act(centre, 'review-extension', async (form) => {
      await centre.selectOption(`${form} select[name=decision]`, { label: '同意延期' });
    });
    await act(centre, 'review-return', async (form) => {
      await centre.selectOption(`${form} select[name=decision]`, { label: '同意退单' });
    });
    const reviewed = (await api.get(`/appeals/${appealId}`, auth.dispatcher).expect(200)).body;
    expect(reviewed.pendingExtension).toBeNull();
    expect(reviewed.pendingReturns).toEqual([]);
    const leadAssignment = reviewed.assignments.find(
      (s: { role: string; status: string }) => s.role === 'lead',
    );
    expect(leadAssignment.extendedDays).toBe(5);
    expect(reviewed.assignments.find((s: { role: string }) => s.role === 'co').status).toBe('returned');
    await expectButtonsAsAllowed(centre, 'dispatcher');

    // the lead: a public progress note, a staged reply, then an answer with a plan
    await openCase(lead);
    await act(lead, 'progress', async (form) => {
      await lead.fill(`${form} textarea[name=note]`, '已约供电公司下周二现场勘查。');
      await lead.check(`${form} input[name=public]`);
    });
    const local = (days: number) =>
      new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await act(lead, 'staged', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '勘查已完成，增容方案正在编制。');
      await lead.fill(`${form} input[name=next]`, local(3));
    });
    await act(lead, 'reply', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '增容方案已批复，线路改造计划下月完成。');
      await lead.selectOption(`${form} select[name=outcome]`, { label: '计划解决' });
      await lead.fill(`${form} textarea[name=planContent]`, '供电公司负责线路改造，下月底前送电。');
      await lead.fill(`${form} input[name=promisedBy]`, local(20));
      await lead.fill(`${form} input[name=planFeedback]`, local(5));
      await lead.setInputFiles(`${form} input[name=files]`, {
        name: '增容批复.pdf',
        mimeType: 'application/pdf',
        buffer: samplePdf(),
      });
    });
    expect(await lead.$$eval('#attachments li', (li) => li.map((x) => x.textContent))).toEqual(
      expect.arrayContaining([expect.stringContaining('增容批复.pdf')]),
    );
    expect(await status(lead)).toBe('已答复待回访');
    expect(await lead.textContent('#plan')).toContain('进行中');

    // the centre's return visit by phone closes the case; the plan lives on
    await openCase(centre);
    await act(centre, 'survey', async (form) => {
      await centre.selectOption(`${form} select[name=satisfaction]`, { label: '满意' });
    });
    expect(await status(centre)).toBe('已办结');

    // the lead fulfils the plan; the enterprise confirms it — from the keyboard alone
    await openCase(lead);
    await act(lead, 'plan-fulfil', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '线路改造完成，已送电。');
    });
    const ent = pages.enterprise;
    await openCase(ent);
    expect(await buttons(ent)).toEqual(['confirm-plan']);
    const n = await renders(ent);
    await ent.focus('#actions button[data-action="confirm-plan"]');
    await ent.keyboard.press('Enter');
    await ent.waitForSelector('form[data-form="confirm-plan"]');
    // the form takes the focus; Tab walks its fields to the submit button
    expect(await ent.evaluate(() => (document.activeElement as HTMLSelectElement).name)).toBe('resolved');
    await ent.keyboard.press('Tab');
    expect(await ent.evaluate(() => (document.activeElement as HTMLTextAreaElement).name)).toBe('comment');
    await ent.keyboard.press('Tab');
    await ent.keyboard.press('Enter');
    await rendered(ent, n);
    expect(await ent.textContent('#plan')).toContain('已确认');
    expect(await buttons(ent)).toEqual([]);
    await shot(ent, 'enterprise-plan');
  }, 240_000);

  it('督办反馈 on a case past due; the enterprise’s 补充 with a file, 吹哨 and 撤回', async () => {
    const lead = pages.lead;
    const ent = pages.enterprise;
    // the red case went past its deadline: supervised (督办) automatically, the department answers
    appealId = lights.red;
    const owed = async () =>
      (await api.get(`/appeals/${appealId}`, auth.lead).expect(200)).body.supervisions.filter(
        (v: { level: string; status: string }) => v.level === 'supervision' && v.status === 'open',
      ) as { id: string }[];
    // past due, it was supervised automatically (a supervisor supervises it when the timer has not yet)
    if ((await owed()).length === 0)
      await api
        .post(`/appeals/${appealId}/supervise`, auth.supervisor, { note: '请今日内签收并反馈。' })
        .expect(200);
    const [supervision] = await owed();
    expect(supervision).toBeDefined();
    await openCase(lead);
    await expectButtonsAsAllowed(lead, 'lead');
    expect(await buttons(lead)).toContain('supervision');
    await act(lead, 'supervision', async (form) => {
      await lead.fill(`${form} textarea[name=content]`, '已安排专人今日签收办理。');
    });
    const after = (await api.get(`/appeals/${appealId}`, auth.lead).expect(200)).body;
    expect(after.supervisions.find((v: { id: string }) => v.id === supervision.id).status).toBe('answered');
    await expectButtonsAsAllowed(lead, 'lead');
    expect(await buttons(lead)).not.toContain('supervision');

    // the enterprise blows the whistle on it (吹哨); the centre finds it to review in its inbox
    await openCase(ent);
    await act(ent, 'whistle', async (form) => {
      await ent.fill(`${form} textarea[name=reason]`, '系统问题涉及人社、大数据两个部门，互相推诿。');
    });
    expect(await buttons(ent)).not.toContain('whistle');
    const inbox = (await api.get('/queue', auth.dispatcher).expect(200)).body.items as {
      awaiting: string;
      appealId: string;
    }[];
    expect(inbox).toEqual(
      expect.arrayContaining([expect.objectContaining({ awaiting: 'whistle_review', appealId })]),
    );

    // the yellow case: a supplement with a file, then withdrawn
    appealId = lights.yellow;
    await openCase(ent);
    await act(ent, 'supplement', async (form) => {
      await ent.fill(`${form} textarea[name=content]`, '补充：孩子的学籍证明见附件。');
      await ent.setInputFiles(`${form} input[name=files]`, {
        name: '学籍证明.jpg',
        mimeType: 'image/jpeg',
        buffer: sampleJpeg(),
      });
    });
    expect(await ent.$$eval('#attachments li', (li) => li.length)).toBe(1);
    await act(ent, 'withdraw', async (form) => {
      await ent.fill(`${form} textarea[name=reason]`, '已自行解决。');
    });
    expect(await status(ent)).toBe('已撤回');
    expect(await buttons(ent)).toEqual([]);
  }, 240_000);

  it('fits a phone’s width for the enterprise and 1366×768 for the desks', async () => {
    for (const [page, width] of [
      [pages.enterprise, 390],
      [pages.centre, 1366],
      [pages.lead, 1366],
    ] as const) {
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scroll).toBeLessThanOrEqual(width);
    }
    // every field of every open form has a label
    await openCase(pages.enterprise);
    await step(pages.enterprise, () => pages.enterprise.click('nav a[href="#/file"]'));
    const unlabelled = await pages.enterprise.$$eval('input, select, textarea', (els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length).map((e) => (e as HTMLInputElement).name),
    );
    expect(unlabelled).toEqual([]);
    const scroll = await pages.enterprise.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll).toBeLessThanOrEqual(390);
  }, 240_000);

  it('makes no request outside the service’s own origin', () => {
    expect(requests.length).toBeGreaterThan(20);
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
  }, 240_000);
});
