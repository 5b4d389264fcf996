/** Cadence maths on the Europe/London clock and the periods a run covers, against instants written out by hand. */
import { describe, expect, it } from 'vitest';
import { isoDay } from '../../../src-shared/domain/periods';
import { nextDue, repeatProblem } from './cadence';
import { digestPeriods, dueDay, exportRange, lastMonth } from './periods';
import { latestDue } from './service';

const utc = (s: string): number => Date.parse(s);

describe('next due time (UK local)', () => {
  it('runs daily at the local time, in GMT and in BST', () => {
    expect(nextDue({ every: 'daily', at: '07:30' }, utc('2025-01-15T08:00:00Z'))).toBe(utc('2025-01-16T07:30:00Z'));
    expect(nextDue({ every: 'daily', at: '07:30' }, utc('2025-01-15T07:00:00Z'))).toBe(utc('2025-01-15T07:30:00Z'));
    // 07:30 BST is 06:30 UTC
    expect(nextDue({ every: 'daily', at: '07:30' }, utc('2025-07-01T12:00:00Z'))).toBe(utc('2025-07-02T06:30:00Z'));
  });

  it('runs a time the spring change skips an hour later by the clock (01:30 → 02:30 BST on 30/03/2025)', () => {
    const c = { every: 'daily', at: '01:30' } as const;
    // the clocks go from 01:00 GMT to 02:00 BST at 01:00 UTC; 02:30 BST is 01:30 UTC
    expect(nextDue(c, utc('2025-03-29T12:00:00Z'))).toBe(utc('2025-03-30T01:30:00Z'));
    // the day after, 01:30 BST is 00:30 UTC
    expect(nextDue(c, utc('2025-03-30T01:30:00Z'))).toBe(utc('2025-03-31T00:30:00Z'));
  });

  it('runs the repeated autumn hour once, at its first (BST) occurrence (26/10/2025)', () => {
    const c = { every: 'daily', at: '01:30' } as const;
    // 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT)
    expect(nextDue(c, utc('2025-10-25T12:00:00Z'))).toBe(utc('2025-10-26T00:30:00Z'));
    // not again an hour later: the next is the following night, GMT
    expect(nextDue(c, utc('2025-10-26T00:30:00Z'))).toBe(utc('2025-10-27T01:30:00Z'));
  });

  it('runs weekly on the weekday and monthly on the day', () => {
    // 12/03/2025 is a Wednesday; the next Monday is 17/03
    expect(nextDue({ every: 'weekly', weekday: 1, at: '06:00' }, utc('2025-03-12T10:00:00Z'))).toBe(
      utc('2025-03-17T06:00:00Z'),
    );
    // Monday 31/03/2025 is in BST
    expect(nextDue({ every: 'weekly', weekday: 1, at: '06:00' }, utc('2025-03-24T06:00:00Z'))).toBe(
      utc('2025-03-31T05:00:00Z'),
    );
    // Sunday
    expect(nextDue({ every: 'weekly', weekday: 7, at: '23:00' }, utc('2025-03-12T10:00:00Z'))).toBe(
      utc('2025-03-16T23:00:00Z'),
    );
    expect(nextDue({ every: 'monthly', day: 28, at: '09:00' }, utc('2025-02-28T10:00:00Z'))).toBe(
      utc('2025-03-28T09:00:00Z'),
    );
    expect(nextDue({ every: 'monthly', day: 1, at: '00:15' }, utc('2025-12-15T00:00:00Z'))).toBe(
      utc('2026-01-01T00:15:00Z'),
    );
  });

  it('gives the latest missed due time for a catch-up, not the first', () => {
    const c = { every: 'daily', at: '06:00' } as const;
    expect(latestDue(c, utc('2025-01-10T06:00:00Z'), utc('2025-01-13T09:00:00Z'))).toBe(utc('2025-01-13T06:00:00Z'));
    expect(latestDue(c, utc('2025-01-10T06:00:00Z'), utc('2025-01-10T07:00:00Z'))).toBe(utc('2025-01-10T06:00:00Z'));
  });
});

