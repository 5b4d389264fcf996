/**
 * Opening hours: the text form (groups, day ranges with wrap-around, aliases, several ranges, 24:00,
 * and the errors a person sees), the round trip through the formatter, and the class of each
 * half-hour of a day — worked out here independently from each half-hour's UTC instant and its
 * Europe/London wall clock (Intl), including the 46- and 50-half-hour clock-change days.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyDay,
  DEFAULT_HOURS,
  formatOpeningHours,
  HOLIDAY,
  IN_HOURS,
  OpeningHoursError,
  OUT_OF_HOURS,
  parseOpeningHours,
  slotMinute,
  WEEKEND,
  weeklyOpenHours,
  type WeekHours,
} from './opening-hours';

const h = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const none: [number, number][] = [];

describe('parseOpeningHours', () => {
  it('reads groups of days and ranges, Monday first', () => {
    expect(parseOpeningHours('mon-fri 08:00-18:00; sat 09:00-12:30')).toEqual([
      [[480, 1080]],
      [[480, 1080]],
      [[480, 1080]],
      [[480, 1080]],
      [[480, 1080]],
      [[540, 750]],
      none,
    ]);
  });

  it('wraps a day range past Sunday (sat-mon is Saturday, Sunday and Monday)', () => {
    const w = parseOpeningHours('sat-mon 10:00-14:00');
    expect(w.map((d) => d.length)).toEqual([1, 0, 0, 0, 0, 1, 1]);
    expect(w[0]).toEqual([[600, 840]]);
    expect(w[6]).toEqual([[600, 840]]);
    expect(parseOpeningHours('fri-tue 07:00-08:00').map((d) => d.length)).toEqual([1, 1, 0, 0, 1, 1, 1]);
  });

  it('knows the aliases, day lists, full names and upper case', () => {
    const all = [[h('07:00'), h('19:00')]];
    expect(parseOpeningHours('daily 07:00-19:00')).toEqual(Array(7).fill(all));
    expect(parseOpeningHours('everyday 07:00-19:00')).toEqual(Array(7).fill(all));
    expect(parseOpeningHours('weekdays 07:00-19:00').map((d) => d.length)).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(parseOpeningHours('weekends 07:00-19:00').map((d) => d.length)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(parseOpeningHours('mon,wed 09:00-10:00').map((d) => d.length)).toEqual([1, 0, 1, 0, 0, 0, 0]);
    expect(parseOpeningHours('Monday, Tues, thu 09:00-10:00').map((d) => d.length)).toEqual([1, 1, 0, 1, 0, 0, 0]);
    expect(parseOpeningHours('MON-FRI 08:00-18:00')).toEqual(DEFAULT_HOURS);
  });

  it('takes several ranges a day, joins overlapping ones across groups, and 24:00 as an end', () => {
    expect(parseOpeningHours('mon 08:00-12:00,13:00-17:00')[0]).toEqual([
      [480, 720],
      [780, 1020],
    ]);
    expect(parseOpeningHours('mon 13:00-17:00; mon 08:00-13:00; mon 16:00-19:00')[0]).toEqual([[480, 1140]]);
    expect(parseOpeningHours('fri 22:00-24:00; sat 00:00-06:00').slice(4, 6)).toEqual([[[1320, 1440]], [[0, 360]]]);
    expect(parseOpeningHours('tue 8:30 - 9:00')[1]).toEqual([[510, 540]]);
  });

  it('reads an empty text or "closed" as no hours at all', () => {
    expect(parseOpeningHours('')).toEqual(Array(7).fill(none));
    expect(parseOpeningHours('  closed ')).toEqual(Array(7).fill(none));
  });

  it('says what is wrong: a bad day, a bad time, a reversed range, a group without times', () => {
    const err = (text: string): string => {
      try {
        parseOpeningHours(text);
      } catch (e) {
        expect(e).toBeInstanceOf(OpeningHoursError);
        return (e as Error).message;
      }
      throw new Error(`"${text}" was accepted`);
    };
    expect(err('mun-fri 08:00-18:00')).toBe('"mun" is not a day: use mon, tue, wed, thu, fri, sat, sun');
    expect(err('mon-fry 08:00-18:00')).toBe('"fry" is not a day: use mon, tue, wed, thu, fri, sat, sun');
    expect(err('mon 8am-6pm')).toBe('"8am" is not a time: use 24-hour HH:MM, e.g. 08:00');
    expect(err('mon 08:00-25:00')).toBe('"25:00" is not a time of day (00:00 to 23:59, or 24:00 to end a range)');
    expect(err('mon 08:60-09:00')).toBe('"08:60" is not a time of day (00:00 to 23:59, or 24:00 to end a range)');
    expect(err('mon 24:00-24:00')).toBe('"24:00" is not a time of day (00:00 to 23:59, or 24:00 to end a range)');
    expect(err('mon 18:00-08:00')).toBe(
      'The range 18:00-08:00 must end after it starts: a site open overnight is two ranges, e.g. "mon 22:00-24:00; tue 00:00-06:00"',
    );
    expect(err('mon 09:00-09:00')).toMatch(/^The range 09:00-09:00 must end after it starts/);
    expect(err('mon-fri')).toBe('"mon-fri" needs days and times, e.g. "mon-fri 08:00-18:00", with ";" between groups');
    expect(err('mon-fri 08:00-18:00, sat 09:00-12:30')).toBe(
      '"sat 09:00-12:30" is not a time range: use HH:MM-HH:MM, e.g. 08:00-18:00',
    );
  });
});

describe('formatOpeningHours', () => {
  it('groups consecutive days with equal hours and reads back to the same week', () => {
    expect(formatOpeningHours(DEFAULT_HOURS)).toBe('mon-fri 08:00-18:00');
    expect(formatOpeningHours(parseOpeningHours('sat 09:00-12:30; mon-fri 08:00-18:00'))).toBe(
      'mon-fri 08:00-18:00; sat 09:00-12:30',
    );
    expect(formatOpeningHours(parseOpeningHours('closed'))).toBe('closed');
    for (const text of [
      'mon-fri 08:00-18:00; sat 09:00-12:30',
      'sat-mon 10:00-14:00',
      'daily 00:30-01:30',
      'mon,wed,fri 07:00-09:00,16:00-24:00; tue 00:00-24:00',
      'weekends 06:15-06:45',
    ]) {
      const week = parseOpeningHours(text);
      const shown = formatOpeningHours(week);
      expect(parseOpeningHours(shown), `${text} → ${shown}`).toEqual(week);
      expect(formatOpeningHours(parseOpeningHours(shown))).toBe(shown);
    }
    expect(formatOpeningHours(parseOpeningHours('sat-mon 10:00-14:00'))).toBe('mon 10:00-14:00; sat-sun 10:00-14:00');
    expect(formatOpeningHours(parseOpeningHours('fri 22:00-24:00'))).toBe('fri 22:00-24:00');
  });

  it('counts the open hours of a week', () => {
    expect(weeklyOpenHours(parseOpeningHours('mon-fri 08:00-18:00; sat 09:00-12:30'))).toBe(53.5);
  });
});

// ---- independent classification from UTC instants and the London wall clock ----

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The London wall clock of a UTC instant (seconds). */
function wall(utc: number): { date: string; weekday: number; minute: number } {
  const p = Object.fromEntries(london.formatToParts(new Date(utc * 1000)).map((x) => [x.type, x.value]));
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday: WEEKDAYS.indexOf(p.weekday!),
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

/** The UTC starts of the half-hours whose London date is `date`, in order (found by scanning instants). */
function halfHoursOf(date: string): number[] {
  const noon = Date.parse(`${date}T12:00:00Z`) / 1000;
  const out: number[] = [];
  for (let t = noon - 86400; t < noon + 86400; t += 1800) if (wall(t).date === date) out.push(t);
  return out;
}

/** Day number of a date (days since 1970-01-01), from Date.UTC. */
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86400000;

/** England & Wales bank holidays of 2024 (gov.uk). */
const BANK_HOLIDAYS_2024 = new Set([
  '2024-01-01',
  '2024-03-29',
  '2024-04-01',
  '2024-05-06',
  '2024-05-27',
  '2024-08-26',
  '2024-12-25',
  '2024-12-26',
]);

function expectedClasses(date: string, week: WeekHours, closed: boolean): number[] {
  return halfHoursOf(date).map((t) => {
    const w = wall(t);
    if (closed || BANK_HOLIDAYS_2024.has(date)) return HOLIDAY;
    const ranges = week[w.weekday]!;
    if (ranges.length === 0) return WEEKEND;
    return ranges.some(([a, b]) => w.minute >= a && w.minute < b) ? IN_HOURS : OUT_OF_HOURS;
  });
}

describe('classifyDay', () => {
  const site = parseOpeningHours('mon-fri 08:00-18:00; sat 09:00-12:30');

  it('classes a normal weekday by each half-hour’s local start', () => {
    const got = [...classifyDay(dayNumber('2024-03-27'), site, false)];
    expect(got).toEqual(expectedClasses('2024-03-27', site, false));
    // 08:00 to 17:30 inclusive: 20 half-hours in hours, 28 out
    expect(got.filter((c) => c === IN_HOURS)).toHaveLength(20);
    expect(got.slice(15, 17)).toEqual([OUT_OF_HOURS, IN_HOURS]);
    expect(got.slice(35, 37)).toEqual([IN_HOURS, OUT_OF_HOURS]);
  });

  it('classes a Saturday with hours as open, a Sunday without as weekend', () => {
    const sat = [...classifyDay(dayNumber('2024-03-23'), site, false)];
    expect(sat).toEqual(expectedClasses('2024-03-23', site, false));
    expect(sat.filter((c) => c === IN_HOURS)).toHaveLength(7);
    expect([...classifyDay(dayNumber('2024-03-24'), site, false)]).toEqual(Array(48).fill(WEEKEND));
    expect([...classifyDay(dayNumber('2024-03-23'), DEFAULT_HOURS, false)]).toEqual(Array(48).fill(WEEKEND));
  });

  it('classes bank holidays and closures as holiday, whatever the hours', () => {
    for (const date of ['2024-03-29', '2024-04-01', '2024-05-06', '2024-12-26']) {
      const got = [...classifyDay(dayNumber(date), site, false)];
      expect(got, date).toEqual(expectedClasses(date, site, false));
      expect(new Set(got), date).toEqual(new Set([HOLIDAY]));
    }
    expect([...classifyDay(dayNumber('2024-02-14'), site, true)]).toEqual(Array(48).fill(HOLIDAY));
    // a closure on a Sunday is a holiday too, not a weekend
    expect([...classifyDay(dayNumber('2024-02-18'), site, true)]).toEqual(Array(48).fill(HOLIDAY));
  });

  it('follows the wall clock on the clock-change days (46 and 50 half-hours)', () => {
    const night = parseOpeningHours('daily 00:30-01:30');
    const spring = [...classifyDay(dayNumber('2024-03-31'), night, false)];
    expect(halfHoursOf('2024-03-31')).toHaveLength(46);
    expect(spring).toEqual(expectedClasses('2024-03-31', night, false));
    // only 00:30 is in hours: 01:00 GMT is 02:00 BST
    expect(spring.flatMap((c, k) => (c === IN_HOURS ? [k] : []))).toEqual([1]);

    const autumn = [...classifyDay(dayNumber('2024-10-27'), night, false)];
    expect(halfHoursOf('2024-10-27')).toHaveLength(50);
    expect(autumn).toEqual(expectedClasses('2024-10-27', night, false));
    // 00:30, 01:00 BST and 01:00 GMT are in hours; both 01:30s are out
    expect(autumn.flatMap((c, k) => (c === IN_HOURS ? [k] : []))).toEqual([1, 2, 4]);

    const office = parseOpeningHours('daily 01:00-03:00');
    for (const date of ['2024-03-31', '2024-10-27', '2024-10-28']) {
      expect([...classifyDay(dayNumber(date), office, false)], date).toEqual(expectedClasses(date, office, false));
    }
  });

  it('gives the wall-clock minute of each half-hour on days of 46, 48 and 50', () => {
    for (const date of ['2024-03-31', '2024-06-12', '2024-10-27']) {
      const ts = halfHoursOf(date);
      expect(
        ts.map((_, k) => slotMinute(ts.length, k)),
        date,
      ).toEqual(ts.map((t) => wall(t).minute));
    }
  });
});
