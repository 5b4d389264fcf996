/**
 * A table for thousands of rows: only the rows in view (and a few either side) are in the page, at a
 * fixed height, under a header that stays on top; columns of fixed widths that scroll sideways with
 * the first one held (TableScroll's cue); every column with a sort value is sortable from its header.
 * With `selection`, each row has a box (shift-click takes a range) and the header's box takes every
 * row shown. The keyboard moves a focused row (arrows, Page Up/Down, Home/End), Space selects it,
 * Shift+arrows extend the selection, Enter opens it. Pure logic in virtual-table.ts.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type HTMLAttributes,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import '../styles/table-sort.css';
import '../styles/tables.css';
import type { SortDir, SortValue } from './table-sort';
import { useOverflowCue } from './TableScroll';
import { clickSelect, moveIndex, nextKeySort, rangeOf, selectionState, type KeySort } from './virtual-table';

type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export interface VColumn<T> {
  /** The column's name in the address (`sort=kwh`). */
  key: string;
  header: ReactNode;
  /** Width in pixels (the table is laid out fixed: a row's height never changes). */
  width: number;
  /** Figures, right-aligned. */
  num?: boolean;
  cell: (row: T) => ReactNode;
  /** The cell's tooltip (a value cut short by the column's width). */
  title?: (row: T) => string | undefined;
  sortValue?: (row: T) => SortValue;
  /** The first click's order (default: largest first for figures, A to Z otherwise). */
  sortFirst?: SortDir;
}

export interface Selection {
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
}

/** Each row's height in pixels (tables.css sets the same). */
export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 38;
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

