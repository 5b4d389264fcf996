/**
 * The portfolio's switching savings (pure, no DOM): totals for the summary, and a bar chart of the
 * meters with the largest saving from their latest analysis. Savings are pence from the core
 * (positive = the best alternative is cheaper); the chart shows pounds rounded to the penny.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { SwitchSummary } from '../../../src-shared/contract/types';
import { formatDayRangeUntil, plural } from '../../lib/format';
import {
  formatPounds,
  formatPoundsShort,
  formatSaving,
  formatSavingSize,
  penceToPounds,
  roundPence,
} from '../../lib/money';
import { BASE } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export const SAVING_COLOUR = '#15803d';

/** How many meters the chart shows. */
export const TOP_SAVINGS = 15;

const DAY_MS = 86_400_000;

/** Days in an analysis' period [from, to). */
export function periodDays(s: Pick<SwitchSummary, 'from' | 'to'>): number {
  const d = Math.round((Date.parse(`${s.to}T00:00:00Z`) - Date.parse(`${s.from}T00:00:00Z`)) / DAY_MS);
  return Number.isFinite(d) && d > 0 ? d : 0;
}

export interface PortfolioTotals {
  meters: number;
  /** Meters whose best alternative is cheaper by at least a penny. */
  withSaving: number;
  /** The sum of the positive best savings (meters with no cheaper tariff add nothing). */
  savingPence: number;
  /** What those meters cost now over the same periods. */
  currentPence: number;
  /** Each meter's saving scaled to 365 days, summed (null when no period has days). */
  yearlyPence: number | null;
}

export function portfolioTotals(rows: readonly SwitchSummary[]): PortfolioTotals {
  let withSaving = 0;
  let savingPence = 0;
  let currentPence = 0;
  let yearly = 0;
  let anyDays = false;
  for (const r of rows) {
    if (roundPence(r.bestSavingPence) <= 0) continue;
    withSaving++;
    savingPence += r.bestSavingPence;
    currentPence += r.currentPence;
    const d = periodDays(r);
    if (d > 0) {
      anyDays = true;
      yearly += (r.bestSavingPence * 365) / d;
    }
  }
  return { meters: rows.length, withSaving, savingPence, currentPence, yearlyPence: anyDays ? yearly : null };
}

/** The meters with a saving, largest first, at most `n`. */
export function topSavings(rows: readonly SwitchSummary[], n = TOP_SAVINGS): SwitchSummary[] {
  return rows
    .filter((r) => roundPence(r.bestSavingPence) > 0)
    .sort((a, b) => b.bestSavingPence - a.bestSavingPence || a.meter.localeCompare(b.meter))
    .slice(0, n);
}

/** A meter as people know it: its label, else its MPAN. */
export function meterName(r: Pick<SwitchSummary, 'meter' | 'meterLabel'>): string {
  return r.meterLabel ? `${r.meterLabel}` : r.meter;
}

export function savingsCsv(
  rows: readonly SwitchSummary[],
  tariffName: (id: string) => string = (id) => id,
): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: [
      'meter',
      'label',
      'from',
      'to',
      'current_tariff',
      'current_pence',
      'best_tariff',
      'saving_pence',
      'saving_pounds',
      'saving_percent',
      'ran_at',
    ],
    rows: rows.map((r) => [
      r.meter,
      r.meterLabel,
      r.from,
      r.to,
      tariffIdsText(r.currentTariff, tariffName),
      r.currentPence,
      r.bestTariff ? tariffName(r.bestTariff) : null,
      r.bestSavingPence,
      penceToPounds(r.bestSavingPence),
      r.bestSavingPercent,
      r.ranAt,
    ]),
  };
}

export type SavingsOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** The top savings as horizontal bars in pounds, largest at the top. */
export function buildSavingsOption(
  rows: readonly SwitchSummary[],
  tariffName: (id: string) => string = (id) => id,
): SavingsOption {
  const top = topSavings(rows);
  const names = top.map(meterName);
  const longest = names.reduce((m, s) => Math.max(m, s.length), 0);
  return {
    ...BASE,
    grid: { left: Math.min(220, 24 + longest * 7), right: 80, top: 12, bottom: 28 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const r = top[(params as { dataIndex?: number }).dataIndex ?? -1];
        if (!r) return '';
        return [
          `<b>${meterName(r)}</b>${r.meterLabel ? ` (${r.meter})` : ''}`,
          `Moving to ${r.bestTariff ? tariffName(r.bestTariff) : '—'} ${formatSaving(r.bestSavingPence)} (${formatSavingSize(r.bestSavingPercent)})`,
          `${formatDayRangeUntil(r.from, r.to)} (${plural(periodDays(r), 'day')})`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      axisLabel: { formatter: (v: number) => formatPoundsShort(v) },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: names,
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: 'Saving',
        barMaxWidth: 20,
        itemStyle: { color: SAVING_COLOUR },
        data: top.map((r) => penceToPounds(r.bestSavingPence)),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => formatPounds(top[p.dataIndex]?.bestSavingPence ?? 0),
          color: CHART_COLOURS.text,
          fontSize: 11,
        },
      },
    ],
  };
}

/**
 * Tariff names by id, read from the summaries themselves (the core sends `currentTariffName` —
 * the names of `currentTariff`'s ids joined by ", then " — and `bestTariffName`): no separate
 * tariff list is needed to label them.
 */
export function namesFromSummaries(rows: readonly SwitchSummary[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of rows) {
    const ids = r.currentTariff.split(', ');
    const labels = r.currentTariffName.split(', then ');
    if (ids.length === labels.length) ids.forEach((id, i) => names.set(id, labels[i]!));
    if (r.bestTariff && r.bestTariffName) names.set(r.bestTariff, r.bestTariffName);
  }
  return names;
}

/** A summary's tariff ids (`a, b` when the meter changed tariff in the period) as names: `A, then B`. */
export function tariffIdsText(ids: string, tariffName: (id: string) => string): string {
  return ids
    .split(', ')
    .filter(Boolean)
    .map((id, i) => `${i > 0 ? 'then ' : ''}${tariffName(id)}`)
    .join(', ');
}
