// 部门排名: departments by score (then satisfaction); those under the minimum sample set apart.

import { get } from '../../common/api.js';
import { axisInterval, chart, metricTooltip, scoreAxisMin } from '../charts.js';
import { h, note, pagedTable, section } from '../dom.js';
import { columnLabel, format, label, tooltip } from '../metrics.js';

const COLUMNS = [
  'score',
  'satisfactionRate',
  'satisfactionRateAll',
  'resolutionRate',
  'responseRate',
  'firstContactOnTimeRate',
  'stagedReplyOnTimeRate',
  'onTimeReplyRate',
  'closureRate',
  'received',
  'rated',
  'overdueOpen',
  'returnRate',
  'supervisions',
  'notices',
  'planned',
  'plansOverdue',
  'planFulfilledOnTimeRate',
];

function columns(ctx, items, withRank) {
  const present = COLUMNS.filter((k) => items.length === 0 || k in items[0]);
  return [
    ...(withRank ? [{ key: 'rank', title: columnLabel('rank'), value: (r) => r.rank ?? '—' }] : []),
    {
      key: 'name',
      title: columnLabel('name', 'departments'),
      value: (r) => h('a', { href: ctx.link(`departments/${r.departmentId}`) }, r.name),
    },
    ...present.map((k) => ({ key: k, title: label(k), tooltip: tooltip(k), value: (r) => format(k, r[k]) })),
  ];
}

export default {
  title: '部门排名',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed'],
  csv: (ctx) => ({
    path: '/reports/departments',
    params: ctx.query(),
    filename: `departments-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const report = await get('/reports/departments', ctx.query());
    const ranked = report.items.filter((d) => !d.insufficientSample);
    const small = report.items.filter((d) => d.insufficientSample);
    const scored = ranked
      .filter((d) => d.score !== null)
      .slice(0, 20)
      .reverse();
    const out = [];
    if (scored.length > 0) {
      const min = scoreAxisMin(scored.map((d) => d.score));
      out.push(
        chart(
          {
            grid: { left: 160, right: 60, top: 10, bottom: 30 },
            tooltip: metricTooltip(['score']),
            xAxis: { type: 'value', min, max: 100, interval: axisInterval(min, 100) },
            yAxis: { type: 'category', data: scored.map((d) => d.name) },
            series: [
              {
                name: label('score'),
                type: 'bar',
                barMaxWidth: 28,
                data: scored.map((d) => d.score),
                label: { show: true, position: 'right', formatter: (p) => format('score', p.value) },
              },
            ],
          },
          {
            class: `chart ${scored.length > 10 ? 'tall' : ''}`,
            'aria-label': '综合得分排名',
            'data-axis-min': String(min),
          },
        ),
      );
      if (min > 0) out.push(note(`横轴自 ${min} 分起，以便看清分差；条长不与得分成正比。`));
    }
    out.push(
      pagedTable(
        columns(ctx, report.items, true),
        ranked,
        { class: 'data ranking', 'data-list': 'ranked' },
        { pageSize: 30 },
      ),
    );
    const sectionSmall = section(
      `样本不足（有效回访少于 ${report.minSample} 件，不参与排名）`,
      small.length === 0
        ? h('p', { class: 'muted' }, '无')
        : pagedTable(
            columns(ctx, report.items, false),
            small,
            { class: 'data ranking', 'data-list': 'insufficient' },
            { pageSize: 10 },
          ),
    );
    return [section(`${ctx.periodText} · 综合得分排名`, ...out), sectionSmall];
  },
};
