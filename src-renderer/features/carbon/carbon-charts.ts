/**
 * Grid carbon intensity as pure echarts options (no DOM): the next-48-hour forecast on the
 * dashboard, the stored history with its average, and the average by UK time of day. x is time
 * (UTC epoch ms, labelled in UK local time), y is gCO2/kWh. Missing values are gaps, never joined.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { CarbonHistory, CarbonNow } from '../../../src-shared/contract/types';
import { CO2, formatInt, formatUkDateTime, formatUkTime } from '../../lib/format';
import { BASE } from '../../charts/common';
import { CHART_COLOURS, axisLabel, timeZoom } from '../../charts/half-hourly-line';

export type CarbonLineOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | MarkLineComponentOption
>;
export type CarbonBarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** The Carbon Intensity API's index bands, lowest first. */
export const CARBON_INDEX = ['very low', 'low', 'moderate', 'high', 'very high'] as const;

const INDEX_COLOUR: Record<(typeof CARBON_INDEX)[number], string> = {
  'very low': '#15803d',
  low: '#65a30d',
  moderate: '#ca8a04',
  high: '#dc2626',
  'very high': '#7f1d1d',
};

export const CARBON_COLOUR = '#475569';

/** The colour of an index band (grey when the API gave none or an unknown one). */
export function indexColour(index: string | null | undefined): string {
  const k = (index ?? '').trim().toLowerCase() as (typeof CARBON_INDEX)[number];
  return INDEX_COLOUR[k] ?? '#94a3b8';
}

/** The band's slug for CSS (`very-low`…), or `unknown`. */
export function indexSlug(index: string | null | undefined): string {
  const k = (index ?? '').trim().toLowerCase();
  return (CARBON_INDEX as readonly string[]).includes(k) ? k.replace(/\s+/g, '-') : 'unknown';
}

