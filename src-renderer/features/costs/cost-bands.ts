/**
 * A meter's cost as the lines of a bill (pure, no DOM): unit-rate bands, DUoS bands, standing
 * charge (days × p/day), CCL (kWh × p/kWh), capacity, subtotal, VAT and total — for one priced
 * period (one tariff version) or a whole result — and the "cost by band" bar chart built from them.
 * Amounts stay in pence here; screens round to the penny only when they show them.
 */
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { CostBand, CostPeriod, CostResult } from '../../../src-shared/contract/types';
import { formatInt, formatKwh, plural } from '../../lib/format';
import { formatPounds, formatPoundsShort, formatRate, formatVatRate, penceToPounds } from '../../lib/money';
import { BASE } from '../../charts/common';
import { CHART_COLOURS } from '../../charts/half-hourly-line';

export type CostLineKind = 'energy' | 'duos' | 'standing' | 'ccl' | 'capacity' | 'subtotal' | 'vat' | 'total';

export interface CostLine {
  kind: CostLineKind;
  /** What a bill would call it: the band's name, "Standing charge", "VAT"… */
  label: string;
  /** How it is worked out, e.g. `31 days × 45.2p/day`, `96 kWh × 0.775p/kWh`. */
  detail: string;
  kwh: number | null;
  /** The unit rate in p/kWh (bands, CCL) or p/day (standing charge) when there is one. */
  rate: number | null;
  pence: number;
}

export const LINE_COLOUR: Record<CostLineKind, string> = {
  energy: '#0f766e',
  duos: '#2563eb',
  standing: '#64748b',
  ccl: '#d97706',
  capacity: '#7c3aed',
  subtotal: '#334155',
  vat: '#94a3b8',
  total: '#1e293b',
};

const days = (n: number): string => plural(n, 'day');
const kwhText = (kwh: number): string => `${formatKwh(kwh, 3)} kWh`;

function bandLine(b: CostBand): CostLine {
  return {
    kind: b.kind,
    label: b.kind === 'duos' ? `DUoS ${b.name}` : b.name,
    detail:
      b.pencePerKwh === null
        ? `${kwhText(b.kwh)} at varying rates`
        : `${kwhText(b.kwh)} × ${formatRate(b.pencePerKwh)}/kWh`,
    kwh: b.kwh,
    rate: b.pencePerKwh,
    pence: b.pence,
  };
}

/** Energy bands first, then DUoS bands, each in the core's order. */
function bandLines(bands: readonly CostBand[]): CostLine[] {
  return [...bands.filter((b) => b.kind === 'energy'), ...bands.filter((b) => b.kind === 'duos')].map(bandLine);
}

/** One value when every period has the same one, else null. */
function same<T>(values: readonly T[]): T | null {
  return values.length > 0 && values.every((v) => v === values[0]) ? (values[0] as T) : null;
}

interface Totals {
  bands: readonly CostBand[];
  kwh: number;
  days: number;
  standingRate: number | null;
  standingPence: number;
  cclRate: number | null;
  cclPence: number;
  capacityKva: number | null;
  capacityPence: number;
  /** Whether any period had a capacity charge or an agreed capacity to show. */
  capacityShown: boolean;
  vatRate: number | null;
  vatPence: number;
  totalPence: number;
}

