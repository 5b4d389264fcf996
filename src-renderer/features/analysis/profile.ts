/**
 * The average day: mean kWh per wall-clock half-hour (UK local time) on open days against the other
 * days (weekends and holidays), with a typical open day's opening hours shaded. x is minutes after
 * midnight, each mean drawn at the middle of its half-hour, so the shading covers exactly the open
 * half-hours. Pure, no DOM.
 */
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { MeterAnalysis } from '../../../src-shared/contract/types';
import { BASE, kwhAxis } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';
import { formatKwh } from '../../lib/format';

export type ProfileOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | MarkAreaComponentOption
>;

export const PROFILE_COLOURS = { open: '#0f766e', closed: '#2563eb', shade: 'rgba(15, 118, 110, 0.09)' } as const;
export const OPEN_NAME = 'Open days';
export const CLOSED_NAME = 'Weekends and holidays';

/** `HH:MM` of a minute after midnight (1440 reads 24:00). */
export const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The open half-hours as runs of minutes [from, to): `[[480, 1080]]` for 08:00–18:00. */
export function openRuns(openSlots: readonly boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let k = 0; k < openSlots.length; k++) {
    if (!openSlots[k]) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === k * 30) last[1] = (k + 1) * 30;
    else runs.push([k * 30, (k + 1) * 30]);
  }
  return runs;
}

/** The open hours of a typical open day in words: `08:00–18:00`, `08:00–12:00 and 13:00–17:00`, or null. */
export function openRunsText(openSlots: readonly boolean[]): string | null {
  const runs = openRuns(openSlots);
  if (runs.length === 0) return null;
  const parts = runs.map(([a, b]) => `${clock(a)}–${clock(b)}`);
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** True when a profile has no value to draw. */
export const profileEmpty = (p: MeterAnalysis['profile']): boolean =>
  !p.open.some((v) => v !== null) && !p.closed.some((v) => v !== null);

const points = (values: readonly (number | null)[]): [number, number | null][] =>
  values.map((v, k) => [k * 30 + 15, v]);

export function profileCsv(p: MeterAnalysis['profile']): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['half_hour_from', 'open_day_mean_kwh', 'other_day_mean_kwh', 'open'],
    rows: p.open.map((v, k) => [clock(k * 30), v, p.closed[k] ?? null, p.openSlots[k] ? 'yes' : 'no']),
  };
}

export function buildProfileOption(p: MeterAnalysis['profile']): ProfileOption {
  const runs = openRuns(p.openSlots);
  return {
    ...BASE,
    grid: { left: 56, right: 24, top: 40, bottom: 36 },
    legend: { top: 4, right: 16, itemWidth: 14, itemHeight: 10, data: [OPEN_NAME, CLOSED_NAME] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const ps = params as { seriesName: string; value: [number, number | null] }[];
        const first = ps[0];
        if (!first) return '';
        const k = Math.floor(first.value[0] / 30);
        const head = `${clock(k * 30)}–${clock(k * 30 + 30)}${p.openSlots[k] ? ' · open' : ''}`;
        return [
          head,
          ...ps.map(
            (x) => `${x.seriesName}: <b>${x.value[1] === null ? 'no data' : `${formatKwh(x.value[1], 3)} kWh`}</b>`,
          ),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 1440,
      interval: 180,
      axisLabel: { formatter: (v: number) => clock(v) },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      splitLine: { show: false },
    },
    yAxis: kwhAxis('kWh'),
    series: [
      {
        type: 'line',
        name: OPEN_NAME,
        color: PROFILE_COLOURS.open,
        data: points(p.open),
        connectNulls: false,
        showSymbol: false,
        lineStyle: { width: 2 },
        markArea: {
          silent: true,
          itemStyle: { color: PROFILE_COLOURS.shade },
          label: { show: false },
          data: runs.map(([a, b]) => [{ xAxis: a }, { xAxis: b }]),
        },
      },
      {
        type: 'line',
        name: CLOSED_NAME,
        color: PROFILE_COLOURS.closed,
        data: points(p.closed),
        connectNulls: false,
        showSymbol: false,
        lineStyle: { width: 2, type: 'dashed' },
      },
    ],
  };
}
