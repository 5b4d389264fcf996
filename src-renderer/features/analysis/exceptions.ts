/** The exceptions list's totals. Pure functions. */
import type { ExceptionDay } from '../../../src-shared/contract/types';

/** The kWh and £ of the days above their band (those below are savings, not counted); £ null when any is unpriced. */
export function excessTotals(days: readonly ExceptionDay[]): { days: number; kwh: number; pence: number | null } {
  const over = days.filter((d) => d.excessKwh > 0);
  const pence = over.some((d) => d.excessPence === null)
    ? null
    : over.reduce((s, d) => s + (d.excessPence as number), 0);
  return { days: over.length, kwh: over.reduce((s, d) => s + d.excessKwh, 0), pence };
}
