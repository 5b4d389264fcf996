/**
 * Weeks, months or years of a meter as bars, with the same period a year earlier beside each one
 * (52 weeks back for weeks, so weekdays line up; the same month or year otherwise).
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { PeriodKind, PeriodTotal } from '../../../src-shared/contract/types';
import { parsePeriod, periodLabel, yearAgoStart } from '../../../src-shared/domain/periods';
import { formatChangePercent, formatPeriodLabel, formatShare } from '../../lib/format';
import { BASE, PALETTE, categoryZoom, kwhAxis, kwhText } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type PeriodOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption
>;

export interface PeriodRow {
  period: string;
  kwh: number;
  completeness: number;
  earlierPeriod: string;
  earlierKwh: number | null;
  earlierCompleteness: number | null;
}

/** The label of the same period a year earlier. */
export function yearAgoLabel(kind: PeriodKind, label: string): string | null {
  const start = parsePeriod(kind, label);
  return start === null ? null : periodLabel(kind, yearAgoStart(kind, start));
}

/** Pairs each period with the one a year earlier (null where that period has no roll-up). */
export function alignYearAgo(kind: PeriodKind, current: PeriodTotal[], earlier: PeriodTotal[]): PeriodRow[] {
  const byLabel = new Map(earlier.map((t) => [t.period, t]));
  return current.map((t) => {
    const label = yearAgoLabel(kind, t.period) ?? '';
    const e = byLabel.get(label);
    const hasData = !!e && e.completeness > 0;
    return {
      period: t.period,
      kwh: t.kwh,
      completeness: t.completeness,
      earlierPeriod: label,
      earlierKwh: hasData ? e.kwh : null,
      earlierCompleteness: e ? e.completeness : null,
    };
  });
}

export function periodCsv(rows: PeriodRow[]): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['period', 'kwh', 'completeness', 'year_earlier_period', 'year_earlier_kwh', 'year_earlier_completeness'],
    rows: rows.map((r) => [r.period, r.kwh, r.completeness, r.earlierPeriod, r.earlierKwh, r.earlierCompleteness]),
  };
}

const WINDOW: Record<PeriodKind, number> = { day: 92, week: 26, month: 24, year: 20 };

export function buildPeriodOption(kind: PeriodKind, rows: PeriodRow[]): PeriodOption {
  return {
    ...BASE,
    grid: { left: 64, right: 24, top: 40, bottom: rows.length > WINDOW[kind] ? 64 : 36 },
    legend: { top: 4, right: 16, itemWidth: 14, itemHeight: 10, data: ['kWh', 'A year earlier'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const r = rows[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
        if (!r) return '';
        const change = r.earlierKwh ? ((r.kwh - r.earlierKwh) / r.earlierKwh) * 100 : null;
        return [
          `<b>${formatPeriodLabel(r.period)}</b>: ${kwhText(r.kwh)} (${formatShare(r.completeness)} complete)`,
          `${formatPeriodLabel(r.earlierPeriod)}: ${kwhText(r.earlierKwh)}${r.earlierCompleteness !== null ? ` (${formatShare(r.earlierCompleteness)} complete)` : ''}`,
          change !== null ? `Change ${formatChangePercent(change)}` : '',
        ]
          .filter(Boolean)
          .join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.period),
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    yAxis: kwhAxis('kWh'),
    dataZoom: categoryZoom(rows.length, WINDOW[kind]),
    series: [
      {
        type: 'bar',
        name: 'kWh',
        color: PALETTE.current,
        data: rows.map((r) => ({
          value: r.kwh,
          itemStyle: { color: r.completeness < 1 ? PALETTE.currentLight : PALETTE.current },
        })),
        barMaxWidth: 36,
        barGap: '10%',
      },
      {
        type: 'bar',
        name: 'A year earlier',
        data: rows.map((r) => r.earlierKwh),
        color: PALETTE.earlier,
        barMaxWidth: 36,
      },
    ],
  };
}
