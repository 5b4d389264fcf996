/**
 * Switching analysis: prices a meter's same half-hours on its current tariff(s) and on every other
 * active tariff of its fuel and region, ranks them by saving, optionally moves use between bands
 * first (what-if), and keeps each analysis (history, the portfolio's latest, a run over all meters).
 */
import type Database from 'better-sqlite3';
import zlib from 'node:zlib';
import type {
  SwitchAlternative,
  SwitchAnalysis,
  SwitchRunFailure,
  SwitchSummary,
  WhatIf,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { COMPLETE_DAY_HALF_HOURS } from '../../../src-shared/domain/data-quality';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { isoDay, localDayOf } from '../../../src-shared/domain/periods';
import { distributorOf, distributorOfRegion } from '../../../src-shared/domain/regions';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import type { MeterRow, MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';
import type { Catalog, CostService } from './costing';
import { priceConsumption, round4, type Consumption, type PricedVersion } from './pricing';
import type { StoredTariff, TariffStore } from './tariff-store';

export const SWITCH_WARNING =
  'This comparison prices the same half-hours on every tariff: it assumes you keep the same usage pattern after switching. Exit fees, contract terms, and prices changing in future are not included.';

const DEFAULT_DAYS = 90;

export class SwitchingService {
  private regionStmt: Database.Statement | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly costing: CostService,
    private readonly store: TariffStore,
    private readonly meters: Pick<MeterService, 'meterRow'>,
    private readonly readings: ReadingsStore,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  /** For a meter that is not an MPAN: the distributor area of the region chosen for its site, or null. */
  private siteDistributor(meterId: number): number | null {
    const region = (this.regionStmt ??= this.sqlite
      .prepare('SELECT s.region_id FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.id = ?')
      .pluck()).get(meterId) as number | null | undefined;
    return region ? distributorOfRegion(region) : null;
  }

  /**
   * The default analysis window: the last `days` local days up to the meter's last complete day (at least 40
   * half-hours, the one definition in data-quality.ts), from its first reading if that is later. A partial last
   * day or one stray later reading does not move it; a meter with no complete day ends with its last reading.
   */
  private window(meter: MeterRow, days: number): [number, number] {
    const span = this.readings.valueSpan(meter.id);
    if (span === null)
      throw new AppError(
        'NOT_FOUND',
        `${meter.identifier} has no readings to analyse yet; import its half-hourly data first`,
        { reason: 'no-readings', meter: meter.identifier },
      );
    const lastDay = localDayOf(span.last);
    const complete = this.readings.lastCompleteDays([meter.id], lastDay + 1, COMPLETE_DAY_HALF_HOURS).get(meter.id);
    const to = (complete ?? lastDay) + 1;
    // "the last N days of data": a meter with less history is analysed over the days it has
    return [Math.max(to - days, localDayOf(span.first)), to];
  }

  /**
   * Prices the meter on its current tariff(s) and every other active tariff of its fuel and
   * region; ranks by saving. Saves the analysis unless `save` is false.
   */
  analyse(
    identifier: string,
    opts: { days?: number; fromDay?: number; toDay?: number; whatIfPercent?: number; save?: boolean },
    actor: string,
    catalog?: Catalog,
  ): SwitchAnalysis {
    const meter = this.meters.meterRow(identifier);
    const [fromDay, toDay] =
      opts.fromDay !== undefined && opts.toDay !== undefined
        ? [opts.fromDay, opts.toDay]
        : this.window(meter, opts.days ?? DEFAULT_DAYS);
    if (toDay <= fromDay) throw new AppError('INVALID_ARGS', '"to" must be after "from" (to is exclusive)');
    if (toDay - fromDay > 3660) throw new AppError('INVALID_ARGS', 'Analyse at most ten years at a time');
    const c = this.costing.consumption(meter.id, fromDay, toDay);
    const cat = catalog ?? this.costing.catalog();
    const basePlan = this.costing.planAsBilled(c, meter, cat);
    const lastDay = toDay - fromDay - 1;
    const currentId = basePlan.versions[basePlan.versionOfDay[lastDay]!]!.tariffId;
    const dno = distributorOf(meter.identifier) ?? this.siteDistributor(meter.id);
    const all = cat.all;
    const skipped: SwitchAnalysis['skipped'] = [];
    const candidates: StoredTariff[] = [];
    for (const t of all) {
      if (t.id === currentId) continue;
      if (t.fuel !== meter.fuel) continue; // other fuels are not alternatives (not listed)
      if (!this.store.isActive(t)) {
        skipped.push({ tariff: t.id, reason: 'no longer on sale (no version valid today or later)' });
        continue;
      }
      if (t.regions !== null) {
        if (dno === null) {
          skipped.push({
            tariff: t.id,
            reason:
              'sold only in some regions, and this meter’s region is not known: it is not an MPAN and its site has no region chosen',
          });
          continue;
        }
        if (!t.regions.includes(dno)) {
          skipped.push({ tariff: t.id, reason: `not sold in this meter’s region (distributor ${dno})` });
          continue;
        }
      }
      candidates.push(t);
    }
    // what-if: move N % of use from the most expensive band to the cheapest, then price everything on that
    let whatIf: WhatIf | null = null;
    let kwh: Float64Array | undefined;
    if (opts.whatIfPercent !== undefined && opts.whatIfPercent > 0) {
      const refPlan = (t: StoredTariff): PricedVersion =>
        this.costing.compiled(t, c, cat)[this.costing.versionIndex(t, toDay - 1).index]!;
      const current = basePlan.versions[basePlan.versionOfDay[lastDay]!]!;
      const multiBand = (v: PricedVersion): boolean =>
        v.energy !== null && v.price === null && new Set(v.energy.pence).size > 1;
      let ref: PricedVersion | null = multiBand(current) ? current : null;
      if (!ref) {
        for (const t of candidates) {
          const v = refPlan(t);
          if (multiBand(v)) {
            ref = v;
            break;
          }
        }
      }
      if (ref) {
        const shifted = shiftLoad(c, ref, opts.whatIfPercent / 100);
        kwh = shifted.kwh;
        whatIf = {
          percent: opts.whatIfPercent,
          referenceTariff: ref.tariffId,
          fromBand: shifted.fromBand,
          toBand: shifted.toBand,
          movedKwh: round4(shifted.moved),
        };
      }
    }
    const currentCost = priceConsumption(meter.identifier, c, basePlan, kwh);
    const alternatives: SwitchAlternative[] = [];
    for (const t of candidates) {
      const cost = priceConsumption(meter.identifier, c, this.costing.planOnTariff(t, c, meter, 'chosen', cat), kwh);
      if (cost.unpricedHalfHours > 0) {
        skipped.push({
          tariff: t.id,
          reason: `no half-hourly prices for ${cost.unpricedHalfHours} of the half-hours (import its prices for the period)`,
        });
        continue;
      }
      const saving = currentCost.totalPence - cost.totalPence;
      alternatives.push({
        tariff: t.id,
        name: t.name,
        supplier: t.supplier,
        totalPence: cost.totalPence,
        savingPence: round4(saving),
        savingPercent: currentCost.totalPence !== 0 ? round4((saving / currentCost.totalPence) * 100) : null,
        cost,
      });
    }
    alternatives.sort((a, b) => b.savingPence - a.savingPence || a.tariff.localeCompare(b.tariff));
    const basis = basePlan.basisOfDay[lastDay] === 'supplier-default' ? 'supplier-default' : 'assignment';
    const analysis: SwitchAnalysis = {
      id: 0,
      meter: meter.identifier,
      from: isoDay(fromDay),
      to: isoDay(toDay),
      ranAt: isoUtc(Math.floor(this.clock.now() / 1000)),
      ranBy: actor,
      inputs: {
        days: opts.fromDay !== undefined ? null : (opts.days ?? DEFAULT_DAYS),
        from: opts.fromDay !== undefined ? isoDay(opts.fromDay) : null,
        to: opts.toDay !== undefined ? isoDay(opts.toDay) : null,
        whatIfPercent: opts.whatIfPercent ?? null,
      },
      current: { ...currentCost, basis },
      alternatives,
      skipped,
      whatIf,
      warning: SWITCH_WARNING,
    };
    if (opts.whatIfPercent !== undefined && opts.whatIfPercent > 0 && !whatIf)
      analysis.current.notes.push(
        'The what-if needs a tariff with at least two different unit rates (time of use); none was found, so usage was not moved.',
      );
    if (opts.save !== false) analysis.id = this.saveAnalysis(meter.id, fromDay, toDay, analysis);
    return analysis;
  }

  private saveAnalysis(meterId: number, fromDay: number, toDay: number, a: SwitchAnalysis): number {
    const best = a.alternatives[0];
    const blob = zlib.deflateRawSync(Buffer.from(JSON.stringify(a)));
    const r = this.sqlite
      .prepare(
        `INSERT INTO switching_analyses (meter_id, ran_at, ran_by, from_day, to_day, current_tariff, current_pence, best_tariff, best_saving_pence, best_saving_percent, what_if_percent, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        meterId,
        Math.floor(this.clock.now() / 1000),
        a.ranBy,
        fromDay,
        toDay,
        a.current.tariff,
        a.current.totalPence,
        best?.tariff ?? null,
        best?.savingPence ?? 0,
        best?.savingPercent ?? null,
        a.whatIf?.percent ?? null,
        blob,
      );
    return Number(r.lastInsertRowid);
  }

  get(id: number): SwitchAnalysis {
    const r = this.sqlite.prepare('SELECT result FROM switching_analyses WHERE id = ?').pluck().get(id) as
      Buffer | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No saved analysis ${id}`);
    return { ...(JSON.parse(zlib.inflateRawSync(r).toString('utf8')) as SwitchAnalysis), id };
  }

  private static readonly SUMMARY = `SELECT a.id, m.identifier AS meter, m.label AS meterLabel, a.from_day AS fromDay, a.to_day AS toDay, a.ran_at AS ranAt, a.ran_by AS ranBy,
      a.current_tariff AS currentTariff, a.current_pence AS currentPence, a.best_tariff AS bestTariff, a.best_saving_pence AS bestSavingPence,
      a.best_saving_percent AS bestSavingPercent, a.what_if_percent AS whatIfPercent
    FROM switching_analyses a JOIN meters m ON m.id = a.meter_id`;

  private toSummary(r: Record<string, unknown>, names: Map<string, string>): SwitchSummary {
    const name = (id: string): string => names.get(id) ?? id;
    return {
      id: r.id as number,
      meter: r.meter as string,
      meterLabel: r.meterLabel as string | null,
      from: isoDay(r.fromDay as number),
      to: isoDay(r.toDay as number),
      ranAt: isoUtc(r.ranAt as number),
      ranBy: r.ranBy as string,
      currentTariff: r.currentTariff as string,
      currentTariffName: (r.currentTariff as string).split(', ').map(name).join(', then '),
      currentPence: r.currentPence as number,
      bestTariff: r.bestTariff as string | null,
      bestTariffName: r.bestTariff === null ? null : name(r.bestTariff as string),
      bestSavingPence: r.bestSavingPence as number,
      bestSavingPercent: r.bestSavingPercent as number | null,
      whatIfPercent: r.whatIfPercent as number | null,
    };
  }

  private tariffNames(): Map<string, string> {
    return new Map(this.sqlite.prepare('SELECT id, name FROM tariffs').raw().all() as [string, string][]);
  }

  history(identifier: string | undefined, limit = 200): SwitchSummary[] {
    const rows = identifier
      ? this.sqlite
          .prepare(`${SwitchingService.SUMMARY} WHERE a.meter_id = ? ORDER BY a.ran_at DESC, a.id DESC LIMIT ?`)
          .all(this.meters.meterRow(identifier).id, limit)
      : this.sqlite.prepare(`${SwitchingService.SUMMARY} ORDER BY a.ran_at DESC, a.id DESC LIMIT ?`).all(limit);
    const names = this.tariffNames();
    return (rows as Record<string, unknown>[]).map((r) => this.toSummary(r, names));
  }

  /** The latest analysis of each meter (ignoring what-ifs), best saving first. */
  portfolio(): SwitchSummary[] {
    const rows = this.sqlite
      .prepare(
        `${SwitchingService.SUMMARY} WHERE a.id IN (SELECT max(id) FROM switching_analyses WHERE what_if_percent IS NULL GROUP BY meter_id) ORDER BY a.best_saving_pence DESC, m.identifier`,
      )
      .all() as Record<string, unknown>[];
    const names = this.tariffNames();
    return rows.map((r) => this.toSummary(r, names));
  }

  /** Analyses every meter with readings, yielding between meters so the host stays responsive. */
  async runAll(
    days: number | undefined,
    actor: string,
  ): Promise<{ meters: number; analysed: number; failed: SwitchRunFailure[]; seconds: number }> {
    const t0 = performance.now();
    const withData = new Set(this.readings.metersWithData());
    const ids = (
      this.sqlite.prepare('SELECT id, identifier FROM meters ORDER BY identifier').raw().all() as [number, string][]
    )
      .filter(([id]) => withData.has(id))
      .map(([, identifier]) => identifier);
    const all = this.costing.catalog();
    const failed: SwitchRunFailure[] = [];
    let analysed = 0;
    let lastEvent = performance.now();
    this.events.emit('switching.progress', { done: 0, total: ids.length, meter: null, finished: false });
    for (let i = 0; i < ids.length; i++) {
      try {
        this.analyse(ids[i]!, { days }, actor, all);
        analysed++;
      } catch (e) {
        failed.push(
          e instanceof AppError
            ? {
                meter: ids[i]!,
                reason: e.message,
                code: e.code,
                ...(e.details !== undefined ? { details: e.details } : {}),
              }
            : {
                meter: ids[i]!,
                reason: 'The analysis failed unexpectedly (the log has the details)',
                code: 'INTERNAL',
              },
        );
        if (!(e instanceof AppError)) this.log.error(`switching analysis of ${ids[i]} failed`, e);
      }
      const now = performance.now();
      if (now - lastEvent > 250) {
        lastEvent = now;
        this.events.emit('switching.progress', { done: i + 1, total: ids.length, meter: ids[i]!, finished: false });
        await new Promise((r) => setImmediate(r));
      }
    }
    this.events.emit('switching.progress', { done: ids.length, total: ids.length, meter: null, finished: true });
    return { meters: ids.length, analysed, failed, seconds: Math.round(performance.now() - t0) / 1000 };
  }
}

/**
 * Moves `share` of each day's use in the reference tariff's most expensive band into its cheapest
 * band on the same day, spread evenly over that day's cheapest-band half-hours with readings.
 */
export function shiftLoad(
  c: Consumption,
  ref: PricedVersion,
  share: number,
): { kwh: Float64Array; moved: number; fromBand: string; toBand: string } {
  const e = ref.energy!;
  const max = Math.max(...e.pence);
  const min = Math.min(...e.pence);
  const isMax = e.pence.map((p) => p === max);
  const isMin = e.pence.map((p) => p === min);
  const names = (flags: boolean[]): string => [...new Set(e.names.filter((_n, i) => flags[i]))].join(' + ');
  const kwh = Float64Array.from(c.kwh);
  const slots = ref.gmt ? c.gmtSlot : c.slot;
  let moved = 0;
  const cheap: number[] = [];
  for (let d = 0; d < c.toDay - c.fromDay; d++) {
    const row = (c.holiday[d] === 1 && e.holidays ? 7 : c.weekday[d]!) * 48;
    const start = c.dayStart[d]!;
    const end = c.dayStart[d + 1]!;
    cheap.length = 0;
    let dayMoved = 0;
    for (let i = start; i < end; i++) {
      const k = kwh[i]!;
      if (k !== k) continue;
      const band = e.table[row + slots[i]!]!;
      if (isMin[band]) cheap.push(i);
    }
    if (cheap.length === 0) continue;
    for (let i = start; i < end; i++) {
      const k = kwh[i]!;
      if (k !== k) continue;
      if (isMax[e.table[row + slots[i]!]!]) {
        const m = k * share;
        kwh[i] = k - m;
        dayMoved += m;
      }
    }
    const each = dayMoved / cheap.length;
    for (const i of cheap) kwh[i] = kwh[i]! + each;
    moved += dayMoved;
  }
  return { kwh, moved, fromBand: names(isMax), toBand: names(isMin) };
}
