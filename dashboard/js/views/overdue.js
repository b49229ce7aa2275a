// 超期未办 opened: the cases behind the figure overdueOpen — appeals created in the period, under the
// view's filters, with an open assignment past its deadline now (GET /appeals?overdue=true). The
// figure counts assignments, so an appeal whose lead and co department are both late is one row that
// names both.

import { getAll } from '../../common/api.js';
import { h, note, pagedTable } from '../dom.js';
import { APPEAL_STATUS } from '../metrics.js';
import { categoryTree, departmentNames } from '../reference.js';

const isOpen = (s) => s.status === 'dispatched' || s.status === 'in_progress';
const dueOf = (s) => (s.status === 'dispatched' ? s.ackDueAt : s.replyDueAt);

/**
 * The panel listing the overdue cases. departmentId: only assignments of that department (its page);
 * expected: the figure shown above, to say so when the list differs from it.
 */
export async function overdueList(ctx, { departmentId, expected } = {}) {
  const f = ctx.filters;
  // GET /appeals takes the period, district and leaderLed as the reports do; a category there is the
  // category alone (the reports include its children) and there is no channel: both filtered here.
  const query = ctx.query(['district', 'leaderLed']);
  const [tree, names] = await Promise.all([categoryTree(), departmentNames()]);
  const categories = f.categoryCode
    ? (tree.descendants.get(f.categoryCode) ?? new Set([f.categoryCode]))
    : null;
  if (categories?.size === 1) query.categoryCode = f.categoryCode;
  const { items, complete } = await getAll('/appeals', { ...query, overdue: 'true', limit: 100 }, 1000);

  const rows = [];
  for (const a of items) {
    if (categories && !categories.has(a.categoryCode)) continue;
    if (f.channel && a.channel !== f.channel) continue;
    const late = (a.assignments ?? []).filter(
      (s) => s.overdue && isOpen(s) && (!departmentId || s.departmentId === departmentId),
    );
    if (late.length === 0) continue;
    const due = late.map(dueOf).sort()[0];
    rows.push({ ...a, late, due });
  }
  rows.sort((x, y) => Date.parse(x.due) - Date.parse(y.due));
  const lateCount = rows.reduce((n, r) => n + r.late.length, 0);
  const dept = (id) => names.get(id) ?? '—';

  const columns = [
    { key: 'number', title: '编号', value: (a) => a.number },
    { key: 'title', title: '标题', value: (a) => a.title },
    {
      key: 'leadDepartment',
      title: '主办单位',
      value: (a) => (a.leadDepartmentId ? dept(a.leadDepartmentId) : '—'),
    },
    { key: 'status', title: '状态', value: (a) => APPEAL_STATUS[a.status] ?? a.status },
    {
      key: 'late',
      title: '超期环节',
      value: (a) =>
        a.late
          .map(
            (s) =>
              `${s.role === 'lead' ? '主办' : `协办 ${dept(s.departmentId)}`} ${s.status === 'dispatched' ? '未签收' : '未答复'}`,
          )
          .join('；'),
    },
    { key: 'due', title: '期限', value: (a) => ctx.time(a.due) },
  ];
  const title = `超期未办 · ${rows.length} 件诉求（${lateCount} 个超期派单）`;
  return h(
    'section',
    { class: 'panel', id: 'overdue-list' },
    h(
      'h2',
      {},
      title,
      ' ',
      h('a', { class: 'close', href: ctx.link(ctx.path), title: '收起列表' }, '收起 ×'),
    ),
    h(
      'p',
      { class: 'muted' },
      `受理于 ${ctx.periodText}、按当前筛选条件、此刻仍超期未办的诉求，期限最早的在前。`,
    ),
    rows.length === 0
      ? h('p', { class: 'muted' }, '无')
      : pagedTable(columns, rows, { class: 'data overdue-list' }, { pageSize: 20 }),
    complete ? null : note(`只列出了前 ${items.length} 件；请缩小时段或加筛选条件。`),
    complete && expected !== undefined && expected !== null && expected !== lateCount
      ? note(`上方的超期未办为 ${expected} 个派单，本列表为 ${lateCount} 个：两次读取之间有诉求办理或到期。`)
      : null,
  );
}
