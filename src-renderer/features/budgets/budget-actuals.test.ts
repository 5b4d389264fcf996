import { describe, expect, it } from 'vitest';
import type { Budget, MeterSummary, PeriodTotal } from '../../../src-shared/contract/types';
import { meterMonths, monthActuals, monthRange, openingYear, variance } from './budget-actuals';

const budget = (month: string, kwh: number | null, pence: number | null): Budget => ({
  siteId: 1,
  month,
  kwh,
  pence,
  updatedAt: '',
  updatedBy: 'a',
});
const meter = (mpan: string, first: string | null, last: string | null): MeterSummary =>
  ({
    mpan,
    firstReading: first && `${first}T12:00:00Z`,
    lastReading: last && `${last}T12:00:00Z`,
  }) as unknown as MeterSummary;
const total = (period: string, kwh: number, completeness = 1): PeriodTotal =>
  ({ period, kwh, completeness }) as PeriodTotal;

describe('the year the budget card opens on', () => {
  it('is the latest year with a budget, though the clock says later', () => {
    const budgets = [budget('2024-11', 100, null), budget('2025-03', null, 500), budget('2024-12', 1, 1)];
    expect(openingYear(budgets, [meter('a', '2019-01-01', '2026-05-01')], 2026)).toBe(2025);
  });

  it('else the latest year with readings, else the fallback', () => {
    expect(openingYear([], [meter('a', '2019-01-01', '2020-06-01'), meter('b', null, null)], 2026)).toBe(2020);
    expect(openingYear([budget('2030-01', null, null)], [], 2026)).toBe(2026);
  });
});

describe('the actual figures beside the budget', () => {
  it('adds every fuel per month and the priced meters’ costs, counting the meters not priced', () => {
    const a = monthActuals(
      [
        { fuel: 'electricity', totals: [total('2025-01', 1000.5), total('2025-02', 800)] },
        { fuel: 'gas', totals: [total('2025-01', 2000), total('2025-03', 0, 0)] },
      ],
      [
        { month: '2025-01', pence: 12345 },
        { month: '2025-01', pence: 655 },
        { month: '2025-02', pence: null },
      ],
    );
    expect(a.get('2025-01')).toEqual({ kwh: 3000.5, pence: 13000, unpriced: 0 });
    expect(a.get('2025-02')).toEqual({ kwh: 800, pence: null, unpriced: 1 });
    // a month the totals list without a single reading has no actual
    expect(a.get('2025-03')).toBeUndefined();
    // a viewer: no costs asked for
    expect(monthActuals([{ fuel: 'electricity', totals: [total('2025-01', 5)] }], null).get('2025-01')).toEqual({
      kwh: 5,
      pence: null,
      unpriced: 0,
    });
  });

  it('prices each meter in each month its readings touch, over whole months', () => {
    const ms = meterMonths(2025, [meter('a', '2024-11-20', '2025-02-01'), meter('b', '2025-12-31', '2026-03-01')]);
    expect(ms).toEqual([
      { meter: 'a', month: '2025-01' },
      { meter: 'a', month: '2025-02' },
      { meter: 'b', month: '2025-12' },
    ]);
    expect(monthRange('2025-12')).toEqual({ from: '2025-12-01', to: '2026-01-01' });
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-03-01' });
  });

  it('gives the variance against the budget and its share', () => {
    expect(variance(11_000, 10_000)).toEqual({ diff: 1000, share: 0.1 });
    expect(variance(9_000, 10_000)).toEqual({ diff: -1000, share: -0.1 });
    expect(variance(5, 0)).toEqual({ diff: 5, share: null });
    expect(variance(null, 10)).toBeNull();
    expect(variance(10, null)).toBeNull();
  });
});
