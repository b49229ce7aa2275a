// Small DOM helpers: elements are built with textContent only, so no value is ever parsed as HTML.

/** h('div', {class: 'x', onclick: fn, dataset: {k: 'v'}}, child, 'text', …) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * A table: columns [{key, title, value: row => text|Node}]; each cell carries its column's title as
 * data-label, which the phone layout shows before the value. rowAttrs(row) sets a row's own attributes.
 */
export function table(columns, rows, attrs = {}, rowAttrs = () => ({})) {
  return h(
    'table',
    { class: 'responsive', ...attrs },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((c) => h('th', { scope: 'col', dataset: { col: c.key } }, c.title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          rowAttrs(row),
          columns.map((c) => h('td', { dataset: { col: c.key, label: c.title } }, c.value(row))),
        ),
      ),
    ),
  );
}

/** A labelled field: label text, then the control (input/select/textarea built with h). */
export const field = (text, control) => h('label', {}, text, control);

/** A select of [value, text] pairs, the first selected unless `selected` is given. */
export function select(name, options, attrs = {}, selected) {
  return h(
    'select',
    { name, ...attrs },
    options.map(([v, t]) => h('option', { value: v, selected: v === selected }, t)),
  );
}
