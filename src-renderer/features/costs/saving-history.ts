/**
 * How a meter's best switching saving has changed over its saved analyses (pure, no DOM): x is when
 * each analysis ran (UTC epoch ms, labelled in UK time), y the best saving in pounds. What-if runs
 * moved usage between bands, so they are not the meter's real position and are left out.
 */
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import type { SwitchSummary } from '../../../src-shared/contract/types';
import { formatDayRangeUntil, formatUkDateTime } from '../../lib/format';
import { formatPoundsShort, formatSaving, formatSavingSize, penceToPounds } from '../../lib/money';
import { BASE } from '../../charts/common';
import { CHART_COLOURS, axisLabel } from '../../charts/half-hourly-line';
import { SAVING_COLOUR } from './savings';

const DAY_MS = 86_400_000;

export type SavingHistoryOption = ComposeOption<
  LineSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption
>;

/** Real (not what-if) analyses, oldest first. */
export function savingHistory(history: readonly SwitchSummary[]): SwitchSummary[] {
  return history
    .filter((h) => h.whatIfPercent === null || h.whatIfPercent === 0)
    .sort((a, b) => Date.parse(a.ranAt) - Date.parse(b.ranAt) || a.id - b.id);
}

export function savingHistoryCsv(history: readonly SwitchSummary[]): {
  header: string[];
  rows: (string | number | null)[][];
} {
  return {
    header: [
      'ran_at',
      'from',
      'to',
      'current_tariff',
      'best_tariff',
      'best_saving_pence',
      'best_saving_pounds',
      'best_saving_percent',
    ],
    rows: savingHistory(history).map((h) => [
      h.ranAt,
      h.from,
      h.to,
      h.currentTariff,
      h.bestTariff,
      h.bestSavingPence,
      penceToPounds(h.bestSavingPence),
      h.bestSavingPercent,
    ]),
  };
}

export function buildSavingHistoryOption(
  history: readonly SwitchSummary[],
  tariffName: (id: string) => string = (id) => id,
): SavingHistoryOption {
  const rows = savingHistory(history);
  const times = rows.map((h) => Date.parse(h.ranAt));
  // a single run (or runs on one day) still gets a readable axis: a day either side
  const first = times[0];
  const last = times[times.length - 1];
  const narrow = first !== undefined && last !== undefined && last - first < 2 * DAY_MS;
  return {
    ...BASE,
    grid: { left: 64, right: 24, top: 24, bottom: 36 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const h = rows[(params as { dataIndex?: number }).dataIndex ?? -1];
        if (!h) return '';
        return [
          `<b>${formatUkDateTime(h.ranAt, { zone: true })}</b>`,
          h.bestTariff
            ? `Best: ${tariffName(h.bestTariff)}, ${formatSaving(h.bestSavingPence)} (${formatSavingSize(h.bestSavingPercent)})`
            : 'No alternative to compare',
          `Period ${formatDayRangeUntil(h.from, h.to)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'time',
      ...(narrow ? { min: (first as number) - DAY_MS, max: (last as number) + DAY_MS } : {}),
      minInterval: DAY_MS,
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
      name: 'Best saving (£)',
      nameTextStyle: { align: 'left' },
      axisLabel: { formatter: (v: number) => formatPoundsShort(v) },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    series: [
      {
        type: 'line',
        name: 'Best saving',
        color: SAVING_COLOUR,
        symbol: 'circle',
        symbolSize: 7,
        showSymbol: true,
        data: rows.map((h) => [Date.parse(h.ranAt), penceToPounds(h.bestSavingPence)]),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: CHART_COLOURS.axis, type: 'dashed' },
          label: { show: false },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  };
}
