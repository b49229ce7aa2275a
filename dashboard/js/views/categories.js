// 类别热点: where the period's appeals come from and where satisfaction is lowest. The pie shows the
// categories one level under the chosen one (the top level when none is chosen), the small ones
// folded into one 其他 slice; the bars show the categories with the lowest satisfaction among those
// with enough return visits; the table lists every category with appeals, each with its parent.

import { get } from '../../common/api.js';
import { axisInterval, chart, escapeHtml, rateAxisMin } from '../charts.js';
import { h, note, pagedTable, section } from '../dom.js';
import { columnLabel, format, label, smallSamples, tooltip } from '../metrics.js';
import { minSample } from '../reference.js';

const COLUMNS = [
  'received',
  'share',
  'satisfactionRate',
  'satisfactionRateAll',
  'closureRate',
  'overdueOpen',
];

/** The pie's own slices: at most 8, each at least 3 % of the appeals; the rest is one 其他 slice. */
export const PIE_SLICES = 8;
export const PIE_MIN_SHARE = 0.03;
const BARS = 12;

/**
 * The groups the pie shows: each category with appeals counted under its ancestor one level below
 * `selected` (the roots when nothing is selected); appeals of the chosen category itself count under
 * it, and categories outside its tree not at all.
 * items: the categories report's items. Returns [{code, name, received}], largest first.
 */
export function pieGroups(items, selected = '') {
  const byCode = new Map(items.map((c) => [c.categoryCode, c]));
  const level = new Set(
    items
      .filter((c) => (selected ? c.parentCode === selected : !c.parentCode || !byCode.has(c.parentCode)))
      .map((c) => c.categoryCode),
  );
  // the group an appeal's category counts under; outside the chosen category's tree, none
  const groupOf = (c) => {
    const seen = new Set();
    for (let at = c; at && !seen.has(at.categoryCode); at = byCode.get(at.parentCode)) {
      if (level.has(at.categoryCode) || at.categoryCode === selected) return at.categoryCode;
      seen.add(at.categoryCode);
    }
    return selected ? null : c.categoryCode;
  };
  const groups = new Map();
  for (const c of items) {
    const code = c.received > 0 ? groupOf(c) : null;
    if (code === null) continue;
    const g = groups.get(code) ?? { code, name: byCode.get(code)?.name ?? code, received: 0 };
    g.received += c.received;
    groups.set(code, g);
  }
  return [...groups.values()].sort((a, b) => b.received - a.received || a.code.localeCompare(b.code));
}

/** The slices of the pie: [{name, value, codes, other?}] — the small groups together as 其他（N 类）. */
export function pieSlices(groups) {
  const total = groups.reduce((n, g) => n + g.received, 0);
  const own = [];
  const rest = [];
  for (const g of [...groups].sort((a, b) => b.received - a.received))
    (own.length < PIE_SLICES && g.received / total >= PIE_MIN_SHARE ? own : rest).push(g);
  // folding a single category into 其他 would only rename it
  if (rest.length === 1) own.push(rest.pop());
  const slices = own.map((g) => ({ name: g.name, value: g.received, codes: [g.code] }));
  if (rest.length > 0)
    slices.push({
      name: `其他（${rest.length} 类）`,
      value: rest.reduce((n, g) => n + g.received, 0),
      codes: rest.map((g) => g.code),
      other: true,
    });
  return slices;
}

/** What the charts fold or cut, in words. */
function chartNote(slices, barMin, min, barsSampled) {
  const parts = [];
  const other = slices.find((s) => s.other);
  if (other)
    parts.push(
      `饼图单列最大的 ${PIE_SLICES} 类中占比不低于 ${PIE_MIN_SHARE * 100}% 的类别，其余 ${other.codes.length} 类合为「${other.name}」`,
    );
  if (barsSampled) parts.push(`满意率只比较有效回访不少于 ${min} 件的类别`);
  if (barMin > 0) parts.push(`满意率横轴自 ${Math.round(barMin * 100)}% 起，以便看清差别`);
  return parts.length > 0 ? note(`${parts.join('；')}。`) : null;
}

