/**
 * The weather baseline's charts: the regression scatter (each baseline day's kWh against its heating
 * degree days, with the fitted line kWh = a + b·HDD) and the CUSUM (running Σ actual − expected over
 * the reporting period: falling means less energy than the weather predicts). Pure, no DOM.
 */
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { BaselineResult, BaselineStats, CusumResult } from '../../../src-shared/contract/types';
import { BASE, categoryZoom, kwhAxis, kwhText } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';
import { formatKwh, formatPeriodLabel, formatSignedEnergyUnit } from '../../lib/format';

export type ScatterOption = ComposeOption<
  ScatterSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;
export type CusumOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | MarkLineComponentOption
>;

export const BASELINE_COLOURS = {
  open: '#0f766e',
  closed: '#2563eb',
  fit: '#d97706',
  cusum: '#7c3aed',
  cusumArea: 'rgba(124, 58, 237, 0.10)',
} as const;

/** The model's kWh at `hdd` degree days. */
export const predict = (m: Pick<BaselineStats, 'intercept' | 'slope'>, hdd: number): number =>
  m.intercept + m.slope * hdd;

/** The fitted line's two ends, from no degree days to the most the baseline had. */
export function fitLine(m: Pick<BaselineStats, 'intercept' | 'slope'>, maxHdd: number): [number, number][] {
  return [
    [0, predict(m, 0)],
    [maxHdd, predict(m, maxHdd)],
  ];
}

type Point = BaselineResult['points'][number];

export function scatterCsv(model: BaselineResult): { header: string[]; rows: (string | number)[][] } {
  return {
    header: ['day', 'hdd', 'kwh', 'predicted_kwh', 'open_day'],
    rows: model.points.map((p) => [p.date, p.hdd, p.kwh, p.predictedKwh, p.open ? 'yes' : 'no']),
  };
}

export function buildScatterOption(model: BaselineResult): ScatterOption {
  const open = model.points.filter((p) => p.open);
  const closed = model.points.filter((p) => !p.open);
  const maxHdd = Math.max(1, ...model.points.map((p) => p.hdd));
  const lines: { name: string; stats: BaselineStats; colour: string }[] = model.split
    ? [
        { name: 'Fit, open days', stats: model.split.open, colour: BASELINE_COLOURS.open },
        { name: 'Fit, closed days', stats: model.split.closed, colour: BASELINE_COLOURS.closed },
      ]
    : [{ name: 'Fitted line', stats: model, colour: BASELINE_COLOURS.fit }];
  const pointTip = (p: Point): string =>
    `${formatPeriodLabel(p.date)}${p.open ? '' : ' · closed'}<br/>${formatKwh(p.hdd, 1)} degree days<br/><b>${kwhText(p.kwh)}</b> (model: ${kwhText(p.predictedKwh)})`;
  return {
    ...BASE,
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    legend: {
      top: 4,
      right: 16,
      itemWidth: 14,
      itemHeight: 10,
      data: ['Open days', 'Closed days', ...lines.map((l) => l.name)],
    },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const p = params as { seriesIndex: number; dataIndex: number; seriesName: string; value: [number, number] };
        if (p.seriesIndex === 0) return open[p.dataIndex] ? pointTip(open[p.dataIndex]!) : '';
        if (p.seriesIndex === 1) return closed[p.dataIndex] ? pointTip(closed[p.dataIndex]!) : '';
        return `${p.seriesName}<br/>${formatKwh(p.value[0], 1)} degree days → ${kwhText(p.value[1])}`;
      },
    },
    xAxis: {
      type: 'value',
      name: model.split
        ? 'Heating degree days (each model at its own base temperature)'
        : model.baseTemperature === null
          ? 'Heating degree days'
          : `Heating degree days (base ${formatKwh(model.baseTemperature, 1)} °C)`,
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    yAxis: { ...kwhAxis('kWh per day'), min: 0 },
    series: [
      {
        type: 'scatter',
        name: 'Open days',
        color: BASELINE_COLOURS.open,
        symbolSize: 6,
        data: open.map((p) => [p.hdd, p.kwh]),
      },
      {
        type: 'scatter',
        name: 'Closed days',
        color: BASELINE_COLOURS.closed,
        symbolSize: 6,
        symbol: 'diamond',
        data: closed.map((p) => [p.hdd, p.kwh]),
      },
      ...lines.map((l) => ({
        type: 'line' as const,
        name: l.name,
        color: l.colour,
        data: fitLine(l.stats, maxHdd),
        showSymbol: false,
        lineStyle: { width: 2 },
        z: 3,
      })),
    ],
  };
}

export function cusumCsv(c: CusumResult): { header: string[]; rows: (string | number)[][] } {
  return {
    header: ['day', 'actual_kwh', 'expected_kwh', 'difference_kwh', 'cusum_kwh'],
    rows: c.days.map((d) => [d.date, d.actualKwh, d.expectedKwh, d.actualKwh - d.expectedKwh, d.cusumKwh]),
  };
}

/** Days shown before zooming out (about a year). */
export const CUSUM_WINDOW = 366;

export function buildCusumOption(c: CusumResult): CusumOption {
  const zoom = categoryZoom(c.days.length, CUSUM_WINDOW);
  return {
    ...BASE,
    animation: c.days.length < 400,
    grid: { left: 64, right: 24, top: 24, bottom: zoom.length ? 64 : 36 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const d = c.days[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
        if (!d) return '';
        return [
          formatPeriodLabel(d.date),
          `Used ${kwhText(d.actualKwh)}, the model expected ${kwhText(d.expectedKwh)} (${formatSignedEnergyUnit(d.actualKwh - d.expectedKwh)})`,
          `<b>Running total: ${formatSignedEnergyUnit(d.cusumKwh)}</b>`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: c.days.map((d) => d.date),
      axisLabel: { formatter: (v: string) => formatPeriodLabel(v, { short: true }), hideOverlap: true },
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
    },
    yAxis: kwhAxis('kWh'),
    dataZoom: zoom,
    series: [
      {
        type: 'line',
        name: 'Cumulative difference',
        color: BASELINE_COLOURS.cusum,
        data: c.days.map((d) => d.cusumKwh),
        showSymbol: c.days.length <= 62,
        symbolSize: 4,
        lineStyle: { width: 2 },
        areaStyle: { color: BASELINE_COLOURS.cusumArea },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: CHART_COLOURS.axis, type: 'solid' },
          label: { show: false },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  };
}
