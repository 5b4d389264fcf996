/** A table of rows under column headers, in a scrolling wrapper; an empty list can show something else instead. */
import type { HTMLAttributes, ReactNode } from 'react';
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
}

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
}) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <TableScroll className={wrapClassName}>
      <table className={classes('table', className)} data-testid={testId}>
        {caption}
        <thead>
          <tr>
            {shown.map((c, i) => (
              <th key={i} scope="col" className={classes(c.num && 'num', c.headerClassName)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={rowKey(row, r)} {...rowProps?.(row, r)}>
              {shown.map((c, i) => {
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
}
