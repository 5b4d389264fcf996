import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatChangePercent,
  formatDay,
  formatDayRange,
  formatDayRangeUntil,
  formatDuration,
  formatEnergy,
  formatEnergyUnit,
  formatMs,
  formatPeriodLabel,
  formatShare,
  formatSignedEnergy,
  formatSignedEnergyUnit,
  formatUkDateTime,
  isIsoDay,
  isoToUkDate,
  parseUkDate,
  scaleEnergy,
} from './format';

describe('formatUkDateTime', () => {
  it('shows UK local time across the autumn clock change', () => {
    expect(formatUkDateTime('2025-10-26T00:30:00Z')).toBe('26 Oct 2025 01:30');
    expect(formatUkDateTime('2025-10-26T01:30:00Z')).toBe('26 Oct 2025 01:30');
    expect(formatUkDateTime('2025-10-26T00:30:00Z', { zone: true })).toBe('26 Oct 2025 01:30 BST');
    expect(formatUkDateTime('2025-10-26T01:30:00Z', { zone: true })).toBe('26 Oct 2025 01:30 GMT');
  });
  it('shows midnight as 00:00 and null as a dash', () => {
    expect(formatUkDateTime('2025-01-01T00:00:00Z')).toBe('1 Jan 2025 00:00');
    expect(formatUkDateTime(null)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(4.2)).toBe('4 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('energy and change formatting', () => {
  it('uses thousands separators, one decimal when small and none when large', () => {
    expect(formatEnergy(87.44)).toBe('87.4');
    expect(formatEnergy(12345.6)).toBe('12,346');
    expect(formatEnergy(0)).toBe('0.0');
    expect(formatEnergy(null)).toBe('—');
    expect(formatSignedEnergy(-1234.5)).toBe('−1,235');
    expect(formatSignedEnergy(2.25)).toBe('+2.3');
  });
  it('signs percentages and shows shares', () => {
    expect(formatChangePercent(12.34)).toBe('+12.3 %');
    expect(formatChangePercent(-4)).toBe('−4.0 %');
    expect(formatChangePercent(null)).toBe('—');
    expect(formatShare(0.9612)).toBe('96.1 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.5)).toBe('50 %');
    // 3 half-hours of a year's: some data, so never "0 % complete" beside a figure
    expect(formatShare(3 / 17520)).toBe('< 0.1 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.0004)).toBe('< 0.1 %');
    expect(formatShare(0.004)).toBe('0.4 %');
    // one half-hour missing from a year is not "100 % complete"
    expect(formatShare(1 - 1 / 17520)).toBe('> 99.9 %');
  });
  it('reads period labels in UK style', () => {
    expect(formatPeriodLabel('2025-03-30')).toBe('Sun 30 Mar 2025');
    expect(formatPeriodLabel('2025-W13')).toBe('Week 13, 2025 (24–30 Mar)');
    expect(formatPeriodLabel('2025-W01')).toBe('Week 1, 2025 (30 Dec 2024 – 5 Jan 2025)');
    expect(formatPeriodLabel('2025-03')).toBe('March 2025');
    expect(formatPeriodLabel('2025')).toBe('2025');
    expect(formatPeriodLabel('2025-03-30', { short: true })).toBe('30 Mar');
    expect(formatPeriodLabel('2025-03', { short: true })).toBe('Mar 2025');
  });
  it('says how long ago and how long it took', () => {
    const now = Date.parse('2025-06-10T12:00:00Z');
    expect(formatAgo('2025-06-10T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2025-06-08T12:00:00Z', now)).toBe('2 days ago');
    expect(formatMs(340)).toBe('340 ms');
    expect(formatMs(1234)).toBe('1.2 s');
  });
});

describe('energy scaled to its size', () => {
  it('keeps kWh below 10,000, then MWh below 10,000 MWh, then GWh', () => {
    expect(formatEnergyUnit(87.44)).toBe('87.4 kWh');
    expect(formatEnergyUnit(9_539)).toBe('9,539 kWh');
    expect(formatEnergyUnit(12_345)).toBe('12.3 MWh');
    expect(formatEnergyUnit(9_539_353)).toBe('9,539 MWh');
    expect(formatEnergyUnit(12_345_678)).toBe('12.3 GWh');
    expect(formatEnergyUnit(null)).toBe('—');
    expect(scaleEnergy(250_000)).toEqual({ value: '250', unit: 'MWh' });
    expect(formatSignedEnergyUnit(-20_000)).toBe('−20.0 MWh');
    expect(formatSignedEnergyUnit(5)).toBe('+5.0 kWh');
  });
});

describe('calendar days in sentences', () => {
  it('says a day as people do', () => {
    expect(formatDay('2019-11-01')).toBe('1 Nov 2019');
  });
  it('says a range once per shared month and year', () => {
    expect(formatDayRange('2020-04-09', '2020-05-08')).toBe('9 Apr – 8 May 2020');
    expect(formatDayRange('2020-04-01', '2020-04-30')).toBe('1–30 Apr 2020');
    expect(formatDayRange('2020-04-09', '2020-04-09')).toBe('9 Apr 2020');
    expect(formatDayRange('2019-12-30', '2020-01-02')).toBe('30 Dec 2019 – 2 Jan 2020');
    expect(formatDayRangeUntil('2020-04-09', '2020-05-09')).toBe('9 Apr – 8 May 2020');
    expect(formatDayRangeUntil('2025-03-01', '2025-04-01')).toBe('1–31 Mar 2025');
    expect(formatDayRange('2025-03-24', '2025-04-02', { year: false })).toBe('24 Mar – 2 Apr');
  });
});

describe('UK dates typed by people', () => {
  it('reads the day first, whatever the separator, and a pasted ISO date', () => {
    expect(parseUkDate('01/11/2019')).toEqual({ ok: true, iso: '2019-11-01' });
    expect(parseUkDate(' 1/11/2019 ')).toEqual({ ok: true, iso: '2019-11-01' });
    expect(parseUkDate('1-11-19')).toEqual({ ok: true, iso: '2019-11-01' });
    expect(parseUkDate('1.11.2019')).toEqual({ ok: true, iso: '2019-11-01' });
    expect(parseUkDate('2019-11-01')).toEqual({ ok: true, iso: '2019-11-01' });
    expect(parseUkDate('29/02/2020')).toEqual({ ok: true, iso: '2020-02-29' });
    expect(isoToUkDate('2019-11-01')).toBe('01/11/2019');
  });
  it('says in words why text is not a date', () => {
    expect(parseUkDate('')).toEqual({ ok: false, error: 'Enter a date as DD/MM/YYYY, e.g. 09/04/2020.' });
    expect(parseUkDate('11/13/2019')).toEqual({
      ok: false,
      error: 'There is no month 13: type the day first, then the month (DD/MM/YYYY).',
    });
    expect(parseUkDate('29/02/2019')).toEqual({
      ok: false,
      error: 'February 2019 has 28 days: there is no day 29.',
    });
    expect(parseUkDate('next tuesday')).toEqual({
      ok: false,
      error: '“next tuesday” is not a date: type it as DD/MM/YYYY, e.g. 09/04/2020.',
    });
    expect(parseUkDate('01/01/1066').ok).toBe(false);
    expect(isIsoDay('2019-02-29')).toBe(false);
    expect(isIsoDay('2020-02-29')).toBe(true);
  });
});
