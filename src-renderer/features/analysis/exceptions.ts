/** The exceptions list's order and totals. Pure functions. */
import type { ExceptionDay } from '../../../src-shared/contract/types';

export type ExceptionOrder = 'date' | 'excess';

/** Newest day first, or the largest excess first (days below their band last); a new array. */
export function sortExceptions(days: readonly ExceptionDay[], order: ExceptionOrder): ExceptionDay[] {
  const out = [...days];
  if (order === 'date') out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  else out.sort((a, b) => b.excessKwh - a.excessKwh || (a.date < b.date ? 1 : -1));
  return out;
}

/** The kWh and £ of the days above their band (those below are savings, not counted); £ null when any is unpriced. */
export function excessTotals(days: readonly ExceptionDay[]): { days: number; kwh: number; pence: number | null } {
  const over = days.filter((d) => d.excessKwh > 0);
  const pence = over.some((d) => d.excessPence === null)
    ? null
    : over.reduce((s, d) => s + (d.excessPence as number), 0);
  return { days: over.length, kwh: over.reduce((s, d) => s + d.excessKwh, 0), pence };
}
