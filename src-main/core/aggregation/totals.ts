/**
 * Reading the roll-ups: a meter's totals per period, comparisons, site and portfolio totals by
 * fuel, and the dashboard summary, all summed from the readings store's day summaries. Periods with
 * no data at all still appear (0 kWh, 0 % complete), so a gap is visible rather than silently skipped.
 */
import type Database from 'better-sqlite3';
import type {
  Comparison,
  DashboardSummary,
  Fuel,
  FuelTotals,
  ImportJob,
  Mover,
  PeriodKind,
  PeriodTotal,
  SchedulerRun,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc } from '../../../src-shared/domain/london-time';
import {
  dayStartUtc,
  halfHoursBetween,
  isComparable,
  localDayOf,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
  periodStart,
  previousPeriodStart,
  yearAgoStart,
} from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { ReadingsStore } from '../readings/store';
import type { MeterService } from '../meters/meter-service';

interface Acc {
  kwh: number;
  min: number | null;
  max: number | null;
  peakTs: number | null;
  baseSum: number;
  baseN: number;
  present: number;
  daysWithData: number;
}

const emptyAcc = (): Acc => ({
  kwh: 0,
  min: null,
  max: null,
  peakTs: null,
  baseSum: 0,
  baseN: 0,
  present: 0,
  daysWithData: 0,
});

/** Parses a contract date (`YYYY-MM-DD`, or a date-time with an offset → its local day). */
export function toLocalDay(text: string): number {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const day = parsePeriod('day', t);
    if (day === null) throw new AppError('INVALID_ARGS', `${t} is not a calendar date`);
    return day;
  }
  return localDayOf(Math.floor(Date.parse(t) / 1000));
}

function total(kind: PeriodKind, start: number, acc: Acc, meters = 1): PeriodTotal {
  const halfHours = halfHoursBetween(start, nextPeriodStart(kind, start)) * meters;
  const mean = acc.present ? acc.kwh / acc.present : null;
  return {
    period: periodLabel(kind, start),
    start: isoUtc(dayStartUtc(start)),
    kwh: round(acc.kwh),
    min: acc.min,
    max: acc.max,
    mean: mean === null ? null : round(mean),
    baseload: acc.baseN ? round(acc.baseSum / acc.baseN) : null,
    peak: acc.max,
    peakAt: acc.peakTs === null ? null : isoUtc(acc.peakTs),
    halfHours,
    missing: halfHours - acc.present,
    completeness: halfHours ? Math.round((acc.present / halfHours) * 10000) / 10000 : 0,
    averageDaily: kind === 'day' ? null : acc.daysWithData ? round(acc.kwh / acc.daysWithData) : null,
  };
}

/** Rounds away binary noise from sums (1e-9 kWh), never meaningful digits. */
const round = (v: number): number => Math.round(v * 1e9) / 1e9;

