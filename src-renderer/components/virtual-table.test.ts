import { describe, expect, it } from 'vitest';
import { clickSelect, keepShown, moveIndex, nextKeySort, orderRows, rangeOf, selectionState } from './virtual-table';

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];
const ids = (s: Set<string>) => [...s].sort().join('');

describe('orderRows', () => {
  const rows = [
    { id: 'x', kwh: 5, site: 'Depot' },
    { id: 'y', kwh: null, site: 'bath library' },
    { id: 'z', kwh: 12, site: 'Abbey' },
  ];
  const columns = [
    { key: 'kwh', sortValue: (r: (typeof rows)[number]) => r.kwh },
    { key: 'site', sortValue: (r: (typeof rows)[number]) => r.site },
    { key: 'label' },
  ];
  it('orders by the named column either way, rows without a value last', () => {
    expect(orderRows(rows, columns, { key: 'kwh', dir: 'desc' }).map((r) => r.id)).toEqual(['z', 'x', 'y']);
    expect(orderRows(rows, columns, { key: 'kwh', dir: 'asc' }).map((r) => r.id)).toEqual(['x', 'z', 'y']);
    expect(orderRows(rows, columns, { key: 'site', dir: 'asc' }).map((r) => r.id)).toEqual(['z', 'y', 'x']);
  });
  it('leaves the rows as given with no order, or a column that cannot sort or does not exist', () => {
    for (const sort of [null, { key: 'label', dir: 'asc' as const }, { key: 'nope', dir: 'desc' as const }])
      expect(orderRows(rows, columns, sort)).toBe(rows);
  });
});

describe('nextKeySort', () => {
  it('turns the same column round and starts another at its first order', () => {
    expect(nextKeySort(null, 'kwh', 'desc')).toEqual({ key: 'kwh', dir: 'desc' });
    expect(nextKeySort({ key: 'kwh', dir: 'desc' }, 'kwh', 'desc')).toEqual({ key: 'kwh', dir: 'asc' });
    expect(nextKeySort({ key: 'kwh', dir: 'asc' }, 'kwh', 'desc')).toEqual({ key: 'kwh', dir: 'desc' });
    expect(nextKeySort({ key: 'kwh', dir: 'asc' }, 'site', 'asc')).toEqual({ key: 'site', dir: 'asc' });
  });
});

describe('selecting rows', () => {
  it('takes the rows between two clicks either way round, both included', () => {
    expect(rangeOf(KEYS, 'b', 'e')).toEqual(['b', 'c', 'd', 'e']);
    expect(rangeOf(KEYS, 'e', 'b')).toEqual(['b', 'c', 'd', 'e']);
    expect(rangeOf(KEYS, 'c', 'c')).toEqual(['c']);
    // the first click's row no longer shown (or none yet): only the row clicked
    expect(rangeOf(KEYS, 'gone', 'd')).toEqual(['d']);
    expect(rangeOf(KEYS, null, 'd')).toEqual(['d']);
    expect(rangeOf(KEYS, 'a', 'gone')).toEqual([]);
  });

  it('turns one row on or off with a click, and a range to the clicked row’s new state with shift', () => {
    let s = clickSelect(new Set(), KEYS, 'b', null, false);
    expect(ids(s)).toBe('b');
    s = clickSelect(s, KEYS, 'e', 'b', true);
    expect(ids(s)).toBe('bcde');
    // shift-click on a selected row clears the range from the last click
    s = clickSelect(s, KEYS, 'c', 'e', true);
    expect(ids(s)).toBe('b');
    // a plain click on a selected row turns only it off; the set given is left as it was
    const before = new Set(['a', 'b']);
    expect(ids(clickSelect(before, KEYS, 'a', 'b', false))).toBe('b');
    expect(ids(before)).toBe('ab');
  });

  it('keeps only rows shown, and tells the header box all, some or none', () => {
    const s = new Set(['a', 'c', 'x']);
    expect(ids(keepShown(s, KEYS))).toBe('ac');
    expect(selectionState(new Set(KEYS), KEYS)).toBe('all');
    expect(selectionState(new Set(['a']), KEYS)).toBe('some');
    expect(selectionState(new Set(['x']), KEYS)).toBe('none');
    expect(selectionState(new Set(), [])).toBe('none');
  });
});

describe('moveIndex', () => {
  it('moves by a row, a page (keeping one row in view) or to the ends, never past them', () => {
    expect(moveIndex('ArrowDown', 3, 100, 20)).toBe(4);
    expect(moveIndex('ArrowUp', 0, 100, 20)).toBe(0);
    expect(moveIndex('ArrowDown', 99, 100, 20)).toBe(99);
    expect(moveIndex('PageDown', 3, 100, 20)).toBe(22);
    expect(moveIndex('PageUp', 10, 100, 20)).toBe(0);
    expect(moveIndex('Home', 50, 100, 20)).toBe(0);
    expect(moveIndex('End', 5, 100, 20)).toBe(99);
    // no focused row yet: down starts at the first
    expect(moveIndex('ArrowDown', -1, 100, 20)).toBe(0);
  });
  it('ignores other keys and an empty table', () => {
    expect(moveIndex('a', 3, 100, 20)).toBeNull();
    expect(moveIndex('ArrowDown', 0, 0, 20)).toBeNull();
  });
});
