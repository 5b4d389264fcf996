/**
 * A site's opening hours and how each half-hour is classed against them (docs/analytics.md).
 *
 * Hours are per weekday (Monday first), each a list of local wall-clock ranges [from, to) in
 * minutes after midnight; a weekday with no ranges is closed (weekend). The default is Monday–Friday
 * 08:00–18:00. Each half-hour, by its local start, is exactly one of: in hours (an open day, inside
 * a range), out of hours (an open day, outside its ranges), weekend (a day with no ranges) or
 * holiday (an England & Wales bank holiday, or one of the site's closures).
 *
 * The text form (the CLI's `--hours`, the register's column) reads `mon-fri 08:00-18:00; sat
 * 09:00-12:30`: groups separated by `;`, each a list of days or day ranges (`mon,wed`, `mon-fri`,
 * `weekdays`, `weekends`, `daily`) and one or more ranges (`08:00-12:00,13:00-17:00`); `24:00` may
 * end a range; `closed` (or an empty text) means no opening hours at all.
 */
import { isBankHoliday, weekdayOf } from './bank-holidays';
import { dayHalfHours } from './periods';

/** Per weekday (0 = Monday … 6 = Sunday), the open ranges [fromMinute, toMinute), sorted, not overlapping. */
export type WeekHours = readonly (readonly (readonly [number, number])[])[];

export const IN_HOURS = 0;
export const OUT_OF_HOURS = 1;
export const WEEKEND = 2;
export const HOLIDAY = 3;
export type HalfHourClass = typeof IN_HOURS | typeof OUT_OF_HOURS | typeof WEEKEND | typeof HOLIDAY;
export const CLASS_NAMES = ['in hours', 'out of hours', 'weekend', 'holiday'] as const;

const WEEKDAY_FULL = [8 * 60, 18 * 60] as const;
/** Monday–Friday 08:00–18:00. */
export const DEFAULT_HOURS: WeekHours = [0, 1, 2, 3, 4, 5, 6].map((d) => (d < 5 ? [WEEKDAY_FULL] : []));
export const DEFAULT_HOURS_TEXT = 'mon-fri 08:00-18:00';

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_ALIASES: Record<string, number[]> = {
  weekdays: [0, 1, 2, 3, 4],
  weekends: [5, 6],
  daily: [0, 1, 2, 3, 4, 5, 6],
  everyday: [0, 1, 2, 3, 4, 5, 6],
};

/** A text form that cannot be read: the message says which part and what was expected. */
export class OpeningHoursError extends Error {}

const dayIndex = (word: string): number => {
  const i = DAY_NAMES.indexOf(word.slice(0, 3) as (typeof DAY_NAMES)[number]);
  const full = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'][i];
  if (i < 0 || !(word.length === 3 || word === full || (word.length === 4 && full?.startsWith(word))))
    throw new OpeningHoursError(`"${word}" is not a day: use mon, tue, wed, thu, fri, sat, sun`);
  return i;
};

const minutes = (s: string, isEnd: boolean): number => {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(s);
  if (!m) throw new OpeningHoursError(`"${s}" is not a time: use 24-hour HH:MM, e.g. 08:00`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && (min !== 0 || !isEnd)))
    throw new OpeningHoursError(`"${s}" is not a time of day (00:00 to 23:59, or 24:00 to end a range)`);
  return h * 60 + min;
};

/** Reads the text form; throws OpeningHoursError with what is wrong. */
export function parseOpeningHours(text: string): WeekHours {
  const week: [number, number][][] = [[], [], [], [], [], [], []];
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'closed' || t === 'none') return week;
  for (const rawGroup of t.split(';')) {
    const group = rawGroup.trim();
    if (group === '') continue;
    const m = /^([a-z,\s-]+?)\s+(\d.*)$/.exec(group);
    if (!m)
      throw new OpeningHoursError(
        `"${rawGroup.trim()}" needs days and times, e.g. "mon-fri 08:00-18:00", with ";" between groups`,
      );
    const days = new Set<number>();
    for (const part of m[1]!.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      if (DAY_ALIASES[part]) DAY_ALIASES[part]!.forEach((d) => days.add(d));
      else if (part.includes('-')) {
        const [a, b] = part.split('-').map((x) => dayIndex(x.trim()));
        for (let d = a!; ; d = (d + 1) % 7) {
          days.add(d);
          if (d === b) break;
        }
      } else days.add(dayIndex(part));
    }
    for (const range of m[2]!.split(',').map((r) => r.trim())) {
      const r = /^(\S+?)\s*-\s*(\S+)$/.exec(range);
      if (!r) throw new OpeningHoursError(`"${range}" is not a time range: use HH:MM-HH:MM, e.g. 08:00-18:00`);
      const from = minutes(r[1]!, false);
      const to = minutes(r[2]!, true);
      if (to <= from)
        throw new OpeningHoursError(
          `The range ${range} must end after it starts: a site open overnight is two ranges, e.g. "mon 22:00-24:00; tue 00:00-06:00"`,
        );
      for (const d of days) week[d]!.push([from, to]);
    }
  }
  return week.map(normalise);
}

