/**
 * The opening hours editor's state and its text form (src-shared/domain/opening-hours.ts): a row per
 * weekday, Monday first, each closed or open with one or more From/To times as typed. Checking the
 * rows gives the week and the text `sites.update` takes, or a message in words per field. Pure.
 */
import {
  DEFAULT_HOURS,
  OpeningHoursError,
  formatOpeningHours,
  parseOpeningHours,
  weeklyOpenHours,
  type WeekHours,
} from '../../../src-shared/domain/opening-hours';

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** One From/To range as typed (`08:00`). */
export interface RangeDraft {
  from: string;
  to: string;
}

/** A weekday's row: closed, or open with its ranges. */
export interface DayDraft {
  closed: boolean;
  ranges: RangeDraft[];
}

/** The seven rows, Monday first. */
export type HoursDraft = readonly DayDraft[];

/** Minutes after midnight as `08:00` (1440 as `24:00`). */
export const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The rows of a week. */
export function draftFromWeek(week: WeekHours): HoursDraft {
  return week.map((ranges) => ({
    closed: ranges.length === 0,
    ranges: ranges.map(([a, b]) => ({ from: hhmm(a), to: hhmm(b) })),
  }));
}

/** The rows of the text form (the site's stored hours); text that cannot be read gives the default. */
export function draftFromText(text: string): HoursDraft {
  try {
    return draftFromWeek(parseOpeningHours(text));
  } catch (e) {
    if (e instanceof OpeningHoursError) return draftFromWeek(DEFAULT_HOURS);
    throw e;
  }
}

/** Monday to Friday 08:00–18:00, closed at weekends. */
export const defaultDraft = (): HoursDraft => draftFromWeek(DEFAULT_HOURS);

const OPENING: RangeDraft = { from: '08:00', to: '18:00' };

const withDay = (d: HoursDraft, day: number, next: DayDraft): HoursDraft => d.map((x, i) => (i === day ? next : x));

/** Opens or closes a day; a day opened without ranges gets 08:00–18:00. */
export function setClosed(d: HoursDraft, day: number, closed: boolean): HoursDraft {
  const cur = d[day]!;
  return withDay(d, day, { closed, ranges: !closed && cur.ranges.length === 0 ? [{ ...OPENING }] : cur.ranges });
}

/** Changes one time of a range. */
export function setTime(d: HoursDraft, day: number, range: number, which: 'from' | 'to', text: string): HoursDraft {
  const cur = d[day]!;
  return withDay(d, day, { ...cur, ranges: cur.ranges.map((r, i) => (i === range ? { ...r, [which]: text } : r)) });
}

/** Adds a range after the day's last: an hour after it ends, for four hours (ending by 24:00), else blank. */
export function addRange(d: HoursDraft, day: number): HoursDraft {
  const cur = d[day]!;
  const last = cur.ranges[cur.ranges.length - 1];
  let next: RangeDraft = { ...OPENING };
  if (last) {
    const end = readTime(last.to, true);
    const start = typeof end === 'number' ? end + 60 : 1440;
    next = start < 1440 ? { from: hhmm(start), to: hhmm(Math.min(1440, start + 240)) } : { from: '', to: '' };
  }
  return withDay(d, day, { closed: false, ranges: [...cur.ranges, next] });
}

/** Removes a range; a day left without ranges is closed. */
export function removeRange(d: HoursDraft, day: number, range: number): HoursDraft {
  const ranges = d[day]!.ranges.filter((_, i) => i !== range);
  return withDay(d, day, { closed: ranges.length === 0, ranges });
}

/** Tuesday to Friday take Monday's hours (or are closed with it). */
export function copyMondayToWeekdays(d: HoursDraft): HoursDraft {
  const mon = d[0]!;
  return d.map((x, i) => (i >= 1 && i <= 4 ? { closed: mon.closed, ranges: mon.ranges.map((r) => ({ ...r })) } : x));
}

/**
 * A typed time as minutes after midnight, or why it is not one: `8:00`, `08:00`, `08.00` and `0800`
 * are read; `24:00` only ends a range.
 */
