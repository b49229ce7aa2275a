// The service's API as the dashboard and the workbench call it: from this origin only, with the token
// of this tab's sign-in. The token lives in sessionStorage (this tab only, gone when the tab closes),
// under the page's own key, so signing in to the dashboard does not sign in to the workbench.

const BASE = '/api/v1';
const KEY = `zqt.${location.pathname.split('/')[1] || 'app'}.session`;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.details = body?.details;
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

/** One request with the token; a non-2xx answer is thrown as an ApiError with the service's message. */
async function call(method, path, { params, body, form, accept = 'application/json' } = {}) {
  const s = session();
  const headers = { Accept: accept, ...(s ? { Authorization: `Bearer ${s.token}` } : {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url(path, params), {
    method,
    headers,
    body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  if (res.status === 401 && s) {
    clearSession();
    onUnauthenticated();
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return res;
}

export async function get(path, params) {
  return (await call('GET', path, { params })).json();
}

export async function post(path, body = {}) {
  return (await call('POST', path, { body })).json();
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
  const res = await call('GET', path, { params: { ...params, format: 'csv' }, accept: 'text/csv' });
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

/** One file to an appeal (multipart, field `file`): the attachment. */
export async function upload(appealId, file, purpose = 'evidence') {
  const form = new FormData();
  form.append('purpose', purpose);
  form.append('file', file);
  return (await call('POST', `/appeals/${appealId}/attachments`, { form })).json();
}

/** A file as a blob URL (fetched with the token; opened in a new tab). */
export async function fileUrl(attachmentId) {
  const res = await call('GET', `/attachments/${attachmentId}/content`);
  return URL.createObjectURL(await res.blob());
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
