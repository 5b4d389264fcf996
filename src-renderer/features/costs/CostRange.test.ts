import { describe, expect, it } from 'vitest';
import { ukToday } from '../../../src-shared/domain/periods';
import { defaultCostRange, firstReadingDay, rangeDays, rangeText } from './CostRange';

describe('cost ranges', () => {
  it('opens on the last full calendar month the readings cover', () => {
    // readings 10 Jan – 19 Apr 2025 (UK): March is the last complete month
    const r = defaultCostRange({ firstReading: '2025-01-10T00:00:00Z', lastReading: '2025-04-19T22:30:00Z' });
    expect(r).toEqual({
      from: '2025-03-01',
      to: '2025-04-01',
      why: 'March 2025, the last full calendar month of data',
    });
  });

  it('opens on the last full month up to the latest complete day, not after one stray later reading', () => {
    // complete days to 30 April 2020, then one reading on 14 August 2020
    const r = defaultCostRange({
      firstReading: '2020-01-01T00:00:00Z',
      lastReading: '2020-08-14T09:00:00Z',
      lastCompleteDay: '2020-04-30',
    });
    expect(r).toEqual({
      from: '2020-04-01',
      to: '2020-05-01',
      why: 'April 2020, the last full calendar month of data',
    });
    // the Octopus file: 4 May 2020 22:30 to 8 May 00:00 (UK), no whole month: every day of data, the
    // same days as the meter's half-hour counts (readings.quality), so both say 141 of 240 missing
    expect(
      defaultCostRange({
        firstReading: '2020-05-04T21:30:00Z',
        lastReading: '2020-05-07T23:00:00Z',
        lastCompleteDay: '2020-05-07',
      }),
    ).toEqual({ from: '2020-05-04', to: '2020-05-09', why: 'all 5 days of data' });
  });

  it('falls back to the last 30 days when no whole month is covered, or to all the days there are', () => {
    expect(defaultCostRange({ firstReading: '2025-03-05T00:00:00Z', lastReading: '2025-04-19T22:30:00Z' })).toEqual({
      from: '2025-03-21',
      to: '2025-04-20',
      why: 'the last 30 days of data',
    });
    expect(defaultCostRange({ firstReading: '2025-04-10T00:00:00Z', lastReading: '2025-04-19T22:30:00Z' })).toEqual({
      from: '2025-04-10',
      to: '2025-04-20',
      why: 'all 10 days of data',
    });
    expect(defaultCostRange({ firstReading: null, lastReading: null })).toBeNull();
  });

  it('does not open on a month the readings leave empty: sparse data prices its latest complete day', () => {
    // the BANES meter: a day in April 2019 and five in November, 240 readings; October is inside the
    // span but has none, so neither it nor the last 30 days would be more than standing charges
    const banes = {
      firstReading: '2019-04-01T00:00:00Z',
      lastReading: '2019-11-13T23:30:00Z',
      lastCompleteDay: '2019-11-13',
      readings: 240,
    };
    expect(defaultCostRange(banes)).toEqual({
      from: '2019-11-13',
      to: '2019-11-14',
      why: 'the latest complete day of data (the readings before it are sparse)',
    });
    // the same span read every half-hour opens on October as before
    expect(defaultCostRange({ ...banes, readings: 10_896 })?.from).toBe('2019-10-01');
  });

  it('counts a month as complete only when it starts on or after the first reading', () => {
    // data from 1 March (UK) exactly: March is whole
    expect(defaultCostRange({ firstReading: '2025-03-01T00:00:00Z', lastReading: '2025-04-02T10:00:00Z' })?.from).toBe(
      '2025-03-01',
    );
    // a reading late on 31 March BST is on 1 April UK time
    expect(firstReadingDay({ firstReading: '2025-03-31T23:30:00Z', lastReading: '2025-04-02T10:00:00Z' })).toBe(
      '2025-04-01',
    );
  });

  it('writes ranges with the last day included and counts days', () => {
    expect(rangeText('2025-03-01', '2025-04-01')).toBe('1–31 Mar 2025');
    expect(rangeText('2024-12-15', '2025-01-15')).toBe('15 Dec 2024 – 14 Jan 2025');
    expect(rangeDays('2025-03-01', '2025-04-01')).toBe(31);
    expect(ukToday(Date.UTC(2025, 5, 30, 23, 30))).toBe('2025-07-01');
    expect(ukToday(Date.UTC(2025, 0, 31, 23, 30))).toBe('2025-01-31');
  });
});
