import { describe, expect, it } from 'vitest';
import { DEFAULT_HOURS_TEXT, parseOpeningHours } from '../../../src-shared/domain/opening-hours';
import {
  addRange,
  checkDraft,
  copyMondayToWeekdays,
  defaultDraft,
  describeWeek,
  draftFromText,
  readTime,
  removeRange,
  setClosed,
  setTime,
  weeklyHoursText,
  type HoursDraft,
} from './hours-editor';

/** A draft written out by hand: `null` for a closed day, else `[from, to]` pairs as typed. */
const draft = (...days: ([string, string][] | null)[]): HoursDraft =>
  days.map((d) => ({ closed: d === null, ranges: (d ?? []).map(([from, to]) => ({ from, to })) }));

const ok = (d: HoursDraft): string => {
  const r = checkDraft(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.text;
};

describe('hours editor ↔ text', () => {
  it('reads the stored text into a row per weekday and writes the same text back', () => {
    const text = 'mon-fri 08:00-12:00,13:00-17:30; sat 09:00-12:30';
    const d = draftFromText(text);
    expect(d[0]).toEqual({
      closed: false,
      ranges: [
        { from: '08:00', to: '12:00' },
        { from: '13:00', to: '17:30' },
      ],
    });
    expect(d[5]).toEqual({ closed: false, ranges: [{ from: '09:00', to: '12:30' }] });
    expect(d[6]).toEqual({ closed: true, ranges: [] });
    expect(ok(d)).toBe(text);
    expect(ok(defaultDraft())).toBe(DEFAULT_HOURS_TEXT);
    expect(draftFromText('not hours at all')).toEqual(defaultDraft());
  });

  it('writes the days as typed, touching ranges joined, closed days left out, all closed as "closed"', () => {
    const d = draft(
      [
        ['7:30', '12:00'],
        ['12:00', '24:00'],
      ],
      [['0730', '24.00']],
      null,
      [['09:00', '17:00']],
      [['09:00', '17:00']],
      null,
      [['10:00', '16:00']],
    );
    const text = ok(d);
    expect(text).toBe('mon-tue 07:30-24:00; thu-fri 09:00-17:00; sun 10:00-16:00');
    // what the text means, day by day, checked against the domain's own reading
    expect(parseOpeningHours(text)).toEqual([
      [[450, 1440]],
      [[450, 1440]],
      [],
      [[540, 1020]],
      [[540, 1020]],
      [],
      [[600, 960]],
    ]);
    expect(ok(draft(null, null, null, null, null, null, null))).toBe('closed');
  });

  it('says what is wrong next to each field: not a time, ending before starting, overlapping, 24:00 to start', () => {
    const r = checkDraft(
      draft(
        [['8am', '18:00']],
        [['18:00', '08:00']],
        [
          ['08:00', '12:00'],
          ['11:00', '15:00'],
        ],
        [['24:00', '24:00']],
        [['09:00', '09:00']],
        [['', '25:10']],
        null,
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual({
      '0.0.from': '“8am” is not a time: type it as HH:MM, e.g. 08:00',
      '1.0':
        'Tuesday: 18:00 to 08:00 ends before it starts (open past midnight? end at 24:00 and start the next day at 00:00)',
      '2.1': 'Wednesday: 11:00 to 15:00 overlaps 08:00 to 12:00',
      '3.0.from': 'A day’s first time is 00:00, not 24:00',
      '4.0': 'Friday: 09:00 to 09:00 is no time at all',
      '5.0.from': 'Enter a time, e.g. 08:00',
      '5.0.to': '“25:10” is not a time of day: use 00:00 to 23:59, or 24:00 for midnight',
    });
    // a closed day's leftover times are not checked
    expect(
      checkDraft([{ closed: true, ranges: [{ from: 'x', to: 'y' }] }, ...draft(null, null, null, null, null, null)]).ok,
    ).toBe(true);
  });

  it('reads times as people type them', () => {
    expect(readTime('8:05', false)).toBe(485);
    expect(readTime('08.30', false)).toBe(510);
    expect(readTime(' 1700 ', true)).toBe(1020);
    expect(readTime('24:00', true)).toBe(1440);
    expect(readTime('23:60', true)).toMatch(/not a time of day/);
    expect(readTime('8', false)).toMatch(/not a time/);
  });
});

describe('editing the rows', () => {
  it('copies Monday to Tuesday–Friday and leaves the weekend alone', () => {
    const d = copyMondayToWeekdays(
      draft([['07:00', '15:00']], null, [['09:00', '17:00']], null, null, [['10:00', '12:00']], null),
    );
    expect(ok(d)).toBe('mon-fri 07:00-15:00; sat 10:00-12:00');
    // the copies are their own: changing Tuesday leaves Monday as it was
    expect(ok(setTime(d, 1, 0, 'to', '16:00'))).toBe(
      'mon 07:00-15:00; tue 07:00-16:00; wed-fri 07:00-15:00; sat 10:00-12:00',
    );
    expect(ok(copyMondayToWeekdays(setClosed(d, 0, true)))).toBe('sat 10:00-12:00');
  });

  it('opens a closed day at 08:00–18:00, adds a range after the last, and closes a day whose last range goes', () => {
    let d = setClosed(defaultDraft(), 5, false);
    expect(d[5]).toEqual({ closed: false, ranges: [{ from: '08:00', to: '18:00' }] });
    d = setTime(d, 5, 0, 'to', '12:00');
    d = addRange(d, 5);
    expect(d[5]!.ranges[1]).toEqual({ from: '13:00', to: '17:00' });
    d = addRange(setTime(d, 5, 1, 'to', '23:30'), 5);
    // no room after 23:30 + an hour: the new range is left for the user to type
    expect(d[5]!.ranges[2]).toEqual({ from: '', to: '' });
    d = removeRange(d, 5, 2);
    expect(ok(d)).toBe('mon-fri 08:00-18:00; sat 08:00-12:00,13:00-23:30');
    d = removeRange(removeRange(d, 5, 1), 5, 0);
    expect(d[5]).toEqual({ closed: true, ranges: [] });
    // closing keeps the times, so ticking "closed" off again brings them back
    const closed = setClosed(defaultDraft(), 0, true);
    expect(setClosed(closed, 0, false)[0]).toEqual({ closed: false, ranges: [{ from: '08:00', to: '18:00' }] });
  });
});

describe('hours in words', () => {
  it('groups consecutive days and says which are closed', () => {
    expect(describeWeek(parseOpeningHours('mon-fri 08:00-18:00'))).toBe(
      'Open Monday to Friday 08:00–18:00; closed Saturday and Sunday',
    );
    expect(describeWeek(parseOpeningHours('mon-thu 08:00-12:00,13:00-17:00; fri 08:00-13:00; sun 10:00-16:00'))).toBe(
      'Open Monday to Thursday 08:00–12:00 and 13:00–17:00, Friday 08:00–13:00, Sunday 10:00–16:00; closed Saturday',
    );
    expect(describeWeek(parseOpeningHours('daily 00:00-24:00'))).toBe('Open Monday to Sunday 00:00–24:00');
    expect(describeWeek(parseOpeningHours('closed'))).toBe('Closed every day');
  });

  it('counts the open hours of a week', () => {
    expect(weeklyHoursText(parseOpeningHours('mon-fri 08:00-18:00'))).toBe('50 hours a week');
    // 5 × 7.5 h
    expect(weeklyHoursText(parseOpeningHours('mon-fri 09:00-16:30'))).toBe('37.5 hours a week');
    expect(weeklyHoursText(parseOpeningHours('sat 09:00-09:45'))).toBe('0.75 hours a week');
    expect(weeklyHoursText(parseOpeningHours('sat 09:00-10:00'))).toBe('1 hour a week');
    expect(weeklyHoursText(parseOpeningHours('closed'))).toBe('0 hours a week');
  });
});