/** Sorts a day's ranges and joins those that touch or overlap. */
function normalise(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Ranges of one day as `08:00-12:00,13:00-17:00`. */
export const rangesText = (ranges: readonly (readonly [number, number])[]): string =>
  ranges.map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(',');

/** The text form, with consecutive days of equal hours grouped (`mon-fri 08:00-18:00; sat 09:00-12:30`). */
export function formatOpeningHours(week: WeekHours): string {
  const groups: string[] = [];
  let d = 0;
  while (d < 7) {
    const text = rangesText(week[d]!);
    let e = d;
    while (e + 1 < 7 && rangesText(week[e + 1]!) === text) e++;
    if (text !== '') groups.push(`${DAY_NAMES[d]}${e > d ? `-${DAY_NAMES[e]}` : ''} ${text}`);
    d = e + 1;
  }
  return groups.length === 0 ? 'closed' : groups.join('; ');
}

/** Open hours in a week (for "55 hours a week"). */
export const weeklyOpenHours = (week: WeekHours): number =>
  week.reduce((s, day) => s + day.reduce((t, [a, b]) => t + b - a, 0), 0) / 60;

/** Local wall-clock minute at which half-hour `k` of a day of `n` half-hours starts (clock-change days included). */
export function slotMinute(n: number, k: number): number {
  if (n === 46) return k < 2 ? k * 30 : k * 30 + 60; // 01:00–01:59 does not happen
  if (n === 50) return k < 4 ? k * 30 : k * 30 - 60; // 01:00–01:59 happens twice
  return k * 30;
}

/** Local weekday and wall-clock slot (0–47) of half-hour `k` of `day`: the outlier groups' key. */
export const wallSlot = (n: number, k: number): number => slotMinute(n, k) / 30;

const classCache = new Map<string, Uint8Array>();

/**
 * The class of each half-hour of `day` (46/48/50 entries): holiday on bank holidays and when
 * `closed`, weekend on a weekday without ranges, else in hours where the half-hour's local start is
 * inside a range and out of hours where not. The arrays are shared: do not change them.
 */
export function classifyDay(day: number, week: WeekHours, closed: boolean): Uint8Array {
  const n = dayHalfHours(day);
  const ranges = week[weekdayOf(day)]!;
  const holiday = closed || isBankHoliday(day);
  const key = holiday ? `h${n}` : ranges.length === 0 ? `w${n}` : `${n}:${rangesText(ranges)}`;
  let out = classCache.get(key);
  if (out) return out;
  out = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (holiday) out[k] = HOLIDAY;
    else if (ranges.length === 0) out[k] = WEEKEND;
    else {
      const m = slotMinute(n, k);
      out[k] = ranges.some(([a, b]) => m >= a && m < b) ? IN_HOURS : OUT_OF_HOURS;
    }
  }
  if (classCache.size > 1000) classCache.clear();
  classCache.set(key, out);
  return out;
}

/** Closures as sorted local-day ranges [from, to): is `day` inside one? */
export function closedOn(closures: readonly { fromDay: number; toDay: number }[], day: number): boolean {
  for (const c of closures) if (day >= c.fromDay && day < c.toDay) return true;
  return false;
}

/** Reads stored hours (JSON; null = default), falling back to the default if unreadable. */
export function storedHours(json: string | null): WeekHours {
  if (json === null) return DEFAULT_HOURS;
  try {
    const v = JSON.parse(json) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 7 &&
      v.every(
        (d) =>
          Array.isArray(d) &&
          d.every(
            (r) =>
              Array.isArray(r) &&
              r.length === 2 &&
              Number.isInteger(r[0]) &&
              Number.isInteger(r[1]) &&
              r[0] >= 0 &&
              r[1] <= 1440 &&
              r[0] < r[1],
          ),
      )
    )
      return v as WeekHours;
  } catch {
    // fall through to the default
  }
  return DEFAULT_HOURS;
}
