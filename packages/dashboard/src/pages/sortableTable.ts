import { type Html, html } from './html';

export interface Column<Row> {
  key: string;
  label: string;
  /** What the column sorts by. */
  value: (row: Row) => number | string;
  /** What the cell shows; default the value. */
  cell?: (row: Row) => unknown;
  numeric?: boolean;
}

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

export function sortRows<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  sort: SortState,
): Row[] {
  const column = columns.find((c) => c.key === sort.key) ?? columns[0]!;
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return order * sign;
  });
}

/**
 * A table whose headers sort it: each is a link (`?sort=key&dir=…`, so sorting works
 * without script) that the browser script intercepts to re-sort in place. The header of the
 * sorted column carries `aria-sort`.
 */
export function sortableTable<Row>(parameters: {
  id: string;
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  sort: SortState;
  /** Extra attributes of a row, e.g. `data-uid`. */
  rowAttributes?: (row: Row) => Html;
  /** Extra query parameters every sort link keeps (e.g. the selected uid). */
  keep?: string;
}): Html {
  const { id, columns, sort } = parameters;
  const rows = sortRows(parameters.rows, columns, sort);
  const head = columns.map((column) => {
    const active = column.key === sort.key;
    const next = active && sort.dir === 'asc' ? 'desc' : 'asc';
    const href = `?sort=${encodeURIComponent(column.key)}&dir=${next}${parameters.keep ?? ''}`;
    const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" class="${column.numeric ? 'num' : ''}" aria-sort="${ariaSort}"><a href="${href}" data-sort="${column.key}" data-dir="${next}">${column.label}${active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  });
  const body = rows.map(
    (row) =>
      html`<tr ${parameters.rowAttributes?.(row) ?? ''}>${columns.map((column) => {
        const shown = column.cell ? column.cell(row) : column.value(row);
        return html`<td class="${column.numeric ? 'num' : ''}" data-column="${column.key}">${shown}</td>`;
      })}</tr>`,
  );
  return html`<div class="table-wrap"><table id="${id}" data-table="${id}"><caption>${parameters.caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
