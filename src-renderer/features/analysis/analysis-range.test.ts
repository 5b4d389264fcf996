import { describe, expect, it } from 'vitest';
import {
  addDays,
  baselineProblem,
  defaultBaseline,
  defaultRange,
  rangeDays,
  reportingPeriod,
  splitByWeek,
} from './analysis-range';

describe('defaultRange', () => {
  it('is the 56 days up to the last complete day, both included', () => {
    const r = defaultRange({ lastCompleteDay: '2025-03-02', lastReading: '2025-03-03T10:00:00Z' })!;
    expect(r).toEqual({ from: '2025-01-06', to: '2025-03-03' });
    // counted independently: 6 Jan to 2 Mar 2025 is 26 + 28 + 2 days
    expect(rangeDays(r)).toBe(26 + 28 + 2);
  });

  it('falls back to the UK day of the last reading, and to nothing without readings', () => {
    // 23:30 UTC on 30 Jun is 00:30 BST on 1 Jul
    expect(defaultRange({ lastCompleteDay: null, lastReading: '2025-06-30T23:30:00Z' })?.to).toBe('2025-07-02');
    expect(defaultRange({ lastCompleteDay: null, lastReading: null })).toBeNull();
  });
});

describe('splitByWeek', () => {
  it('goes by week beyond 92 days', () => {
    expect(splitByWeek({ from: '2025-01-01', to: addDays('2025-01-01', 92) })).toBe(false);
    expect(splitByWeek({ from: '2025-01-01', to: addDays('2025-01-01', 93) })).toBe(true);
  });
});

describe('defaultBaseline and reportingPeriod', () => {
  it('takes the first 12 months of data when 4 weeks are left after them', () => {
    const range = { from: '2025-01-06', to: '2025-03-03' };
    const b = defaultBaseline('2024-01-15T00:00:00Z', range);
    expect(b).toEqual({ from: '2024-01-15', to: '2025-01-15' });
    expect(reportingPeriod(b, range)).toEqual({ from: '2025-01-15', to: '2025-03-03' });
  });

  it('halves all the data up to the range’s end when it is shorter (the later half reported on)', () => {
    const range = { from: '2025-01-06', to: '2025-03-03' };
    // data from 1 Mar 2024: 12 months end on 1 Mar 2025, 2 days before the range's end, so the
    // 367 days from 1 Mar 2024 to 3 Mar 2025 are halved: 183 days of baseline, 184 reported on
    const b = defaultBaseline('2024-03-01T00:00:00Z', range);
    expect(b).toEqual({ from: '2024-03-01', to: '2024-08-31' });
    expect(reportingPeriod(b, range)).toEqual({ from: '2024-08-31', to: '2025-03-03' });
    // data only since the range began: the range itself is halved
    expect(defaultBaseline('2025-01-20T10:00:00Z', range)).toEqual({ from: '2025-01-06', to: '2025-02-03' });
    const odd = { from: '2025-01-01', to: '2025-01-12' };
    expect(defaultBaseline(null, odd)).toEqual({ from: '2025-01-01', to: '2025-01-06' });
  });

  it('ends a year after a 29 February on 1 March', () => {
    expect(defaultBaseline('2024-02-29T12:00:00Z', { from: '2025-04-01', to: '2025-06-01' })).toEqual({
      from: '2024-02-29',
      to: '2025-03-01',
    });
  });

  it('reads a first reading in UK local time (BST)', () => {
    expect(defaultBaseline('2024-03-31T23:00:00Z', { from: '2025-05-01', to: '2025-06-01' }).from).toBe('2024-04-01');
  });
});

describe('baselineProblem', () => {
  const range = { from: '2025-01-06', to: '2025-03-03' };
  it('accepts a baseline ending before the range’s last day', () => {
    expect(baselineProblem({ from: '2024-01-01', to: '2025-03-02' }, range, '2 Mar 2025')).toBeNull();
  });
  it('refuses one that leaves no day to report on, or runs backwards', () => {
    expect(baselineProblem({ from: '2024-01-01', to: '2025-03-03' }, range, '2 Mar 2025')).toContain(
      'must end before 2 Mar 2025',
    );
    expect(baselineProblem({ from: '2025-01-10', to: '2025-01-10' }, range, '2 Mar 2025')).toContain(
      'before its start',
    );
  });
});
