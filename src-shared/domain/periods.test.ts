import { describe, expect, it } from 'vitest';
import {
  dayFromDate,
  dayHalfHours,
  halfHoursBetween,
  isoDay,
  localDayOf,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
  periodStart,
  previousPeriodStart,
  weekStart,
  yearAgoStart,
} from './periods';

const day = (s: string) => parsePeriod('day', s)!;

describe('UK calendar periods', () => {
  it('labels ISO weeks by their Thursday year', () => {
    expect(periodLabel('week', weekStart(day('2025-03-30')))).toBe('2025-W13');
    expect(periodLabel('week', weekStart(day('2024-12-30')))).toBe('2025-W01');
    expect(periodLabel('week', weekStart(day('2021-01-03')))).toBe('2020-W53');
    expect(isoDay(weekStart(day('2025-03-30')))).toBe('2025-03-24');
    expect(parsePeriod('week', '2025-W13')).toBe(day('2025-03-24'));
    expect(parsePeriod('week', '2025-W54')).toBeNull();
  });

  it('steps months and years, and finds the weekday-aligned year-ago period', () => {
    expect(isoDay(nextPeriodStart('month', day('2025-12-01')))).toBe('2026-01-01');
    expect(isoDay(previousPeriodStart('month', day('2025-01-01')))).toBe('2024-12-01');
    expect(isoDay(yearAgoStart('day', day('2025-03-30')))).toBe('2024-03-31'); // both Sundays
    expect(isoDay(yearAgoStart('month', day('2025-03-01')))).toBe('2024-03-01');
    expect(isoDay(periodStart('year', day('2025-07-09')))).toBe('2025-01-01');
    expect(parsePeriod('month', '2025-13')).toBeNull();
    expect(parsePeriod('day', '2025-02-30')).toBeNull();
  });

  it('knows the local day of UTC instants and the length of each day', () => {
    expect(isoDay(localDayOf(Date.parse('2025-06-30T23:30:00Z') / 1000))).toBe('2025-07-01');
    expect(isoDay(localDayOf(Date.parse('2025-12-31T23:30:00Z') / 1000))).toBe('2025-12-31');
    expect(dayHalfHours(day('2025-03-30'))).toBe(46);
    expect(dayHalfHours(day('2025-10-26'))).toBe(50);
    expect(halfHoursBetween(dayFromDate(2025, 1, 1), dayFromDate(2026, 1, 1))).toBe(365 * 48);
    expect(halfHoursBetween(dayFromDate(2025, 3, 1), dayFromDate(2025, 4, 1))).toBe(31 * 48 - 2);
  });
});
