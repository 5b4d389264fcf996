/**
 * A table of rows under column headers, in a scrolling wrapper; an empty list can show something else
 * instead. Columns given a `sortValue` get a header button that orders the rows by them. Given an
 * `exportName`, an "Export CSV" button at its top-right saves the rows shown, in the order shown, with
 * each column's `csv` value (table-export.ts).
 */
import { useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import '../styles/table-sort.css';
import { ExportBar } from './ExportCsv';
import { csvColumns, type CsvSpec } from './table-export';
import { nextSort, sortRows, type SortDir, type SortState, type SortValue } from './table-sort';
import { TableScroll } from './TableScroll';

type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export interface Column<T> {
  header: ReactNode;
  /** Figures, right-aligned: the header cell and every cell get the `num` class. */
  num?: boolean;
  /** More classes for the header cell. */
  headerClassName?: string;
  /** More classes for each cell, or for a row's own. */
  className?: string | ((row: T) => string | undefined);
  /** The cell heads its row (`<th scope="row">`). */
  rowHeader?: boolean;
  /** A cell's own attributes: a title, a test id, data attributes. */
  cellProps?: (row: T) => HTMLAttributes<HTMLTableCellElement> & DataAttributes;
  cell: (row: T, index: number) => ReactNode;
  /** Makes the column sortable: what each row is ordered by (null: no value, always last). */
  sortValue?: (row: T) => SortValue;
  /** The order of the first click on the header (default: largest first for figures, A to Z otherwise). */
  sortFirst?: SortDir;
  /** What the column exports: its raw value (a number stays a number), or CSV columns of its own. */
  csv?: CsvSpec<T>;
  /** The column's header in the file (with its unit) when the one on screen is not plain text. */
  csvHeader?: string;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

const classes = (...names: (string | false | undefined)[]): string | undefined =>
  names.filter(Boolean).join(' ') || undefined;

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  caption,
  className,
  testId,
  wrapClassName,
  defaultSort,
  limit,
  exportName,
}: {
  /** Columns left out of this table (a role cannot use them) may be given as `false`. */
  columns: readonly (Column<T> | false)[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  /** A row's test id, data attributes, class or click handler. */
  rowProps?: (row: T, index: number) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  /** Shown instead of the table when there are no rows (without it, the table shows with no rows). */
  empty?: ReactNode;
  /** The table's `<caption>` element. */
  caption?: ReactNode;
  /** Classes besides `table`. */
  className?: string;
  testId?: string;
  /** Classes for the wrapper (TableScroll). */
  wrapClassName?: string;
  /** The order the rows are shown in at first (a sortable column's index in `columns`); else as given. */
  defaultSort?: SortState;
  /** Only the first `limit` rows, in the order shown, are drawn (the rest are there to sort). */
  limit?: number;
  /** Gives the table an "Export CSV" button saving the rows shown as `exportName.csv`. */
  exportName?: string;
}) {
  const [sort, setSort] = useState<SortState | null>(defaultSort ?? null);
  const sortBy = sort ? columns[sort.column] : undefined;
  const ordered = useMemo(() => {
    const all = sort && sortBy && sortBy.sortValue ? sortRows(rows, sortBy.sortValue, sort.dir) : rows;
    return limit !== undefined ? all.slice(0, limit) : all;
  }, [rows, sort, sortBy, limit]);
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const shown = columns
    .map((c, index) => (c === false ? null : { c, index }))
    .filter((x): x is { c: Column<T>; index: number } => x !== null);
  const table = (
    <TableScroll className={wrapClassName}>
      <table className={classes('table', className)} data-testid={testId}>
        {caption}
        <thead>
          <tr>
            {shown.map(({ c, index }, i) => {
              if (!c.sortValue)
                return (
                  <th key={i} scope="col" className={classes(c.num && 'num', c.headerClassName)}>
                    {c.header}
                  </th>
                );
              const dir = sort?.column === index ? sort.dir : null;
              return (
                <th
                  key={i}
                  scope="col"
                  className={classes(c.num && 'num', 'sortable', c.headerClassName)}
                  aria-sort={dir ? ARIA_SORT[dir] : 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setSort(nextSort(sort, index, c.sortFirst ?? (c.num ? 'desc' : 'asc')))}
                  >
                    {c.header}
                    <span className={dir ? 'sort-mark sort-mark-on' : 'sort-mark'} aria-hidden="true">
                      {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {ordered.map((row, r) => (
            <tr key={rowKey(row, r)} {...rowProps?.(row, r)}>
              {shown.map(({ c }, i) => {
                const own = typeof c.className === 'function' ? c.className(row) : c.className;
                const props = { ...c.cellProps?.(row), className: classes(c.num && 'num', own) };
                return c.rowHeader ? (
                  <th key={i} scope="row" {...props}>
                    {c.cell(row, r)}
                  </th>
                ) : (
                  <td key={i} {...props}>
                    {c.cell(row, r)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
  if (exportName === undefined) return table;
  return (
    <>
      <ExportBar name={exportName} columns={csvColumns(shown.map((s) => s.c))} rows={ordered} />
      {table}
    </>
  );
}
