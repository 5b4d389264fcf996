/**
 * England & Wales bank holidays, computed by rule (Banking and Financial Dealings Act 1971 and the
 * royal proclamations since), so tariffs price any year without a downloaded list:
 * New Year's Day, Good Friday, Easter Monday, the early May, spring and summer bank holidays,
 * Christmas Day and Boxing Day (with weekend substitutes), plus the one-off changes listed below.
 * Checked against fixtures/reference/uk-calendar-2024-2027.tsv in tests.
 */
import { dateOfDay, dayFromDate } from './periods';

/** Easter Sunday (Gregorian; anonymous algorithm) as a day number. */
export function easterSunday(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromDate(y, month, day);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

const firstMonday = (y: number, m: number): number => {
  const d = dayFromDate(y, m, 1);
  return d + ((7 - weekdayOf(d)) % 7);
};
const lastMonday = (y: number, m: number): number => {
  const last = dayFromDate(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
  return last - weekdayOf(last);
};

/** One-off moves and additions by proclamation: [year, moved-from (or null), moved-to]. */
const SPECIAL: readonly [number, string | null, string][] = [
  [1995, '1995-05-01', '1995-05-08'], // VE Day 50th anniversary
  [1999, null, '1999-12-31'], // Millennium
  [2002, '2002-05-27', '2002-06-04'], // Golden Jubilee (spring holiday moved)
  [2002, null, '2002-06-03'],
  [2011, null, '2011-04-29'], // Royal wedding
  [2012, '2012-05-28', '2012-06-04'], // Diamond Jubilee (spring holiday moved)
  [2012, null, '2012-06-05'],
  [2020, '2020-05-04', '2020-05-08'], // VE Day 75th anniversary
  [2022, '2022-05-30', '2022-06-02'], // Platinum Jubilee (spring holiday moved)
  [2022, null, '2022-06-03'],
  [2022, null, '2022-09-19'], // State funeral of Queen Elizabeth II
  [2023, null, '2023-05-08'], // Coronation of King Charles III
];

const parseIso = (s: string): number =>
  dayFromDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

const cache = new Map<number, ReadonlySet<number>>();

/** The England & Wales bank holidays of a year, as day numbers. */
export function bankHolidays(y: number): ReadonlySet<number> {
  const hit = cache.get(y);
  if (hit) return hit;
  const days = new Set<number>();
  // New Year's Day: a weekend 1 January moves to the Monday after
  const ny = dayFromDate(y, 1, 1);
  days.add(weekdayOf(ny) === 5 ? ny + 2 : weekdayOf(ny) === 6 ? ny + 1 : ny);
  const easter = easterSunday(y);
  days.add(easter - 2);
  days.add(easter + 1);
  if (y >= 1978) days.add(firstMonday(y, 5));
  days.add(lastMonday(y, 5));
  days.add(lastMonday(y, 8));
  // Christmas and Boxing Day: weekend days move to the next weekdays not already holidays
  const xmas = dayFromDate(y, 12, 25);
  const wd = weekdayOf(xmas);
  if (wd === 5) {
    days.add(xmas + 2); // Sat 25 → Mon 27, Sun 26 → Tue 28
    days.add(xmas + 3);
  } else if (wd === 6) {
    days.add(xmas + 1); // Sun 25 → Tue 27 (Boxing Day Mon 26 stays)
    days.add(xmas + 2);
  } else if (wd === 4) {
    days.add(xmas); // Fri 25, Sat 26 → Mon 28
    days.add(xmas + 3);
  } else {
    days.add(xmas);
    days.add(xmas + 1);
  }
  for (const [year, from, to] of SPECIAL) {
    if (year !== y) continue;
    if (from) days.delete(parseIso(from));
    days.add(parseIso(to));
  }
  cache.set(y, days);
  return days;
}

export function isBankHoliday(day: number): boolean {
  return bankHolidays(dateOfDay(day).y).has(day);
}
