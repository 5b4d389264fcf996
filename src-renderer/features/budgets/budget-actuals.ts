/**
 * The budget card's actual figures, as pure logic: the year it opens on (the latest with budgets,
 * else the latest with readings), each month's actual kWh (every fuel of the site added, as the
 * site's monthly report compares it with the budget) and £ (the meters' costs as the Costs page
 * prices them, `cost.meter`), which meter-months to price, and the variance against the budget.
 */
import type { Budget, Fuel, MeterSummary, PeriodTotal } from '../../../src-shared/contract/types';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { readingDays } from '../../lib/periods';

/** A month's actual figures: kWh (null without readings), £ in pence (null when none was priced). */
export interface MonthActual {
  kwh: number | null;
  pence: number | null;
  /** Meters with readings that month which could not be priced (no tariff): left out of `pence`. */
  unpriced: number;
}

/** The year the card opens on: the latest with a budget, else the latest with readings, else `fallback`. */
export function openingYear(budgets: readonly Budget[], meters: readonly MeterSummary[], fallback: number): number {
  const withBudget = budgets.filter((b) => b.kwh !== null || b.pence !== null).map((b) => Number(b.month.slice(0, 4)));
  if (withBudget.length) return Math.max(...withBudget);
  const last = meters.flatMap((m) => {
    const d = readingDays(m.firstReading, m.lastReading);
    return d ? [Number(isoDay(d.to - 1).slice(0, 4))] : [];
  });
  return last.length ? Math.max(...last) : fallback;
}

/** The first day of a month and the first day after it (`YYYY-MM-DD`), as `cost.meter` takes them. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: isoDay(dayFromDate(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1)) };
}

/** The meter-months of a year to price: each meter in each month its readings touch. */
export function meterMonths(year: number, meters: readonly MeterSummary[]): { meter: string; month: string }[] {
  const out: { meter: string; month: string }[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    const from = dayFromDate(year, m, 1);
    const to = m === 12 ? dayFromDate(year + 1, 1, 1) : dayFromDate(year, m + 1, 1);
    for (const meter of meters) {
      const d = readingDays(meter.firstReading, meter.lastReading);
      if (d && d.from < to && d.to > from) out.push({ meter: meter.mpan, month });
    }
  }
  return out;
}

/**
 * Each month's actuals from the site's monthly totals by fuel (`totals.site`; a month without one
 * reading has none) and the meter-months' costs (null pence: not priced; no costs at all: a viewer, and £ stays empty).
 */
export function monthActuals(
  totals: readonly { fuel: Fuel; totals: readonly PeriodTotal[] }[],
  costs: readonly { month: string; pence: number | null }[] | null,
): Map<string, MonthActual> {
  const out = new Map<string, MonthActual>();
  const at = (month: string): MonthActual => {
    let a = out.get(month);
    if (!a) out.set(month, (a = { kwh: null, pence: null, unpriced: 0 }));
    return a;
  };
  for (const f of totals)
    for (const t of f.totals) if (t.completeness > 0) at(t.period).kwh = (at(t.period).kwh ?? 0) + t.kwh;
  for (const c of costs ?? []) {
    const a = at(c.month);
    if (c.pence === null) a.unpriced++;
    else a.pence = (a.pence ?? 0) + c.pence;
  }
  return out;
}

/** Actual against budget: the difference and its share of the budget; null when either is missing. */
export function variance(actual: number | null, budget: number | null): { diff: number; share: number | null } | null {
  if (actual === null || budget === null) return null;
  return { diff: actual - budget, share: budget > 0 ? (actual - budget) / budget : null };
}
