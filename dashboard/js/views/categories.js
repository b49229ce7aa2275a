// 类别热点: each category's share of the period's appeals and its satisfaction.

import { get } from '../api.js';
import { chart, escapeHtml } from '../charts.js';
import { h, section, table } from '../dom.js';
import { format, label, tooltip } from '../metrics.js';

const COLUMNS = [
  'received',
  'share',
  'satisfactionRate',
  'satisfactionRateAll',
  'closureRate',
  'overdueOpen',
];

export default {
  title: '类别热点',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed'],
  csv: (ctx) => ({
    path: '/reports/categories',
    params: ctx.query(),
    filename: `categories-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const report = await get('/reports/categories', ctx.query());
    const hot = report.items.filter((c) => c.received > 0);
    const top = hot.slice(0, 12);
    const present = COLUMNS.filter((k) => k === 'share' || report.items.length === 0 || k in report.items[0]);
    const columns = [
      { key: 'name', title: '类别', value: (c) => c.name },
      { key: 'categoryCode', title: '代码', value: (c) => c.categoryCode },
      ...present.map((k) => ({
        key: k,
        title: k === 'share' ? '占比' : label(k),
        tooltip: k === 'share' ? 'share：该类诉求 / 时段内全部诉求' : tooltip(k),
        value: (c) => (k === 'share' ? format('closureRate', c.share) : format(k, c[k])),
      })),
    ];
    const charts =
      top.length === 0
        ? [h('p', { class: 'muted' }, '该时段没有诉求')]
        : [
            h(
              'div',
              { class: 'pair' },
              chart(
                {
                  tooltip: {
                    trigger: 'item',
                    formatter: (p) => `${escapeHtml(p.name)}：${p.value} 件（${p.percent}%）`,
                  },
                  series: [
                    {
                      type: 'pie',
                      radius: ['35%', '70%'],
                      data: top.map((c) => ({ name: c.name, value: c.received })),
                    },
                  ],
                },
                { 'aria-label': '类别占比' },
              ),
              chart(
                {
                  grid: { left: 120, right: 30, top: 10, bottom: 30 },
                  tooltip: {
                    trigger: 'axis',
                    formatter: (ps) =>
                      `${escapeHtml(ps[0].name)}<br>${label('satisfactionRate')}（satisfactionRate）：${format('satisfactionRate', ps[0].value)}`,
                  },
                  xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${v * 100}%` } },
                  yAxis: { type: 'category', data: top.map((c) => c.name).reverse() },
                  series: [{ type: 'bar', data: top.map((c) => c.satisfactionRate).reverse() }],
                },
                { 'aria-label': '类别满意率' },
              ),
            ),
          ];
    return section(
      `${ctx.periodText} · 共 ${report.totalReceived} 件`,
      ...charts,
      table(columns, hot, { class: 'data categories' }),
    );
  },
};
