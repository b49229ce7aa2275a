// 企业吹哨: the period's whistles as Heze publishes them — whistles, taken up, closed (销号), closed on
// time, satisfaction — in total and by convening department, and the whistles still running with their
// meeting and the commitments still open (docs/product.md §12).

import { ApiError, get } from '../../common/api.js';
import { h, pagedTable, section } from '../dom.js';
import { columnLabel, format, label, tooltip } from '../metrics.js';

const FIGURES = [
  'whistles',
  'whistlesApproved',
  'whistlesClosed',
  'whistlesClosedOnTime',
  'whistleClosedOnTimeRate',
  'whistleRated',
  'whistleSatisfactionRate',
];

const STATUS = { requested: '待审核', approved: '已同意待召开', held: '已召开' };

export default {
  title: '企业吹哨',
  filters: ['district'],
  csv: (ctx) => ({
    path: '/reports/whistles',
    params: ctx.query(['district']),
    filename: `whistles-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    let report;
    try {
      report = await get('/reports/whistles', ctx.query(['district']));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        return section('企业吹哨', h('p', { class: 'muted' }, '本服务尚未提供吹哨报表。'));
      throw err;
    }
    const t = report.totals;
    const totals = h(
      'div',
      { class: 'counts' },
      FIGURES.filter((k) => k in t).map((k) =>
        h(
          'div',
          { class: 'count', title: tooltip(k), dataset: { metric: k, value: JSON.stringify(t[k]) } },
          h('span', { class: 'count-label' }, label(k)),
          h('span', { class: 'count-value' }, format(k, t[k])),
        ),
      ),
    );
    const columns = [
      { key: 'name', title: columnLabel('name', 'departments'), value: (r) => r.name ?? '—' },
      ...FIGURES.map((k) => ({
        key: k,
        title: label(k),
        tooltip: tooltip(k),
        value: (r) => format(k, r[k]),
      })),
    ];
    // the whistles still running (the ledger, newest first; any period: what waits now)
    const running = [];
    for (const status of Object.keys(STATUS)) {
      const page = await get('/whistles', { status, limit: '100' });
      running.push(...page.items);
    }
    running.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    const runningColumns = [
      { key: 'number', title: '诉求编号', value: (w) => w.appeal.number },
      { key: 'title', title: '诉求标题', value: (w) => w.appeal.title },
      { key: 'status', title: '状态', value: (w) => STATUS[w.status] ?? w.statusName },
      { key: 'lead', title: '牵头部门', value: (w) => w.leadDepartment?.name ?? '—' },
      { key: 'meetingAt', title: '会议时间', value: (w) => (w.meetingAt ? ctx.time(w.meetingAt) : '—') },
      {
        key: 'checkIns',
        title: '报到',
        value: (w) =>
          w.departments.length === 0
            ? '—'
            : `${w.departments.filter((d) => d.checkedInAt).length}/${w.departments.length}`,
      },
      {
        key: 'open',
        title: '未完成承诺',
        value: (w) => {
          const open = w.commitments.filter((c) => !c.completedAt);
          if (open.length === 0) return '—';
          const next = open.reduce((a, b) => (Date.parse(a.dueAt) <= Date.parse(b.dueAt) ? a : b));
          return `${open.length} 项，最近 ${ctx.time(next.dueAt)}${open.some((c) => c.overdue) ? '（已逾期）' : ''}`;
        },
      },
    ];
    return section(
      `${ctx.periodText} · 企业吹哨、部门报到`,
      totals,
      report.items.length === 0
        ? h('p', { class: 'muted' }, '该时段没有经审核召集的吹哨')
        : pagedTable(columns, report.items, { class: 'data whistles' }, { pageSize: 20 }),
      h('h3', {}, `进行中的吹哨（${running.length}）`),
      running.length === 0
        ? h('p', { class: 'muted' }, '没有进行中的吹哨')
        : pagedTable(runningColumns, running, { class: 'data whistles-running' }, { pageSize: 10 }),
    );
  },
};
