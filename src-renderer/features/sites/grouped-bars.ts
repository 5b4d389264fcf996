/** Several series side by side per period: a site's meters, or a site's fuels (never stacked, never summed). */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { PeriodTotal } from '../../../src-shared/contract/types';
import { formatPeriodLabel } from '../../lib/format';
import { BASE, PALETTE, categoryZoom, energyAxis, kwhText } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type GroupedOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption
>;

export interface GroupedSeries {
  name: string;
  totals: PeriodTotal[];
}

export interface GroupedTable {
  periods: string[];
  /** values[series][period]: kWh, or null where that series has no roll-up for the period. */
  values: (number | null)[][];
}

/** Every period any series has, ascending, with each series' kWh per period. */
export function groupTotals(series: GroupedSeries[]): GroupedTable {
  const periods = [...new Set(series.flatMap((s) => s.totals.map((t) => t.period)))].sort();
  const values = series.map((s) => {
    const by = new Map(s.totals.map((t) => [t.period, t]));
    return periods.map((p) => {
      const t = by.get(p);
      return t && t.completeness > 0 ? t.kwh : null;
    });
  });
  return { periods, values };
}

export function groupedCsv(
  series: GroupedSeries[],
  table: GroupedTable,
): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['period', ...series.map((s) => `${s.name} kwh`)],
    rows: table.periods.map((p, i) => [p, ...table.values.map((v) => v[i] ?? null)]),
  };
}

export function buildGroupedOption(
  series: GroupedSeries[],
  table: GroupedTable = groupTotals(series),
  window = 24,
): GroupedOption {
  return {
    ...BASE,
    color: [...PALETTE.meters],
    grid: { left: 64, right: 24, top: 44, bottom: table.periods.length > window ? 64 : 36 },
    legend: { top: 4, right: 16, left: 80, type: 'scroll', itemWidth: 14, itemHeight: 10 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const ps = params as { dataIndex: number; seriesName: string; value: unknown; marker: string }[];
        const p = table.periods[ps[0]?.dataIndex ?? -1];
        if (!p) return '';
        return [
          `<b>${formatPeriodLabel(p)}</b>`,
          ...ps.map((x) => `${x.marker}${x.seriesName}: ${kwhText(x.value)}`),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: table.periods,
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    yAxis: energyAxis(table.values),
    dataZoom: categoryZoom(table.periods.length, window),
    series: series.map((s, i) => ({
      type: 'bar' as const,
      name: s.name,
      data: table.values[i] ?? [],
      barMaxWidth: 28,
    })),
  };
}
