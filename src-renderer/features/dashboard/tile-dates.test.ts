import { describe, expect, it } from 'vitest';
import { tileDates } from './tile-dates';

describe('the days a dashboard tile counts', () => {
  it('says the days counted for a period to date, not the whole period and then "to" a day', () => {
    expect(tileDates('week', '2019-W46', '2019-11-13')).toBe('11–13 Nov 2019');
    expect(tileDates('month', '2019-11', '2019-11-13')).toBe('1–13 Nov 2019');
    expect(tileDates('year', '2019', '2019-11-13')).toBe('1 Jan – 13 Nov 2019');
    // week 1 of 2025 starts on Monday 30 December 2024
    expect(tileDates('week', '2025-W01', '2024-12-30')).toBe('30 Dec 2024');
  });
  it('names a whole period and a day as they are', () => {
    expect(tileDates('week', '2019-W46', null)).toBe('Week 46, 2019 (11–17 Nov)');
    expect(tileDates('month', '2019-11', null)).toBe('November 2019');
    expect(tileDates('day', '2019-11-13', null)).toBe('13 Nov');
  });
});
