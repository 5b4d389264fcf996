import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable, type Column } from './DataTable';

interface Row {
  name: string;
  kwh: number;
}

const COLUMNS: (Column<Row> | false)[] = [
  { header: 'Meter', rowHeader: true, cell: (r) => r.name },
  false,
  {
    header: 'kWh',
    num: true,
    headerClassName: 'unit-case',
    className: (r) => (r.kwh > 10 ? 'warn' : undefined),
    cellProps: (r) => ({ title: `${r.kwh} kWh` }),
    cell: (r) => r.kwh,
  },
];

describe('DataTable', () => {
  it('draws a header cell per column left in and a row per item, with their classes and attributes', () => {
    const html = renderToStaticMarkup(
      createElement(DataTable<Row>, {
        columns: COLUMNS,
        rows: [
          { name: 'a', kwh: 5 },
          { name: 'b', kwh: 12 },
        ],
        rowKey: (r) => r.name,
        rowProps: (r) => ({ 'data-testid': 'row', 'data-name': r.name }),
        className: 'table-compact',
        testId: 'kwh-table',
        wrapClassName: 'extra',
      }),
    );
    expect(html).toBe(
      '<div class="table-scroll extra"><div class="table-wrap"><table class="table table-compact" data-testid="kwh-table"><thead><tr>' +
        '<th scope="col">Meter</th><th scope="col" class="num unit-case">kWh</th></tr></thead><tbody>' +
        '<tr data-testid="row" data-name="a"><th scope="row">a</th><td title="5 kWh" class="num">5</td></tr>' +
        '<tr data-testid="row" data-name="b"><th scope="row">b</th><td title="12 kWh" class="num warn">12</td></tr>' +
        '</tbody></table></div></div>',
    );
  });

  it('shows the empty state instead of the table when there are no rows, and an empty table without one', () => {
    const empty = createElement('p', null, 'Nothing yet');
    const table = (more: { empty?: typeof empty }) =>
      renderToStaticMarkup(
        createElement(DataTable<Row>, { columns: COLUMNS, rows: [], rowKey: (r) => r.name, ...more }),
      );
    expect(table({ empty })).toBe('<p>Nothing yet</p>');
    expect(table({})).toContain('<tbody></tbody>');
  });

  it('orders the rows by a sortable column from the start, its header a button saying which way', () => {
    const columns: (Column<Row> | false)[] = [
      false,
      { header: 'Meter', rowHeader: true, cell: (r) => r.name, sortValue: (r) => r.name },
      { header: 'kWh', num: true, cell: (r) => r.kwh, sortValue: (r) => r.kwh },
    ];
    const rows = [
      { name: 'b', kwh: 5 },
      { name: 'a', kwh: 12 },
      { name: 'c', kwh: 7 },
    ];
    const html = renderToStaticMarkup(
      createElement(DataTable<Row>, { columns, rows, rowKey: (r) => r.name, defaultSort: { column: 2, dir: 'desc' } }),
    );
    expect([...html.matchAll(/<th scope="row">(\w)<\/th>/g)].map((m) => m[1])).toEqual(['a', 'c', 'b']);
    expect(html).toContain(
      '<th scope="col" class="num sortable" aria-sort="descending"><button type="button" class="sort-button">kWh<span class="sort-mark sort-mark-on" aria-hidden="true">▼</span></button></th>',
    );
    expect(html).toContain('<th scope="col" class="sortable" aria-sort="none">');
    const byName = renderToStaticMarkup(
      createElement(DataTable<Row>, { columns, rows, rowKey: (r) => r.name, defaultSort: { column: 1, dir: 'asc' } }),
    );
    expect([...byName.matchAll(/<th scope="row">(\w)<\/th>/g)].map((m) => m[1])).toEqual(['a', 'b', 'c']);
    // a limit draws the first rows of the order, not of the list as given
    const top = renderToStaticMarkup(
      createElement(DataTable<Row>, {
        columns,
        rows,
        rowKey: (r) => r.name,
        defaultSort: { column: 2, dir: 'asc' },
        limit: 2,
      }),
    );
    expect([...top.matchAll(/<th scope="row">(\w)<\/th>/g)].map((m) => m[1])).toEqual(['b', 'c']);
  });
});
