import { describe, expect, it } from 'vitest';
import { baseloadDayKwh, baseloadKw, halfHourCounts, portfolioAnchor } from './data-quality';

describe('half-hour counts', () => {
  it('counts missing as expected − present, whether absent or flagged', () => {
    expect(halfHourCounts(240, 99, 3)).toEqual({
      expectedHalfHours: 240,
      presentHalfHours: 99,
      missingHalfHours: 141,
      estimatedHalfHours: 3,
      completeness: 0.4125,
    });
    expect(halfHourCounts(0, 0, 0).completeness).toBe(0);
  });
});

describe('baseload', () => {
  it('is the mean of the 8 lowest half-hours × 2 in kW, on days with at least 40 present', () => {
    const day = [5, 1, 2, 9, 3, 4, 6, 0.5, 7, 8, ...Array<number>(38).fill(10)];
    expect(baseloadKw(day)).toBe(7.125);
    // 39 present half-hours (9 missing as NaN): no baseload
    expect(baseloadKw([...Array<number>(39).fill(1), ...Array<number>(9).fill(NaN)])).toBeNull();
    expect(baseloadKw([...Array<number>(40).fill(1), ...Array<number>(8).fill(NaN)])).toBe(2);
    // a slice of a longer array (one day of several)
    expect(baseloadKw([99, ...day, 99], 1, 49)).toBe(7.125);
  });

  it('as kWh a day is the kW held for the day’s hours, never above what the day used', () => {
    expect(baseloadDayKwh(2, 48, 100)).toBe(48);
    expect(baseloadDayKwh(2, 46, 100)).toBe(46);
    expect(baseloadDayKwh(2, 48, 40)).toBe(40);
    expect(baseloadDayKwh(null, 48, 40)).toBeNull();
  });
});

describe('portfolio anchor', () => {
  it('is the median of the meters’ last complete days, capped', () => {
    expect(portfolioAnchor([10, 30, 20], 100)).toBe(20);
    expect(portfolioAnchor([10, 30, 20, 40], 100)).toBe(20);
    expect(portfolioAnchor([10, 30, 20], 15)).toBe(15);
    expect(portfolioAnchor([], 15)).toBeNull();
  });
});
