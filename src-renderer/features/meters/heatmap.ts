/**
 * The load profile as a heatmap: x = UK local day, y = half-hour of the local day (00:00…23:30),
 * colour = kWh. Built from the half-hourly series by converting each UTC interval start to
 * Europe/London with Intl. On the autumn clock change 01:00 and 01:30 happen twice: the cell shows
 * the mean of the two readings (tooltips say so); on the spring change 01:00–01:59 does not exist
 * and stays empty. Values are never thinned: every half-hour is a cell.
 */
import type { ComposeOption } from 'echarts/core';
import type { HeatmapSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { Series } from '../../../src-shared/contract/types';
import { formatKwh, formatPeriodLabel } from '../../lib/format';
import { BASE, categoryZoom } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type HeatmapOption = ComposeOption<
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
  | DataZoomComponentOption
>;

export const SLOT_LABELS: string[] = Array.from(
  { length: 48 },
  (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
);

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** London local date `YYYY-MM-DD` and half-hour slot (0–47) of a UTC instant (epoch seconds). */
export function londonSlot(utcSeconds: number): { day: string; slot: number } {
  const p: Record<string, string> = {};
  for (const x of londonParts.formatToParts(new Date(utcSeconds * 1000))) p[x.type] = x.value;
  const hour = Number(p.hour) % 24;
  return { day: `${p.year}-${p.month}-${p.day}`, slot: hour * 2 + (Number(p.minute) >= 30 ? 1 : 0) };
}

export interface HeatmapGrid {
  /** Local days, ascending, every day from the first to the last (days without data stay empty). */
  days: string[];
  /** [day index, slot, kWh]. */
  cells: [number, number, number][];
  /** Cells that merged two readings (the repeated autumn hour). */
  doubled: number;
  min: number;
  max: number;
}

function nextIsoDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function buildHeatmapGrid(series: Pick<Series, 'ts' | 'kwh'>): HeatmapGrid {
  const n = Math.min(series.ts.length, series.kwh.length);
  // London is a whole number of hours from UTC, so one Intl call per UTC hour is enough.
  const hourCache = new Map<number, { day: string; slot: number }>();
  const sums = new Map<string, { sum: number; count: number; day: string; slot: number }>();
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  for (let i = 0; i < n; i++) {
    const v = series.kwh[i];
    const ts = series.ts[i] as number;
    const hourStart = ts - (((ts % 3600) + 3600) % 3600);
    let base = hourCache.get(hourStart);
    if (!base) {
      base = londonSlot(hourStart);
      hourCache.set(hourStart, base);
    }
    const slot = base.slot + (ts - hourStart >= 1800 ? 1 : 0);
    if (firstDay === null || base.day < firstDay) firstDay = base.day;
    if (lastDay === null || base.day > lastDay) lastDay = base.day;
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const key = `${base.day}|${slot}`;
    const cell = sums.get(key);
    if (cell) {
      cell.sum += v;
      cell.count++;
    } else sums.set(key, { sum: v, count: 1, day: base.day, slot });
  }
  const days: string[] = [];
  if (firstDay !== null && lastDay !== null) for (let d = firstDay; d <= lastDay; d = nextIsoDay(d)) days.push(d);
  const index = new Map(days.map((d, i) => [d, i]));
  const cells: [number, number, number][] = [];
  let doubled = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const c of sums.values()) {
    const value = c.count > 1 ? c.sum / c.count : c.sum;
    if (c.count > 1) doubled++;
    cells.push([index.get(c.day) as number, c.slot, value]);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { days, cells, doubled, min: cells.length ? min : 0, max: cells.length ? max : 0 };
}

/** The colour scale's top: the 99th percentile, so one spike does not wash out the profile. */
export function colourCeiling(cells: [number, number, number][]): number {
  if (cells.length === 0) return 1;
  const values = cells.map((c) => c[2]).sort((a, b) => a - b);
  const p = values[Math.min(values.length - 1, Math.floor(values.length * 0.99))] as number;
  return p > 0 ? p : Math.max(values[values.length - 1] as number, 1);
}

export const HEATMAP_WINDOW = 120;

export function heatmapCsv(grid: HeatmapGrid): { header: string[]; rows: (string | number | null)[][] } {
  const byDay = new Map<number, (number | null)[]>();
  for (const [d, s, v] of grid.cells) {
    let row = byDay.get(d);
    if (!row) byDay.set(d, (row = Array<number | null>(48).fill(null)));
    row[s] = v;
  }
  return {
    header: ['day', ...SLOT_LABELS],
    rows: grid.days.map((day, i) => [day, ...(byDay.get(i) ?? Array<number | null>(48).fill(null))]),
  };
}

export function buildHeatmapOption(grid: HeatmapGrid): HeatmapOption {
  const ceiling = colourCeiling(grid.cells);
  return {
    ...BASE,
    animation: false,
    grid: { left: 56, right: 24, top: 16, bottom: grid.days.length > HEATMAP_WINDOW ? 110 : 80 },
    tooltip: {
      position: 'top',
      formatter: (p: unknown) => {
        const v = (p as { value?: [number, number, number] }).value;
        if (!v) return '';
        return `${formatPeriodLabel(grid.days[v[0]] ?? '')} ${SLOT_LABELS[v[1]]}<br/><b>${formatKwh(v[2], 3)} kWh</b>`;
      },
    },
    xAxis: {
      type: 'category',
      data: grid.days,
      splitArea: { show: false },
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    yAxis: {
      type: 'category',
      data: SLOT_LABELS,
      inverse: true,
      axisLabel: { interval: 3 },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    visualMap: {
      min: 0,
      max: ceiling,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: grid.days.length > HEATMAP_WINDOW ? 44 : 8,
      itemHeight: 200,
      itemWidth: 12,
      text: [`${formatKwh(ceiling, 2)} kWh+`, '0 kWh'],
      inRange: { color: ['#f0fdfa', '#5eead4', '#0f766e', '#f59e0b', '#b91c1c'] },
      textStyle: { color: CHART_COLOURS.text },
    },
    // Heatmap cells are placed by index: filtering them out of the window shifts the rest, so only clip.
    dataZoom: categoryZoom(grid.days.length, HEATMAP_WINDOW, 'none'),
    series: [
      {
        type: 'heatmap',
        name: 'kWh',
        data: grid.cells,
        progressive: 0,
        emphasis: { itemStyle: { borderColor: '#1e293b', borderWidth: 1 } },
      },
    ],
  };
}