export function readTime(text: string, isEnd: boolean): number | string {
  const s = text.trim();
  if (s === '') return 'Enter a time, e.g. 08:00';
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(s);
  if (!m) return `“${s}” is not a time: type it as HH:MM, e.g. 08:00`;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return isEnd ? 1440 : 'A day’s first time is 00:00, not 24:00';
  if (h > 23 || min > 59)
    return `“${s}” is not a time of day: use 00:00 to 23:59${isEnd ? ', or 24:00 for midnight' : ''}`;
  return h * 60 + min;
}

/** Where a message belongs: `<day>.<range>.from`, `<day>.<range>.to` or `<day>.<range>` (the range as a whole). */
export type ProblemKey = string;

export type CheckedHours =
  { ok: true; week: WeekHours; text: string } | { ok: false; problems: Record<ProblemKey, string> };

/**
 * The week of the rows and its text form, or a message per field: times that are not times, a
 * range that ends before it starts (or when it starts), ranges of a day that overlap.
 */
export function checkDraft(d: HoursDraft): CheckedHours {
  const problems: Record<ProblemKey, string> = {};
  const week: [number, number][][] = [];
  d.forEach((day, di) => {
    const ranges: [number, number, number][] = [];
    if (!day.closed)
      day.ranges.forEach((r, ri) => {
        const from = readTime(r.from, false);
        const to = readTime(r.to, true);
        if (typeof from === 'string') problems[`${di}.${ri}.from`] = from;
        if (typeof to === 'string') problems[`${di}.${ri}.to`] = to;
        if (typeof from !== 'number' || typeof to !== 'number') return;
        if (to <= from) {
          problems[`${di}.${ri}`] =
            to === from
              ? `${WEEKDAYS[di]}: ${hhmm(from)} to ${hhmm(to)} is no time at all`
              : `${WEEKDAYS[di]}: ${hhmm(from)} to ${hhmm(to)} ends before it starts (open past midnight? end at 24:00 and start the next day at 00:00)`;
          return;
        }
        ranges.push([from, to, ri]);
      });
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      if (b[0] < a[1])
        problems[`${di}.${b[2]}`] ??=
          `${WEEKDAYS[di]}: ${hhmm(b[0])} to ${hhmm(b[1])} overlaps ${hhmm(a[0])} to ${hhmm(a[1])}`;
    }
    // ranges that touch (12:00 to 13:00, 13:00 to 17:00) are one
    const joined: [number, number][] = [];
    for (const [a, b] of sorted) {
      const last = joined[joined.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else joined.push([a, b]);
    }
    week.push(joined);
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, week, text: formatOpeningHours(week) };
}

const rangeWords = (ranges: WeekHours[number]): string => ranges.map(([a, b]) => `${hhmm(a)}–${hhmm(b)}`).join(' and ');

/**
 * A week in words, consecutive days of equal hours together: "Monday to Friday 08:00–18:00,
 * Saturday 09:00–12:30; closed Sunday".
 */
export function describeWeek(week: WeekHours): string {
  const open: string[] = [];
  const closed: string[] = [];
  let d = 0;
  while (d < 7) {
    const text = rangeWords(week[d]!);
    let e = d;
    while (e + 1 < 7 && rangeWords(week[e + 1]!) === text) e++;
    const days =
      e === d ? WEEKDAYS[d]! : e === d + 1 ? `${WEEKDAYS[d]} and ${WEEKDAYS[e]}` : `${WEEKDAYS[d]} to ${WEEKDAYS[e]}`;
    if (text === '') closed.push(days);
    else open.push(`${days} ${text}`);
    d = e + 1;
  }
  if (open.length === 0) return 'Closed every day';
  return closed.length === 0 ? `Open ${open.join(', ')}` : `Open ${open.join(', ')}; closed ${closed.join(', ')}`;
}

/** "55 hours a week", "37.5 hours a week". */
export function weeklyHoursText(week: WeekHours): string {
  const h = weeklyOpenHours(week);
  const n = Number.isInteger(h) ? String(h) : h.toFixed(h * 10 === Math.round(h * 10) ? 1 : 2);
  return `${n} ${h === 1 ? 'hour' : 'hours'} a week`;
}
