// 部门详情: one department's figures, its trend, its open overdue cases and its supervisions.

import { ApiError, get } from '../../common/api.js';
import { h, pagedTable, section } from '../dom.js';
import { APPEAL_STATUS, SUPERVISION_LEVEL, SUPERVISION_SOURCE, SUPERVISION_STATUS } from '../metrics.js';
import { appealRef, appealRefs, knownAppeal, minSample } from '../reference.js';
import { overdueList } from './overdue.js';
import { tiles } from './overview.js';
import { trendPanel } from './trend.js';

const PAGE = 10;

async function overdueCases(ctx, id) {
  const page = await get('/appeals', { leadDepartmentId: id, overdue: 'true', limit: 100 });
  return section(
    `当前超期未办的主办件（${page.items.length}${page.nextCursor ? '+' : ''} 件，不限受理时段）`,
    page.items.length === 0
      ? h('p', { class: 'muted' }, '无')
      : pagedTable(
          [
            { key: 'number', title: '编号', value: (a) => a.number },
            { key: 'title', title: '标题', value: (a) => a.title },
            { key: 'status', title: '状态', value: (a) => APPEAL_STATUS[a.status] ?? a.status },
            { key: 'createdAt', title: '受理时间', value: (a) => ctx.time(a.createdAt) },
            {
              key: 'replyDueAt',
              title: '答复期限',
              value: (a) =>
                ctx.time(a.assignments?.find((s) => s.departmentId === id && s.role === 'lead')?.replyDueAt),
            },
          ],
          page.items,
          { class: 'data overdue' },
          { pageSize: PAGE },
        ),
  );
}

/** The appeal's number, looked up by id; filled in when it arrives if not known yet. */
function appealNumber(appealId) {
  const cell = h('span', { class: 'appeal-ref', dataset: { appealId } });
  const show = (a) => {
    cell.textContent = a ? a.number : '—';
    if (a) cell.title = a.title;
  };
  const known = knownAppeal(appealId);
  if (known !== undefined) show(known);
  else {
    cell.textContent = '…';
    void appealRef(appealId).then(show);
  }
  return cell;
}

async function supervisions(ctx, id) {
  let page;
  try {
    page = await get('/supervisions', { departmentId: id, limit: 100 });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null; // a service without graded supervision
    if (err instanceof ApiError && err.status === 403)
      return section('督办与通报', h('p', { class: 'muted' }, '督办记录仅供督办和派单人员查看。'));
    throw err;
  }
  const items = [...page.items].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  // the first page's appeal numbers before the panel is shown; later pages fill in as they open
  await appealRefs(items.slice(0, PAGE).map((s) => s.appealId));
  return section(
    `督办与通报（${page.items.length}${page.nextCursor ? '+' : ''} 件，最新的在前）`,
    items.length === 0
      ? h('p', { class: 'muted' }, '无')
      : pagedTable(
          [
            { key: 'appeal', title: '诉求编号', value: (s) => appealNumber(s.appealId) },
            { key: 'level', title: '级别', value: (s) => SUPERVISION_LEVEL[s.level] ?? s.level },
            { key: 'source', title: '来源', value: (s) => SUPERVISION_SOURCE[s.source] ?? s.source },
            {
              key: 'status',
              title: '状态',
              value: (s) =>
                s.level === 'reminder' && s.status === 'open'
                  ? '无需反馈'
                  : (SUPERVISION_STATUS[s.status] ?? s.status),
            },
            { key: 'note', title: '督办意见', value: (s) => s.note ?? '' },
            { key: 'createdAt', title: '开出时间', value: (s) => ctx.time(s.createdAt) },
            { key: 'answerDueAt', title: '反馈期限', value: (s) => ctx.time(s.answerDueAt) },
            {
              key: 'answeredOnTime',
              title: '按时反馈',
              value: (s) => (s.answeredOnTime === true ? '是' : s.answeredOnTime === false ? '否' : '—'),
            },
          ],
          items,
          { class: 'data supervisions' },
          { pageSize: PAGE },
        ),
  );
}

export default {
  title: '部门详情',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed', 'interval'],
  csv: (ctx) => ({
    path: '/reports/summary',
    params: { ...ctx.query(), departmentId: ctx.params.id },
    filename: `department-${ctx.params.id}-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const id = ctx.params.id;
    const q = { ...ctx.query(), departmentId: id };
    const [department, summary, trend, min, overdue, sups] = await Promise.all([
      get(`/departments/${id}`),
      get('/reports/summary', q),
      get('/reports/trend', { ...q, interval: ctx.interval }),
      minSample(),
      overdueCases(ctx, id),
      supervisions(ctx, id),
    ]);
    const drill = { overdueOpen: ctx.link(ctx.path, { list: 'overdue' }) };
    return [
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: ctx.link('departments') }, '← 部门排名'),
        ` · ${department.name}（${department.code}）`,
      ),
      section(`${department.name} · ${ctx.periodText}`, ...tiles(summary, { min, drill })),
      ctx.params.list === 'overdue'
        ? await overdueList(ctx, { departmentId: id, expected: summary.overdueOpen })
        : null,
      section(`趋势 · ${ctx.intervalText}`, ...trendPanel(trend, { min })),
      overdue,
      sups,
    ];
  },
};
