/**
 * The hours split as stacked bars: per UK local day (per ISO week, Monday first, when the range is
 * long) the kWh used in hours, out of hours (an open day outside its hours), at weekends (days with no
 * opening hours) and on holidays (bank holidays and the site's closures). Pure, no DOM.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { AnalysisDay } from '../../../src-shared/contract/types';
import { isoDay, weekStart } from '../../../src-shared/domain/periods';
import { formatDayRange, formatPeriodLabel, formatShare, plural } from '../../lib/format';
import { BASE, categoryZoom, energyAxis, kwhText } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type SplitOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption
>;

/** The four parts, in stacking order (in hours at the bottom). */
export const SPLIT_PARTS = [
  { key: 'inHoursKwh', name: 'In hours', colour: '#0f766e' },
  { key: 'outOfHoursKwh', name: 'Out of hours', colour: '#d97706' },
  { key: 'weekendKwh', name: 'Weekend', colour: '#2563eb' },
  { key: 'holidayKwh', name: 'Holiday', colour: '#7c3aed' },
] as const;

export interface SplitRow {
  /** The day, or the Monday of the week (`YYYY-MM-DD`). */
  start: string;
  /** The last day in the range the row covers. */
  last: string;
  days: number;
  inHoursKwh: number;
  outOfHoursKwh: number;
  weekendKwh: number;
  holidayKwh: number;
  kwh: number;
  /** Days of the row that are holidays (bank holidays or closures). */
  holidays: number;
}

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 864e5;

/** One row per day, or per ISO week (summing the range's days of each week) when `byWeek`. */
export function splitRows(days: readonly AnalysisDay[], byWeek: boolean): SplitRow[] {
  const rows: SplitRow[] = [];
  const byStart = new Map<string, SplitRow>();
  for (const d of days) {
    const start = byWeek ? isoDay(weekStart(dayNumber(d.date))) : d.date;
    let r = byStart.get(start);
    if (!r) {
      r = {
        start,
        last: d.date,
        days: 0,
        inHoursKwh: 0,
        outOfHoursKwh: 0,
        weekendKwh: 0,
        holidayKwh: 0,
        kwh: 0,
        holidays: 0,
      };
      byStart.set(start, r);
      rows.push(r);
    }
    r.last = d.date;
    r.days++;
    r.inHoursKwh += d.inHoursKwh;
    r.outOfHoursKwh += d.outOfHoursKwh;
    r.weekendKwh += d.weekendKwh;
    r.holidayKwh += d.holidayKwh;
    r.kwh += d.inHoursKwh + d.outOfHoursKwh + d.weekendKwh + d.holidayKwh;
    if (d.kind === 'holiday') r.holidays++;
  }
  return rows;
}

/** A row's label: the day (`Tue 4 Mar 2025`) or the days of the week it covers (`3–9 Mar 2025`). */
export function rowLabel(r: SplitRow, byWeek: boolean): string {
  return byWeek ? formatDayRange(r.start, r.last) : formatPeriodLabel(r.start);
}

export function splitCsv(
  rows: readonly SplitRow[],
  byWeek: boolean,
): { header: string[]; rows: (string | number)[][] } {
  return {
    header: [
      byWeek ? 'week_from' : 'day',
      ...(byWeek ? ['week_last_day_in_range'] : []),
      'in_hours_kwh',
      'out_of_hours_kwh',
      'weekend_kwh',
      'holiday_kwh',
      'total_kwh',
    ],
    rows: rows.map((r) => [
      r.start,
      ...(byWeek ? [r.last] : []),
      r.inHoursKwh,
      r.outOfHoursKwh,
      r.weekendKwh,
      r.holidayKwh,
      r.kwh,
    ]),
  };
}

/** Bars shown before zooming out (about 3 months of days, or 2 years of weeks). */
export const SPLIT_WINDOW = 104;

export function buildSplitOption(rows: readonly SplitRow[], byWeek: boolean): SplitOption {
  const zoom = categoryZoom(rows.length, SPLIT_WINDOW);
  return {
    ...BASE,
    animation: rows.length < 400,
    grid: { left: 64, right: 24, top: 40, bottom: zoom.length ? 64 : 36 },
    legend: { top: 4, right: 16, itemWidth: 14, itemHeight: 10, data: SPLIT_PARTS.map((p) => p.name) },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const r = rows[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
        if (!r) return '';
        const head = byWeek
          ? `${rowLabel(r, true)}${r.days < 7 ? ` (${plural(r.days, 'day')} in the range)` : ''}`
          : `${rowLabel(r, false)}${r.holidays ? ' · holiday' : ''}`;
        const parts = SPLIT_PARTS.filter((p) => r[p.key] !== 0 || p.key === 'inHoursKwh').map(
          (p) => `${p.name}: <b>${kwhText(r[p.key])}</b>${r.kwh > 0 ? ` (${formatShare(r[p.key] / r.kwh)})` : ''}`,
        );
        return [head, ...parts, `Total: ${kwhText(r.kwh)}`].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.start),
      axisLabel: {
        formatter: (v: string) => formatPeriodLabel(v, { short: true }),
        hideOverlap: true,
      },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: energyAxis([rows.map((r) => r.kwh)]),
    dataZoom: zoom,
    series: SPLIT_PARTS.map((p) => ({
      type: 'bar' as const,
      name: p.name,
      stack: 'split',
      color: p.colour,
      data: rows.map((r) => r[p.key]),
      barMaxWidth: 28,
      emphasis: { focus: 'series' as const },
    })),
  };
}