describe('the periods a run covers', () => {
  const day = (iso: string) => dueDay(utc(iso));
  const days = (r: { from: number; to: number }) => [isoDay(r.from), isoDay(r.to)];

  it('takes the UK local day it was due: 23:30 UTC on 31/05 is 1 June in BST', () => {
    expect(isoDay(day('2025-05-31T23:30:00Z'))).toBe('2025-06-01');
    expect(lastMonth(day('2025-05-31T23:30:00Z')).month).toBe('2025-05');
    expect(lastMonth(day('2025-01-01T08:00:00Z')).month).toBe('2024-12');
  });

  it('exports yesterday, the last 7 days or the last whole month', () => {
    const d = day('2025-03-12T06:00:00Z');
    expect(days(exportRange('yesterday', d))).toEqual(['2025-03-11', '2025-03-12']);
    expect(days(exportRange('last-7-days', d))).toEqual(['2025-03-05', '2025-03-12']);
    expect(days(exportRange('last-month', d))).toEqual(['2025-02-01', '2025-03-01']);
  });

  it('digests the last whole Monday–Sunday week or month, with the one before and a year earlier', () => {
    const w = digestPeriods('week', day('2025-03-19T07:00:00Z'));
    expect(days(w.current)).toEqual(['2025-03-10', '2025-03-17']);
    expect(days(w.previous)).toEqual(['2025-03-03', '2025-03-10']);
    expect(days(w.yearAgo)).toEqual(['2024-03-11', '2024-03-18']);
    expect(w.label).toBe('week 10/03/2025 – 16/03/2025');
    const m = digestPeriods('month', day('2025-03-01T07:00:00Z'));
    expect(days(m.current)).toEqual(['2025-02-01', '2025-03-01']);
    expect(days(m.previous)).toEqual(['2025-01-01', '2025-02-01']);
    expect(days(m.yearAgo)).toEqual(['2024-02-01', '2024-03-01']);
    expect([m.label, m.previousLabel, m.yearAgoLabel]).toEqual(['February 2025', 'January 2025', 'February 2024']);
  });
});

describe('cadences that would deliver one period again and again', () => {
  const digest = (period: 'week' | 'month') => ({ kind: 'digest', scope: { all: true }, period }) as const;
  const report = (period: 'month' | 'year') =>
    ({ kind: 'report', scope: { all: true }, period, format: 'pdf' }) as const;
  const daily = { every: 'daily', at: '07:00' } as const;
  const weekly = { every: 'weekly', weekday: 1, at: '07:00' } as const;
  const monthly = { every: 'monthly', day: 2, at: '07:00' } as const;

  it('refuses a month on a daily or weekly cadence, and a week on a daily one, naming the fix', () => {
    expect(repeatProblem(digest('month'), weekly)).toBe(
      'A monthly digest sent every week would deliver the same month again and again; set it to run Monthly',
    );
    expect(repeatProblem(digest('month'), daily)).toMatch(/^A monthly digest sent every day .* run Monthly$/);
    expect(repeatProblem(digest('week'), daily)).toBe(
      'A weekly digest sent every day would deliver the same week again and again; set it to run Weekly',
    );
    expect(repeatProblem(report('month'), daily)).toMatch(/^A monthly report sent every day/);
    expect(repeatProblem(report('year'), weekly)).toMatch(/^A yearly report sent every week .* run Monthly$/);
    const lastMonthCsv = { kind: 'export', table: 'days', scope: { all: true }, range: 'last-month' } as const;
    expect(repeatProblem(lastMonthCsv, weekly)).toMatch(/^An export of the last month sent every week/);
  });

  it('lets fitting cadences be', () => {
    expect(repeatProblem(digest('month'), monthly)).toBeNull();
    expect(repeatProblem(digest('week'), weekly)).toBeNull();
    expect(repeatProblem(digest('week'), monthly)).toBeNull();
    expect(repeatProblem(report('year'), monthly)).toBeNull();
    const yesterday = { kind: 'export', table: 'readings', scope: { all: true }, range: 'yesterday' } as const;
    expect(repeatProblem(yesterday, daily)).toBeNull();
    const week = { kind: 'export', table: 'readings', scope: { all: true }, range: 'last-7-days' } as const;
    expect(repeatProblem(week, daily)).toBeNull();
  });
});
