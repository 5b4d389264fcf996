/** The dashboard's 13-month consumption trend by fuel: one bar per fuel per month, never added together. */
import type { DashboardSummary } from '../../../src-shared/contract/types';
import { FUEL_NAME } from '../../components/FuelBadge';
import { buildGroupedOption, type GroupedOption, type GroupedTable } from '../sites/grouped-bars';

export interface TrendData {
  names: string[];
  table: GroupedTable;
}

/** Months ascending, kWh per fuel; a month without readings is a gap (null), never a 0 kWh bar. */
export function trendData(trend: DashboardSummary['trend']): TrendData {
  const periods = trend[0]?.months.map((m) => m.month) ?? [];
  return {
    names: trend.map((t) => FUEL_NAME[t.fuel]),
    table: {
      periods,
      values: trend.map((t) => {
        const by = new Map(t.months.map((m) => [m.month, m]));
        return periods.map((p) => {
          const m = by.get(p);
          return m && m.completeness > 0 ? m.kwh : null;
        });
      }),
    },
  };
}

export function buildTrendOption(d: TrendData): GroupedOption {
  return buildGroupedOption(
    d.names.map((name) => ({ name, totals: [] })),
    d.table,
    13,
  );
}

export function trendCsv(d: TrendData): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['month', ...d.names.map((n) => `${n.toLowerCase()} kwh`)],
    rows: d.table.periods.map((p, i) => [p, ...d.table.values.map((v) => v[i] ?? null)]),
  };
}
