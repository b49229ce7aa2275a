// The dashboard's tables and panels, built with h (common/dom.js, shared with the workbench).

import { h } from '../common/dom.js';

export { h };

/** A row of a table: a cell per column; row.__attrs sets the row's own attributes. */
function rowOf(columns, row) {
  return h(
    'tr',
    row.__attrs ?? {},
    columns.map((c) => h('td', { dataset: { col: c.key }, title: c.cellTitle?.(row) }, c.value(row))),
  );
}

/** A table: columns [{key, title, tooltip?, value: row => text|Node, cellTitle?}], one row per item. */
export function table(columns, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { title: c.tooltip, dataset: { col: c.key } }, c.title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) => rowOf(columns, row)),
    ),
  );
}

/**
 * A table shown a page at a time once it is longer than pageSize, with 上一页 / 下一页 and 显示全部
 * under it; a short one is a plain table. onPage(rows shown) runs whenever the shown rows change.
 */
export function pagedTable(columns, rows, attrs = {}, { pageSize = 20, onPage } = {}) {
  const el = table(columns, [], { ...attrs, 'data-total': rows.length });
  const tbody = el.querySelector('tbody');
  const pages = Math.ceil(rows.length / pageSize);
  // a few rows over a page are shown whole rather than as a nearly empty second page
  if (rows.length <= Math.ceil(pageSize * 1.25)) {
    tbody.replaceChildren(...rows.map((r) => rowOf(columns, r)));
    onPage?.(rows);
    return el;
  }
  let page = 0;
  let all = false;
  const info = h('span', { class: 'pager-info' });
  const prev = h(
    'button',
    { type: 'button', 'data-pager': 'prev', onclick: () => show(page - 1) },
    '‹ 上一页',
  );
  const next = h(
    'button',
    { type: 'button', 'data-pager': 'next', onclick: () => show(page + 1) },
    '下一页 ›',
  );
  const toggle = h('button', {
    type: 'button',
    class: 'link',
    'data-pager': 'all',
    onclick: () => {
      all = !all;
      show(all ? 0 : page);
    },
  });
  function show(p) {
    page = Math.min(Math.max(p, 0), pages - 1);
    const shown = all ? rows : rows.slice(page * pageSize, (page + 1) * pageSize);
    tbody.replaceChildren(...shown.map((r) => rowOf(columns, r)));
    el.dataset.page = all ? 'all' : String(page + 1);
    info.textContent = all
      ? `共 ${rows.length} 行，已全部显示`
      : `第 ${page + 1} / ${pages} 页 · 共 ${rows.length} 行`;
    prev.disabled = all || page === 0;
    next.disabled = all || page === pages - 1;
    toggle.textContent = all ? `每页 ${pageSize} 行` : '显示全部';
    onPage?.(shown);
  }
  show(0);
  return h('div', { class: 'paged' }, el, h('div', { class: 'pager' }, prev, info, next, toggle));
}

/** A note in small print under a panel's content. */
export function note(...children) {
  return h('p', { class: 'note' }, ...children);
}

export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}
