// 趋势: received, closure and satisfaction (over valid visits and over all) by day, week or month —
// the granularity chosen, or the one the period's length calls for (a year is twelve months, not 365 days).

import { get } from '../../common/api.js';
import { chart, metricTooltip, rateAxis } from '../charts.js';
import { h, note, pagedTable, section } from '../dom.js';
import { columnLabel, format, label, smallSamples, tooltip } from '../metrics.js';
import { minSample } from '../reference.js';

/** The trend chart and table of a trend report (also used on a department's page). */
export function trendPanel(report, { min } = {}) {
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
  const small = new Map(items.map((i) => [i, smallSamples(i, min)]));
  const anySmall = [...small.values()].some((s) => Object.keys(s).length > 0);
  const columns = [
    { key: 'periodStart', title: columnLabel('periodStart'), value: (r) => r.periodStart.slice(0, 10) },
    ...keys.map((k) => ({
      key: k,
      title: label(k),
      tooltip: tooltip(k),
      value: (r) =>
        k in small.get(r) ? h('span', { class: 'small-sample' }, format(k, r[k]), '*') : format(k, r[k]),
      cellTitle: (r) =>
        k in small.get(r) ? `样本不足：${small.get(r)[k]} 件回访，少于 ${min} 件` : undefined,
    })),
  ];
  return [
    chart(option, { 'aria-label': '趋势图' }),
    pagedTable(columns, items, { class: 'data trend' }, { pageSize: 31 }),
    anySmall ? note(`* 样本不足：该时段回访少于 ${min} 件（目标设定的最小样本），比率仅供参考。`) : null,
  ];
}

export default {
  title: '趋势',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed', 'interval'],
  csv: (ctx) => ({
    path: '/reports/trend',
    params: { ...ctx.query(), interval: ctx.interval },
    filename: `trend-${ctx.interval}-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const [report, min] = await Promise.all([
      get('/reports/trend', { ...ctx.query(), interval: ctx.interval }),
      minSample(),
    ]);
    return section(`${ctx.periodText} · ${ctx.intervalText}`, ...trendPanel(report, { min }));
  },
};
