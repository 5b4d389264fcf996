/**
 * The half-hourly consumption chart as a pure echarts option (no DOM): x is time (UTC epoch ms,
 * labelled in UK local time), y is kWh. Missing half-hours — stored as null or absent from the
 * series — are drawn as gaps, never joined. LTTB sampling thins the line for display only.
 */
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  MarkLineComponentOption,
  ToolboxComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { Series } from '../../src-shared/contract/types';
import { formatKwh, formatUkDateTime, formatUkDayMonth, formatUkTime } from '../lib/format';

export type HalfHourlyOption = ComposeOption<
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | ToolboxComponentOption
  | MarkLineComponentOption
>;

/** Where the chart opens: a time window (epoch ms, end exclusive) and an instant to mark, e.g. a gap's start. */
export interface HalfHourlyFocus {
  fromMs: number;
  toMs: number;
  markMs?: number | null;
}

export const HALF_HOUR_SECONDS = 1800;

/** [epoch ms, kWh or null] pairs. */
export type Point = [number, number | null];

/**
 * Turns the contract's parallel arrays into chart points. Where consecutive readings are more
 * than half an hour apart a null point is inserted half an hour after the earlier one, so the line
 * breaks over the missing half-hours instead of bridging them.
 */
export function toPoints(series: Pick<Series, 'ts' | 'kwh'>): { points: Point[]; gapsInserted: number } {
  const n = Math.min(series.ts.length, series.kwh.length);
  const points: Point[] = [];
  let gapsInserted = 0;
  let prev: number | null = null;
  for (let i = 0; i < n; i++) {
    const t = series.ts[i] as number;
    const v = series.kwh[i];
    if (prev !== null && t - prev > HALF_HOUR_SECONDS) {
      points.push([(prev + HALF_HOUR_SECONDS) * 1000, null]);
      gapsInserted++;
    }
    points.push([t * 1000, v === undefined || v === null || !Number.isFinite(v) ? null : v]);
    prev = t;
  }
  return { points, gapsInserted };
}

export interface SeriesStats {
  /** Half-hours in the series (what the host returned). */
  count: number;
  /** Half-hours with no reading (null kWh). */
  missing: number;
  totalKwh: number;
  peak: { ts: number; kwh: number } | null;
  /** Epoch seconds of the first interval start and the end of the last interval. */
  from: number | null;
  to: number | null;
}

export function seriesStats(series: Pick<Series, 'ts' | 'kwh'>): SeriesStats {
  const n = Math.min(series.ts.length, series.kwh.length);
  let missing = 0;
  let total = 0;
  let peak: SeriesStats['peak'] = null;
  for (let i = 0; i < n; i++) {
    const v = series.kwh[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      missing++;
      continue;
    }
    total += v;
    if (!peak || v > peak.kwh) peak = { ts: series.ts[i] as number, kwh: v };
  }
  const first = series.ts[0];
  const last = series.ts[n - 1];
  return {
    count: n,
    missing,
    totalKwh: Math.round(total * 1000) / 1000,
    peak,
    from: first ?? null,
    to: last === undefined ? null : last + HALF_HOUR_SECONDS,
  };
}

const monthFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'short' });
const monthYearFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'short', year: 'numeric' });
const yearFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' });

/**
 * Axis label in UK local time. echarts places ticks by the browser's clock, so the label is chosen
 * from the tick's time unit (day, month…) and always shows the London date or time of that instant.
 */
export function axisLabel(ms: number, unit?: string, level = 0): string {
  const d = new Date(ms);
  switch (unit) {
    case 'year':
      return yearFmt.format(d);
    case 'month':
      return monthFmt.format(d) === 'Jan' || level > 0 ? monthYearFmt.format(d) : monthFmt.format(d);
    case 'week':
    case 'day':
      return formatUkDayMonth(ms);
    case 'hour':
    case 'minute':
    case 'second':
    case 'millisecond': {
      const t = formatUkTime(ms);
      return level > 0 || t === '00:00' ? `${formatUkDayMonth(ms)}\n${t}` : t;
    }
    default: {
      const t = formatUkTime(ms);
      return t === '00:00' ? formatUkDayMonth(ms) : t;
    }
  }
}

interface TooltipParam {
  value?: unknown;
}

export function tooltipText(params: TooltipParam | TooltipParam[]): string {
  const p = Array.isArray(params) ? params[0] : params;
  const v = p?.value;
  if (!Array.isArray(v) || typeof v[0] !== 'number') return '';
  const kwh = typeof v[1] === 'number' ? `${formatKwh(v[1])} kWh` : 'no reading';
  return `${formatUkDateTime(v[0], { zone: true })}<br/><b>${kwh}</b>`;
}

