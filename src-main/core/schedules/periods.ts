/**
 * The periods a run covers, from the UK local day it was due: the last whole month or calendar year
 * for a report, yesterday / the last 7 days / the last whole month for an export, and the last whole
 * week (Monday–Sunday) or month for a digest, with the periods a digest compares against.
 */
import type { ScheduleWhat } from '../../../src-shared/contract/types';
import { MONTH_NAMES, dateOfDay, dayFromDate, localDayOf, weekStart } from '../../../src-shared/domain/periods';
import { ukDate } from '../reports/format';

/** UK local days [from, to). */
export interface DayRange {
  from: number;
  to: number;
}

/** The UK local day a run due at `dueAt` (ms) falls on. */
export const dueDay = (dueAt: number): number => localDayOf(Math.floor(dueAt / 1000));

/** The last whole calendar month before the day: `YYYY-MM` and its days. */
export function lastMonth(day: number): { month: string; range: DayRange } {
  const { y, m } = dateOfDay(day);
  const to = dayFromDate(y, m, 1);
  const p = dateOfDay(to - 1);
  return { month: `${p.y}-${String(p.m).padStart(2, '0')}`, range: { from: dayFromDate(p.y, p.m, 1), to } };
}

/** The days an export covers. */
export function exportRange(range: Extract<ScheduleWhat, { kind: 'export' }>['range'], day: number): DayRange {
  if (range === 'yesterday') return { from: day - 1, to: day };
  if (range === 'last-7-days') return { from: day - 7, to: day };
  return lastMonth(day).range;
}

/** A digest's period, the one before it and the same period a year earlier. */
export interface DigestPeriods {
  current: DayRange;
  previous: DayRange;
  yearAgo: DayRange;
  /** `week 10/03/2025 – 16/03/2025` or `March 2025`. */
  label: string;
  /** `previous week` / `February 2025`. */
  previousLabel: string;
  /** `same week last year` / `March 2024`. */
  yearAgoLabel: string;
}

/** The last whole week (Monday–Sunday; the year-ago week is 52 weeks earlier) or month before the day. */
export function digestPeriods(period: 'week' | 'month', day: number): DigestPeriods {
  if (period === 'week') {
    const to = weekStart(day);
    const from = to - 7;
    return {
      current: { from, to },
      previous: { from: from - 7, to: from },
      yearAgo: { from: from - 364, to: to - 364 },
      label: `week ${ukDate(from)} – ${ukDate(to - 1)}`,
      previousLabel: 'previous week',
      yearAgoLabel: 'same week last year',
    };
  }
  const { range } = lastMonth(day);
  const prev = lastMonth(range.from).range;
  const { y, m } = dateOfDay(range.from);
  const p = dateOfDay(prev.from);
  return {
    current: range,
    previous: prev,
    yearAgo: { from: dayFromDate(y - 1, m, 1), to: dayFromDate(y - 1, m + 1, 1) },
    label: `${MONTH_NAMES[m - 1]} ${y}`,
    previousLabel: `${MONTH_NAMES[p.m - 1]} ${p.y}`,
    yearAgoLabel: `${MONTH_NAMES[m - 1]} ${y - 1}`,
  };
}