function lines(t: Totals, several: boolean): CostLine[] {
  const out = bandLines(t.bands);
  out.push({
    kind: 'standing',
    label: 'Standing charge',
    detail:
      t.standingRate !== null
        ? `${days(t.days)} × ${formatRate(t.standingRate)}/day`
        : `${days(t.days)} at the rates of each period`,
    kwh: null,
    rate: t.standingRate,
    pence: t.standingPence,
  });
  out.push({
    kind: 'ccl',
    label: 'Climate Change Levy',
    detail:
      t.cclRate === 0 && t.cclPence === 0
        ? 'not charged on this tariff'
        : t.cclRate !== null
          ? `${kwhText(t.kwh)} × ${formatRate(t.cclRate)}/kWh`
          : `${kwhText(t.kwh)} at the rates of each period`,
    kwh: t.kwh,
    rate: t.cclRate,
    pence: t.cclPence,
  });
  if (t.capacityShown) {
    const perKvaDay = t.capacityKva && t.days > 0 && !several ? t.capacityPence / (t.days * t.capacityKva) : null;
    out.push({
      kind: 'capacity',
      label: 'Capacity charge',
      detail:
        t.capacityKva === null
          ? t.capacityPence === 0
            ? 'no agreed capacity (kVA) set for this meter'
            : 'at the capacity of each period'
          : `${days(t.days)} × ${formatKwh(t.capacityKva, 2)} kVA${perKvaDay !== null ? ` × ${formatRate(perKvaDay)}/kVA/day` : ''}`,
      kwh: null,
      rate: perKvaDay,
      pence: t.capacityPence,
    });
  }
  const subtotal = out.reduce((s, l) => s + l.pence, 0);
  out.push({ kind: 'subtotal', label: 'Subtotal (before VAT)', detail: '', kwh: null, rate: null, pence: subtotal });
  out.push({
    kind: 'vat',
    label: 'VAT',
    detail: t.vatRate !== null ? `${formatVatRate(t.vatRate)} of the subtotal` : 'at the rate of each period',
    kwh: null,
    rate: t.vatRate,
    pence: t.vatPence,
  });
  out.push({ kind: 'total', label: 'Total', detail: 'including VAT', kwh: t.kwh, rate: null, pence: t.totalPence });
  return out;
}

/** The bill lines of one priced period (one tariff version, one CCL rate). */
export function periodLines(p: CostPeriod): CostLine[] {
  return lines(
    {
      bands: p.bands,
      kwh: p.kwh,
      days: p.days,
      standingRate: p.standingChargePencePerDay,
      standingPence: p.standingChargePence,
      cclRate: p.cclPencePerKwh,
      cclPence: p.cclPence,
      capacityKva: p.capacityKva,
      capacityPence: p.capacityPence,
      capacityShown: p.capacityPence !== 0 || p.capacityKva !== null,
      vatRate: p.vatRate,
      vatPence: p.vatPence,
      totalPence: p.totalPence,
    },
    false,
  );
}

/** The bill lines of a whole result: its periods summed, a rate shown where every period had the same one. */
export function costLines(c: CostResult): CostLine[] {
  const ps = c.periods;
  if (ps.length === 1) return periodLines(ps[0] as CostPeriod);
  return lines(
    {
      bands: c.bands,
      kwh: c.kwh,
      days: ps.reduce((s, p) => s + p.days, 0),
      standingRate: same(ps.map((p) => p.standingChargePencePerDay)),
      standingPence: c.standingChargePence,
      cclRate: same(ps.map((p) => p.cclPencePerKwh)),
      cclPence: c.cclPence,
      capacityKva: same(ps.map((p) => p.capacityKva)),
      capacityPence: c.capacityPence,
      capacityShown: c.capacityPence !== 0 || ps.some((p) => p.capacityKva !== null),
      vatRate: same(ps.map((p) => p.vatRate)),
      vatPence: c.vatPence,
      totalPence: c.totalPence,
    },
    ps.length > 1,
  );
}

/** The parts the total is made of (no subtotal/total rows), without parts that cost nothing. */
export function costParts(c: CostResult): CostLine[] {
  return costLines(c).filter(
    (l) => l.kind !== 'subtotal' && l.kind !== 'total' && (l.pence !== 0 || l.kind === 'energy'),
  );
}

export function costBandsCsv(c: CostResult): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: ['line', 'kind', 'kwh', 'rate', 'pence', 'pounds'],
    rows: costLines(c).map((l) => [l.label, l.kind, l.kwh, l.rate, l.pence, penceToPounds(l.pence)]),
  };
}

export type CostBandsOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

