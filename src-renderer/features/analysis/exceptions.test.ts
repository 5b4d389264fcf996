import { describe, expect, it } from 'vitest';
import type { ExceptionDay } from '../../../src-shared/contract/types';
import { excessTotals } from './exceptions';

const ex = (
  date: string,
  actual: number,
  expected: number,
  pence: number | null = (actual - expected) * 20,
): ExceptionDay => ({
  date,
  actualKwh: actual,
  expectedKwh: expected,
  excessKwh: actual - expected,
  bandKwh: expected * 0.1,
  excessPence: pence,
  weeks: 8,
});

const LIST = [ex('2025-02-10', 150, 100), ex('2025-02-24', 80, 100), ex('2025-02-17', 300, 100)];

describe('excessTotals', () => {
  it('adds up the days above their band only', () => {
    expect(excessTotals(LIST)).toEqual({ days: 2, kwh: 250, pence: 250 * 20 });
  });
  it('has no £ when a day above the band is unpriced', () => {
    expect(excessTotals([ex('2025-02-10', 150, 100, null), ex('2025-02-11', 90, 100)]).pence).toBeNull();
    expect(excessTotals([])).toEqual({ days: 0, kwh: 0, pence: 0 });
  });
});
