/**
 * The meter month report: one meter's calendar month (UK local) against the same month a year
 * earlier — consumption, daily average, peak half-hour, baseload, cost, emissions, out-of-hours share,
 * completeness — with the daily bars, the average half-hourly profile, the cost breakdown and emissions,
 * a table of the days, and the month's exceptions, alerts and best tariff saving. Built from the core's
 * own roll-ups (totals.list), half-hours (readings.series) and the site report's sections
 * (site-month.ts) for the one meter, so the report shows the figures the app shows.
 */

import { AppError } from '../../../src-shared/contract/errors';
import type { PeriodTotal } from '../../../src-shared/contract/types';
import { isoUtc, toLondonParts } from '../../../src-shared/domain/london-time';
import { MONTH_NAMES, dayFromDate, dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import { change, gbp, kwh, mwh, percent, ukDate, ukDateTime } from './format';
import type { ReportBlock, ReportDocument } from './model';
import {
  alertBlocks,
  COMPLETE_ENOUGH,
  costBlocks,
  emissionBlocks,
  emissionRows,
  dayBar,
  exceptionBlocks,
  marked,
  monthDays,
  outOfHoursRows,
  profileChart,
  readMonth,
  savingBlocks,
  versus,
  type SiteMonthDeps,
} from './site-month';

const BAR = '#2f6f9f';
const LAST_YEAR = '#b0b7bf';

function monthTotal(s: SiteMonthDeps['services'], meter: string, first: number, next: number): PeriodTotal | null {
  return s.totals.list(meter, 'month', isoDay(first), isoDay(next))[0] ?? null;
}

/**
 * The average kWh of each half-hour of the UK local clock (00:00 … 23:30) over the given half-hours;
 * null for a clock time without any value.
 */
export function averageProfile(ts: number[], values: (number | null)[]): (number | null)[] {
  const sum = new Array<number>(48).fill(0);
  const n = new Array<number>(48).fill(0);
  for (let i = 0; i < ts.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const p = toLondonParts(ts[i]!);
    const slot = p.hour * 2 + (p.minute >= 30 ? 1 : 0);
    sum[slot]! += v;
    n[slot]!++;
  }
  return sum.map((s, i) => (n[i] ? s / n[i]! : null));
}

/**
 * Builds the meter month report for `meter` and `month` (`YYYY-MM`), read as `deps.call`'s caller
 * (costs and tariff savings for managers and admins); `deps.now` stamps it as made.
 */
export async function meterMonthReport(deps: SiteMonthDeps, meter: string, month: string): Promise<ReportDocument> {
  const s = deps.services;
  const row = s.meters.meterRow(meter);
  const { y, m, first, next } = monthDays(month);
  const name = `${MONTH_NAMES[m - 1]} ${y}`;
  const lastName = `${MONTH_NAMES[m - 1]} ${y - 1}`;
  const cur = monthTotal(s, row.identifier, first, next);
  if (!cur || cur.missing === cur.halfHours)
    throw new AppError(
      'NOT_FOUND',
      `Meter ${row.identifier} has no readings in ${name}; import its data or pick another month`,
    );
  const prevFirst = dayFromDate(y - 1, m, 1);
  const prev = monthTotal(s, row.identifier, prevFirst, dayFromDate(y - 1, m + 1, 1));
  const prevHas = prev !== null && prev.missing < prev.halfHours;
  const days = s.totals.list(row.identifier, 'day', isoDay(first), isoDay(next));
  const lastYearDays = prevHas
    ? s.totals.list(row.identifier, 'day', isoDay(prevFirst), isoDay(prevFirst + next - first))
    : [];
  const series = s.meters.series(row.identifier, isoUtc(dayStartUtc(first)), isoUtc(dayStartUtc(next)));
  const profile = averageProfile(series.ts, series.kwh);
  // the site report's sections for this one meter: cost, emissions, exceptions, alerts, tariff saving
  const analysed = s.meters.analysisRows().filter((r) => r.id === row.id);
  const ctx = await readMonth(deps, analysed, month, `Meter ${row.identifier}`, { meter: row.identifier });
  const one = ctx.meters[0]!;

  const present = cur.halfHours - cur.missing;
  const label = row.label ? ` (${row.label})` : '';
  const p = prevHas ? prev : null;
  const peakAt = (t: PeriodTotal | null) => (t?.peakAt ? ukDateTime(Date.parse(t.peakAt) / 1000) : '—');
  // a change on less than 90 % of either month's half-hours is marked, not read as a saving
  const complete = Math.min(cur.completeness, p?.completeness ?? 1);
  const figures: string[][] = [
    ...marked(['Consumption', kwh(cur.kwh), p ? kwh(p.kwh) : '—', versus(cur.kwh, p?.kwh ?? null, complete)]),
    ['Consumption (MWh)', mwh(cur.kwh), p ? mwh(p.kwh) : '—', ''],
    ...marked([
      'Daily average',
      kwh(cur.averageDaily),
      p ? kwh(p.averageDaily) : '—',
      versus(cur.averageDaily, p?.averageDaily ?? null, complete),
    ]),
    ['Peak half-hour', kwh(cur.max), p ? kwh(p.max) : '—', ''],
    ['Peak at (UK time)', peakAt(cur), p ? peakAt(p) : '—', ''],
    [
      'Baseload',
      cur.baseload === null ? '—' : `${cur.baseload.toFixed(2)} kW`,
      p?.baseload == null ? '—' : `${p.baseload.toFixed(2)} kW`,
      '',
    ],
    ...(ctx.managers
      ? [['Cost incl. VAT', one.cost ? gbp(one.cost.totalPence / 100) : one.unpriced ? 'not priced' : '—', '', '']]
      : []),
    ...[...emissionRows(ctx), ...outOfHoursRows(ctx)].map(([label, value]) => [label, value, '', '']),
    ['Data completeness', percent(cur.completeness), p ? percent(p.completeness) : '—', ''],
  ];
  const dayLabels = days.map((d) => ukDate(dayFromIso(d.period)).slice(0, 5));
  const blocks: ReportBlock[] = [
    { kind: 'heading', text: 'Summary' },
    {
      kind: 'paragraph',
      text:
        `Meter ${row.identifier}${label}, ${row.fuel}, for ${name}: ${ukDate(first)} to ${ukDate(next - 1)}, UK local time. ` +
        `Consumption was ${kwh(cur.kwh)}` +
        (p
          ? `, against ${kwh(p.kwh)} in ${lastName} (${change(cur.kwh, p.kwh)}` +
            `${complete < COMPLETE_ENOUGH ? `; incomplete data: ${percent(complete)}` : ''}).`
          : `; there are no readings for ${lastName}.`) +
        ' Figures are the stored half-hourly readings; missing half-hours are not estimated.',
    },
    {
      kind: 'figures',
      columns: ['Figure', name, lastName, 'Change'],
      rows: figures,
      align: ['left', 'right', 'right', 'right'],
    },
    {
      kind: 'chart',
      title: `Daily consumption (kWh)${prevHas ? `, ${name} against ${lastName}` : ''}`,
      height: 200,
      option: {
        grid: { left: 48, right: 12, top: 28, bottom: 40 },
        legend: prevHas ? { top: 0, itemGap: 24, data: [name, lastName], textStyle: { fontSize: 9 } } : undefined,
        xAxis: { type: 'category', data: dayLabels, axisLabel: { rotate: 90, fontSize: 9 } },
        yAxis: { type: 'value', name: 'kWh', axisLabel: { fontSize: 9 } },
        series: [
          ...(prevHas
            ? [
                {
                  type: 'bar' as const,
                  name: lastName,
                  data: lastYearDays.map(dayBar),
                  itemStyle: { color: LAST_YEAR },
                },
              ]
            : []),
          { type: 'bar', name, data: days.map(dayBar), itemStyle: { color: BAR } },
        ],
      },
    },
    profileChart(`Average half-hourly profile, ${name} (kWh per half-hour, UK time)`, profile, 180),
    ...costBlocks(ctx),
    ...emissionBlocks(ctx),
    { kind: 'pageBreak' },
    { kind: 'heading', text: `Days in ${name}` },
    {
      kind: 'figures',
      columns: ['Date', 'Consumption', 'Half-hours', 'Completeness'],
      rows: days.map((d) => [
        ukDate(dayFromIso(d.period)),
        d.missing === d.halfHours ? '—' : kwh(d.kwh),
        `${d.halfHours - d.missing} of ${d.halfHours}`,
        percent(d.completeness),
      ]),
      align: ['left', 'right', 'right', 'right'],
    },
    ...exceptionBlocks(ctx, true),
    ...alertBlocks(ctx),
    ...savingBlocks(ctx),
  ];
  return {
    title: `Meter report: ${row.identifier}${label}, ${name}`,
    period: `${name}: ${ukDate(first)} to ${ukDate(next - 1)} (UK local time)`,
    completeness: `Data: ${present.toLocaleString('en-GB')} of ${cur.halfHours.toLocaleString('en-GB')} half-hours (${percent(cur.completeness)})`,
    generated: ukDateTime(Math.floor(deps.now / 1000)),
    blocks,
  };
}

function dayFromIso(iso: string): number {
  return dayFromDate(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}
