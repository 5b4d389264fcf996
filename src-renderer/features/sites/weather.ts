/**
 * A site's weather on its page: which year of the stored days the chart shows, the chart of daily
 * mean temperature (or of degree days, where a file gave only those), where the days came from in
 * words, and a refused weather file's problems as a list by line and column. Pure.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { DataZoomComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components';
import { AppError } from '../../../src-shared/contract/errors';
import type { WeatherCoverage, WeatherDay } from '../../../src-shared/contract/types';
import { isoDay } from '../../../src-shared/domain/periods';
import { BASE, PALETTE, categoryZoom } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';
import { formatKwh, formatPeriodLabel } from '../../lib/format';
import { errorMessage } from '../../api/client';

export type WeatherOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption
>;

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The last year of stored weather: [from, to) ending the day after the last stored day. */
export function weatherWindow(c: Pick<WeatherCoverage, 'first' | 'last'>): { from: string; to: string } {
  const last = dayNumber(c.last);
  return { from: isoDay(Math.max(dayNumber(c.first), last - 364)), to: isoDay(last + 1) };
}

/** Where stored days came from: `open-meteo` → "Open-Meteo", `file:bath.csv` → "bath.csv". */
export function sourceName(source: string): string {
  if (source === 'open-meteo') return 'Open-Meteo';
  return source.startsWith('file:') ? source.slice(5) : source;
}

/** Which figure the chart draws: temperatures when any day has one, else degree days. */
export function weatherMeasure(days: readonly WeatherDay[]): 'temperature' | 'hdd' {
  return days.some((d) => d.meanC !== null) || !days.some((d) => d.hdd !== null) ? 'temperature' : 'hdd';
}

/** One entry per calendar day of [from, to): the stored day, or null where none is stored (a gap in the line). */
export function weatherSeries(days: readonly WeatherDay[], from: string, to: string): (WeatherDay | null)[] {
  const by = new Map(days.map((d) => [d.date, d]));
  const out: (WeatherDay | null)[] = [];
  for (let d = dayNumber(from); d < dayNumber(to); d++) out.push(by.get(isoDay(d)) ?? null);
  return out;
}

const temp = (v: number): string => `${formatKwh(v, 1)} °C`.replace(/^-/, '\u2212');

/** The chart of daily mean temperature (°C, a line with gaps where no day is stored) or of degree days (bars). */
export function buildWeatherOption(days: readonly WeatherDay[], from: string, to: string): WeatherOption {
  const series = weatherSeries(days, from, to);
  const dates: string[] = [];
  for (let d = dayNumber(from); d < dayNumber(to); d++) dates.push(isoDay(d));
  const measure = weatherMeasure(days);
  const values = series.map((d) => (d === null ? null : measure === 'temperature' ? d.meanC : d.hdd));
  return {
    ...BASE,
    animation: false,
    grid: { left: 56, right: 24, top: 28, bottom: dates.length > 120 ? 64 : 36 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? -1;
        const d = series[i];
        const date = dates[i];
        if (!date) return '';
        if (!d) return `${formatPeriodLabel(date)}<br/>No weather stored`;
        const parts = [
          d.meanC !== null ? `Mean <b>${temp(d.meanC)}</b>` : null,
          d.hdd !== null
            ? `${formatKwh(d.hdd, 1)} degree days${d.hddBase !== null ? ` (base ${temp(d.hddBase)})` : ''}`
            : null,
          `From ${sourceName(d.source)}`,
        ].filter(Boolean);
        return `${formatPeriodLabel(date)}<br/>${parts.join('<br/>')}`;
      },
    },
    xAxis: {
      type: 'category',
      data: dates,
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    yAxis: {
      type: 'value',
      name: measure === 'temperature' ? '°C' : 'Degree days',
      nameTextStyle: { align: 'right' },
      axisLabel: { formatter: (v: number) => formatKwh(v, 1).replace(/^-/, '\u2212') },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    dataZoom: categoryZoom(dates.length, 400, 'none'),
    series: [
      measure === 'temperature'
        ? {
            type: 'line',
            name: 'Mean temperature (°C)',
            data: values,
            showSymbol: false,
            connectNulls: false,
            lineStyle: { width: 1.5, color: PALETTE.meters[1] },
            itemStyle: { color: PALETTE.meters[1] },
          }
        : {
            type: 'bar',
            name: 'Heating degree days',
            data: values,
            itemStyle: { color: PALETTE.baseload },
          },
    ],
  };
}

export function weatherCsv(days: readonly WeatherDay[]): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['date', 'mean_temperature_c', 'hdd', 'hdd_base_c', 'source'],
    rows: days.map((d) => [d.date, d.meanC, d.hdd, d.hddBase, sourceName(d.source)]),
  };
}

/** A problem of a refused weather file, where it is. */
export interface FileProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Why a weather file was refused: the core's first line as the summary, and its `{ errors: [{ line,
 * column, message }] }` as the list (each message without the file name and place it starts with).
 */
export function weatherFileProblems(e: unknown): { summary: string; problems: FileProblem[] } {
  const message = errorMessage(e);
  const summary = message.split('\n')[0] ?? message;
  const details = e instanceof AppError ? (e.details as { errors?: unknown } | undefined) : undefined;
  const list = Array.isArray(details?.errors) ? (details.errors as unknown[]) : [];
  const problems = list
    .filter(
      (p): p is FileProblem =>
        typeof p === 'object' &&
        p !== null &&
        typeof (p as FileProblem).line === 'number' &&
        typeof (p as FileProblem).column === 'number' &&
        typeof (p as FileProblem).message === 'string',
    )
    .map((p) => ({ ...p, message: p.message.replace(/^.*?line \d+, column \d+\s*/, '') }));
  return { summary, problems };
}
