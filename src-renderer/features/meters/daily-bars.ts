/**
 * Daily consumption of a meter as bars (one per UK local day from totals.list period=day) with its
 * baseload drawn as a line: the day's baseload (kW, only on days with at least 40 half-hours) held
 * for the day's hours, never above the day's kWh — the energy the site would use if it never rose
 * above its always-on load. Incomplete days are paler; days without a baseload break the line.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { PeriodTotal } from '../../../src-shared/contract/types';
import { baseloadDayKwh } from '../../../src-shared/domain/data-quality';
import { formatPeriodLabel, formatShare } from '../../lib/format';
import { BASE, PALETTE, categoryZoom, kwhAxis, kwhText } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type DailyOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
>;

/** Baseload energy of a day in kWh: its baseload kW held for the day's hours, never above its kWh. */
export function baseloadKwh(t: Pick<PeriodTotal, 'baseload' | 'halfHours' | 'kwh'>): number | null {
  return baseloadDayKwh(t.baseload, t.halfHours, t.kwh);
}

export interface DailyRow {
  day: string;
  kwh: number;
  baseloadKwh: number | null;
  completeness: number;
}

export function dailyRows(totals: PeriodTotal[]): DailyRow[] {
  return totals.map((t) => ({ day: t.period, kwh: t.kwh, baseloadKwh: baseloadKwh(t), completeness: t.completeness }));
}

export function dailyCsv(rows: DailyRow[]): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['day', 'kwh', 'baseload_kwh', 'completeness'],
    rows: rows.map((r) => [r.day, r.kwh, r.baseloadKwh, r.completeness]),
  };
}

/** How many days the chart shows at first before the user zooms out. */
export const DAILY_WINDOW = 92;

export function buildDailyOption(totals: PeriodTotal[]): DailyOption {
  const rows = dailyRows(totals);
  return {
    ...BASE,
    animation: rows.length < 400,
    grid: { left: 56, right: 24, top: 40, bottom: rows.length > DAILY_WINDOW ? 64 : 36 },
    legend: { top: 4, right: 16, itemWidth: 14, itemHeight: 10, data: ['kWh per day', 'Baseload (kWh per day)'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const ps = params as { dataIndex: number }[];
        const r = rows[ps[0]?.dataIndex ?? -1];
        if (!r) return '';
        return `${formatPeriodLabel(r.day)}<br/><b>${kwhText(r.kwh)}</b><br/>Baseload ${r.baseloadKwh === null ? 'not worked out (fewer than 40 half-hours)' : kwhText(r.baseloadKwh)}<br/>${formatShare(r.completeness)} of half-hours present`;
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.day),
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: kwhAxis('kWh'),
    dataZoom: categoryZoom(rows.length, DAILY_WINDOW),
    series: [
      {
        type: 'bar',
        name: 'kWh per day',
        color: PALETTE.current,
        data: rows.map((r) => ({
          value: r.kwh,
          itemStyle: { color: r.completeness < 1 ? PALETTE.currentLight : PALETTE.current },
        })),
        barMaxWidth: 28,
        large: rows.length > 2000,
      },
      {
        type: 'line',
        name: 'Baseload (kWh per day)',
        data: rows.map((r) => r.baseloadKwh),
        color: PALETTE.baseload,
        showSymbol: rows.length <= 62,
        symbolSize: 4,
        connectNulls: false,
        sampling: 'lttb',
        lineStyle: { width: 1.5, type: 'dashed' },
        z: 3,
      },
    ],
  };
}
