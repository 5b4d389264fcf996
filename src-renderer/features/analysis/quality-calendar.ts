/**
 * Data completeness as a calendar: one column per ISO week (Monday first), one row per weekday,
 * each UK local day of the range a cell coloured by its share of half-hours present. Days outside the
 * range have no cell. Pure, no DOM.
 */
import type { ComposeOption } from 'echarts/core';
import type { HeatmapSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { QualityReport } from '../../../src-shared/contract/types';
import { isoDay, weekStart } from '../../../src-shared/domain/periods';
import { weekdayOf } from '../../../src-shared/domain/bank-holidays';
import { BASE, categoryZoom } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';
import { formatPeriodLabel, formatShare, plural } from '../../lib/format';

export type CalendarOption = ComposeOption<
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
  | DataZoomComponentOption
>;

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface CalendarCell {
  date: string;
  /** Column (week) and row (weekday, Monday = 0). */
  week: number;
  weekday: number;
  completeness: number;
  expected: number;
  present: number;
  estimated: number;
}

export interface CalendarGrid {
  /** The Monday of each column, every week from the first day's to the last's. */
  weeks: string[];
  cells: CalendarCell[];
}

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 864e5;

export function calendarGrid(days: QualityReport['days']): CalendarGrid {
  if (days.length === 0) return { weeks: [], cells: [] };
  const numbers = days.map((d) => dayNumber(d.date));
  const first = weekStart(Math.min(...numbers));
  const last = weekStart(Math.max(...numbers));
  const weeks: string[] = [];
  for (let w = first; w <= last; w += 7) weeks.push(isoDay(w));
  const cells = days.map((d, i) => {
    const n = numbers[i]!;
    return {
      date: d.date,
      week: (weekStart(n) - first) / 7,
      weekday: weekdayOf(n),
      completeness: d.expected > 0 ? d.present / d.expected : 0,
      expected: d.expected,
      present: d.present,
      estimated: d.estimated,
    };
  });
  return { weeks, cells };
}

/** The colour bands, from no data to every half-hour present. */
export const COMPLETENESS_PIECES = [
  { gte: 1, label: 'All half-hours', color: '#15803d' },
  { gte: 0.9, lt: 1, label: '90 % or more', color: '#86efac' },
  { gte: 0.5, lt: 0.9, label: '50–90 %', color: '#fbbf24' },
  { gt: 0, lt: 0.5, label: 'Under 50 %', color: '#f97316' },
  { lte: 0, label: 'None', color: '#b91c1c' },
] as const;

/** Weeks shown before zooming out (about a year). */
export const CALENDAR_WINDOW = 54;

export function buildCalendarOption(grid: CalendarGrid): CalendarOption {
  const zoom = categoryZoom(grid.weeks.length, CALENDAR_WINDOW, 'none');
  return {
    ...BASE,
    animation: false,
    grid: { left: 44, right: 16, top: 8, bottom: zoom.length ? 96 : 64 },
    tooltip: {
      position: 'top',
      formatter: (p: unknown) => {
        const c = grid.cells[(p as { dataIndex: number }).dataIndex];
        if (!c) return '';
        const est = c.estimated ? `<br/>${plural(c.estimated, 'half-hour')} estimated` : '';
        return `${formatPeriodLabel(c.date)}<br/><b>${c.present} of ${c.expected} half-hours</b> (${formatShare(c.completeness)})${est}<br/>Click to see the day`;
      },
    },
    xAxis: {
      type: 'category',
      data: grid.weeks,
      splitArea: { show: false },
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'category',
      data: WEEKDAYS,
      inverse: true,
      axisLine: { show: false },
      axisTick: { show: false },
    },
    visualMap: {
      type: 'piecewise',
      dimension: 2,
      orient: 'horizontal',
      left: 'center',
      bottom: zoom.length ? 40 : 8,
      itemWidth: 14,
      itemHeight: 10,
      pieces: COMPLETENESS_PIECES.map((p) => ({ ...p })),
      textStyle: { color: CHART_COLOURS.text },
      selectedMode: false,
    },
    dataZoom: zoom,
    series: [
      {
        type: 'heatmap',
        name: 'Completeness',
        data: grid.cells.map((c) => [c.week, c.weekday, c.completeness]),
        itemStyle: { borderColor: '#ffffff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: '#1e293b', borderWidth: 1 } },
        progressive: 0,
        cursor: 'pointer',
      },
    ],
  };
}
