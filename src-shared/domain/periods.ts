/**
 * UK local calendar periods. A `day` is a local date (Europe/London) as days since 1970-01-01;
 * weeks are ISO weeks (Monday start, labelled by ISO week-year: `2025-W13`), months `2025-03`,
 * years `2025`. Periods are half-open ranges of days [start, next).
 */
import { halfHoursInLondonDay, londonMidnight, toLondonParts } from './london-time';

/** Month names as UK dates write them, January first (index = month − 1). */
export const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export type PeriodKind = 'day' | 'week' | 'month' | 'year';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function dayFromDate(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86400000;
}

export function dateOfDay(day: number): { y: number; m: number; d: number } {
  const t = new Date(day * 86400000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export function isoDay(day: number): string {
  const { y, m, d } = dateOfDay(day);
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** The local day containing a UTC instant (epoch seconds). */
export function localDayOf(utc: number): number {
  const p = toLondonParts(utc);
  return dayFromDate(p.year, p.month, p.day);
}

/** UTC epoch seconds at which the local day starts. */
export function dayStartUtc(day: number): number {
  const { y, m, d } = dateOfDay(day);
  return londonMidnight(y, m, d);
}

export function dayHalfHours(day: number): number {
  const { y, m, d } = dateOfDay(day);
  return halfHoursInLondonDay(y, m, d);
}

/** Monday of the ISO week containing `day` (1970-01-01 was a Thursday). */
export const weekStart = (day: number): number => day - ((((day + 3) % 7) + 7) % 7);

export function periodStart(kind: PeriodKind, day: number): number {
  if (kind === 'day') return day;
  if (kind === 'week') return weekStart(day);
  const { y, m } = dateOfDay(day);
  return kind === 'month' ? dayFromDate(y, m, 1) : dayFromDate(y, 1, 1);
}

/** First day of the period after the one starting at `start`. */
export function nextPeriodStart(kind: PeriodKind, start: number): number {
  if (kind === 'day') return start + 1;
  if (kind === 'week') return start + 7;
  const { y, m } = dateOfDay(start);
  return kind === 'month' ? dayFromDate(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) : dayFromDate(y + 1, 1, 1);
}

/** First day of the period before the one starting at `start`. */
export function previousPeriodStart(kind: PeriodKind, start: number): number {
  if (kind === 'day') return start - 1;
  if (kind === 'week') return start - 7;
  const { y, m } = dateOfDay(start);
  return kind === 'month' ? dayFromDate(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1, 1) : dayFromDate(y - 1, 1, 1);
}

/** The same period a year earlier: weekday-aligned for days and weeks (52 weeks back). */
export function yearAgoStart(kind: PeriodKind, start: number): number {
  if (kind === 'day') return start - 364;
  if (kind === 'week') return start - 364;
  const { y, m } = dateOfDay(start);
  return dayFromDate(y - 1, m, 1);
}

export function periodLabel(kind: PeriodKind, start: number): string {
  const { y, m } = dateOfDay(start);
  if (kind === 'day') return isoDay(start);
  if (kind === 'month') return `${y}-${pad(m)}`;
  if (kind === 'year') return String(y);
  // ISO week-year is the year of the week's Thursday
  const thursday = dateOfDay(start + 3);
  const jan4 = dayFromDate(thursday.y, 1, 4);
  const week = Math.floor((start - weekStart(jan4)) / 7) + 1;
  return `${thursday.y}-W${pad(week)}`;
}

/** Parses a period label (`2025-03-30`, `2025-W13`, `2025-03`, `2025`) to its first day, or null. */
export function parsePeriod(kind: PeriodKind, label: string): number | null {
  const t = label.trim();
  let m: RegExpExecArray | null;
  if (kind === 'day' && (m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) {
    const day = dayFromDate(+m[1]!, +m[2]!, +m[3]!);
    return isoDay(day) === t ? day : null;
  }
  if (kind === 'week' && (m = /^(\d{4})-W(\d{2})$/i.exec(t))) {
    const start = weekStart(dayFromDate(+m[1]!, 1, 4)) + (+m[2]! - 1) * 7;
    return periodLabel('week', start) === t.toUpperCase() ? start : null;
  }
  if (kind === 'month' && (m = /^(\d{4})-(\d{2})$/.exec(t)) && +m[2]! >= 1 && +m[2]! <= 12)
    return dayFromDate(+m[1]!, +m[2]!, 1);
  if (kind === 'year' && (m = /^(\d{4})$/.exec(t))) return dayFromDate(+m[1]!, 1, 1);
  return null;
}

/** Half-hours in the local days [from, to). */
export function halfHoursBetween(from: number, to: number): number {
  let n = 0;
  for (let d = from; d < to; d++) n += dayHalfHours(d);
  return n;
}

/** Today's UK local date, `YYYY-MM-DD`. */
export function ukToday(nowMs: number = Date.now()): string {
  return isoDay(localDayOf(Math.floor(nowMs / 1000)));
}

/** Both periods must be at least this complete before a trend is drawn between them. */
export const COMPARABLE_COMPLETENESS = 0.9;

/** True when two periods are complete enough to compare (a trend is drawn only then). */
export const isComparable = (completeness: number, previousCompleteness: number): boolean =>
  completeness >= COMPARABLE_COMPLETENESS && previousCompleteness >= COMPARABLE_COMPLETENESS;
