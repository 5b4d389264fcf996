/**
 * Climate Change Levy main rates (gov.uk "climate-change-levy-rates"; table in
 * shared/design/uk-energy-data.md §4.5), in pence per kWh, each from 1 April of its year.
 * A tariff with `"cclPencePerKwh": "statutory"` is charged these by date.
 */
import type { Fuel } from '../../../src-shared/contract/types';
import { dayFromDate } from '../../../src-shared/domain/periods';

const RATES: readonly { from: number; electricity: number; gas: number }[] = [
  [2019, 0.847, 0.339],
  [2020, 0.811, 0.406],
  [2021, 0.775, 0.465],
  [2022, 0.775, 0.568],
  [2023, 0.775, 0.672],
  [2024, 0.775, 0.775],
  [2025, 0.775, 0.775],
  [2026, 0.801, 0.801],
  [2027, 0.827, 0.827],
].map(([y, e, g]) => ({ from: dayFromDate(y!, 4, 1), electricity: e!, gas: g! }));

/** The statutory CCL rate on a UK local day (the earliest known rate before April 2019, the latest after). */
export function statutoryCclPence(fuel: Fuel, day: number): number {
  let rate = RATES[0]!;
  for (const r of RATES) if (r.from <= day) rate = r;
  return rate[fuel];
}
