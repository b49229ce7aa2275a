// The report API, called from this origin only. The token lives in sessionStorage: this tab only,
// gone when the tab closes.

const BASE = '/api/v1';
const KEY = 'zqt.dashboard.session';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
  memo.clear();
}

// Reference data read once per sign-in (departments, districts, targets, categories).
const memo = new Map();

/** fn() once per sign-in under this key; a failed call is forgotten so the next view asks again. */
export function once(key, fn) {
  if (!memo.has(key)) {
    const p = fn();
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return memo.get(key);
}

let onUnauthenticated = () => undefined;
/** Called when the service no longer accepts the token (expired, password changed, account deactivated). */
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}

function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `${BASE}${path}${s ? `?${s}` : ''}`;
}

async function call(path, params, accept) {
  const s = session();
  const res = await fetch(url(path, params), {
    headers: { Accept: accept, ...(s ? { Authorization: `Bearer ${s.token}` } : {}) },
  });
  if (res.status === 401) {
    clearSession();
    onUnauthenticated();
  }
  if (!res.ok) {
    let body = null;
    try {
      body = await res.json();
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, body);
  }
  return res;
}

export async function get(path, params) {
  return (await call(path, params, 'application/json')).json();
}

/**
 * Every item of a list route, following nextCursor, up to max items: {items, complete}. The page size
 * is the caller's (a reference list may answer everything at once without one).
 */
export async function getAll(path, params = {}, max = 1000) {
  const items = [];
  let cursor;
  for (;;) {
    const page = await get(path, { ...params, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return { items, complete: true };
    if (items.length >= max) return { items: items.slice(0, max), complete: false };
  }
}

/** Downloads a report as the service's CSV (the same route with format=csv). */
export async function downloadCsv(path, params, filename) {
  const res = await call(path, { ...params, format: 'csv' }, 'text/csv');
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export async function login(username, password) {
  const res = await fetch(`${BASE}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}