export function gText(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${formatInt(v)} g/kWh` : 'no value';
}

const gAxis = {
  type: 'value' as const,
  name: `g${CO2}/kWh`,
  nameTextStyle: { align: 'left' as const },
  min: 0,
  axisLabel: { formatter: (v: number) => formatInt(v) },
  splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
};

const timeAxis = {
  type: 'time' as const,
  axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
  axisLabel: {
    formatter: (value: number, _index: number, extra?: { time?: { lowerTimeUnit?: string; level?: number } }) =>
      axisLabel(value, extra?.time?.lowerTimeUnit, extra?.time?.level ?? 0),
    hideOverlap: true,
  },
  splitLine: { show: false },
};

type Pt = [number, number | null];

function timeTooltip(params: unknown): string {
  const p = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined;
  const v = p?.value;
  if (!Array.isArray(v) || typeof v[0] !== 'number') return '';
  return `${formatUkDateTime(v[0], { zone: true })}<br/><b>${gText(v[1])}</b>`;
}

/** [ms, g/kWh] points; a null point is inserted where consecutive half-hours are more than 30 min apart. */
export function carbonPoints(rows: { at: string; value: number | null }[]): Pt[] {
  const out: Pt[] = [];
  let prev: number | null = null;
  for (const r of rows) {
    const t = Date.parse(r.at);
    if (Number.isNaN(t)) continue;
    if (prev !== null && t - prev > 1_800_000) out.push([prev + 1_800_000, null]);
    out.push([t, typeof r.value === 'number' && Number.isFinite(r.value) ? r.value : null]);
    prev = t;
  }
  return out;
}

/** The dashboard's small area chart of the next 48 hours of forecasts. */
export function buildForecastOption(next48h: CarbonNow['next48h']): CarbonLineOption {
  const points = carbonPoints(next48h.map((p) => ({ at: p.at, value: p.forecast })));
  return {
    ...BASE,
    animation: false,
    grid: { left: 40, right: 12, top: 22, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, formatter: timeTooltip },
    xAxis: timeAxis,
    yAxis: { ...gAxis, name: 'g/kWh', splitNumber: 3 },
    series: [
      {
        type: 'line',
        name: 'Forecast',
        data: points,
        color: CHART_COLOURS.line,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 1.6 },
        areaStyle: { color: CHART_COLOURS.area },
      },
    ],
  };
}

/** The history line with its average drawn as a dashed horizontal mark line. */
export function buildHistoryOption(history: Pick<CarbonHistory, 'points' | 'average'>): CarbonLineOption {
  const points = carbonPoints(history.points.map((p) => ({ at: p.at, value: p.intensity })));
  const many = points.length > 2000;
  return {
    ...BASE,
    animation: !many,
    grid: { left: 56, right: 32, top: 36, bottom: 72 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, formatter: timeTooltip },
    xAxis: timeAxis,
    yAxis: gAxis,
    dataZoom: timeZoom(),
    series: [
      {
        type: 'line',
        name: 'Intensity',
        data: points,
        color: CHART_COLOURS.line,
        showSymbol: false,
        connectNulls: false,
        sampling: 'lttb',
        lineStyle: { width: 1.4 },
        areaStyle: { color: CHART_COLOURS.area },
        markLine:
          history.average === null
            ? undefined
            : {
                silent: true,
                symbol: 'none',
                lineStyle: { color: '#d97706', type: 'dashed', width: 1.5 },
                label: { formatter: `Average ${gText(history.average)}`, position: 'insideEndTop', color: '#b45309' },
                data: [{ yAxis: history.average, name: 'Average' }],
              },
      },
    ],
  };
}

/** Average intensity by UK time of day: one bar per half-hour, coloured low to high. */
export function buildTimeOfDayOption(byTimeOfDay: CarbonHistory['byTimeOfDay']): CarbonBarOption {
  const values = byTimeOfDay.map((b) => b.average);
  const lo = values.length ? Math.min(...values) : 0;
  return {
    ...BASE,
    animation: byTimeOfDay.length < 200,
    grid: { left: 56, right: 24, top: 36, bottom: 36 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const ps = params as { dataIndex: number }[];
        const b = byTimeOfDay[ps[0]?.dataIndex ?? -1];
        return b ? `${b.time} UK time<br/><b>${gText(b.average)}</b> on average` : '';
      },
    },
    xAxis: {
      type: 'category',
      data: byTimeOfDay.map((b) => b.time),
      axisLabel: { hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: gAxis,
    series: [
      {
        type: 'bar',
        name: 'Average',
        data: byTimeOfDay.map((b) => ({
          value: b.average,
          itemStyle: { color: b.average === lo ? INDEX_COLOUR['very low'] : CHART_COLOURS.line },
        })),
        barMaxWidth: 18,
      },
    ],
  };
}

export function historyCsv(history: Pick<CarbonHistory, 'points'>): {
  header: string[];
  rows: (string | number | null)[][];
} {
  return { header: ['start_utc', 'intensity_gco2_per_kwh'], rows: history.points.map((p) => [p.at, p.intensity]) };
}

export function timeOfDayCsv(byTimeOfDay: CarbonHistory['byTimeOfDay']): {
  header: string[];
  rows: (string | number | null)[][];
} {
  return { header: ['uk_time', 'average_gco2_per_kwh'], rows: byTimeOfDay.map((b) => [b.time, b.average]) };
}

export function forecastCsv(next48h: CarbonNow['next48h']): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['start_utc', 'forecast_gco2_per_kwh', 'index'],
    rows: next48h.map((p) => [p.at, p.forecast, p.index]),
  };
}

/** "Best 3-hour window to run flexible loads: 01:30–04:30, average 58 g/kWh" (UK local time). */
export function bestWindowText(w: NonNullable<CarbonHistory['bestWindow']>, hours: number): string {
  return `Best ${hours}-hour window to run flexible loads: ${formatUkTime(Date.parse(w.from))}–${formatUkTime(Date.parse(w.to))}, average ${formatInt(w.average)} g/kWh`;
}

/** kg CO2 with thousands separators; tonnes from 1,000 kg (`845 kg`, `12.35 t`, `1,234.6 t`). */
export function formatCo2(kg: number | null | undefined): string {
  if (kg === null || kg === undefined || !Number.isFinite(kg)) return '—';
  if (Math.abs(kg) >= 1000) {
    const t = kg / 1000;
    const digits = Math.abs(t) >= 100 ? 1 : 2;
    return `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(t)} t`;
  }
  const digits = Math.abs(kg) >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(kg)} kg`;
}
