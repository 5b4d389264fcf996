/** Shared pieces of the bar and heatmap options: palette, axes, zoom. Pure, no DOM. */
import type { DataZoomComponentOption } from 'echarts/components';
import { energyUnitFor, formatEnergyUnit, formatKwh } from '../lib/format';
import { CHART_COLOURS } from './half-hourly-line';

export const PALETTE = {
  current: '#0f766e',
  currentLight: 'rgba(15, 118, 110, 0.38)',
  earlier: '#94a3b8',
  baseload: '#d97706',
  meters: [
    '#0f766e',
    '#2563eb',
    '#d97706',
    '#7c3aed',
    '#db2777',
    '#0891b2',
    '#65a30d',
    '#dc2626',
    '#475569',
    '#ca8a04',
  ],
} as const;

export const BASE = {
  textStyle: { fontFamily: 'inherit', color: CHART_COLOURS.text },
} as const;

export function kwhAxis(name = 'kWh') {
  return {
    type: 'value' as const,
    name,
    nameTextStyle: { align: 'right' as const },
    axisLabel: { formatter: (v: number) => formatKwh(v, Math.abs(v) >= 100 ? 0 : 2) },
    splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
  };
}

/**
 * An energy axis in the unit the largest value is shown in elsewhere (kWh, MWh or GWh, as the
 * tiles scale them), so a year of a portfolio reads "350 MWh", not "350,000 kWh".
 */
export function energyAxis(values: readonly (readonly (number | null)[])[]) {
  let max = 0;
  for (const row of values) for (const v of row) if (v !== null && Math.abs(v) > max) max = Math.abs(v);
  const u = energyUnitFor(max);
  if (u.per === 1) return kwhAxis('kWh');
  return {
    ...kwhAxis(u.unit),
    axisLabel: { formatter: (v: number) => formatKwh(v / u.per, Math.abs(v / u.per) >= 100 ? 0 : 1) },
  };
}

/** A slider and scroll zoom over a category axis once there are more than `window` categories. */
export function categoryZoom(
  count: number,
  window: number,
  filterMode: 'filter' | 'none' = 'filter',
): DataZoomComponentOption[] {
  if (count <= window) return [];
  const startValue = count - window;
  return [
    { type: 'inside', xAxisIndex: 0, startValue, endValue: count - 1, filterMode },
    {
      type: 'slider',
      xAxisIndex: 0,
      filterMode,
      startValue,
      endValue: count - 1,
      height: 22,
      bottom: 10,
      borderColor: CHART_COLOURS.grid,
      fillerColor: 'rgba(15, 118, 110, 0.12)',
      handleStyle: { color: '#ffffff', borderColor: CHART_COLOURS.line },
      textStyle: { color: CHART_COLOURS.text },
      brushSelect: false,
    },
  ];
}

/** Rounds for tooltips only (the data itself is never rounded). */
export function kwhText(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'no data';
  return Math.abs(v) >= 1e4 ? formatEnergyUnit(v) : `${formatKwh(v, v >= 100 ? 0 : 2)} kWh`;
}