export default {
  title: '类别热点',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed'],
  csv: (ctx) => ({
    path: '/reports/categories',
    params: ctx.query(),
    filename: `categories-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const [report, min] = await Promise.all([get('/reports/categories', ctx.query()), minSample()]);
    const names = new Map(report.items.map((c) => [c.categoryCode, c.name]));
    const hot = report.items.filter((c) => c.received > 0);
    const slices = pieSlices(pieGroups(report.items, ctx.filters.categoryCode));
    // the bars: the lowest satisfaction, among the categories with enough valid return visits when
    // there are such, else among all with a rate
    const rated = hot.filter((c) => c.satisfactionRate !== null);
    const sampled = typeof min === 'number' ? rated.filter((c) => c.rated >= min) : rated;
    const barsSampled = sampled.length > 0 && sampled.length < rated.length;
    const bars = (sampled.length > 0 ? sampled : rated)
      .sort((a, b) => a.satisfactionRate - b.satisfactionRate || b.received - a.received)
      .slice(0, BARS);
    const barMin = rateAxisMin(bars.map((c) => c.satisfactionRate));

    const small = new Map(hot.map((c) => [c, smallSamples(c, min)]));
    const anySmall = [...small.values()].some((s) => Object.keys(s).length > 0);
    const present = COLUMNS.filter((k) => k === 'share' || report.items.length === 0 || k in report.items[0]);
    const columns = [
      { key: 'name', title: columnLabel('name', 'categories'), value: (c) => c.name },
      {
        key: 'parent',
        title: columnLabel('parentCode'),
        value: (c) => (c.parentCode ? (names.get(c.parentCode) ?? c.parentCode) : '—'),
      },
      { key: 'categoryCode', title: columnLabel('categoryCode'), value: (c) => c.categoryCode },
      ...present.map((k) => ({
        key: k,
        title: label(k),
        tooltip: tooltip(k),
        value: (c) => {
          const text = format(k, c[k]);
          return k in small.get(c) ? h('span', { class: 'small-sample' }, text, '*') : text;
        },
        cellTitle: (c) =>
          k in small.get(c) ? `样本不足：${small.get(c)[k]} 件回访，少于 ${min} 件` : undefined,
      })),
    ];
    const pie = chart(
      {
        title: { text: '诉求来源', left: 0, top: 0, textStyle: { fontSize: 13 } },
        tooltip: {
          trigger: 'item',
          formatter: (p) => `${escapeHtml(p.name)}：${p.value} 件（${p.percent}%）`,
        },
        series: [
          {
            type: 'pie',
            radius: ['35%', '68%'],
            center: ['50%', '55%'],
            label: { formatter: '{b}\n{d}%' },
            data: slices.map((s) => ({
              name: s.name,
              value: s.value,
              ...(s.other ? { itemStyle: { color: '#b8c0cc' } } : {}),
            })),
          },
        ],
      },
      {
        'aria-label': '类别占比',
        'data-slices': JSON.stringify(slices.map((s) => ({ name: s.name, value: s.value }))),
      },
    );
    const barChart = chart(
      {
        title: { text: '满意率最低的类别', left: 0, top: 0, textStyle: { fontSize: 13 } },
        grid: { left: 120, right: 70, top: 30, bottom: 30 },
        tooltip: {
          trigger: 'axis',
          formatter: (ps) =>
            `${escapeHtml(ps[0].name)}<br>${label('satisfactionRate')}（satisfactionRate）：${format('satisfactionRate', ps[0].value)}`,
        },
        xAxis: {
          type: 'value',
          min: barMin,
          max: 1,
          interval: axisInterval(barMin, 1, 100),
          axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` },
        },
        yAxis: { type: 'category', data: bars.map((c) => c.name).reverse() },
        series: [
          {
            type: 'bar',
            barMaxWidth: 24,
            data: bars.map((c) => c.satisfactionRate).reverse(),
            label: {
              show: true,
              position: 'right',
              formatter: (p) => format('satisfactionRate', p.value),
            },
          },
        ],
      },
      { 'aria-label': '类别满意率', 'data-axis-min': String(barMin) },
    );
    return section(
      `${ctx.periodText} · 共 ${report.totalReceived} 件`,
      ...(hot.length === 0
        ? [h('p', { class: 'muted' }, '该时段没有诉求')]
        : [h('div', { class: 'pair' }, pie, barChart), chartNote(slices, barMin, min, barsSampled)]),
      hot.length === 0 ? null : pagedTable(columns, hot, { class: 'data categories' }, { pageSize: 30 }),
      anySmall ? note(`* 样本不足：该类回访少于 ${min} 件（目标设定的最小样本），满意率仅供参考。`) : null,
    );
  },
};
