// Reference data the views share, read once per sign-in: department names, the category tree, the
// districts, the targets (for the minimum sample), and appeal numbers looked up by id.

import { ApiError, get, getAll, once } from '../common/api.js';

/** id → department name. */
export function departmentNames() {
  return once('departments', async () => {
    const { items } = await getAll('/departments', { limit: 100 });
    return new Map(items.map((d) => [d.id, d.name]));
  });
}

/**
 * The categories in tree order — each parent followed by its children, roots with children first —
 * as [{code, name, parentCode, depth}], plus each code's descendants (itself included). Read from the
 * categories report, which lists every category.
 */
export function categoryTree() {
  return once('categories', async () => {
    const report = await get('/reports/categories', {});
    const byParent = new Map();
    const codes = new Set(report.items.map((c) => c.categoryCode));
    for (const c of report.items) {
      const parent = c.parentCode && codes.has(c.parentCode) ? c.parentCode : null;
      if (!byParent.has(parent)) byParent.set(parent, []);
      byParent.get(parent).push({ code: c.categoryCode, name: c.name, parentCode: parent });
    }
    const children = (code) => byParent.get(code) ?? [];
    const order = (list) =>
      [...list].sort(
        (a, b) =>
          Number(children(b.code).length > 0) - Number(children(a.code).length > 0) ||
          a.code.localeCompare(b.code),
      );
    const list = [];
    const descendants = new Map();
    const visit = (node, depth, seen) => {
      if (seen.has(node.code)) return [];
      seen.add(node.code);
      list.push({ ...node, depth });
      const below = [node.code];
      for (const child of order(children(node.code))) below.push(...visit(child, depth + 1, seen));
      descendants.set(node.code, new Set(below));
      return below;
    };
    const seen = new Set();
    for (const root of order(children(null))) visit(root, 0, seen);
    return { list, descendants, names: new Map(list.map((c) => [c.code, c.name])) };
  });
}

/**
 * The districts as [{code, name}], or null when the service has no district list (an older service
 * answers 404) or it cannot be read: the filter is then a free-text box.
 */
export function districts() {
  return once('districts', async () => {
    try {
      const { items } = await getAll('/districts', {});
      const ok = items.filter((d) => d && typeof d.code === 'string' && typeof d.name === 'string');
      return ok.length > 0 ? ok : null;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw err;
      return null;
    }
  });
}

/** The targets (GET /targets), or null when the caller may not read them. */
export function targets() {
  return once('targets', async () => {
    try {
      return await get('/targets');
    } catch (err) {
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
      throw err;
    }
  });
}

/** The minimum sample of return visits a figure needs to count (the targets' minSample). */
export async function minSample() {
  const t = await targets();
  return typeof t?.minSample === 'number' ? t.minSample : undefined;
}

const appeals = new Map();
const known = new Map();

/** An appeal's {number, title} by id, each looked up once; null when it cannot be read. */
export function appealRef(id) {
  if (!appeals.has(id))
    appeals.set(
      id,
      get(`/appeals/${id}`).then(
        (a) => known.set(id, { number: a.number, title: a.title }).get(id),
        () => known.set(id, null).get(id),
      ),
    );
  return appeals.get(id);
}

/** The appeal's {number, title} when already looked up, null when it could not be read, else undefined. */
export function knownAppeal(id) {
  return known.get(id);
}

/** Looks up the appeals of these ids, four at a time; resolves once all are known. */
export async function appealRefs(ids) {
  const queue = [...new Set(ids)].filter(Boolean);
  const worker = async () => {
    while (queue.length > 0) await appealRef(queue.shift());
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** Forgets the appeals looked up (on sign-out: another user may see less). */
export function forgetAppeals() {
  appeals.clear();
  known.clear();
}
