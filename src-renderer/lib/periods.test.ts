import { describe, expect, it } from 'vitest';
import { latestPeriodUpTo, periodRange, readingDays, yearEarlier } from './periods';
import { dayFromDate } from '../../src-shared/domain/periods';

describe('latestPeriodUpTo', () => {
  it('is the latest day/week/month/year ending on or before a day (a meter’s latest complete day)', () => {
    // Sun 9 Feb 2025: the day, the ISO week (W06) end there; January and 2024 are the latest whole month and year.
    expect(latestPeriodUpTo('day', '2025-02-09')).toBe('2025-02-09');
    expect(latestPeriodUpTo('week', '2025-02-09')).toBe('2025-W06');
    expect(latestPeriodUpTo('month', '2025-02-09')).toBe('2025-01');
    expect(latestPeriodUpTo('year', '2025-02-09')).toBe('2024');
    expect(latestPeriodUpTo('month', '2025-06-30')).toBe('2025-06');
    expect(latestPeriodUpTo('year', '2019-12-31')).toBe('2019');
    expect(latestPeriodUpTo('day', 'not a day')).toBeNull();
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
