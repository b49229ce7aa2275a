// 指标总览: the SPEC §4 rates as tiles against their targets, and the period's counts.

import { get } from '../api.js';
import { h, section } from '../dom.js';
import { COUNTS, RATE_TILES, format, formatTarget, label, tooltip } from '../metrics.js';

export function tiles(summary) {
  const targets = new Map((summary.targets ?? []).map((t) => [t.metric, t]));
  const rates = RATE_TILES.filter((k) => k in summary).map((key) => {
    const t = targets.get(key);
    const state = !t ? 'none' : t.met === true ? 'met' : t.met === false ? 'missed' : 'nodata';
    const verdict = { none: '未设目标', met: '达标', missed: '未达标', nodata: '无数据' }[state];
    return h(
      'div',
      {
        class: `tile ${state}`,
        title: tooltip(key),
        dataset: { metric: key, value: JSON.stringify(summary[key]) },
      },
      h('div', { class: 'tile-label' }, label(key)),
      h('div', { class: 'tile-value' }, format(key, summary[key])),
      h(
        'div',
        { class: 'tile-target' },
        t ? formatTarget(key, t.target) : '',
        h('span', { class: 'badge', dataset: { verdict: state } }, verdict),
      ),
    );
  });
  const counts = COUNTS.filter((k) => k in summary).map((key) =>
    h(
      'div',
      { class: 'count', title: tooltip(key), dataset: { metric: key, value: JSON.stringify(summary[key]) } },
      h('span', { class: 'count-label' }, label(key)),
      h('span', { class: 'count-value' }, format(key, summary[key])),
    ),
  );
  return [h('div', { class: 'tiles' }, rates), h('div', { class: 'counts' }, counts)];
}

export default {
  title: '指标总览',
  filters: ['district', 'categoryCode', 'channel', 'leaderLed'],
  csv: (ctx) => ({
    path: '/reports/summary',
    params: ctx.query(),
    filename: `summary-${ctx.periodName}.csv`,
  }),
  async render(ctx) {
    const summary = await get('/reports/summary', ctx.query());
    return section(`${ctx.periodText} · 对照目标`, ...tiles(summary));
  },
};
