import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './table-sort';

interface Row {
  id: string;
  kw: number | null;
}

const ROWS: Row[] = [
  { id: 'a', kw: 3 },
  { id: 'b', kw: null },
  { id: 'c', kw: 10 },
  { id: 'd', kw: 3 },
  { id: 'e', kw: Number.NaN },
  { id: 'f', kw: -1 },
];

describe('sortRows', () => {
  it('orders figures either way, rows without a value last both ways, equal values in their first order', () => {
    const ids = (dir: 'asc' | 'desc') => sortRows(ROWS, (r) => r.kw, dir).map((r) => r.id);
    expect(ids('asc')).toEqual(['f', 'a', 'd', 'c', 'b', 'e']);
    expect(ids('desc')).toEqual(['c', 'a', 'd', 'f', 'b', 'e']);
    // the list given is left as it was
    expect(ROWS.map((r) => r.id).join('')).toBe('abcdef');
  });

  it('orders text as people do: case aside, numbers inside names by their size', () => {
    const names = ['meter 10', 'Meter 9', 'abbey', 'Zinc'];
    expect(sortRows(names, (n) => n, 'asc')).toEqual(['abbey', 'Meter 9', 'meter 10', 'Zinc']);
    expect(sortRows(names, (n) => n, 'desc')).toEqual(['Zinc', 'meter 10', 'Meter 9', 'abbey']);
  });
});

describe('nextSort', () => {
  it('starts a new column at its first direction and turns the same column round', () => {
    expect(nextSort(null, 2, 'desc')).toEqual({ column: 2, dir: 'desc' });
    expect(nextSort({ column: 2, dir: 'desc' }, 2, 'desc')).toEqual({ column: 2, dir: 'asc' });
    expect(nextSort({ column: 2, dir: 'asc' }, 2, 'desc')).toEqual({ column: 2, dir: 'desc' });
    expect(nextSort({ column: 2, dir: 'asc' }, 0, 'asc')).toEqual({ column: 0, dir: 'asc' });
  });
});
