/**
 * The dashboard summary: the anchored totals (totals.ts) with the month's cost and emissions by fuel.
 * Cost: every meter with readings in the month priced as billed (its assignments, else its supplier's
 * default), the tariffs read once for all meters; a meter with no tariff for some day is named, not
 * priced at 0. Emissions: half-hourly grid intensity where at least 95 % of a meter's half-hours have
 * one, else the annual UK factors; a fuel with neither is "not available" (null), never 0.
 */
import type {
  DashboardSummary,
  Fuel,
  FuelCost,
  FuelEmissions,
  ImportJob,
  SchedulerRun,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoDay } from '../../../src-shared/domain/periods';
import type { MeterRow } from '../meters/meter-service';
import type { Services } from '../services';
import { priceConsumption } from '../tariffs/pricing';

/** Below this share of half-hours with an intensity, a meter's emissions use the annual factor instead. */
export const HALF_HOURLY_COVERAGE = 0.95;

const FUELS: Fuel[] = ['electricity', 'gas'];

export function dashboardSummary(
  s: Pick<Services, 'totals' | 'costing' | 'carbon' | 'readings' | 'sqlite'>,
  lastImport: ImportJob | null,
  lastAggregation: SchedulerRun | null,
  asAt?: string,
): DashboardSummary {
  const d = s.totals.dashboard(lastImport, lastAggregation, asAt);
  if (!d.month) return { ...d, month: null };
  const { from, to, label } = d.month;
  const rows = s.sqlite
    .prepare(
      'SELECT id, identifier, fuel, supplier, capacity_kva AS capacityKva, label FROM meters ORDER BY identifier',
    )
    .all() as MeterRow[];
  const withData = s.readings.presentByMeter(from, to);
  const cat = s.costing.catalog();
  const costs: FuelCost[] = [];
  const emissions: FuelEmissions[] = [];
  for (const fuel of FUELS) {
    const meters = rows.filter((m) => m.fuel === fuel && (withData.get(m.id) ?? 0) > 0);
    if (!rows.some((m) => m.fuel === fuel)) continue;
    const cost: FuelCost = { fuel, totalPence: 0, kwh: 0, priced: 0, unpriced: [] };
    const co2: FuelEmissions = { fuel, kgco2: null, kwh: 0, halfHourlyMeters: 0, annualMeters: 0, unavailable: 0 };
    for (const m of meters) {
      const c = s.costing.consumption(m.id, from, to);
      try {
        const r = priceConsumption(m.identifier, c, s.costing.planAsBilled(c, m, cat));
        cost.totalPence += r.totalPence;
        cost.kwh += r.kwh;
        cost.priced++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        cost.unpriced.push({ meter: m.identifier, name: m.label ?? m.identifier });
      }
      let e = fuel === 'electricity' ? s.carbon.emissions(m.id, fuel, from, to, 'halfhourly') : null;
      if (e && e.kwh > 0 && e.coverage >= HALF_HOURLY_COVERAGE) co2.halfHourlyMeters++;
      else {
        e = s.carbon.emissions(m.id, fuel, from, to, 'annual');
        if (e.coverage > 0) co2.annualMeters++;
        else {
          co2.unavailable++;
          continue;
        }
      }
      co2.kgco2 = (co2.kgco2 ?? 0) + e.kgco2;
      co2.kwh += e.kwh;
    }
    cost.totalPence = Math.round(cost.totalPence * 100) / 100;
    cost.kwh = Math.round(cost.kwh * 1000) / 1000;
    if (co2.kgco2 !== null) co2.kgco2 = Math.round(co2.kgco2 * 1000) / 1000;
    co2.kwh = Math.round(co2.kwh * 1000) / 1000;
    costs.push(cost);
    emissions.push(co2);
  }
  return { ...d, month: { label, from: isoDay(from), to: isoDay(to), costs, emissions } };
}