/** Cost by band: one horizontal bar per part of the bill, in pounds, largest share labelled. */
export function buildCostBandsOption(c: CostResult): CostBandsOption {
  const parts = costParts(c);
  const total = c.totalPence;
  const longest = parts.reduce((m, p) => Math.max(m, p.label.length), 0);
  return {
    ...BASE,
    grid: { left: Math.min(200, 24 + longest * 7), right: 72, top: 12, bottom: 28 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const i = (params as { dataIndex?: number }).dataIndex ?? -1;
        const l = parts[i];
        if (!l) return '';
        const share = total !== 0 ? ` · ${Math.round((l.pence / total) * 1000) / 10} % of the total` : '';
        return `<b>${l.label}</b><br/>${formatPounds(l.pence)}${share}<br/>${l.detail}`;
      },
    },
    xAxis: {
      type: 'value',
      axisLabel: { formatter: (v: number) => formatPoundsShort(v) },
      splitLine: { lineStyle: { color: CHART_COLOURS.grid } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: parts.map((p) => p.label),
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        name: 'Cost',
        barMaxWidth: 22,
        data: parts.map((p) => ({ value: penceToPounds(p.pence), itemStyle: { color: LINE_COLOUR[p.kind] } })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { dataIndex: number }) => formatPounds(parts[p.dataIndex]?.pence ?? 0),
          color: CHART_COLOURS.text,
          fontSize: 11,
        },
      },
    ],
  };
}

/**
 * What to tell the user beside a cost: the data it could not price and the core's notes, each once.
 * `serious` when half-hours were left out (the cost reads low against a bill).
 */
export function costNotes(
  c: Pick<CostResult, 'missingHalfHours' | 'expectedHalfHours' | 'unpricedHalfHours' | 'notes'>,
): { serious: boolean; items: string[] } {
  const items: string[] = [];
  if (c.missingHalfHours > 0) {
    const share = c.expectedHalfHours > 0 ? Math.round((c.missingHalfHours / c.expectedHalfHours) * 1000) / 10 : 0;
    items.push(
      `${formatInt(c.missingHalfHours)} of ${formatInt(c.expectedHalfHours)} half-hours (${share} %) have no reading, so they are not priced: the cost covers the half-hours with data only and reads low against a bill.`,
    );
  }
  for (const n of c.notes) {
    // the core says the same about missing readings in its own words: say it once
    if (c.missingHalfHours > 0 && /half-hours have no reading and are not priced/.test(n)) continue;
    if (!items.includes(n)) items.push(n);
  }
  if (c.unpricedHalfHours > 0 && !c.notes.some((n) => /no half-hourly price/.test(n)))
    items.push(
      `${plural(c.unpricedHalfHours, 'half-hour')} ${c.unpricedHalfHours === 1 ? 'has' : 'have'} a reading but no price on this tariff, so ${c.unpricedHalfHours === 1 ? 'it is' : 'they are'} not priced.`,
    );
  return { serious: c.missingHalfHours > 0 || c.unpricedHalfHours > 0, items };
}

/**
 * Which tariffs priced a result, in order, consecutive periods of one tariff merged:
 * `Acme Fixed until 14 Mar 2025, then Acme Economy 7`. One tariff: just its name.
 */
export function tariffSequence(
  periods: readonly Pick<CostPeriod, 'tariff' | 'from' | 'to'>[],
  name: (id: string) => string,
): string {
  const runs: { tariff: string; to: string }[] = [];
  for (const p of periods) {
    const last = runs[runs.length - 1];
    if (last && last.tariff === p.tariff) last.to = p.to;
    else runs.push({ tariff: p.tariff, to: p.to });
  }
  return runs
    .map((r, i) =>
      i === runs.length - 1
        ? `${i > 0 ? 'then ' : ''}${name(r.tariff)}`
        : `${i > 0 ? 'then ' : ''}${name(r.tariff)} until ${lastDayText(r.to)}`,
    )
    .join(', ');
}

const dayFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
/** The day before an exclusive end, as `14 Mar 2025`. */
function lastDayText(toExclusive: string): string {
  return dayFmt.format(new Date(Date.parse(`${toExclusive}T00:00:00Z`) - 86_400_000));
}
