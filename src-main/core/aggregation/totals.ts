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
  MeterBehind,
  MeterLatest,
  MeterQuality,
  Mover,
  PeriodKind,
  PeriodTotal,
  SchedulerRun,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc } from '../../../src-shared/domain/london-time';
import {
  COMPLETE_DAY_HALF_HOURS,
  baseloadKw,
  halfHourCounts,
  portfolioAnchor,
} from '../../../src-shared/domain/data-quality';
import {
  dayStartUtc,
  halfHoursBetween,
  isComparable,
  isoDay,
  localDayOf,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
  periodStart,
  previousPeriodStart,
  yearAgoStart,
} from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { DaySummaries, ReadingsStore } from '../readings/store';
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

function total(
  kind: PeriodKind,
  start: number,
  acc: Acc,
  meters = 1,
  halfHours = halfHoursBetween(start, nextPeriodStart(kind, start)) * meters,
): PeriodTotal {
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

/** Adds day `i` of some day summaries (and its baseload, if it has one) to a period's sums. */
function addDay(a: Acc, d: DaySummaries, i: number, base?: number): void {
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
  if (base !== undefined) {
    a.baseSum += base;
    a.baseN++;
  }
  a.present += present;
  if (present > 0) a.daysWithData++;
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
    // baseload is a meter's own (kW, complete days only): a sum over meters has none
    const baseloads = meterIds.length === 1 ? this.dayBaseloads(meterIds[0]!, first, stop) : null;
    for (let i = 0; i < d.count; i++) addDay(accs.get(periodStart(kind, d.day[i]!))!, d, i, baseloads?.get(d.day[i]!));
    return [...accs.entries()].map(([s, a]) => total(kind, s, a, meterIds.length));
  }

  /**
   * Each meter's kWh and completeness for the period of `kind` that starts on local day `start` (the
   * figures totals.list gives it), summed in SQL for them all; a meter without a stored day in it has
   * all its half-hours missing.
   */
  perMeter(
    meterIds: readonly number[],
    kind: PeriodKind,
    start: number,
  ): Map<number, Pick<PeriodTotal, 'kwh' | 'halfHours' | 'missing' | 'completeness'>> {
    const next = nextPeriodStart(kind, start);
    const kwh = this.readings.kwhByMeter(start, next, meterIds);
    const present = this.readings.presentByMeter(start, next, meterIds);
    const halfHours = halfHoursBetween(start, next);
    return new Map(
      meterIds.map((id) => {
        const p = present.get(id) ?? 0;
        const completeness = halfHours ? Math.round((p / halfHours) * 10000) / 10000 : 0;
        return [id, { kwh: round(kwh.get(id) ?? 0), halfHours, missing: halfHours - p, completeness }];
      }),
    );
  }

  /**
   * Each meter's own totals per period of each kind over local days [from, to), keyed by kind then meter
   * id: the figures `list` gives meter by meter (without baseload), each meter's day summaries read once.
   */
  eachMeter<K extends PeriodKind>(
    meterIds: number[],
    kinds: K[],
    from: number,
    to: number,
  ): Map<K, Map<number, PeriodTotal[]>> {
    if (to <= from) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
    const spans = kinds.map((kind) => {
      const first = periodStart(kind, from);
      const starts: number[] = [];
      for (let s = first; s <= periodStart(kind, to - 1); s = nextPeriodStart(kind, s)) starts.push(s);
      // each day's period start, by day from the first
      const stop = nextPeriodStart(kind, starts[starts.length - 1]!);
      const startOf = new Int32Array(stop - first);
      for (let i = 0; i < starts.length; i++)
        startOf.fill(starts[i]!, starts[i]! - first, (starts[i + 1] ?? stop) - first);
      // the UK clock's half-hours of each period, worked out once for all the meters
      const halfHours = new Map(starts.map((s, i) => [s, halfHoursBetween(s, starts[i + 1] ?? stop)]));
      return { kind, first, stop, starts, startOf, halfHours, out: new Map<number, PeriodTotal[]>() };
    });
    const lo = Math.min(...spans.map((x) => x.first));
    const hi = Math.max(...spans.map((x) => x.stop));
    for (const id of meterIds) {
      const d = this.readings.summaries([id], lo, hi);
      for (const x of spans) {
        const accs = new Map(x.starts.map((s) => [s, emptyAcc()]));
        for (let i = 0; i < d.count; i++) {
          const day = d.day[i]!;
          if (day >= x.first && day < x.stop) addDay(accs.get(x.startOf[day - x.first]!)!, d, i);
        }
        x.out.set(
          id,
          [...accs].map(([s, a]) => total(x.kind, s, a, 1, x.halfHours.get(s))),
        );
      }
    }
    return new Map(spans.map((x) => [x.kind, x.out]));
  }

  /** A meter's baseload (kW) on each of its complete days in [from, to) (data-quality.ts). */
  dayBaseloads(meterId: number, from: number, to: number): Map<number, number> {
    const v = this.readings.readDays(meterId, from, to);
    const out = new Map<number, number>();
    const scratch = new Float64Array(50);
    for (let i = 0; i < v.days.length; i++) {
      const kw = baseloadKw(v.values, v.offsets[i]!, v.offsets[i + 1]!, scratch);
      if (kw !== null) out.set(v.days[i]!, kw);
    }
    return out;
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

  /** The last day a "latest" view may use: `asAt` when given, else yesterday (UK local). */
  asAtDay(asAt?: string): number {
    const yesterday = localDayOf(Math.floor(this.clock.now() / 1000)) - 1;
    return asAt === undefined ? yesterday : toLocalDay(asAt);
  }

  /**
   * A meter's latest complete day, week, month and year that have readings, each against the one before
   * and a year earlier, anchored on the meter's last complete day up to `asAt`.
   */
  latest(meter: string, asAt?: string): MeterLatest {
    const { id } = this.meters.meterRow(meter);
    const cap = this.asAtDay(asAt);
    const last = this.readings.lastCompleteDays([id], cap + 1, COMPLETE_DAY_HALF_HOURS).get(id) ?? null;
    const first = this.readings.valueSpan(id);
    const firstDay = first ? localDayOf(first.first) : null;
    const periods: MeterLatest['periods'] = PERIOD_KINDS.map((kind) => {
      let start = last === null ? null : latestCompleteStart(kind, last);
      // walk back past periods with no readings at all (never a 0 % period as the headline)
      while (start !== null && firstDay !== null && nextPeriodStart(kind, start) > firstDay) {
        if (this.readings.counts([id], start, nextPeriodStart(kind, start)).present > 0) break;
        start = previousPeriodStart(kind, start);
      }
      if (start === null || firstDay === null || nextPeriodStart(kind, start) <= firstDay)
        return { kind, previous: null, yearAgo: null };
      return {
        kind,
        previous: this.compareIds([id], meter.trim(), kind, start, 'previous'),
        yearAgo: this.compareIds([id], meter.trim(), kind, start, 'year-ago'),
      };
    });
    return {
      meter: meter.trim(),
      asAt: isoDay(cap),
      lastCompleteDay: last === null ? null : isoDay(last),
      periods,
    };
  }

  /** A meter's half-hour counts over [from, to) (default: its days with data), by the one definition. */
  quality(meter: string, from?: string, to?: string): MeterQuality {
    const { id } = this.meters.meterRow(meter);
    const span = this.readings.spans([id]).get(id);
    const fromDay = from !== undefined ? toLocalDay(from) : span ? localDayOf(span.first) : null;
    const toDay = to !== undefined ? toLocalDay(to) : span ? localDayOf(span.last) + 1 : null;
    const last = this.readings.lastCompleteDays([id], 1e7, COMPLETE_DAY_HALF_HOURS).get(id) ?? null;
    if (fromDay === null || toDay === null) {
      const today = isoDay(this.asAtDay() + 1);
      return { meter: meter.trim(), from: today, to: today, ...halfHourCounts(0, 0, 0), kwh: 0, lastCompleteDay: null };
    }
    if (toDay <= fromDay) throw new AppError('INVALID_ARGS', '"to" must be after "from"');
    if (toDay - fromDay > 20000) throw new AppError('INVALID_ARGS', 'That range has more than 20,000 days');
    const c = this.readings.counts([id], fromDay, toDay);
    return {
      meter: meter.trim(),
      from: isoDay(fromDay),
      to: isoDay(toDay),
      ...halfHourCounts(halfHoursBetween(fromDay, toDay), c.present, c.estimated),
      kwh: round(c.kwh),
      lastCompleteDay: last === null ? null : isoDay(last),
    };
  }

  /** The portfolio's anchor up to `cap`: the median of the meters' last complete days (and those days). */
  anchor(meterIds: number[], cap: number): { lastComplete: Map<number, number>; anchor: number | null } {
    const lastComplete = this.readings.lastCompleteDays(meterIds, cap + 1, COMPLETE_DAY_HALF_HOURS);
    return { lastComplete, anchor: portfolioAnchor([...lastComplete.values()], cap) };
  }

  /**
   * The dashboard, anchored on the data: each fuel on the median of its meters' last complete days,
   * the portfolio (movers, completeness, the month) on the median over all meters; never after `asAt`
   * (default yesterday). The month's cost and emissions are dashboard.month's (dashboard.ts).
   */
  dashboard(lastImport: ImportJob | null, lastAggregation: SchedulerRun | null, asAt?: string): DashboardSummary {
    const today = localDayOf(Math.floor(this.clock.now() / 1000));
    const cap = this.asAtDay(asAt);
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
    const { lastComplete, anchor } = this.anchor(
      meters.map((m) => m.id),
      cap,
    );
    // fuel_days answers whole-portfolio sums when current; the per-meter sums otherwise
    const fuelSum = (fuel: Fuel, ids: number[], from: number, to: number): { kwh: number; present: number } =>
      (to > from && this.readings.fuelTotal(fuel, from, to)) || this.readings.total(ids, from, to);
    const fuels: FuelTotals[] = [];
    const trend: DashboardSummary['trend'] = [];
    for (const fuel of ['electricity', 'gas'] as const) {
      const ids = meters.filter((m) => m.fuel === fuel).map((m) => m.id);
      if (!ids.length) continue;
      const fuelAnchor = portfolioAnchor(
        ids.filter((id) => lastComplete.has(id)).map((id) => lastComplete.get(id)!),
        cap,
      );
      const periods: FuelTotals['periods'] = [];
      if (fuelAnchor !== null) {
        const end = fuelAnchor + 1;
        for (const kind of ['day', 'week', 'month', 'year'] as const) {
          // The period containing the anchor, up to it, against the same number of days at the start
          // of the previous one: a part-period is never set against a whole one.
          const start = periodStart(kind, fuelAnchor);
          const prevStart = previousPeriodStart(kind, start);
          const prevEnd = Math.min(prevStart + (end - start), start);
          const cur = this.spanTotal(ids, start, end, fuel);
          const prev = this.spanTotal(ids, prevStart, prevEnd, fuel);
          const changePercent = prev.kwh > 0 ? Math.round(((cur.kwh - prev.kwh) / prev.kwh) * 10000) / 100 : null;
          periods.push({
            kind,
            label: periodLabel(kind, start),
            toDate: end < nextPeriodStart(kind, start) ? periodLabel('day', fuelAnchor) : null,
            kwh: cur.kwh,
            previousKwh: prev.kwh,
            changePercent,
            completeness: cur.completeness,
            previousCompleteness: prev.completeness,
            comparable: isComparable(cur.completeness, prev.completeness),
          });
        }
      }
      fuels.push({ fuel, meters: ids.length, latestDay: fuelAnchor === null ? null : isoDay(fuelAnchor), periods });
      if (anchor !== null) {
        const months: DashboardSummary['trend'][number]['months'] = [];
        let m = periodStart('month', anchor);
        for (let k = 0; k < 12; k++) m = previousPeriodStart('month', m);
        for (let k = 0; k < 13; k++, m = nextPeriodStart('month', m)) {
          const to = Math.min(nextPeriodStart('month', m), anchor + 1);
          const r = fuelSum(fuel, ids, m, to);
          const expected = halfHoursBetween(m, to) * ids.length;
          months.push({
            month: periodLabel('month', m),
            kwh: round(r.kwh),
            completeness: expected ? Math.round((r.present / expected) * 10000) / 10000 : 0,
          });
        }
        trend.push({ fuel, months });
      }
    }
    // movers: the last complete week up to the anchor against the one before
    const week = anchor === null ? null : periodStart('week', anchor + 1) - 7;
    const cur = week === null ? new Map<number, number>() : this.readings.kwhByMeter(week, week + 7);
    const prev = week === null ? new Map<number, number>() : this.readings.kwhByMeter(week - 7, week);
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
    // completeness: the 30 days up to the anchor, and the meters missing half-hours in them
    let completeness30d: number | null = null;
    let completenessWindow: DashboardSummary['completenessWindow'] = null;
    const behind: MeterBehind[] = [];
    if (anchor !== null && meters.length) {
      const from = anchor - 29;
      const to = anchor + 1;
      const perDay = halfHoursBetween(from, to);
      const present = this.readings.presentByMeter(from, to);
      let sum = 0;
      for (const m of meters) {
        const p = present.get(m.id) ?? 0;
        sum += p;
        if (p < perDay) {
          const last = lastComplete.get(m.id);
          behind.push({
            meter: m.identifier,
            name: m.label ?? m.identifier,
            fuel: m.fuel,
            lastCompleteDay: last === undefined ? null : isoDay(last),
            expectedHalfHours: perDay,
            missingHalfHours: perDay - p,
          });
        }
      }
      // longest behind first: no complete day, then the earliest last complete day, then the most missing
      behind.sort(
        (a, b) =>
          (a.lastCompleteDay ?? '').localeCompare(b.lastCompleteDay ?? '') ||
          b.missingHalfHours - a.missingHalfHours ||
          a.meter.localeCompare(b.meter),
      );
      completeness30d = Math.round((sum / (perDay * meters.length)) * 10000) / 10000;
      completenessWindow = { from: isoDay(from), to: isoDay(to) };
    }
    const monthStart = anchor === null ? null : periodStart('month', anchor);
    return {
      today: periodLabel('day', today),
      asAt: isoDay(cap),
      latestDay: anchor === null ? null : isoDay(anchor),
      fuels,
      movers: {
        meters: meterMovers.sort(byChange).slice(0, 10),
        sites: siteMovers.sort(byChange).slice(0, 10),
        week: week === null ? null : periodLabel('week', week),
      },
      completeness30d,
      completenessWindow,
      behind,
      month:
        anchor === null || monthStart === null
          ? null
          : { label: periodLabel('month', monthStart), from: isoDay(monthStart), to: isoDay(anchor + 1) },
      trend,
      meters: meters.length,
      lastImport,
      lastAggregation,
    };
  }
}

/** The start of the latest period of `kind` whose last day is on or before `day`. */
export function latestCompleteStart(kind: PeriodKind, day: number): number {
  const start = periodStart(kind, day);
  return nextPeriodStart(kind, start) === day + 1 ? start : previousPeriodStart(kind, start);
}

const PERIOD_KINDS: PeriodKind[] = ['day', 'week', 'month', 'year'];
