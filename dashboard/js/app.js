// The dashboard shell: sign-in, the filter bar, the views. The whole state of a view (which view, the
// period, district, category, channel, leader-led or not, interval, an opened list of cases) lives in
// the URL's hash, so a view is shared as a link:
//   /dashboard#/trend?from=2026-03-01&to=2026-03-31&channel=hotline&interval=week
//   /dashboard#/overview?from=2026-03-01&to=2026-03-31&list=overdue

import {
  ApiError,
  clearSession,
  downloadCsv,
  get,
  login,
  saveSession,
  session,
  whenUnauthenticated,
} from '../common/api.js';
import { disposeCharts } from './charts.js';
import { h } from './dom.js';
import { CHANNELS, DASHBOARD_ROLES, ROLE_SHORT, ROLES } from './metrics.js';
import { addDays, autoInterval, defaultPeriod, isDay, localTime, presets, startOf } from './period.js';
import { categoryTree, districts, forgetAppeals } from './reference.js';
import categories from './views/categories.js';
import department from './views/department.js';
import departments from './views/departments.js';
import meetings from './views/meetings.js';
import whistles from './views/whistles.js';
import overview from './views/overview.js';
import trend from './views/trend.js';

const VIEWS = { overview, trend, departments, categories, meetings, whistles };
const NAV = ['overview', 'trend', 'departments', 'categories', 'meetings', 'whistles'];
const FILTER_KEYS = ['from', 'to', 'district', 'categoryCode', 'channel', 'leaderLed', 'interval'];
const INTERVALS = ['day', 'week', 'month'];
const INTERVAL_NAMES = { day: '按日', week: '按周', month: '按月' };
/** Lists of cases a figure opens (?list=…), on the views that show that figure. */
const LISTS = { overdue: ['overview', 'department'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const $ = (id) => document.getElementById(id);
let settings = { timeZone: 'Asia/Shanghai' };
let renders = 0;
let referenceLoaded = false;

/** The route and filters the hash names, with defaults filled in and nonsense dropped. */
function parseHash() {
  const [path, qs] = location.hash.replace(/^#\/?/, '').split('?');
  const q = new URLSearchParams(qs ?? '');
  const parts = (path || 'overview').split('/');
  let route = parts[0] in VIEWS ? parts[0] : 'overview';
  const params = {};
  if (route === 'departments' && parts[1] && UUID.test(parts[1])) {
    route = 'department';
    params.id = parts[1];
  }
  const d = defaultPeriod(settings.timeZone);
  const filters = {
    from: isDay(q.get('from')) ? q.get('from') : d.from,
    to: isDay(q.get('to')) ? q.get('to') : d.to,
    district: (q.get('district') ?? '').trim().slice(0, 64),
    categoryCode: (q.get('categoryCode') ?? '').slice(0, 32),
    channel: q.get('channel') in CHANNELS ? q.get('channel') : '',
    leaderLed: ['true', 'false'].includes(q.get('leaderLed')) ? q.get('leaderLed') : '',
    // empty: chosen by the period's length (autoInterval)
    interval: INTERVALS.includes(q.get('interval')) ? q.get('interval') : '',
  };
  if (filters.from > filters.to) [filters.from, filters.to] = [filters.to, filters.from];
  const list = q.get('list');
  if (list in LISTS && LISTS[list].includes(route)) params.list = list;
  return { route, path: parts.slice(0, route === 'department' ? 2 : 1).join('/'), params, filters };
}

/** The hash of a view: its path, the filters, and extra keys such as the opened list. */
function hashOf(path, filters, extra = {}) {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]);
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return `#/${path}?${q.toString()}`;
}

const extraOf = (state) => ({ list: state.params.list });

function context(state) {
  const view = state.route === 'department' ? department : VIEWS[state.route];
  const f = state.filters;
  const interval = f.interval || autoInterval(f.from, f.to);
  return {
    view,
    filters: f,
    params: state.params,
    path: state.path,
    periodText: `${f.from} 至 ${f.to}`,
    periodName: `${f.from}_${f.to}`,
    /** The trend's granularity: the one chosen, else the one the period's length calls for. */
    interval,
    intervalText: `${INTERVAL_NAMES[interval]}${f.interval ? '' : '（按时段长短自动选择）'}`,
    /** An instant as local YYYY-MM-DD HH:mm of the calendar's zone. */
    time: (instant) => localTime(instant, settings.timeZone),
    link: (path, extra = {}) => hashOf(path, f, extra),
    /** The report query: the period as instants [from, to) and the filters this view's route takes. */
    query: (allowed = view.filters) => {
      const q = {
        from: startOf(f.from, settings.timeZone),
        to: startOf(addDays(f.to, 1), settings.timeZone),
      };
      for (const k of ['district', 'categoryCode', 'channel', 'leaderLed'])
        if (allowed.includes(k) && f[k]) q[k] = f[k];
      return q;
    },
  };
}

// ---- the filter bar -------------------------------------------------------------------------------

function syncFilters(state, ctx) {
  const form = $('filters');
  for (const k of FILTER_KEYS) {
    const input = form.elements.namedItem(k);
    if (k === 'district' && input.tagName === 'SELECT') keepOption(input, state.filters[k]);
    if (input.value !== state.filters[k]) input.value = state.filters[k];
    const applies = k === 'from' || k === 'to' || ctx.view.filters.includes(k);
    input.disabled = !applies;
    input.closest('label').classList.toggle('off', !applies);
    input.closest('label').title = applies ? '' : '此视图不按该条件筛选';
  }
  const auto = form.elements.namedItem('interval').querySelector('option[value=""]');
  auto.textContent = `自动·${INTERVAL_NAMES[autoInterval(state.filters.from, state.filters.to)].slice(1)}`;
  $('presets').replaceChildren(
    ...presets(settings.timeZone).map((p) =>
      h(
        'a',
        {
          href: hashOf(state.path, { ...state.filters, from: p.from, to: p.to }, extraOf(state)),
          class: p.from === state.filters.from && p.to === state.filters.to ? 'active' : '',
        },
        p.label,
      ),
    ),
  );
  $('nav').replaceChildren(
    ...NAV.map((r) =>
      h(
        'a',
        {
          href: hashOf(r, state.filters),
          class: r === state.route || (r === 'departments' && state.route === 'department') ? 'active' : '',
          dataset: { route: r },
        },
        VIEWS[r].title,
      ),
    ),
  );
}

function applyFilters() {
  const form = $('filters');
  const state = parseHash();
  const filters = { ...state.filters };
  for (const k of FILTER_KEYS) {
    const input = form.elements.namedItem(k);
    if (!input.disabled) filters[k] = input.value.trim();
  }
  if (!isDay(filters.from) || !isDay(filters.to)) return;
  const next = hashOf(state.path, filters, extraOf(state));
  if (next !== location.hash) location.hash = next;
}

/** A select keeps a value from a link that its list does not hold, shown as it came. */
function keepOption(select, value) {
  if (!value || [...select.options].some((o) => o.value === value)) return;
  select.append(h('option', { value, dataset: { kept: '' } }, `${value}（不在列表中）`));
}

/** The category filter in tree order: each parent, then its children indented under it. */
async function loadCategories() {
  const tree = await categoryTree();
  const select = $('filters').elements.namedItem('categoryCode');
  select.replaceChildren(
    h('option', { value: '' }, '全部类别'),
    ...tree.list.map((c) =>
      h(
        'option',
        { value: c.code, dataset: { depth: String(c.depth) } },
        `${'\u3000'.repeat(c.depth)}${c.name}`,
      ),
    ),
  );
}

/**
 * The district filter: a list of the service's districts (value: the code) when it has one, else the
 * free-text box of index.html.
 */
async function loadDistricts() {
  const list = await districts();
  const form = $('filters');
  const current = form.elements.namedItem('district');
  let next;
  if (list) {
    next = h(
      'select',
      { name: 'district' },
      h('option', { value: '' }, '全部区县'),
      ...list.map((d) => h('option', { value: d.code }, d.name)),
    );
  } else {
    next = h('input', { name: 'district', placeholder: '全部区县', maxlength: '64' });
  }
  current.replaceWith(next);
}

/** A district from a link may be a name: the list's code for it. */
async function districtCode(value) {
  const list = value ? await districts() : null;
  return list?.find((d) => d.name === value)?.code ?? value;
}

// ---- rendering ------------------------------------------------------------------------------------

async function render() {
  const s = session();
  if (!s) return showSignIn();
  const state = parseHash();
  const n = ++renders;
  document.body.dataset.state = 'loading';
  document.body.dataset.view = state.route;
  $('message').hidden = true;
  try {
    if (!referenceLoaded) {
      await Promise.all([loadCategories(), loadDistricts()]);
      referenceLoaded = true;
    }
    if (n !== renders) return;
    state.filters.district = await districtCode(state.filters.district);
    const ctx = context(state);
    const canonical = hashOf(state.path, state.filters, extraOf(state));
    if (location.hash !== canonical) history.replaceState(null, '', canonical);
    syncFilters(state, ctx);
    const content = await ctx.view.render(ctx);
    if (n !== renders) return; // a newer render has started
    disposeCharts();
    $('view').replaceChildren(...[content].flat().filter(Boolean));
    document.body.dataset.state = 'ready';
    document.body.dataset.renders = String(n);
  } catch (err) {
    if (n !== renders) return;
    if (err instanceof ApiError && err.status === 401) return;
    $('message').textContent = `加载失败：${err.message}`;
    $('message').hidden = false;
    document.body.dataset.state = 'error';
  }
}

function showSignIn(message = '') {
  disposeCharts();
  $('shell').hidden = true;
  $('signin').hidden = false;
  $('view').replaceChildren();
  $('signin-message').textContent = message;
  $('signin-message').hidden = !message;
  document.body.dataset.state = 'signin';
  $('signin').elements.namedItem('username').focus();
}

/** Who is signed in: the display name (GET /me), the username where there is none, and the role. */
function showWho(user) {
  $('who').textContent = `${user.displayName || user.username} · ${ROLE_SHORT[user.role] ?? user.role}`;
  $('who').title = `用户名：${user.username}\n角色：${ROLES[user.role] ?? user.role}`;
}

function showShell() {
  const s = session();
  $('signin').hidden = true;
  $('shell').hidden = false;
  showWho(s.user);
  get('/me').then(
    (me) => {
      if (session()?.token !== s.token) return;
      saveSession({ ...s, user: { ...s.user, ...me } });
      showWho(me);
    },
    () => undefined, // the name from sign-in stays
  );
  void render();
}

async function signIn(event) {
  event.preventDefault();
  const form = $('signin');
  const username = form.elements.namedItem('username').value.trim();
  const password = form.elements.namedItem('password').value;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const { accessToken, user } = await login(username, password);
    if (!DASHBOARD_ROLES.includes(user.role)) {
      form.elements.namedItem('password').value = '';
      return showSignIn(
        `本看板供督办、派单和管理人员使用；${ROLES[user.role] ?? user.role}账号请使用各自的业务系统。`,
      );
    }
    saveSession({ token: accessToken, user });
    form.reset();
    showShell();
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    showSignIn(
      status === 401
        ? '用户名或密码不正确，或账号已停用。'
        : status === 429
          ? '登录尝试过于频繁，请稍后再试。'
          : status === 400
            ? '请输入用户名和密码。'
            : `登录失败：${err.message}`,
    );
  } finally {
    button.disabled = false;
  }
}

async function downloadView() {
  const ctx = context(parseHash());
  const { path, params, filename } = ctx.view.csv(ctx);
  try {
    await downloadCsv(path, params, filename);
  } catch (err) {
    $('message').textContent = `下载失败：${err.message}`;
    $('message').hidden = false;
  }
}

async function boot() {
  try {
    settings = await (await fetch('/dashboard/settings.json')).json();
  } catch {
    // keep the default zone
  }
  const channel = $('filters').elements.namedItem('channel');
  channel.append(...Object.entries(CHANNELS).map(([v, text]) => h('option', { value: v }, text)));
  $('signin').addEventListener('submit', (e) => void signIn(e));
  $('filters').addEventListener('change', applyFilters);
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    applyFilters();
  });
  $('csv').addEventListener('click', () => void downloadView());
  $('signout').addEventListener('click', () => {
    clearSession();
    forgetAppeals();
    referenceLoaded = false;
    showSignIn('已退出。');
  });
  whenUnauthenticated(() => {
    forgetAppeals();
    referenceLoaded = false;
    showSignIn('登录已失效，请重新登录。');
  });
  window.addEventListener('hashchange', () => void render());
  if (session()) showShell();
  else showSignIn();
}

void boot();