export class TotalsService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly clock: Clock,
    private readonly meters: Pick<MeterService, 'meterRow'>,
  ) {}

  /** Per-period totals over the meters in `meterIds`, for periods overlapping days [from, to). */
  private totalsFor(meterIds: number[], kind: PeriodKind, from: number, to: number): PeriodTotal[] {
    if (to <= from) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
    const first = periodStart(kind, from);
    const end = periodStart(kind, to - 1);
    const count = kind === 'day' ? end - first + 1 : 0;
    if (count > 20000)
      throw new AppError('INVALID_ARGS', 'That range has more than 20,000 days; ask for weeks, months or years');
    const stop = nextPeriodStart(kind, end);
    const accs = new Map<number, Acc>();
    for (let s = first; s < stop; s = nextPeriodStart(kind, s)) accs.set(s, emptyAcc());
    const d = this.readings.summaries(meterIds, first, stop);
    for (let i = 0; i < d.count; i++) {
      const a = accs.get(periodStart(kind, d.day[i]!))!;
      const min = d.min[i]!;
      const max = d.max[i]!;
      const present = d.present[i]!;
      a.kwh += d.kwh[i]!;
      if (min === min && (a.min === null || min < a.min)) a.min = min;
      // the peak's time: the first half-hour at the period's maximum (each day knows its own)
      if (max === max && (a.max === null || max > a.max || (max === a.max && d.peakTs[i]! < a.peakTs!))) {
        a.max = max;
        a.peakTs = d.peakTs[i]!;
      }
      if (min === min) {
        a.baseSum += min; // a day's baseload is its lowest half-hour
        a.baseN++;
      }
      a.present += present;
      if (present > 0) a.daysWithData++;
    }
    return [...accs.entries()].map(([s, a]) => total(kind, s, a, meterIds.length));
  }

  list(meter: string, kind: PeriodKind, from: string, to: string): PeriodTotal[] {
    return this.totalsFor([this.meters.meterRow(meter).id], kind, toLocalDay(from), toLocalDay(to));
  }

  compare(meter: string, kind: PeriodKind, at: string, basis: 'previous' | 'year-ago' = 'previous'): Comparison {
    const start = parsePeriod(kind, at);
    if (start === null)
      throw new AppError(
        'INVALID_ARGS',
        `"${at}" is not a ${kind}; expected e.g. ${{ day: '2025-03-30', week: '2025-W13', month: '2025-03', year: '2025' }[kind]}`,
      );
    const { id } = this.meters.meterRow(meter);
    return this.compareIds([id], meter.trim(), kind, start, basis);
  }

  private compareIds(
    ids: number[],
    name: string,
    kind: PeriodKind,
    start: number,
    basis: 'previous' | 'year-ago',
  ): Comparison {
    const prevStart = basis === 'previous' ? previousPeriodStart(kind, start) : yearAgoStart(kind, start);
    const [current] = this.totalsFor(ids, kind, start, start + 1);
    const [previous] = this.totalsFor(ids, kind, prevStart, prevStart + 1);
    const changeKwh = round(current!.kwh - previous!.kwh);
    return {
      meter: name,
      kind,
      basis,
      current: current!,
      previous: previous!,
      changeKwh,
      changePercent: previous!.kwh > 0 ? Math.round((changeKwh / previous!.kwh) * 10000) / 100 : null,
      comparable: isComparable(current!.completeness, previous!.completeness),
    };
  }

  /** A site's (or, with null, the whole portfolio's) totals per fuel: gas and electricity never summed. */
  site(siteId: number | null, kind: PeriodKind, from: string, to: string): { fuel: Fuel; totals: PeriodTotal[] }[] {
    if (siteId !== null && !this.sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(siteId))
      throw new AppError('NOT_FOUND', `No site ${siteId}`);
    const meters = (
      siteId === null
        ? this.sqlite.prepare('SELECT id, fuel FROM meters').all()
        : this.sqlite.prepare('SELECT id, fuel FROM meters WHERE site_id = ?').all(siteId)
    ) as { id: number; fuel: Fuel }[];
    const out: { fuel: Fuel; totals: PeriodTotal[] }[] = [];
    for (const fuel of ['electricity', 'gas'] as const) {
      const ids = meters.filter((m) => m.fuel === fuel).map((m) => m.id);
      if (ids.length) out.push({ fuel, totals: this.totalsFor(ids, kind, toLocalDay(from), toLocalDay(to)) });
    }
    return out;
  }

  /**
   * kWh and completeness of some meters over local days [from, to). With `fuel`, the meters are all
   * of that fuel's: the portfolio's rolled-up day totals answer when they are current.
   */
  private spanTotal(meterIds: number[], from: number, to: number, fuel?: Fuel): { kwh: number; completeness: number } {
    if (to <= from) return { kwh: 0, completeness: 0 };
    const r = (fuel && this.readings.fuelTotal(fuel, from, to)) || this.readings.total(meterIds, from, to);
    const expected = halfHoursBetween(from, to) * meterIds.length;
    return { kwh: round(r.kwh), completeness: expected ? Math.round((r.present / expected) * 10000) / 10000 : 0 };
  }

  dashboard(lastImport: ImportJob | null, lastAggregation: SchedulerRun | null): DashboardSummary {
    const today = localDayOf(Math.floor(this.clock.now() / 1000));
    const meters = this.sqlite
      .prepare(
        'SELECT m.id, m.identifier, m.label, m.fuel, m.site_id AS siteId, s.name AS site FROM meters m LEFT JOIN sites s ON s.id = m.site_id',
      )
      .all() as {
      id: number;
      identifier: string;
      label: string | null;
      fuel: Fuel;
      siteId: number | null;
      site: string | null;
    }[];
    const fuels: FuelTotals[] = [];
    for (const fuel of ['electricity', 'gas'] as const) {
      const ids = meters.filter((m) => m.fuel === fuel).map((m) => m.id);
      if (!ids.length) continue;
      const periods: FuelTotals['periods'] = [];
      for (const kind of ['day', 'week', 'month', 'year'] as const) {
        // This week / month / year *to date* (up to yesterday) against the same number of days at the
        // start of the previous period: a part-period is never set against a whole one. On the first
        // day of a period, the last complete period is shown instead.
        let start = kind === 'day' ? today - 1 : periodStart(kind, today);
        if (start === today) start = previousPeriodStart(kind, start);
        const end = kind === 'day' ? today : Math.min(today, nextPeriodStart(kind, start));
        const prevStart = previousPeriodStart(kind, start);
        const prevEnd = Math.min(prevStart + (end - start), start);
        const cur = this.spanTotal(ids, start, end, fuel);
        const prev = this.spanTotal(ids, prevStart, prevEnd, fuel);
        const changePercent = prev.kwh > 0 ? Math.round(((cur.kwh - prev.kwh) / prev.kwh) * 10000) / 100 : null;
        periods.push({
          kind,
          label: periodLabel(kind, start),
          toDate: end < nextPeriodStart(kind, start) ? periodLabel('day', end - 1) : null,
          kwh: cur.kwh,
          previousKwh: prev.kwh,
          changePercent,
          completeness: cur.completeness,
          previousCompleteness: prev.completeness,
          comparable: isComparable(cur.completeness, prev.completeness),
        });
      }
      fuels.push({ fuel, meters: ids.length, periods });
    }
    // movers: the last complete week against the one before
    const week = periodStart('week', today) - 7;
    const cur = this.readings.kwhByMeter(week, week + 7);
    const prev = this.readings.kwhByMeter(week - 7, week);
    const mover = (id: string, name: string, fuel: Fuel, a: number, b: number): Mover => ({
      id,
      name,
      fuel,
      kwh: round(a),
      previousKwh: round(b),
      changeKwh: round(a - b),
      changePercent: b > 0 ? Math.round(((a - b) / b) * 10000) / 100 : null,
    });
    const meterMovers = meters
      .filter((m) => cur.has(m.id) || prev.has(m.id))
      .map((m) => mover(m.identifier, m.label ?? m.identifier, m.fuel, cur.get(m.id) ?? 0, prev.get(m.id) ?? 0));
    const siteAcc = new Map<string, { name: string; fuel: Fuel; a: number; b: number; id: number }>();
    for (const m of meters) {
      if (m.siteId === null) continue;
      const key = `${m.siteId}:${m.fuel}`;
      const s = siteAcc.get(key) ?? { name: m.site!, fuel: m.fuel, a: 0, b: 0, id: m.siteId };
      s.a += cur.get(m.id) ?? 0;
      s.b += prev.get(m.id) ?? 0;
      siteAcc.set(key, s);
    }
    const siteMovers = [...siteAcc.values()].map((s) => mover(String(s.id), s.name, s.fuel, s.a, s.b));
    const byChange = (a: Mover, b: Mover): number => Math.abs(b.changeKwh) - Math.abs(a.changeKwh);
    const both = (['electricity', 'gas'] as const).map((f) => this.readings.fuelTotal(f, today - 30, today));
    const c30 =
      both[0] && both[1]
        ? { present: both[0].present + both[1].present }
        : this.readings.total(
            meters.map((m) => m.id),
            today - 30,
            today,
          );
    const expected = halfHoursBetween(today - 30, today) * meters.length;
    return {
      today: periodLabel('day', today),
      fuels,
      movers: { meters: meterMovers.sort(byChange).slice(0, 10), sites: siteMovers.sort(byChange).slice(0, 10) },
      completeness30d: meters.length && expected ? Math.round((c30.present / expected) * 10000) / 10000 : null,
      meters: meters.length,
      lastImport,
      lastAggregation,
    };
  }
}
