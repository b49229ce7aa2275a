// ECharts (served by the service at /dashboard/vendor/echarts.min.js, a global `echarts`): one place
// that makes charts, resizes them with the window and disposes them when a view is redrawn.

import { h } from './dom.js';
import { format, label } from './metrics.js';

const live = new Set();

window.addEventListener('resize', () => live.forEach((c) => c.resize()));

export function disposeCharts() {
  live.forEach((c) => c.dispose());
  live.clear();
}

/** A chart box; the chart is drawn once the box is in the page. */
export function chart(option, attrs = {}) {
  const el = h('div', { class: 'chart', ...attrs });
  requestAnimationFrame(() => {
    if (!el.isConnected) return;
    const c = window.echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
    live.add(c);
  });
  return el;
}

export const rateAxis = {
  type: 'value',
  min: 0,
  max: 1,
  axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` },
};

/** A tooltip that shows each series with the dashboard's own formatting of its metric. */
export function metricTooltip(keys) {
  return {
    trigger: 'axis',
    valueFormatter: undefined,
    formatter: (params) => {
      const list = Array.isArray(params) ? params : [params];
      const head = list[0]?.axisValueLabel ?? '';
      const lines = list.map((p) => {
        const key = keys[p.seriesIndex];
        return `${p.marker}${label(key)}（${key}）：${format(key, p.value ?? null)}`;
      });
      return [escapeHtml(head), ...lines].join('<br>');
    },
  };
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
