/**
 * The portfolio league tables' logic (analytics.portfolio): the meters that do worst on each
 * measure, for the dashboard's "Where to look first", and the arguments of the period chosen. Pure.
 */
import type { LeagueRow } from '../../../src-shared/contract/types';

/** The four league tables. */
export type Measure = 'baseload' | 'outOfHours' | 'exceptions' | 'quality';

/** A meter's name in a table: its label, else its MPAN or MPRN. */
export const meterName = (r: Pick<LeagueRow, 'meter' | 'label'>): string => r.label ?? r.meter;

const byMeter = (a: LeagueRow, b: LeagueRow): number => a.meter.localeCompare(b.meter);

/**
 * Which meters count as doing badly on a measure, and in what order (worst first): the highest
 * baseload; the highest out-of-hours share (more kWh out of hours first on a tie); the most
 * exceptions (more excess kWh first); the lowest completeness (stale meters first on a tie). Meters
 * with nothing wrong (no exceptions, every half-hour present and not stale, no out-of-hours use, no
 * baseload worked out) are left out.
 */
const RULES: Record<Measure, { keep: (r: LeagueRow) => boolean; order: (a: LeagueRow, b: LeagueRow) => number }> = {
  baseload: {
    keep: (r) => r.baseloadKw !== null && r.baseloadKw > 0,
    order: (a, b) => b.baseloadKw! - a.baseloadKw!,
  },
  outOfHours: {
    keep: (r) => r.outOfHoursShare !== null && r.outOfHoursShare > 0,
    order: (a, b) => b.outOfHoursShare! - a.outOfHoursShare! || b.outOfHoursKwh - a.outOfHoursKwh,
  },
  exceptions: {
    keep: (r) => r.exceptions > 0,
    order: (a, b) => b.exceptions - a.exceptions || b.exceptionExcessKwh - a.exceptionExcessKwh,
  },
  quality: {
    keep: (r) => r.completeness < 1 || r.stale,
    order: (a, b) => a.completeness - b.completeness || Number(b.stale) - Number(a.stale),
  },
};

/** The `n` meters doing worst on `measure`, worst first (fewer when fewer have anything wrong). */
export function worstFew(rows: readonly LeagueRow[], measure: Measure, n = 3): LeagueRow[] {
  const rule = RULES[measure];
  return rows
    .filter(rule.keep)
    .sort((a, b) => rule.order(a, b) || byMeter(a, b))
    .slice(0, n);
}

/** The period of the tables: the call's own (4 weeks to the latest complete day), as at a day, or any days. */
export type PeriodChoice =
  { kind: 'latest' } | { kind: 'asAt'; asAt: string } | { kind: 'range'; from: string; to: string };

/** analytics.portfolio's arguments for a period choice. */
export function portfolioArgs(c: PeriodChoice): { from?: string; to?: string; asAt?: string } {
  if (c.kind === 'asAt') return { asAt: c.asAt };
  if (c.kind === 'range') return { from: c.from, to: c.to };
  return {};
}
