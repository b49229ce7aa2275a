// 指标总览: the rates of docs/product.md §4 and §7 as tiles against their targets, and the period's
// counts. 超期未办 opens the list of the cases behind it.

import { get } from '../../common/api.js';
import { h, section } from '../dom.js';
import { COUNTS, RATE_TILES, format, formatTarget, label, smallSamples, tooltip } from '../metrics.js';
import { minSample } from '../reference.js';
import { overdueList } from './overdue.js';

/**
 * The tiles and counts of a summary. opts.min: the minimum sample (figures over fewer return visits
 * are marked); opts.drill: {metric: href} — tiles that open the cases behind them.
 */
export function tiles(summary, { min, drill = {} } = {}) {
  const targets = new Map((summary.targets ?? []).map((t) => [t.metric, t]));
  const small = smallSamples(summary, min);
  const rates = RATE_TILES.filter((k) => k in summary).map((key) => {
    const t = targets.get(key);
    const state = !t ? 'none' : t.met === true ? 'met' : t.met === false ? 'missed' : 'nodata';
    const verdict = { none: '未设目标', met: '达标', missed: '未达标', nodata: '无数据' }[state];
    const href = drill[key] && summary[key] > 0 ? drill[key] : undefined;
    return h(
      href ? 'a' : 'div',
      {
        class: `tile ${state}${key in small ? ' small' : ''}${href ? ' drill' : ''}`,
        href,
        title: href ? `${tooltip(key)}\n点击查看这些诉求` : tooltip(key),
        dataset: { metric: key, value: JSON.stringify(summary[key]) },
      },
      h('div', { class: 'tile-label' }, label(key)),
      h('div', { class: 'tile-value' }, format(key, summary[key])),
      h(
        'div',
        { class: 'tile-target' },
        t ? formatTarget(key, t.target) : '',
        key in small ? h('span', { class: 'badge', dataset: { verdict: 'small' } }, '样本不足') : null,
        h('span', { class: 'badge', dataset: { verdict: state } }, verdict),
      ),
      href ? h('div', { class: 'tile-drill' }, '查看诉求 ›') : null,
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
  const out = [h('div', { class: 'tiles' }, rates), h('div', { class: 'counts' }, counts)];
  if (Object.keys(small).length > 0) out.push(smallSampleNote(summary, min, small));
  return out;
}

/** Why some tiles say 样本不足, in words. */
function smallSampleNote(summary, min, small) {
  const metrics = Object.keys(small).map(label).join('、');
  return h(
    'p',
    { class: 'note sample-note', dataset: { smallSample: '' } },
    `样本不足：有效回访 ${summary.rated ?? 0} 件${
      'ratedAll' in summary && summary.ratedAll !== summary.rated ? `（全部回访 ${summary.ratedAll} 件）` : ''
    }，少于目标设定的最小样本 ${min} 件；${metrics}仅供参考，不宜据此考核或排名。`,
  );
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
    const [summary, min] = await Promise.all([get('/reports/summary', ctx.query()), minSample()]);
    const drill = { overdueOpen: ctx.link(ctx.path, { list: 'overdue' }) };
    return [
      section(`${ctx.periodText} · 对照目标`, ...tiles(summary, { min, drill })),
      ctx.params.list === 'overdue' ? await overdueList(ctx, { expected: summary.overdueOpen }) : null,
    ];
  },
};