export function VirtualTable<T>({
  columns,
  rows,
  rowKey,
  rowLabel,
  sort,
  onSort,
  selection,
  onOpen,
  rowProps,
  label,
  testId,
  empty,
}: {
  columns: readonly VColumn<T>[];
  /** The rows shown, in the order shown. */
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** A row in words, for its box ("Select 1200050000009"). */
  rowLabel: (row: T) => string;
  sort: KeySort | null;
  onSort: (next: KeySort) => void;
  /** Rows can be selected (absent: no boxes). */
  selection?: Selection | undefined;
  /** A click on a row (not its box or a link), or Enter. */
  onOpen?: (row: T) => void;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  /** The table's name for assistive technology. */
  label: string;
  testId?: string;
  /** Shown in the body when there are no rows. */
  empty?: ReactNode;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const id = useId();
  const [active, setActive] = useState<number | null>(null);
  const anchor = useRef<string | null>(null);
  useOverflowCue(wrap);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => wrap.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  // a shorter list (a filter) keeps the focused row in range
  useEffect(() => {
    setActive((a) => (a === null || rows.length === 0 ? null : Math.min(a, rows.length - 1)));
  }, [rows.length]);

  const shownKeys = useMemo(() => rows.map(rowKey), [rows, rowKey]);
  const keys = (): string[] => shownKeys;
  const width = columns.reduce((s, c) => s + c.width, selection ? 30 : 0);
  const items = virtual.getVirtualItems();
  const top = items.length ? items[0]!.start - HEADER_HEIGHT : 0;
  const bottom = items.length ? virtual.getTotalSize() - (items[items.length - 1]!.end - HEADER_HEIGHT) : 0;
  const all = selection ? selectionState(selection.selected, keys()) : 'none';

  const focusRow = (i: number) => {
    setActive(i);
    virtual.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    if (e.target !== e.currentTarget || rows.length === 0) return;
    const at = active ?? 0;
    const page = Math.max(1, Math.floor(((wrap.current?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT));
    const to = moveIndex(e.key, active === null ? -1 : at, rows.length, page);
    if (to !== null) {
      e.preventDefault();
      if (selection && e.shiftKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        const ks = keys();
        anchor.current ??= ks[at]!;
        const next = new Set(selection.selected);
        for (const k of rangeOf(ks, anchor.current, ks[to]!)) next.add(k);
        selection.onChange(next);
      }
      focusRow(to);
      return;
    }
    if (e.key === ' ' && selection && active !== null) {
      e.preventDefault();
      const ks = keys();
      selection.onChange(clickSelect(selection.selected, ks, ks[at]!, anchor.current, false));
      anchor.current = ks[at]!;
    } else if (e.key === 'Enter' && active !== null && onOpen) {
      e.preventDefault();
      onOpen(rows[at]!);
    } else if (selection && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      selection.onChange(new Set(keys()));
    }
  };

  const onRowClick = (e: MouseEvent<HTMLTableRowElement>, row: T, index: number) => {
    setActive(index);
    if ((e.target as HTMLElement).closest('a, button, input, label')) return;
    onOpen?.(row);
  };

  const toggle = (e: MouseEvent<HTMLInputElement>, row: T, index: number) => {
    if (!selection) return;
    const ks = keys();
    const key = ks[index]!;
    selection.onChange(clickSelect(selection.selected, ks, key, anchor.current, e.shiftKey));
    anchor.current = key;
    setActive(index);
  };

  return (
    <div className="table-scroll vtable">
      <div ref={wrap} className="table-wrap">
        <table
          className={selection ? 'table vtable-table vtable-select' : 'table vtable-table'}
          style={{ width }}
          data-testid={testId}
          role="grid"
          aria-label={label}
          aria-rowcount={rows.length + 1}
          aria-multiselectable={selection ? true : undefined}
          aria-activedescendant={active !== null && rows[active] ? `${id}-r${active}` : undefined}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onFocus={(e) => {
            if (e.target === e.currentTarget && active === null && rows.length) setActive(0);
          }}
        >
          <colgroup>
            {columns.map((c, i) => (
              <col key={c.key} style={{ width: c.width + (i === 0 && selection ? 30 : 0) }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {columns.map((c, i) => {
                const dir = sort?.key === c.key ? sort.dir : null;
                const box = i === 0 && selection && (
                  <input
                    type="checkbox"
                    className="vt-check"
                    aria-label={`Select all ${rows.length} shown`}
                    checked={all === 'all'}
                    ref={(el) => {
                      if (el) el.indeterminate = all === 'some';
                    }}
                    onChange={() => selection.onChange(all === 'all' ? new Set() : new Set(keys()))}
                    data-testid="select-all"
                  />
                );
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={[c.num && 'num', c.sortValue && 'sortable'].filter(Boolean).join(' ') || undefined}
                    aria-sort={c.sortValue ? (dir ? ARIA_SORT[dir] : 'none') : undefined}
                  >
                    <span className="vt-head">
                      {box}
                      {c.sortValue ? (
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() => onSort(nextKeySort(sort, c.key, c.sortFirst ?? (c.num ? 'desc' : 'asc')))}
                        >
                          {c.header}
                          <span className={dir ? 'sort-mark sort-mark-on' : 'sort-mark'} aria-hidden="true">
                            {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                          </span>
                        </button>
                      ) : (
                        c.header
                      )}
                    </span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && empty !== undefined && (
              <tr>
                <td colSpan={columns.length} className="vt-empty">
                  {empty}
                </td>
              </tr>
            )}
            {top > 0 && (
              <tr aria-hidden="true" className="vt-spacer">
                <td colSpan={columns.length} style={{ height: top }} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              const key = rowKey(row);
              const selected = selection?.selected.has(key) ?? false;
              const own = rowProps?.(row);
              return (
                <tr
                  key={item.index}
                  {...own}
                  id={`${id}-r${item.index}`}
                  aria-rowindex={item.index + 2}
                  aria-selected={selection ? selected : undefined}
                  className={[own?.className, selected && 'is-selected', active === item.index && 'is-active']
                    .filter(Boolean)
                    .join(' ')}
                  onClick={(e) => onRowClick(e, row, item.index)}
                >
                  {columns.map((c, i) => (
                    <td key={c.key} className={c.num ? 'num' : undefined} title={c.title?.(row)}>
                      {i === 0 && selection ? (
                        <span className="vt-first">
                          <input
                            type="checkbox"
                            className="vt-check"
                            aria-label={`Select ${rowLabel(row)}`}
                            checked={selected}
                            onChange={() => undefined}
                            onClick={(e) => toggle(e, row, item.index)}
                          />
                          {c.cell(row)}
                        </span>
                      ) : (
                        c.cell(row)
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
            {bottom > 0 && (
              <tr aria-hidden="true" className="vt-spacer">
                <td colSpan={columns.length} style={{ height: bottom }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
