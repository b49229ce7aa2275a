// 趋势: received, closure and satisfaction (over valid visits and over all) by day, week or month.

import { get } from '../api.js';
import { chart, metricTooltip, rateAxis } from '../charts.js';
import { section, table } from '../dom.js';
import { format, label, tooltip } from '../metrics.js';

const INTERVALS = { day: '按日', week: '按周', month: '按月' };

/** The trend chart and table of a trend report (also used on a department's page). */
export function trendPanel(report) {
  const items = report.items;
  const rates = ['closureRate', 'satisfactionRate', 'satisfactionRateAll'].filter(
    (k) => items.length === 0 || k in items[0],
  );
  const keys = ['received', ...rates];
  const option = {
    legend: { data: keys.map(label), top: 0 },
    grid: { left: 50, right: 60, top: 40, bottom: 40 },
    tooltip: metricTooltip(keys),
    xAxis: { type: 'category', data: items.map((i) => i.periodStart.slice(0, 10)) },
    yAxis: [
      { type: 'value', name: label('received'), minInterval: 1 },
      { ...rateAxis, name: '比率' },
    ],
    series: [
      { name: label('received'), type: 'bar', data: items.map((i) => i.received) },
      ...rates.map((k) => ({
        name: label(k),
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: items.map((i) => i[k]),
      })),
    ],
  };
  const columns = [
    { key: 'periodStart', title: '起始日', value: (r) => r.periodStart.slice(0, 10) },
    ...keys.map((k) => ({ key: k, title: label(k), tooltip: tooltip(k), value: (r) => format(k, r[k]) })),
  ];
  return [chart(option, { 'aria-label': '趋势图' }), table(columns, items, { class: 'data trend' })];
}

export default {
  title: '趋势',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed', 'interval'],
  csv: (ctx) => ({
    path: '/reports/trend',
    params: { ...ctx.query(), interval: ctx.filters.interval },
    filename: `trend-${ctx.filters.interval}-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const interval = ctx.filters.interval;
    const report = await get('/reports/trend', { ...ctx.query(), interval });
    return section(`${ctx.periodText} · ${INTERVALS[interval]}`, ...trendPanel(report));
  },
};
