/**
 * VirtualTable's logic, pure: the rows in a column's order, multi-select (a click, a shift-click
 * range, "all shown", kept to the rows shown) and the keyboard's moves.
 */
import { sortRows, type SortDir, type SortValue } from './table-sort';

/** A column's order: its key (as the address keeps it) and the direction. */
export interface KeySort {
  key: string;
  dir: SortDir;
}

/** The rows ordered by the column `sort.key` names (as given when there is none, or it is not sortable). */
export function orderRows<T>(
  rows: readonly T[],
  columns: readonly { key: string; sortValue?: (row: T) => SortValue }[],
  sort: KeySort | null,
): readonly T[] {
  const by = sort && columns.find((c) => c.key === sort.key)?.sortValue;
  return by ? sortRows(rows, by, sort.dir) : rows;
}

/** The order after a click on a column's header: the same column turns round, another starts at `first`. */
export function nextKeySort(current: KeySort | null, key: string, first: SortDir): KeySort {
  if (current && current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: first };
}

/** The keys from `a` to `b` (either way round, both included) in the order shown; just `b` when `a` is not shown. */
export function rangeOf(keys: readonly string[], a: string | null, b: string): string[] {
  const j = keys.indexOf(b);
  if (j < 0) return [];
  const i = a === null ? -1 : keys.indexOf(a);
  if (i < 0) return [b];
  return keys.slice(Math.min(i, j), Math.max(i, j) + 1);
}

/**
 * The selection after a click on row `key`'s box: alone it turns that row on or off; with shift,
 * every row from the last one clicked (`anchor`) to this one takes this row's new state.
 */
export function clickSelect(
  selected: ReadonlySet<string>,
  keys: readonly string[],
  key: string,
  anchor: string | null,
  shift: boolean,
): Set<string> {
  const on = !selected.has(key);
  const next = new Set(selected);
  for (const k of shift ? rangeOf(keys, anchor, key) : [key]) {
    if (on) next.add(k);
    else next.delete(k);
  }
  return next;
}

/** The selection kept to the rows shown (a filter that hides a row leaves it out of what bulk actions change). */
export function keepShown(selected: ReadonlySet<string>, keys: readonly string[]): Set<string> {
  const shown = new Set(keys);
  const out = new Set<string>();
  for (const k of selected) if (shown.has(k)) out.add(k);
  return out;
}

/** How the header's box shows a selection of the rows shown: all, some, or none of them. */
export function selectionState(selected: ReadonlySet<string>, keys: readonly string[]): 'all' | 'some' | 'none' {
  if (selected.size === 0 || keys.length === 0) return 'none';
  let n = 0;
  for (const k of keys) if (selected.has(k)) n++;
  return n === 0 ? 'none' : n === keys.length ? 'all' : 'some';
}

/** The row a key moves the focus to (null: the key does not move it), among `count` rows with `page` in view. */
export function moveIndex(key: string, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const to =
    key === 'ArrowDown'
      ? index + 1
      : key === 'ArrowUp'
        ? index - 1
        : key === 'PageDown'
          ? index + Math.max(1, page - 1)
          : key === 'PageUp'
            ? index - Math.max(1, page - 1)
            : key === 'Home'
              ? 0
              : key === 'End'
                ? count - 1
                : null;
  return to === null ? null : Math.min(count - 1, Math.max(0, to));
}
