/** Period totals as CSV columns (table-export.ts): the period's label, its kWh and its completeness, unformatted. */
import type { PeriodTotal } from '../../../src-shared/contract/types';
import { percentOf, type CsvColumn } from '../../components/table-export';

/**
 * Three columns for the total `pick` gives (none: empty cells): "`name` period" (`2025-03-30`,
 * `2025-W13`, `2025-03` or `2025`, UK local), "`name` kWh" and "`name` complete (%)".
 */
export function totalColumns<T>(name: string, pick: (row: T) => PeriodTotal | null | undefined): CsvColumn<T>[] {
  return [
    { header: `${name} period`, value: (r) => pick(r)?.period },
    { header: `${name} kWh`, value: (r) => pick(r)?.kwh },
    { header: `${name} complete (%)`, value: (r) => percentOf(pick(r)?.completeness) },
  ];
}

/** The change from `earlier` to `current` in % (null without an earlier total that used something), to 0.1. */
export function changePercentOf(current: PeriodTotal, earlier: PeriodTotal | null | undefined): number | null {
  if (!earlier || earlier.kwh === 0) return null;
  return Math.round(((current.kwh - earlier.kwh) / earlier.kwh) * 1000) / 10;
}
