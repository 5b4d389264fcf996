import { describe, expect, it } from 'vitest';
import { latestCompletePeriod, periodRange, readingDays, yearEarlier } from './periods';
import { dayFromDate } from '../../src-shared/domain/periods';

describe('latestCompletePeriod', () => {
  it('is the last day/week/month/year the data covers completely', () => {
    // Last half-hour 23:30 GMT on Sun 9 Feb 2025: the day, the ISO week (W06) and January are complete.
    const last = '2025-02-09T23:30:00Z';
    expect(latestCompletePeriod('day', last)).toBe('2025-02-09');
    expect(latestCompletePeriod('week', last)).toBe('2025-W06');
    expect(latestCompletePeriod('month', last)).toBe('2025-01');
    expect(latestCompletePeriod('year', last)).toBe('2024');
  });
  it('treats a part day as unfinished, in UK local time (BST)', () => {
    // 22:30 UTC on 30 Jun 2025 is 23:30 BST: the last half-hour of 30 June.
    expect(latestCompletePeriod('day', '2025-06-30T22:30:00Z')).toBe('2025-06-30');
    expect(latestCompletePeriod('month', '2025-06-30T22:30:00Z')).toBe('2025-06');
    expect(latestCompletePeriod('day', '2025-06-30T12:00:00Z')).toBe('2025-06-29');
    expect(latestCompletePeriod('day', null)).toBeNull();
  });
});

describe('ranges', () => {
  it('covers the local days of the readings', () => {
    expect(readingDays('2024-01-01T00:00:00Z', '2024-01-03T23:30:00Z')).toEqual({
      from: dayFromDate(2024, 1, 1),
      to: dayFromDate(2024, 1, 4),
    });
  });
  it('extends to whole periods and shifts a year back', () => {
    expect(periodRange('month', dayFromDate(2024, 1, 15), dayFromDate(2024, 3, 2))).toEqual({
      from: '2024-01-01',
      to: '2024-04-01',
      count: 3,
    });
    expect(periodRange('week', dayFromDate(2025, 3, 26), dayFromDate(2025, 3, 27))).toEqual({
      from: '2025-03-24',
      to: '2025-03-31',
      count: 1,
    });
    expect(yearEarlier('month', '2025-01-01', '2025-04-01')).toEqual({ from: '2024-01-01', to: '2024-04-01' });
    expect(yearEarlier('week', '2025-03-24', '2025-03-31')).toEqual({ from: '2024-03-25', to: '2024-04-01' });
  });
});
