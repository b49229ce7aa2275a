// 恳谈会: the period's meetings (by the day they were held) — totals and a row per meeting, the latest
// first (docs/product.md §8.1).

import { ApiError, get } from '../../common/api.js';
import { h, pagedTable, section } from '../dom.js';
import { columnLabel, format, label, tooltip } from '../metrics.js';

const TOTALS = [
  'meetings',
  'enterprisesAttending',
  'attendeeCount',
  'issues',
  'resolvedOnSite',
  'answered',
  'feedbackRate',
  'closed',
  'closureRate',
  'rated',
  'satisfactionRate',
];
const ROW = [
  'issues',
  'resolvedOnSite',
  'answered',
  'feedbackRate',
  'closed',
  'closureRate',
  'rated',
  'satisfactionRate',
];

export default {
  title: '恳谈会',
  filters: ['district', 'leaderLed'],
  csv: (ctx) => ({
    path: '/reports/meetings',
    params: ctx.query(['district', 'leaderLed']),
    filename: `meetings-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    let report;
    try {
      report = await get('/reports/meetings', ctx.query(['district', 'leaderLed']));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        return section('恳谈会', h('p', { class: 'muted' }, '本服务尚未提供恳谈会报表。'));
      throw err;
    }
    const t = report.totals;
    const totals = h(
      'div',
      { class: 'counts' },
      TOTALS.filter((k) => k in t).map((k) =>
        h(
          'div',
          { class: 'count', title: tooltip(k), dataset: { metric: k, value: JSON.stringify(t[k]) } },
          h('span', { class: 'count-label' }, label(k)),
          h('span', { class: 'count-value' }, format(k, t[k])),
        ),
      ),
    );
    const columns = [
      { key: 'heldAt', title: columnLabel('heldAt'), value: (m) => ctx.time(m.heldAt) },
      { key: 'title', title: columnLabel('title'), value: (m) => m.title },
      {
        key: 'district',
        title: columnLabel('districtName'),
        value: (m) => m.districtName ?? m.district ?? '—',
      },
      { key: 'leaderName', title: columnLabel('leaderName'), value: (m) => m.leaderName ?? '—' },
      ...ROW.map((k) => ({ key: k, title: label(k), tooltip: tooltip(k), value: (m) => format(k, m[k]) })),
    ];
    const items = [...report.items].sort(
      (a, b) =>
        Date.parse(b.heldAt) - Date.parse(a.heldAt) ||
        b.title.localeCompare(a.title, 'zh', { numeric: true }),
    );
    return section(
      `${ctx.periodText} · 政企恳谈会`,
      totals,
      items.length === 0
        ? h('p', { class: 'muted' }, '该时段没有召开恳谈会')
        : pagedTable(columns, items, { class: 'data meetings' }, { pageSize: 20 }),
    );
  },
};
