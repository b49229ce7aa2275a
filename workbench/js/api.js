// The service's API, called from this origin only. The token lives in sessionStorage: this tab only.

const BASE = '/api/v1';
const KEY = 'zqt.workbench.session';

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
export const saveSession = (s) => sessionStorage.setItem(KEY, JSON.stringify(s));
export function clearSession() {
  sessionStorage.removeItem(KEY);
  memo.clear();
}

const memo = new Map();
/** fn() once per sign-in under this key (reference data: departments). */
export function once(key, fn) {
  if (!memo.has(key)) {
    const p = fn();
    memo.set(key, p);
    p.catch(() => memo.delete(key));
  }
  return memo.get(key);
}

let onUnauthenticated = () => undefined;
export const whenUnauthenticated = (fn) => (onUnauthenticated = fn);

function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `${BASE}${path}${s ? `?${s}` : ''}`;
}

async function call(method, path, { params, body, form } = {}) {
  const s = session();
  const headers = { Accept: 'application/json', ...(s ? { Authorization: `Bearer ${s.token}` } : {}) };
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
  if (!res.ok) {
    const err = await res.json().catch(() => null);
    throw new ApiError(res.status, err);
  }
  return res;
}

export const get = async (path, params) => (await call('GET', path, { params })).json();
export const post = async (path, body = {}) => (await call('POST', path, { body })).json();
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
