/**
 * The dashboard's month in £ and CO2 by fuel, on the same anchor as the summary (totals.ts); a call of
 * its own so the summary stays a few milliseconds while this prices every meter's month.
 * Cost: every meter with readings in the month priced as billed (its assignments, else its supplier's
 * default), the tariffs read once for all meters; a meter with no tariff for some day is named, not
 * priced at 0. Emissions: half-hourly grid intensity where at least 95 % of a meter's half-hours have
 * one, else the annual UK factors; a fuel with neither is "not available" (null), never 0.
 */
import type { CostResult, DashboardMonth, Fuel, FuelCost, FuelEmissions } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { dateOfDay, isoDay, periodLabel, periodStart } from '../../../src-shared/domain/periods';
import type { MeterRow } from '../meters/meter-service';
import type { DayVectors } from '../readings/store';
import type { Catalog } from '../tariffs/costing';
import type { Services } from '../services';
import { consumptionOfDays, priceConsumption } from '../tariffs/pricing';
import { halfHourlyEmissions } from '../carbon/carbon-service';

/** Below this share of half-hours with an intensity, a meter's emissions use the annual factor instead. */
export const HALF_HOURLY_COVERAGE = 0.95;

const FUELS: Fuel[] = ['electricity', 'gas'];

export function dashboardMonth(
  s: Pick<Services, 'totals' | 'costing' | 'carbon' | 'readings' | 'sqlite'>,
  asAt: string | undefined,
  withCosts: boolean,
): DashboardMonth | null {
  const cap = s.totals.asAtDay(asAt);
  const ids = s.sqlite.prepare('SELECT id FROM meters').pluck().all() as number[];
  const { anchor } = s.totals.anchor(ids, cap);
  if (anchor === null) return null;
  const from = periodStart('month', anchor);
  const to = anchor + 1;
  const rows = s.sqlite
    .prepare(
      'SELECT id, identifier, fuel, supplier, capacity_kva AS capacityKva, label FROM meters ORDER BY identifier',
    )
    .all() as MeterRow[];
  const withData = s.readings.presentByMeter(from, to);
  const kwhOf = s.readings.kwhByMeter(from, to);
  const cat = s.costing.catalog();
  // intensities read once for every meter; none stored for the month: every meter on the annual factor
  const intensity = s.carbon.intensities(from, to);
  const anyIntensity = intensity.some((g) => g === g);
  const year = dateOfDay(from).y; // a month lies in one year: one annual factor per fuel
  const costs: FuelCost[] = [];
  const emissions: FuelEmissions[] = [];
  for (const fuel of FUELS) {
    if (!rows.some((m) => m.fuel === fuel)) continue;
    const meters = rows.filter((m) => m.fuel === fuel && (withData.get(m.id) ?? 0) > 0);
    const cost: FuelCost = { fuel, totalPence: 0, kwh: 0, priced: 0, unpriced: [] };
    const co2: FuelEmissions = { fuel, kgco2: null, kwh: 0, halfHourlyMeters: 0, annualMeters: 0, unavailable: 0 };
    const factor = s.carbon.factorFor(fuel, year);
    const tariffs = withCosts && cat.all.some((t) => t.fuel === fuel);
    const halfHourly = fuel === 'electricity' && anyIntensity;
    for (const m of meters) {
      // the meter's month read once (only when it is priced or has intensities), priced and converted from it
      const v = tariffs || halfHourly ? s.readings.readDays(m.id, from, to) : null;
      const r = tariffs && v ? priceAsBilled(s, m, v, from, to, cat) : null;
      if (r) {
        cost.totalPence += r.totalPence;
        cost.kwh += r.kwh;
        cost.priced++;
      } else cost.unpriced.push({ meter: m.identifier, name: m.label ?? m.identifier });
      const e = halfHourly && v ? halfHourlyEmissions(v, intensity, from) : null;
      const kwh = e ? e.kwh : (kwhOf.get(m.id) ?? 0);
      let kg: number | null = null;
      if (e && e.kwh > 0 && e.coverage >= HALF_HOURLY_COVERAGE) {
        kg = e.kgco2;
        co2.halfHourlyMeters++;
      } else if (factor !== undefined) {
        kg = kwh * factor;
        co2.annualMeters++;
      } else co2.unavailable++;
      if (kg !== null) {
        co2.kgco2 = (co2.kgco2 ?? 0) + kg;
        co2.kwh += kwh;
      }
    }
    cost.totalPence = Math.round(cost.totalPence * 100) / 100;
    cost.kwh = Math.round(cost.kwh * 1000) / 1000;
    if (co2.kgco2 !== null) co2.kgco2 = Math.round(co2.kgco2 * 1000) / 1000;
    co2.kwh = Math.round(co2.kwh * 1000) / 1000;
    costs.push(cost);
    emissions.push(co2);
  }
  return {
    asAt: isoDay(cap),
    latestDay: isoDay(anchor),
    label: periodLabel('month', from),
    from: isoDay(from),
    to: isoDay(to),
    costs: withCosts ? costs : null,
    emissions,
  };
}

/** A meter's month priced as billed, or null when some day has no tariff (no assignment, no supplier default). */
export function priceAsBilled(
  s: Pick<Services, 'costing'>,
  m: MeterRow,
  v: DayVectors,
  from: number,
  to: number,
  cat: Catalog,
): CostResult | null {
  const c = consumptionOfDays(from, to, v.days, v.offsets, v.values, v.quality);
  try {
    return priceConsumption(m.identifier, c, s.costing.planAsBilled(c, m, cat));
  } catch (e) {
    if (e instanceof AppError) return null;
    throw e;
  }
}
