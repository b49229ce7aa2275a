// The workbench's tables and form fields, built with h (common/dom.js, shared with the dashboard).

import { h } from '../common/dom.js';

export { h };

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
