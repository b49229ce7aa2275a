// The workbench shell: sign-in, then the caller's desk by role — the centre's 受理派单台 (dispatchers),
// a department's 承办工作台 (handlers), an enterprise's 我的诉求. The view lives in the URL's hash:
//   #/            the desk's list          #/today   a department's items due today
//   #/case/<id>   one case                 #/file    file an appeal (an enterprise, or the centre for a caller)

import { clearSession, get, login, saveSession, session, whenUnauthenticated } from '../common/api.js';
import { renderCase } from './case.js';
import { h } from './dom.js';
import { centreInbox, departmentQueue, enterpriseList, filing } from './desks.js';
import { ROLES } from './labels.js';
import { setTimeZone } from './time.js';

const $ = (id) => document.getElementById(id);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Each role's desk: its title and its navigation. */
const DESKS = {
  dispatcher: {
    title: '受理派单台',
    nav: [
      ['#/', '待办'],
      ['#/file', '代企业登记'],
    ],
  },
  handler: {
    title: '承办工作台',
    nav: [
      ['#/', '待办'],
      ['#/today', '今日到期'],
    ],
  },
  enterprise: {
    title: '我的诉求',
    nav: [
      ['#/', '我的诉求'],
      ['#/file', '提交诉求'],
    ],
  },
};

let renders = 0;
let me = null;

function showMessage(text, ok = false) {
  const m = $('message');
  m.textContent = text ?? '';
  m.classList.toggle('ok', ok);
  m.hidden = !text;
}

function showSignIn(message) {
  $('shell').hidden = true;
  $('signin').hidden = false;
  $('signin-message').textContent = message ?? '';
  $('signin-message').hidden = !message;
  document.body.dataset.state = 'signin';
  $('signin').elements.username.focus();
}

async function render(flash) {
  const view = $('view');
  document.body.dataset.state = 'loading';
  showMessage(flash, true);
  const desk = DESKS[me.role];
  const path = location.hash.replace(/^#\/?/, '');
  const [route, id] = path.split('/');
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${route ?? ''}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    if (route === 'case' && UUID.test(id ?? '')) {
      await renderCase(view, id, me, (msg) => render(msg));
    } else if (route === 'file' && me.role !== 'handler') {
      await filing(view, me);
    } else if (me.role === 'dispatcher') {
      await centreInbox(view);
    } else if (me.role === 'handler') {
      await departmentQueue(view, route === 'today');
    } else {
      await enterpriseList(view);
    }
    document.body.dataset.state = 'ready';
  } catch (e) {
    view.replaceChildren(h('p', { class: 'message', role: 'alert' }, e.message));
    document.body.dataset.state = 'error';
  }
  document.body.dataset.renders = String(++renders);
  document.title = `政企通 · ${desk.title}`;
}

async function enter() {
  me = await get('/me');
  const desk = DESKS[me.role];
  if (!desk) {
    clearSession();
    showSignIn(
      `工作台供 12345 中心派单员、承办部门和企业使用；${ROLES[me.role] ?? me.role}请使用督办看板（/dashboard）。`,
    );
    return;
  }
  $('signin').hidden = true;
  $('shell').hidden = false;
  $('desk-title').textContent = `政企通 · ${desk.title}`;
  $('who').textContent = `${me.displayName ?? me.username}（${ROLES[me.role]}）`;
  $('nav').replaceChildren(...desk.nav.map(([href, text]) => h('a', { href }, text)));
  await render();
}

async function start() {
  try {
    const s = await fetch('/workbench/settings.json').then((r) => r.json());
    setTimeZone(s.timeZone);
  } catch {
    // the default zone
  }
  whenUnauthenticated(() => showSignIn('登录已失效，请重新登录'));
  $('signin').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    try {
      const res = await login(f.elements.username.value.trim(), f.elements.password.value);
      saveSession({ token: res.accessToken });
      await enter();
    } catch (e) {
      showSignIn(e.status === 401 ? '用户名或密码不正确' : e.message);
    }
  });
  $('signout').addEventListener('click', () => {
    clearSession();
    me = null;
    location.hash = '#/';
    showSignIn();
  });
  window.addEventListener('hashchange', () => me && render());
  if (session()) await enter().catch(() => showSignIn());
  else showSignIn();
}

void start();
