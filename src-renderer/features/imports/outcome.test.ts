import { describe, expect, it } from 'vitest';
import type { RowError } from '../../../src-shared/contract/types';
import { problemsSummary } from './outcome';

const errors = (n: number): RowError[] => Array.from({ length: n }, (_, i) => ({ line: i + 2, message: 'Bad value' }));

describe('problemsSummary', () => {
  it('counts rejected rows as the card does, even when rows had several bad values (120 rows, 240 problems)', () => {
    expect(problemsSummary({ rowsRejected: 120, conflicts: 0, errors: errors(240) })).toEqual({
      label: 'problems (120 rejected rows)',
      note: '240 problems on 120 rows: some rows have more than one bad value.',
    });
  });

  it('names conflicts apart from rejected rows', () => {
    expect(problemsSummary({ rowsRejected: 1, conflicts: 3, errors: errors(4) })).toEqual({
      label: 'problems (1 rejected row, 3 conflicts)',
      note: null,
    });
    expect(problemsSummary({ rowsRejected: 1, conflicts: 3, errors: errors(5) }).note).toBe(
      '5 problems on 1 row and 3 conflicting half-hours: some rows have more than one bad value.',
    );
  });

  it('says when only the first problems were kept, and when none were', () => {
    expect(problemsSummary({ rowsRejected: 5000, conflicts: 0, errors: errors(1000) }).note).toBe(
      'Showing the first 1,000 problems.',
    );
    expect(problemsSummary({ rowsRejected: 2, conflicts: 0, errors: [] }).note).toBe(
      'The details of these problems were not kept.',
    );
    expect(problemsSummary({ rowsRejected: 0, conflicts: 0, errors: [] })).toEqual({ label: null, note: null });
  });
});