export const CHART_COLOURS = {
  line: '#0f766e',
  area: 'rgba(15, 118, 110, 0.10)',
  axis: '#94a3b8',
  grid: '#e2e8f0',
  text: '#475569',
} as const;

export const MARK_COLOUR = '#b91c1c';

/**
 * The chart's option; with a focus it opens zoomed to that window (the last half-hour shown is the one
 * starting half an hour before its end) with a red line at the marked instant.
 */
export function buildHalfHourlyOption(
  series: Pick<Series, 'meter' | 'ts' | 'kwh'>,
  focus: HalfHourlyFocus | null = null,
): HalfHourlyOption {
  const { points } = toPoints(series);
  const many = points.length > 2000;
  const mark = focus?.markMs ?? null;
  return {
    animation: !many,
    color: [CHART_COLOURS.line],
    textStyle: { fontFamily: 'inherit', color: CHART_COLOURS.text },
    grid: { left: 56, right: 24, top: 36, bottom: 72, containLabel: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      formatter: (params) => tooltipText(params as TooltipParam | TooltipParam[]),
    },
    toolbox: {
      right: 16,
      top: 0,
      feature: {
        dataZoom: { yAxisIndex: 'none', title: { zoom: 'Zoom to area', back: 'Undo zoom' } },
        restore: { title: 'Reset' },
        saveAsImage: {
          title: 'Save as image',
          name: `half-hourly-${series.meter}`,
          pixelRatio: 2,
          backgroundColor: '#ffffff',
        },
      },
    },
    xAxis: {
      type: 'time',
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisLabel: {
        formatter: (value: number, _index: number, extra?: { time?: { lowerTimeUnit?: string; level?: number } }) =>
          axisLabel(value, extra?.time?.lowerTimeUnit, extra?.time?.level ?? 0),
        hideOverlap: true,
      },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: 'kWh',
      nameTextStyle: { align: 'right' },
      axisLabel: { formatter: (v: number) => formatKwh(v, 2) },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    // 'filter': the line is sampled (LTTB) and the kWh axis scaled over the half-hours in view, so a
    // day of years of readings is drawn from all its half-hours, not from the few the whole history keeps
    dataZoom: timeZoom(
      focus ? { startValue: focus.fromMs, endValue: focus.toMs - HALF_HOUR_SECONDS * 1000 } : null,
      'filter',
    ),
    series: [
      {
        type: 'line',
        name: 'kWh',
        data: points,
        connectNulls: false,
        showSymbol: points.length <= 96,
        symbolSize: 5,
        sampling: 'lttb',
        step: false,
        lineStyle: { width: 1.5 },
        areaStyle: { color: CHART_COLOURS.area },
        emphasis: { focus: 'none' },
        ...(mark !== null
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                animation: false,
                lineStyle: { color: MARK_COLOUR, type: 'solid', width: 1.5 },
                label: { formatter: () => formatUkTime(mark), color: MARK_COLOUR, position: 'end' },
                data: [{ xAxis: mark }],
              },
            }
          : {}),
      },
    ],
  };
}

/**
 * Zoom for time axes: wheel/drag on the plot, and a slider labelled in UK time (shared by every time
 * chart); with a window (epoch ms), both open on it. `filter` leaves out the points outside the view
 * (for sampling and the value axis); `none` keeps them.
 */
export function timeZoom(
  window: { startValue: number; endValue: number } | null = null,
  filterMode: 'none' | 'filter' = 'none',
): DataZoomComponentOption[] {
  const w = window ?? {};
  return [
    { type: 'inside', xAxisIndex: 0, filterMode, ...w },
    {
      type: 'slider',
      xAxisIndex: 0,
      filterMode,
      ...w,
      height: 28,
      bottom: 16,
      labelFormatter: (v: number) => formatUkDateTime(v),
      borderColor: CHART_COLOURS.grid,
      fillerColor: 'rgba(15, 118, 110, 0.12)',
      handleStyle: { color: '#ffffff', borderColor: CHART_COLOURS.line },
      moveHandleStyle: { color: CHART_COLOURS.line, opacity: 0.35 },
      dataBackground: { lineStyle: { color: CHART_COLOURS.axis }, areaStyle: { color: '#e2e8f0' } },
      selectedDataBackground: { lineStyle: { color: CHART_COLOURS.line }, areaStyle: { color: CHART_COLOURS.area } },
      textStyle: { color: CHART_COLOURS.text },
      brushSelect: false,
    },
  ];
}
