import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankHolidays, easterSunday, isBankHoliday } from '../../../src-shared/domain/bank-holidays';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';

const CALENDAR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'tests',
  'fixtures',
  'reference',
  'uk-calendar-2024-2027.tsv',
);
const day = (s: string) => dayFromDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

describe('England & Wales bank holidays', () => {
  it('match the reference calendar (fixtures/reference) exactly for every year it lists', () => {
    const expected = fs
      .readFileSync(CALENDAR, 'utf8')
      .split('\n')
      .filter((l) => l.includes('bank_holiday_ew'))
      .map((l) => l.split('\t')[0]!);
    const years = [...new Set(expected.map((d) => Number(d.slice(0, 4))))];
    expect(years.length).toBeGreaterThanOrEqual(3);
    const computed = years.flatMap((y) => [...bankHolidays(y)].sort((a, b) => a - b).map(isoDay));
    expect(computed).toEqual(expected);
  });

  it('moves weekend Christmas, Boxing Day and New Year to weekdays', () => {
    // 2021: Christmas Saturday → Monday 27th, Boxing Day Sunday → Tuesday 28th; 2022 New Year Saturday → Monday 3rd
    expect([...bankHolidays(2021)].map(isoDay)).toEqual(expect.arrayContaining(['2021-12-27', '2021-12-28']));
    expect(isBankHoliday(day('2021-12-25'))).toBe(false);
    expect(isBankHoliday(day('2022-01-03'))).toBe(true);
    // 2022: Christmas Sunday → Tuesday 27th, Boxing Day Monday 26th stays
    expect(isBankHoliday(day('2022-12-26'))).toBe(true);
    expect(isBankHoliday(day('2022-12-27'))).toBe(true);
  });

  it('includes the one-off holidays and moves by proclamation', () => {
    expect(isBankHoliday(day('2020-05-08'))).toBe(true); // VE Day 75
    expect(isBankHoliday(day('2020-05-04'))).toBe(false);
    expect(isBankHoliday(day('2022-09-19'))).toBe(true); // state funeral
    expect(isBankHoliday(day('2022-06-02'))).toBe(true);
    expect(isBankHoliday(day('2022-05-30'))).toBe(false);
    expect(isBankHoliday(day('2023-05-08'))).toBe(true); // coronation
  });

  it('finds Easter Sunday', () => {
    expect(isoDay(easterSunday(2019))).toBe('2019-04-21');
    expect(isoDay(easterSunday(2024))).toBe('2024-03-31');
    expect(isoDay(easterSunday(2038))).toBe('2038-04-25');
  });
});
