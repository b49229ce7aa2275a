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

/**
 * Where a 0–100 axis of scores should start: at 0 unless every score is high, then at the multiple of
 * ten at least five points under the lowest — scores between 89 and 100 are drawn from 80, so their
 * differences show. Never above 90, so a bar always has length.
 */
export function scoreAxisMin(scores) {
  const values = scores.filter((v) => typeof v === 'number');
  if (values.length === 0) return 0;
  const lowest = Math.min(...values);
  if (lowest < 50) return 0;
  return Math.min(90, Math.max(0, Math.floor((lowest - 5) / 10) * 10));
}

/** The same for a rate axis (0–1): from 0, or from a tenth at least 0.05 under the lowest rate. */
export function rateAxisMin(rates) {
  return scoreAxisMin(rates.map((v) => (typeof v === 'number' ? v * 100 : v))) / 100;
}

/** Round ticks for an axis from min to max points (or max 1 for rates: pass scale 100). */
export function axisInterval(min, max, scale = 1) {
  const range = (max - min) * scale;
  return (range <= 20 ? 5 : range <= 50 ? 10 : 20) / scale;
}
