/** Test data for the chart option tests (not used by the app). */
import type { PeriodTotal } from '../../src-shared/contract/types';

export function total(period: string, kwh: number, over: Partial<PeriodTotal> = {}): PeriodTotal {
  return {
    period,
    start: `${period}T00:00:00Z`,
    kwh,
    min: 0.5,
    max: 3,
    mean: kwh / 48,
    baseload: 0.5,
    peak: 3,
    peakAt: null,
    halfHours: 48,
    missing: 0,
    completeness: 1,
    averageDaily: null,
    ...over,
  };
}
