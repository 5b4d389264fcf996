/**
 * The analyses as the contract returns them (docs/analytics.md): a meter's baseload, peak, load
 * factor and hours split; its data quality and daily exceptions; degree-day baselines and CUSUM; and
 * the portfolio's league tables. Half-hours come only through the readings store (one range read
 * per meter); the arithmetic is compute.ts's and src-shared/domain/baseline.ts's.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type {
  AnalysisDay,
  BaselineResult,
  BaselineStats,
  CusumResult,
  ExceptionsReport,
  LeagueRow,
  MeterAnalysis,
  PortfolioAnalysis,
  QualityReport,
} from '../../../src-shared/contract/types';
import { weekdayOf } from '../../../src-shared/domain/bank-holidays';
import { halfHourCounts } from '../../../src-shared/domain/data-quality';
import { isoUtc } from '../../../src-shared/domain/london-time';
import {
  classifyDay,
  closedOn,
  formatOpeningHours,
  HOLIDAY,
  IN_HOURS,
  slotMinute,
  storedHours,
  WEEKEND,
  type WeekHours,
} from '../../../src-shared/domain/opening-hours';
import { isoDay, localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { MeterRow, MeterService } from '../meters/meter-service';
import { lengthOf, startOf } from '../readings/calendar';
import type { ReadingsStore } from '../readings/store';
import { toLocalDay, type TotalsService } from '../aggregation/totals';
import type { CostService } from '../tariffs/costing';
import { priceConsumption } from '../tariffs/pricing';
import type { CarbonService } from '../carbon/carbon-service';
import type { WeatherService } from '../weather/weather-service';
import {
  cusum,
  fitBaseline,
  heatingDegreeDays,
  predict,
  type BaselineDay,
  type BaselineModel,
  type DegreeDayFit,
} from '../../../src-shared/domain/baseline';
import {
  dailyFactsIn,
  dayClasses,
  DEFAULT_ZERO_RUN,
  qualityScanIn,
  rangeDays,
  type RangeDays,
  exceptions,
  EXCEPTION_WEEKS,
  HOLIDAY_DAY,
  meanBaseload,
  qualityScan,
  WEEKEND_DAY,
  type Classing,
  type DailyFacts,
  type Days,
} from './compute';

/** A meter with what its analyses need: its site's hours, closures, floor area and generation flag. */
export interface AnalysedMeter {
  row: MeterRow;
  site: { id: number; name: string; floorAreaM2: number | null; generation: boolean } | null;
  hoursDefault: boolean;
  classing: Classing;
}

/** A meter is stale when its latest reading is this many days or more before the range's end. */
export const STALE_DAYS = 14;
/** Longest range one meter's analysis takes (days). */
const MAX_DAYS = 3660;
const HISTORY = EXCEPTION_WEEKS * 7;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const orNull = (x: number): number | null => (x === x && Number.isFinite(x) ? x : null);

/**
 * The variable part of a cost (unit, DUoS unit and CCL charges with their VAT): the total less the
 * standing and capacity charges.
 */
function variablePence(c: {
  totalPence: number;
  vatPence: number;
  standingChargePence: number;
  capacityPence: number;
}): number {
  const exVat = c.totalPence - c.vatPence;
  if (exVat <= 0) return 0;
  return (exVat - c.standingChargePence - c.capacityPence) * (c.totalPence / exVat);
}

