// 部门详情: one department's figures, its trend, its open overdue cases and its supervisions.

import { ApiError, get } from '../api.js';
import { h, section, table } from '../dom.js';
import { tiles } from './overview.js';
import { trendPanel } from './trend.js';

const STATUS = {
  submitted: '待受理',
  dispatched: '待签收',
  in_progress: '办理中',
  returned: '已退回',
  replied: '已答复待回访',
  closed: '已办结',
  rejected: '不予受理',
  withdrawn: '已撤回',
  merged: '已合并',
};
const LEVEL = { reminder: '催办', supervision: '督办', notice: '通报' };
const SUPERVISION_STATUS = { open: '待反馈', answered: '已反馈', closed: '已销号' };

const time = (s) => (s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '—');

async function overdueCases(id) {
  const page = await get('/appeals', { leadDepartmentId: id, overdue: 'true', limit: 100 });
  return section(
    `当前超期未办（${page.items.length}${page.nextCursor ? '+' : ''} 件，不限时段）`,
    page.items.length === 0
      ? h('p', { class: 'muted' }, '无')
      : table(
          [
            { key: 'number', title: '编号', value: (a) => a.number },
            { key: 'title', title: '标题', value: (a) => a.title },
            { key: 'status', title: '状态', value: (a) => STATUS[a.status] ?? a.status },
            { key: 'createdAt', title: '受理时间', value: (a) => time(a.createdAt) },
            {
              key: 'replyDueAt',
              title: '答复期限',
              value: (a) => time(a.assignments?.find((s) => s.departmentId === id)?.replyDueAt),
            },
          ],
          page.items,
          { class: 'data overdue' },
        ),
  );
}

async function supervisions(id) {
  let page;
  try {
    page = await get('/supervisions', { departmentId: id, limit: 100 });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null; // a service without graded supervision
    if (err instanceof ApiError && err.status === 403)
      return section('督办与通报', h('p', { class: 'muted' }, '督办记录仅供督办和派单人员查看。'));
    throw err;
  }
  return section(
    `督办与通报（${page.items.length}${page.nextCursor ? '+' : ''} 件）`,
    page.items.length === 0
      ? h('p', { class: 'muted' }, '无')
      : table(
          [
            { key: 'level', title: '级别', value: (s) => LEVEL[s.level] ?? s.level },
            { key: 'status', title: '状态', value: (s) => SUPERVISION_STATUS[s.status] ?? s.status },
            { key: 'note', title: '督办意见', value: (s) => s.note ?? '' },
            { key: 'answerDueAt', title: '反馈期限', value: (s) => time(s.answerDueAt) },
            {
              key: 'answeredOnTime',
              title: '按时反馈',
              value: (s) => (s.answeredOnTime === true ? '是' : s.answeredOnTime === false ? '否' : '—'),
            },
          ],
          page.items,
          { class: 'data supervisions' },
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
    const [department, summary, trend, overdue, sups] = await Promise.all([
      get(`/departments/${id}`),
      get('/reports/summary', q),
      get('/reports/trend', { ...q, interval: ctx.filters.interval }),
      overdueCases(id),
      supervisions(id),
    ]);
    return [
      h(
        'p',
        { class: 'crumbs' },
        h('a', { href: ctx.link('departments') }, '← 部门排名'),
        ` · ${department.name}（${department.code}）`,
      ),
      section(`${department.name} · ${ctx.periodText}`, ...tiles(summary)),
      section('趋势', ...trendPanel(trend)),
      overdue,
      sups,
    ];
  },
};
