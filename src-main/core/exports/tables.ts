/**
 * Period totals, costs with their breakdown, emissions and alerts as CSV rows, each read through the
 * contract as a client reads it (the same roles and checks apply), meter by meter: one meter's reply
 * in memory at a time.
 */
import type { Args, Method, Result } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { Alert } from '../../../src-shared/contract/types';
import { localDayOf, type PeriodKind } from '../../../src-shared/domain/periods';
import type { MeterRow } from '../meters/meter-service';
import { round, ukDateTime, type Cell } from './csv';

/** A contract call as the exporting user. */
export type Call = <M extends Method>(method: M, args: Args<M>) => Promise<Result<M>>;

/** Pence as pounds, to the penny. */
const pounds = (pence: number): number => Math.round(pence) / 100;
const epoch = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const ukOf = (iso: string | null): string => (iso ? ukDateTime(epoch(iso)) : '');

/** The header of the period totals (totals.list per meter). */
export const TOTALS_HEADER = [
  'Meter',
  'Period',
  'Start (UTC)',
  'Start (UK local)',
  'kWh',
  'Min kWh',
  'Max kWh',
  'Mean kWh',
  'Baseload kW',
  'Peak kWh',
  'Peak at (UTC)',
  'Peak at (UK local)',
  'Half-hours',
  'Missing',
  'Completeness',
  'Average daily kWh',
];

/** Period totals (header first) of each meter over [from, to). */
export async function* totalsRows(
  call: Call,
  meters: readonly MeterRow[],
  period: PeriodKind,
  from: string,
  to: string,
): AsyncGenerator<readonly Cell[]> {
  yield TOTALS_HEADER;
  for (const m of meters)
    for (const t of await call('totals.list', { meter: m.identifier, period, from, to }))
      yield [
        m.identifier,
        t.period,
        t.start,
        ukOf(t.start),
        round(t.kwh),
        round(t.min),
        round(t.max),
        round(t.mean, 6),
        round(t.baseload),
        round(t.peak),
        t.peakAt,
        ukOf(t.peakAt),
        t.halfHours,
        t.missing,
        round(t.completeness, 6),
        round(t.averageDaily),
      ];
}

/** The header of the cost breakdown: a row per charge, then the meter's total. */
export const COSTS_HEADER = [
  'Meter',
  'From',
  'To (exclusive)',
  'Tariff',
  'Charge',
  'kWh',
  'Days',
  'Rate',
  'Amount (£)',
  'Amount (pence)',
  'Note',
];

/**
 * Each meter's cost over [from, to) with its breakdown: per priced stretch, the energy and DUoS
 * bands, standing charge, CCL, capacity and VAT; then the meter's total. A meter that cannot be
 * priced (no tariff) gets one row saying why.
 */
export async function* costRows(
  call: Call,
  meters: readonly MeterRow[],
  from: string,
  to: string,
): AsyncGenerator<readonly Cell[]> {
  yield COSTS_HEADER;
  for (const m of meters) {
    let c: Result<'cost.meter'>;
    try {
      c = await call('cost.meter', { meter: m.identifier, from, to });
    } catch (e) {
      // a role too low is the caller's refusal, not a meter without a price
      if (e instanceof AppError && e.code === 'FORBIDDEN') throw e;
      yield [m.identifier, from, to, '', 'Not priced', null, null, null, null, null, (e as Error).message];
      continue;
    }
    for (const p of c.periods) {
      const row = (charge: string, kwh: number | null, days: number | null, rate: string, pence: number): Cell[] => [
        m.identifier,
        p.from,
        p.to,
        p.tariff,
        charge,
        round(kwh),
        days,
        rate,
        pounds(pence),
        round(pence, 4),
        '',
      ];
      for (const b of p.bands)
        yield row(
          `${b.kind === 'duos' ? 'DUoS' : 'Energy'}: ${b.name}`,
          round(b.kwh),
          null,
          b.pencePerKwh === null ? '' : `${b.pencePerKwh} p/kWh`,
          b.pence,
        );
      yield row('Standing charge', null, p.days, `${p.standingChargePencePerDay} p/day`, p.standingChargePence);
      yield row('Climate Change Levy', p.kwh, null, `${p.cclPencePerKwh} p/kWh`, p.cclPence);
      if (p.capacityPence) yield row('Capacity', null, p.days, `${p.capacityKva ?? ''} kVA`, p.capacityPence);
      yield row('VAT', null, null, `${round(p.vatRate * 100, 4)} %`, p.vatPence);
    }
    yield [
      m.identifier,
      c.from,
      c.to,
      c.tariff,
      'Total',
      round(c.kwh),
      null,
      '',
      pounds(c.totalPence),
      round(c.totalPence, 4),
      c.notes.join(' '),
    ];
  }
}

/** The header of the emissions. */
export const EMISSIONS_HEADER = ['Meter', 'From', 'To (exclusive)', 'Method', 'kWh', 'kgCO2e', 'Coverage'];

/** Each meter's emissions over [from, to) by the half-hourly intensities or the annual factor. */
export async function* emissionsRows(
  call: Call,
  meters: readonly MeterRow[],
  method: 'halfhourly' | 'annual',
  from: string,
  to: string,
): AsyncGenerator<readonly Cell[]> {
  yield EMISSIONS_HEADER;
  for (const m of meters) {
    const e = await call('emissions.meter', { meter: m.identifier, from, to, method });
    yield [m.identifier, from, to, e.method, round(e.kwh), round(e.kgco2), round(e.coverage, 6)];
  }
}

/** The header of the alerts. */
export const ALERTS_HEADER = [
  'Id',
  'Fired at (UTC)',
  'Fired (UK local)',
  'Severity',
  'Status',
  'Rule',
  'Kind',
  'Subject',
  'Meter',
  'Period',
  'Message',
  'Value',
  'Threshold',
  'Unit',
  'Acknowledged at (UTC)',
  'Acknowledged by',
  'Resolved at (UTC)',
  'Resolved by',
];

/** The most alerts one export lists (alerts.list's limit), newest first. */
export const ALERTS_LIMIT = 5000;

/** Alerts fired on UK local days [fromDay, toDay) about a meter, a site, or anything (`filter` empty). */
export async function* alertRows(
  call: Call,
  filter: { meter?: string; siteId?: number },
  fromDay: number,
  toDay: number,
): AsyncGenerator<readonly Cell[]> {
  yield ALERTS_HEADER;
  const list: Alert[] = await call('alerts.list', { ...filter, includeSnoozed: true, limit: ALERTS_LIMIT });
  for (const a of list) {
    const day = localDayOf(epoch(a.firedAt));
    if (day < fromDay || day >= toDay) continue;
    yield [
      a.id,
      a.firedAt,
      ukOf(a.firedAt),
      a.severity,
      a.status,
      a.rule,
      a.kind,
      a.subject,
      a.meter,
      a.period,
      a.message,
      a.value,
      a.threshold,
      a.unit,
      a.acknowledgedAt,
      a.acknowledgedBy,
      a.resolvedAt,
      a.resolvedBy,
    ];
  }
}