export class AnalyticsService {
  private siteStmt: Database.Statement | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly meters: MeterService,
    private readonly totals: TotalsService,
    private readonly costing: CostService,
    private readonly carbon: Pick<CarbonService, 'factorFor'>,
    private readonly weather: Pick<WeatherService, 'days'>,
    private readonly clock: Clock,
  ) {}

  /** A meter and its site's classing (default hours, no closures, no generation without a site). */
  analysed(row: MeterRow & { siteId?: number | null }): AnalysedMeter {
    const siteId =
      row.siteId !== undefined
        ? row.siteId
        : ((this.sqlite.prepare('SELECT site_id FROM meters WHERE id = ?').pluck().get(row.id) as number | null) ??
          null);
    if (siteId === null)
      return {
        row,
        site: null,
        hoursDefault: true,
        classing: { week: storedHours(null), closures: [], generation: false },
      };
    const s = (this.siteStmt ??= this.sqlite.prepare(
      'SELECT id, name, floor_area_m2 AS floorAreaM2, generation, opening_hours AS hours FROM sites WHERE id = ?',
    )).get(siteId) as {
      id: number;
      name: string;
      floorAreaM2: number | null;
      generation: number;
      hours: string | null;
    };
    return {
      row,
      site: { id: s.id, name: s.name, floorAreaM2: s.floorAreaM2, generation: s.generation === 1 },
      hoursDefault: s.hours === null,
      classing: { week: storedHours(s.hours), closures: this.meters.closureDays(s.id), generation: s.generation === 1 },
    };
  }

  /** Parses and checks a range of local days ([from, to), at most ten years). */
  range(from: string, to: string): { fromDay: number; toDay: number } {
    const fromDay = toLocalDay(from);
    const toDay = toLocalDay(to);
    if (toDay <= fromDay) throw new AppError('INVALID_ARGS', '"to" must be after "from" (to is exclusive)');
    if (toDay - fromDay > MAX_DAYS) throw new AppError('INVALID_ARGS', 'Analyse at most ten years at a time');
    return { fromDay, toDay };
  }

  /** Baseload, peak, load factor and the hours split of a meter over [from, to). */
  meter(identifier: string, from: string, to: string): MeterAnalysis {
    const { fromDay, toDay } = this.range(from, to);
    const m = this.analysed(this.meters.meterRow(identifier));
    const lastWeek = Math.max(fromDay, toDay - 7);
    // the trend's comparisons: the same 7 days a year earlier (364 days: same weekdays) and the 4 weeks before
    const yearAgo = lastWeek - 364;
    const readFrom = Math.min(fromDay, yearAgo);
    const v = this.readings.readDays(m.row.id, readFrom, toDay);
    // each day's half-hour classes worked out once: for the facts, the profile and the £ of out-of-hours use
    const cal = rangeDays(readFrom, toDay);
    const classes = dayClasses(cal, m.classing);
    const f = dailyFactsIn(v, cal, classes, m.classing.generation);
    const at = (day: number): number => day - readFrom;
    const classOf = (day: number): Uint8Array => classes[at(day)]!;
    const base = meanBaseload(f, at(fromDay), at(toDay));
    let kwh = 0;
    let present = 0;
    let expected = 0;
    let peak = NaN;
    let peakTs = NaN;
    const split = [0, 0, 0, 0];
    const days: AnalysisDay[] = [];
    let baseKwhOfDays = 0;
    let kwhOfBaseDays = 0;
    for (let day = fromDay; day < toDay; day++) {
      const i = at(day);
      kwh += f.kwh[i]!;
      present += f.present[i]!;
      expected += f.expected[i]!;
      for (let c = 0; c < 4; c++) split[c]! += f.split[i * 4 + c]!;
      if (f.peak[i]! > peak || (peak !== peak && f.peak[i] === f.peak[i])) {
        peak = f.peak[i]!;
        peakTs = f.peakTs[i]!;
      }
      const b = f.baseload[i]!;
      if (b === b) {
        baseKwhOfDays += (b * f.expected[i]!) / 2;
        kwhOfBaseDays += f.kwh[i]!;
      }
      days.push({
        date: isoDay(day),
        kwh: r3(f.kwh[i]!),
        expected: f.expected[i]!,
        present: f.present[i]!,
        estimated: f.estimated[i]!,
        baseloadKw: orNull(b),
        peakKw: f.peak[i] === f.peak[i] ? r3(f.peak[i]! * 2) : null,
        inHoursKwh: r3(f.split[i * 4]!),
        outOfHoursKwh: r3(f.split[i * 4 + 1]!),
        weekendKwh: r3(f.split[i * 4 + 2]!),
        holidayKwh: r3(f.split[i * 4 + 3]!),
        kind: f.kind[i] === HOLIDAY_DAY ? 'holiday' : f.kind[i] === WEEKEND_DAY ? 'weekend' : 'open',
      });
    }
    const peakKw = peak === peak ? peak * 2 : null;
    const meanKw = present > 0 ? kwh / (present / 2) : null;
    const cost = this.outOfHoursCost(m, fromDay, toDay, classOf);
    const floor = m.site?.floorAreaM2 ?? null;
    return {
      meter: m.row.identifier,
      fuel: m.row.fuel,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      site: m.site,
      openingHours: formatOpeningHours(m.classing.week),
      openingHoursDefault: m.hoursDefault,
      kwh: r3(kwh),
      presentHalfHours: present,
      expectedHalfHours: expected,
      baseloadKw: base.kw === null ? null : r6(base.kw),
      baseloadDays: base.days,
      baseloadMethod: m.classing.generation ? 'overnight' : 'lowest-8',
      baseloadShare: kwhOfBaseDays > 0 ? r6(baseKwhOfDays / kwhOfBaseDays) : null,
      baseloadKwPerM2: base.kw !== null && floor ? Math.round((base.kw / floor) * 1e6) / 1e6 : null,
      baseloadTrend: {
        lastWeekFrom: isoDay(lastWeek),
        lastWeekKw: orR6(meanBaseload(f, at(lastWeek), at(toDay)).kw),
        yearAgoKw: orR6(meanBaseload(f, at(yearAgo), at(yearAgo + 7)).kw),
        previous4WeeksKw: orR6(meanBaseload(f, at(lastWeek - 28), at(lastWeek)).kw),
      },
      peakKw: peakKw === null ? null : r3(peakKw),
      peakAt: peakTs === peakTs ? isoUtc(peakTs) : null,
      capacityKva: m.row.capacityKva,
      peakShareOfCapacity: peakKw !== null && m.row.capacityKva ? r6(peakKw / m.row.capacityKva) : null,
      meanKw: meanKw === null ? null : r6(meanKw),
      loadFactor: meanKw !== null && peakKw ? r6(meanKw / peakKw) : null,
      inHoursKwh: r3(split[IN_HOURS]!),
      outOfHoursKwh: r3(split[1]!),
      weekendKwh: r3(split[WEEKEND]!),
      holidayKwh: r3(split[HOLIDAY]!),
      outOfHoursShare: kwh > 0 ? r6(1 - split[IN_HOURS]! / kwh) : null,
      outOfHoursPence: cost.pence === null ? null : Math.round(cost.pence * 100) / 100,
      costNote: cost.note,
      days,
      profile: profile(v, fromDay, toDay, m.classing.week, classOf),
    };
  }

  /**
   * What the use outside opening hours (out of hours, weekend, holiday) cost: the meter's
   * consumption priced as billed with only those half-hours kept, its variable part (unit, DUoS and
   * CCL with VAT; standing and capacity charges are owed either way).
   */
  private outOfHoursCost(
    m: AnalysedMeter,
    fromDay: number,
    toDay: number,
    classOf: (day: number) => Uint8Array,
  ): { pence: number | null; note: string | null } {
    try {
      const c = this.costing.consumption(m.row.id, fromDay, toDay);
      const plan = this.costing.planAsBilled(c, m.row, this.costing.catalog());
      const masked = new Float64Array(c.kwh.length);
      for (let d = 0; d < toDay - fromDay; d++) {
        const day = fromDay + d;
        const cls = classOf(day);
        const start = startOf(day);
        for (let i = c.dayStart[d]!; i < c.dayStart[d + 1]!; i++) {
          const k = (c.ts[i]! - start) / 1800;
          masked[i] = cls[k] === IN_HOURS ? 0 : c.kwh[i]!;
        }
      }
      return { pence: variablePence(priceConsumption(m.row.identifier, c, plan, masked)), note: null };
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return { pence: null, note: `No £ figure: ${e.message}.` };
      throw e;
    }
  }

  /** The meter's average variable rate (p/kWh) over [fromDay, toDay) as billed, or null without a tariff. */
  variableRate(row: MeterRow, fromDay: number, toDay: number): number | null {
    try {
      const c = this.costing.cost(row.identifier, fromDay, toDay);
      return c.kwh > 0 ? variablePence(c) / c.kwh : null;
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /** Data quality of a meter over [from, to). */
  quality(identifier: string, from: string, to: string, zeroRun = DEFAULT_ZERO_RUN): QualityReport {
    const { fromDay, toDay } = this.range(from, to);
    const row = this.meters.meterRow(identifier);
    const v = this.readings.readDays(row.id, fromDay, toDay);
    const q = qualityScan(v, fromDay, toDay, zeroRun);
    const lastTs = q.lastTs === q.lastTs ? q.lastTs : this.lastValueBefore(row.id, fromDay);
    const end = Math.min(toDay, this.today() + 1);
    const run = (r: { from: number; halfHours: number }) => ({
      from: isoUtc(r.from),
      to: isoUtc(r.from + r.halfHours * 1800),
      halfHours: r.halfHours,
    });
    const days: QualityReport['days'] = [];
    let s = 0;
    for (let day = fromDay; day < toDay; day++) {
      while (s < v.days.length && v.days[s]! < day) s++;
      let present = 0;
      let estimated = 0;
      if (v.days[s] === day)
        for (let k = v.offsets[s]!; k < v.offsets[s + 1]!; k++) {
          if (v.values[k] === v.values[k]) present++;
          if (v.quality[k] === 1) estimated++;
        }
      days.push({ date: isoDay(day), expected: lengthOf(day), present, estimated });
    }
    return {
      meter: row.identifier,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      ...halfHourCounts(q.expected, q.present, q.estimated),
      gaps: q.gaps.map(run),
      zeroRuns: q.zeroRuns.map(run),
      negatives: q.negatives.map((n) => ({ start: isoUtc(n.ts), kwh: n.kwh })),
      outliers: q.outliers.map((o) => ({ start: isoUtc(o.ts), kwh: o.kwh, zscore: Math.round(o.z * 1000) / 1000 })),
      lastReading: lastTs === lastTs ? isoUtc(lastTs) : null,
      stale: isStale(lastTs, end),
      zeroRunMin: zeroRun,
      days,
    };
  }

  /** UTC start of the latest half-hour with a value before local day `beforeDay`; NaN when none. */
  private lastValueBefore(meterId: number, beforeDay: number): number {
    const day = this.readings.lastDayWithValues(meterId, beforeDay);
    if (day === null) return NaN;
    const v = this.readings.readDays(meterId, day, day + 1);
    let last = NaN;
    for (let k = 0; k < v.values.length; k++) if (v.values[k] === v.values[k]) last = startOf(day) + k * 1800;
    return last;
  }

  private today(): number {
    return localDayOf(Math.floor(this.clock.now() / 1000));
  }

  /** Daily exceptions of a meter over [from, to). */
  exceptions(identifier: string, from: string, to: string): ExceptionsReport {
    const { fromDay, toDay } = this.range(from, to);
    const row = this.meters.meterRow(identifier);
    const f = this.dayTotals(row.id, fromDay - HISTORY, toDay);
    const r = exceptions(f, fromDay, toDay);
    const rate = r.hits.length > 0 ? this.variableRate(row, fromDay, toDay) : null;
    return {
      meter: row.identifier,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      exceptions: r.hits.map((h) => ({
        date: isoDay(h.day),
        actualKwh: r3(h.actual),
        expectedKwh: r3(h.expected),
        excessKwh: r3(h.actual - h.expected),
        bandKwh: r3(h.band),
        excessPence: rate === null ? null : Math.round((h.actual - h.expected) * rate * 100) / 100,
        weeks: h.weeks,
      })),
      checkedDays: r.checked,
      uncheckedDays: r.unchecked,
      ratePencePerKwh: rate === null ? null : r6(rate),
    };
  }

  /**
   * A meter's whole days (every half-hour present) over [fromDay, toDay) with its site's weather,
   * for the degree-day models; open = a day with opening hours (not a weekend, bank holiday or closure).
   */
  /**
   * A meter's whole days (every half-hour present) over [fromDay, toDay) with its site's weather,
   * for the degree-day models; open = a day with opening hours (not a weekend, bank holiday or closure).
   * One kind of weather is used: mean temperatures, or imported degree days at one base — `use` when
   * given (a reporting period follows its baseline's kind), else the kind most of the days have. Days
   * with only another kind are left out, and a note says so.
   */
  private weatherDays(
    m: AnalysedMeter,
    fromDay: number,
    toDay: number,
    use?: { hddBase: number | null },
  ): { days: BaselineDay[]; hddBase: number | null; incomplete: number; notes: string[] } {
    if (!m.site)
      throw new AppError(
        'BAD_INPUT',
        `${m.row.identifier} is not on a site, so it has no weather: put it on a site with a location, then fetch or import the site's weather`,
      );
    const w = this.weather.days(m.site.id, fromDay, toDay);
    if (w.size === 0)
      throw new AppError(
        'BAD_INPUT',
        `Site "${m.site.name}" has no weather for ${isoDay(fromDay)} to ${isoDay(toDay - 1)}: fetch it from Open-Meteo (the site needs a location) or import a file of daily mean temperatures or degree days`,
      );
    const t = this.dayTotals(m.row.id, fromDay, toDay);
    const whole: number[] = [];
    let incomplete = 0;
    let temps = 0;
    const bases = new Map<number, number>();
    for (let d = 0; d < t.count; d++) {
      if (t.present[d] === 0 || t.present[d] !== t.expected[d]) {
        incomplete++;
        continue;
      }
      whole.push(d);
      const x = w.get(fromDay + d);
      if (x?.meanC != null) temps++;
      else if (x?.hdd != null && x.hddBase !== null) bases.set(x.hddBase, (bases.get(x.hddBase) ?? 0) + 1);
    }
    let hddBase: number | null;
    if (use) hddBase = use.hddBase;
    else {
      const best = [...bases].sort((a, b) => b[1] - a[1])[0];
      hddBase = best && best[1] > temps ? best[0] : null;
    }
    const days: BaselineDay[] = [];
    let other = 0;
    for (const d of whole) {
      const day = fromDay + d;
      const x = w.get(day);
      const meanC = hddBase === null ? (x?.meanC ?? null) : null;
      const hdd = hddBase !== null && x?.hddBase === hddBase ? x.hdd : null;
      if (x && meanC === null && hdd === null && (x.meanC !== null || x.hdd !== null)) other++;
      const cls = classifyDay(day, m.classing.week, closedOn(m.classing.closures, day));
      days.push({ day, kwh: t.kwh[d]!, meanC, hdd, open: cls[0] !== WEEKEND && cls[0] !== HOLIDAY });
    }
    const notes: string[] = [];
    if (other > 0)
      notes.push(
        `${other} ${other === 1 ? 'day has' : 'days have'} only another kind of weather (${hddBase === null ? 'imported degree days' : `mean temperatures or degree days at another base than ${hddBase} °C`}) and ${other === 1 ? 'was' : 'were'} left out: the model uses ${hddBase === null ? 'mean temperatures' : `the imported degree days at ${hddBase} °C`}.`,
      );
    return { days, hddBase, incomplete, notes };
  }

  private fit(
    m: AnalysedMeter,
    fromDay: number,
    toDay: number,
    opts: { baseTemperature?: number; splitOpenClosed?: boolean },
  ): { model: BaselineModel; result: BaselineResult; hddBase: number | null } {
    const { days, hddBase, incomplete, notes: weatherNotes } = this.weatherDays(m, fromDay, toDay);
    const model = fitBaseline(days, {
      fuel: m.row.fuel,
      hddBase,
      ...(opts.baseTemperature !== undefined ? { baseTemperature: opts.baseTemperature } : {}),
      ...(opts.splitOpenClosed ? { splitOpenClosed: true } : {}),
    });
    const top: DegreeDayFit | null = model.open;
    /** A split model's group statistics, over its own days. */
    const stats = (f: DegreeDayFit, open: boolean): BaselineStats => {
      let n = 0;
      let sum = 0;
      let sse = 0;
      let bias = 0;
      for (const d of days) {
        const p = (d.open !== false) === open ? predict(model, d) : null;
        if (p === null) continue;
        n++;
        sum += d.kwh;
        sse += (d.kwh - p) ** 2;
        bias += d.kwh - p;
      }
      const mean = n > 0 ? sum / n : 0;
      const dof = n - f.parameters;
      return {
        intercept: r6(f.intercept),
        slope: r6(f.slope),
        baseTemperature: f.baseTemperature,
        days: f.days,
        r2: r6(f.r2),
        cvrmse: dof > 0 && mean !== 0 ? r6(Math.sqrt(sse / dof) / mean) : 0,
        nmbe: dof > 0 && mean !== 0 ? Math.round((bias / (dof * mean)) * 1e6) / 1e6 : 0,
      };
    };
    const notes = [...weatherNotes, ...model.notes];
    if (hddBase !== null && opts.baseTemperature !== undefined && opts.baseTemperature !== hddBase)
      notes.unshift(
        `The site's weather is degree days imported at ${hddBase} °C, so the base temperature asked for (${opts.baseTemperature} °C) cannot be applied: the model uses ${hddBase} °C.`,
      );
    const one = incomplete === 1;
    if (incomplete > 0)
      notes.push(`${incomplete} day${one ? '' : 's'} without every half-hour ${one ? 'was' : 'were'} left out.`);
    const points: BaselineResult['points'] = [];
    for (const d of days) {
      const p = predict(model, d);
      if (p === null) continue;
      const fitOf = model.open && model.closed ? (d.open ? model.open : model.closed) : model;
      const tb = fitOf.baseTemperature;
      const hdd = model.weather === 'imported-hdd' ? d.hdd! : tb === null ? 0 : heatingDegreeDays(d.meanC!, tb);
      points.push({ date: isoDay(d.day), hdd: r3(hdd), kwh: r3(d.kwh), predictedKwh: r3(p), open: d.open !== false });
    }
    const result: BaselineResult = {
      meter: m.row.identifier,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      site: m.site ? { id: m.site.id, name: m.site.name } : null,
      intercept: r6(model.intercept ?? top?.intercept ?? 0),
      slope: r6(model.slope ?? top?.slope ?? 0),
      baseTemperature: model.baseTemperature ?? top?.baseTemperature ?? null,
      days: model.days,
      r2: r6(model.r2),
      cvrmse: r6(model.cvrmse),
      nmbe: Math.round(model.nmbe * 1e6) / 1e6,
      coolingSlope: model.cddSlope === null ? null : r6(model.cddSlope),
      coolingBaseTemperature: model.coolingBase,
      fixedBase: model.weather === 'imported-hdd',
      split: model.open && model.closed ? { open: stats(model.open, true), closed: stats(model.closed, false) } : null,
      flags: model.flags,
      notes,
      points,
    };
    return { model, result, hddBase };
  }

  /** A degree-day baseline of a meter over [from, to). */
  baseline(a: {
    meter: string;
    from: string;
    to: string;
    baseTemperature?: number;
    splitOpenClosed?: boolean;
  }): BaselineResult {
    const { fromDay, toDay } = this.range(a.from, a.to);
    return this.fit(this.analysed(this.meters.meterRow(a.meter)), fromDay, toDay, a).result;
  }

  /** CUSUM over the reporting period [from, to) against a baseline fitted over [baselineFrom, baselineTo). */
  cusum(a: {
    meter: string;
    from: string;
    to: string;
    baselineFrom: string;
    baselineTo: string;
    baseTemperature?: number;
    splitOpenClosed?: boolean;
  }): CusumResult {
    if (toLocalDay(a.baselineTo) <= toLocalDay(a.baselineFrom))
      throw new AppError('INVALID_ARGS', 'The baseline period must end after it starts (its "to" is exclusive)');
    const base = this.range(a.baselineFrom, a.baselineTo);
    const { fromDay, toDay } = this.range(a.from, a.to);
    const m = this.analysed(this.meters.meterRow(a.meter));
    const { model, result, hddBase } = this.fit(m, base.fromDay, base.toDay, a);
    const { days, incomplete } = this.weatherDays(m, fromDay, toDay, { hddBase });
    const c = cusum(model, days);
    const rate = this.variableRate(m.row, fromDay, toDay);
    const year = Number(isoDay(toDay - 1).slice(0, 4));
    const factor = this.carbon.factorFor(m.row.fuel, year);
    return {
      meter: m.row.identifier,
      model: result,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      days: c.days.map((d) => ({
        date: isoDay(d.day),
        actualKwh: r3(d.actualKwh),
        expectedKwh: r3(d.expectedKwh),
        cusumKwh: r3(d.cusumKwh),
      })),
      avoidedKwh: r3(c.avoidedKwh),
      avoidedPence: rate === null ? null : Math.round(c.avoidedKwh * rate * 100) / 100,
      avoidedKgCo2: factor === undefined ? null : r3(c.avoidedKwh * factor),
      skippedDays: c.skipped + incomplete,
    };
  }

  /** Day kWh, present and expected half-hours of a meter over [fromDay, toDay), from the day summaries. */
  dayTotals(
    meterId: number,
    fromDay: number,
    toDay: number,
  ): Pick<DailyFacts, 'fromDay' | 'count' | 'kwh' | 'present' | 'expected'> {
    const count = toDay - fromDay;
    const out = {
      fromDay,
      count,
      kwh: new Float64Array(count),
      present: new Int32Array(count),
      expected: new Uint8Array(count),
    };
    for (let d = 0; d < count; d++) out.expected[d] = lengthOf(fromDay + d);
    const s = this.readings.summaries([meterId], fromDay, toDay);
    for (let i = 0; i < s.count; i++) {
      const d = s.day[i]! - fromDay;
      out.kwh[d] = s.kwh[i]!;
      out.present[d] = s.present[i]!;
    }
    return out;
  }

  /**
   * Every meter's league-table row over [from, to) (default: the 4 weeks to the portfolio's anchor,
   * the median of the meters' last complete days, capped at `asAt` or yesterday; `to` alone: the 4
   * weeks before it). One range read per meter, 8 weeks longer than the range for the exceptions'
   * history.
   */
  portfolio(a: { from?: string; to?: string; asAt?: string }): PortfolioAnalysis {
    const started = performance.now();
    const rows = this.meters.analysisRows();
    let fromDay: number;
    let toDay: number;
    let anchor: number | null = null;
    if (a.to !== undefined) ({ fromDay, toDay } = this.range(a.from ?? isoDay(toLocalDay(a.to) - 28), a.to));
    else {
      const cap = this.totals.asAtDay(a.asAt);
      anchor = this.totals.anchor(
        rows.map((r) => r.id),
        cap,
      ).anchor;
      toDay = (anchor ?? cap) + 1;
      fromDay = a.from !== undefined ? toLocalDay(a.from) : toDay - 28;
      if (toDay <= fromDay) throw new AppError('INVALID_ARGS', '"from" must be before the analysis ends');
    }
    const end = Math.min(toDay, this.today() + 1);
    // the range's days once for every meter, each site's classes once for its meters
    const cal = rangeDays(Math.min(fromDay - HISTORY, toDay - 35), toDay);
    const sites = new Map<number, { m: AnalysedMeter; classes: Uint8Array[] }>();
    const out: LeagueRow[] = [];
    for (const r of rows) {
      const key = r.siteId ?? 0;
      let site = sites.get(key);
      if (!site) {
        const m = this.analysed(r);
        site = { m, classes: dayClasses(cal, m.classing) };
        sites.set(key, site);
      }
      out.push(this.leagueRow({ ...site.m, row: r }, cal, site.classes, fromDay, toDay, end));
    }
    return {
      from: isoDay(fromDay),
      to: isoDay(toDay),
      anchor: anchor === null ? null : isoDay(anchor),
      rows: out,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  private leagueRow(
    m: AnalysedMeter,
    cal: RangeDays,
    classes: readonly Uint8Array[],
    fromDay: number,
    toDay: number,
    end: number,
  ): LeagueRow {
    const readFrom = cal.fromDay;
    const v = this.readings.readDays(m.row.id, readFrom, toDay);
    const f = dailyFactsIn(v, cal, classes, m.classing.generation);
    const at = (day: number): number => day - readFrom;
    const q = qualityScanIn(v, cal, at(fromDay), at(toDay), DEFAULT_ZERO_RUN, false);
    const ex = exceptions(f, fromDay, toDay);
    let kwh = 0;
    let inHours = 0;
    for (let day = fromDay; day < toDay; day++) {
      kwh += f.kwh[at(day)]!;
      inHours += f.split[at(day) * 4]!;
    }
    const base = meanBaseload(f, at(fromDay), at(toDay)).kw;
    const last7 = meanBaseload(f, at(toDay - 7), at(toDay)).kw;
    const prev4 = meanBaseload(f, at(toDay - 35), at(toDay - 7)).kw;
    const lastTs = q.lastTs === q.lastTs ? q.lastTs : this.lastValueBefore(m.row.id, fromDay);
    const floor = m.site?.floorAreaM2 ?? null;
    return {
      meter: m.row.identifier,
      label: m.row.label ?? null,
      fuel: m.row.fuel,
      site: m.site ? { id: m.site.id, name: m.site.name } : null,
      floorAreaM2: floor,
      kwh: r3(kwh),
      baseloadKw: base === null ? null : r6(base),
      baseloadKwPerM2: base !== null && floor ? Math.round((base / floor) * 1e6) / 1e6 : null,
      baseloadChange: last7 !== null && prev4 ? r6(last7 / prev4 - 1) : null,
      outOfHoursShare: kwh > 0 ? r6(1 - inHours / kwh) : null,
      outOfHoursKwh: r3(kwh - inHours),
      exceptions: ex.hits.length,
      exceptionExcessKwh: r3(ex.hits.reduce((s, h) => s + h.actual - h.expected, 0)),
      exceptionsLastWeek: ex.hits.filter((h) => h.day >= toDay - 7).length,
      ...pick(halfHourCounts(q.expected, q.present, q.estimated)),
      gaps: q.gapCount,
      zeroRuns: q.zeroRunCount,
      negatives: q.negativeCount,
      outliers: q.outlierCount,
      lastReading: lastTs === lastTs ? isoUtc(lastTs) : null,
      stale: isStale(lastTs, end),
    };
  }
}

const pick = (c: ReturnType<typeof halfHourCounts>) => ({
  completeness: c.completeness,
  missingHalfHours: c.missingHalfHours,
});

const orR6 = (x: number | null): number | null => (x === null ? null : r6(x));

/** No reading in the 14 days before `endDay` (exclusive), or none at all. */
function isStale(lastTs: number, endDay: number): boolean {
  return !(lastTs === lastTs) || lastTs + 1800 <= startOf(endDay - STALE_DAYS);
}

/**
 * The average profile: mean kWh of each wall-clock half-hour (00:00 first) over open days and
 * over the other days (weekends, holidays), and which half-hours are open on the most common open
 * weekday's hours.
 */
function profile(
  v: Days,
  fromDay: number,
  toDay: number,
  week: WeekHours,
  classOf: (day: number) => Uint8Array,
): MeterAnalysis['profile'] {
  const sum = [new Float64Array(48), new Float64Array(48)];
  const n = [new Float64Array(48), new Float64Array(48)];
  let s = 0;
  const openCount = new Map<string, { count: number; week: WeekHours[number] }>();
  for (let day = fromDay; day < toDay; day++) {
    while (s < v.days.length && v.days[s]! < day) s++;
    const cls = classOf(day);
    const open = cls[0] !== WEEKEND && cls[0] !== HOLIDAY ? 0 : 1;
    if (open === 0) {
      const ranges = week[weekdayOf(day)]!;
      const key = JSON.stringify(ranges);
      const e = openCount.get(key) ?? { count: 0, week: ranges };
      e.count++;
      openCount.set(key, e);
    }
    if (v.days[s] !== day) continue;
    const len = lengthOf(day);
    const off = v.offsets[s]!;
    for (let k = 0; k < Math.min(len, v.offsets[s + 1]! - off); k++) {
      const x = v.values[off + k]!;
      if (x !== x) continue;
      const slot = slotMinute(len, k) / 30;
      sum[open]![slot]! += x;
      n[open]![slot]!++;
    }
  }
  const typical = [...openCount.values()].sort((a, b) => b.count - a.count)[0]?.week ?? [];
  const mean = (g: 0 | 1) => Array.from({ length: 48 }, (_, i) => (n[g]![i]! > 0 ? r6(sum[g]![i]! / n[g]![i]!) : null));
  return {
    open: mean(0),
    closed: mean(1),
    openSlots: Array.from({ length: 48 }, (_, i) => typical.some(([a, b]) => i * 30 >= a && i * 30 < b)),
  };
}
