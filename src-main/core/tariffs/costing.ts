/**
 * What a meter's use costs: reads its half-hours once (packed days from the readings store, into
 * typed arrays) and prices them on the tariffs in force ("as billed": its assignments, else its
 * supplier's default) or on a chosen tariff. pricing.ts holds the arithmetic and the rounding rule;
 * switching.ts prices the same plans on every alternative. docs/tariffs.md.
 */
import type { CostResult, Fuel } from '../../../src-shared/contract/types';
import { AppError, type NoTariffDetails } from '../../../src-shared/contract/errors';
import { dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import { distributorOf } from '../../../src-shared/domain/regions';
import type { MeterRow, MeterService } from '../meters/meter-service';
import type { DayVectors, ReadingsStore } from '../readings/store';
import {
  compileVersion,
  consumptionOfDays,
  priceConsumption,
  type Consumption,
  type DayPlan,
  type PricedVersion,
} from './pricing';
import type { StoredTariff, TariffStore } from './tariff-store';

/**
 * The tariffs one analysis (or a whole portfolio run) works from: read from SQLite once, compiled
 * once per price window and shared by every meter priced on that window.
 */
export interface Catalog {
  all: StoredTariff[];
  byId: Map<string, StoredTariff>;
  compiled: Map<string, PricedVersion[]>;
}

export class CostService {
  constructor(
    private readonly store: TariffStore,
    private readonly meters: Pick<MeterService, 'meterRow'>,
    private readonly readings: ReadingsStore,
  ) {}

  /**
   * One meter's half-hours over local days [fromDay, toDay): its packed days, one range read, into
   * typed arrays; each half-hour's time is its day's start plus its place in the day. Half-hours
   * listed as missing are kept (NaN), ones never received are left out.
   */
  consumption(meterId: number, fromDay: number, toDay: number): Consumption {
    const d = this.readings.readDays(meterId, fromDay, toDay);
    return consumptionOfDays(fromDay, toDay, d.days, d.offsets, d.values, d.quality);
  }

  /** A snapshot of every tariff for one analysis or one portfolio run. */
  catalog(): Catalog {
    const all = this.store.all();
    return { all, byId: new Map(all.map((t) => [t.id, t])), compiled: new Map() };
  }

  /** Compiled versions of a tariff, with dynamic prices loaded for the consumption's span (cached in the catalog). */
  compiled(t: StoredTariff, c: Consumption, cat: Catalog): PricedVersion[] {
    const key = `${t.id}\u0000${c.fromDay}\u0000${c.toDay}`;
    const hit = cat.compiled.get(key);
    if (hit) return hit;
    const fromTs = dayStartUtc(c.fromDay);
    const toTs = dayStartUtc(c.toDay);
    const dynamic = t.versions.some((v) => Array.isArray(v.spec.halfHourlyPrices));
    const lookup: PricedVersion['price'] = dynamic
      ? { from: fromTs, pence: this.store.pricesBetween(t.id, fromTs, toTs) }
      : null;
    const out = t.versions.map((v) => compileVersion(t.id, t.name, v.validFrom, v.spec, lookup));
    cat.compiled.set(key, out);
    return out;
  }

  /**
   * Which version of `t` prices `day`: the one in force, else the nearest (the first version
   * before the tariff began, the last one after it ended) — reported in notes.
   */
  versionIndex(t: StoredTariff, day: number): { index: number; stretched: boolean } {
    const vs = t.versions;
    for (let i = 0; i < vs.length; i++)
      if (vs[i]!.validFrom <= day && (vs[i]!.end === null || day < vs[i]!.end!)) return { index: i, stretched: false };
    if (day < vs[0]!.validFrom) return { index: 0, stretched: true };
    let last = 0;
    for (let i = 0; i < vs.length; i++) if (vs[i]!.validFrom <= day) last = i;
    return { index: last, stretched: true };
  }

  /** A plan pricing every day on one tariff (its versions in force, stretched where needed). */
  planOnTariff(
    t: StoredTariff,
    c: Consumption,
    meter: MeterRow,
    basis: 'chosen' | 'assignment' | 'supplier-default',
    cat: Catalog,
  ): DayPlan {
    const days = c.toDay - c.fromDay;
    const versions = this.compiled(t, c, cat);
    const versionOfDay = new Int32Array(days);
    const stretchedDays: number[] = [];
    for (let d = 0; d < days; d++) {
      const v = this.versionIndex(t, c.fromDay + d);
      versionOfDay[d] = v.index;
      if (v.stretched) stretchedDays.push(c.fromDay + d);
    }
    const notes: string[] = [];
    if (stretchedDays.length > 0) notes.push(stretchNote(t, stretchedDays));
    return { versions, versionOfDay, basisOfDay: new Array(days).fill(basis), capacityKva: meter.capacityKva, notes };
  }

  /** The plan "as billed": each day on the meter's assignment, else its supplier's default tariff. */
  planAsBilled(c: Consumption, meter: MeterRow, cat: Catalog): DayPlan {
    const days = c.toDay - c.fromDay;
    const assignments = this.store.assignmentDays(meter.id);
    const tariffs = new Map<string, StoredTariff>();
    const tariffOf = (id: string): StoredTariff => {
      let t = tariffs.get(id);
      if (!t) {
        t = cat.byId.get(id) ?? this.store.get(id);
        tariffs.set(id, t);
      }
      return t;
    };
    let fallback: StoredTariff | null | undefined;
    const fallbackTariff = (): StoredTariff | null => {
      if (fallback !== undefined) return fallback;
      const supplier =
        meter.supplier ??
        (assignments.length > 0 ? tariffOf(assignments[assignments.length - 1]!.tariffId).supplier : null);
      fallback = supplier ? supplierDefault(cat.all, supplier, meter.fuel, distributorOf(meter.identifier)) : null;
      return fallback;
    };
    const versions: PricedVersion[] = [];
    const offsets = new Map<string, number>();
    const versionOfDay = new Int32Array(days);
    const basisOfDay: DayPlan['basisOfDay'] = new Array(days);
    const stretched = new Map<string, number[]>();
    let defaultDays = 0;
    let a = -1;
    for (let d = 0; d < days; d++) {
      const day = c.fromDay + d;
      while (a + 1 < assignments.length && assignments[a + 1]!.fromDay <= day) a++;
      let t: StoredTariff | null;
      if (a >= 0) {
        t = tariffOf(assignments[a]!.tariffId);
        basisOfDay[d] = 'assignment';
      } else {
        t = fallbackTariff();
        basisOfDay[d] = 'supplier-default';
        defaultDays++;
        if (!t) {
          const first = assignments[0] ? ` (its first assignment starts ${isoDay(assignments[0].fromDay)})` : '';
          const why =
            meter.supplier !== null || assignments.length > 0
              ? 'and its supplier has no default tariff for this fuel'
              : 'and no supplier is set for it';
          const details: NoTariffDetails = {
            reason: 'no-tariff',
            meter: meter.identifier,
            from: isoDay(day),
            firstAssignment: assignments[0] ? isoDay(assignments[0].fromDay) : null,
            supplier: meter.supplier,
          };
          // each host words the remedy: the CLI names its command, the UI links to the meter's tariff
          throw new AppError(
            'NOT_FOUND',
            `${meter.identifier} has no tariff for ${isoDay(day)}${first} ${why}: assign a tariff from that date, or set the meter's supplier and mark one of that supplier's tariffs as its default`,
            details,
          );
        }
      }
      if (!offsets.has(t.id)) {
        offsets.set(t.id, versions.length);
        versions.push(...this.compiled(t, c, cat));
      }
      const v = this.versionIndex(t, day);
      versionOfDay[d] = offsets.get(t.id)! + v.index;
      if (v.stretched) stretched.set(t.id, [...(stretched.get(t.id) ?? []), day]);
    }
    const notes: string[] = [];
    if (defaultDays > 0) {
      const t = fallback!;
      notes.push(
        `No tariff is assigned for ${defaultDays === days ? 'this period' : `${defaultDays} of the ${days} days`}: they are priced on ${t.supplier}'s default ${meter.fuel} tariff "${t.name}" (${t.id}). Assign the meter's tariff for an exact cost.`,
      );
    }
    for (const [id, list] of stretched) notes.push(stretchNote(tariffOf(id), list));
    return { versions, versionOfDay, basisOfDay, capacityKva: meter.capacityKva, notes };
  }

  /** What a meter's consumption over [fromDay, toDay) costs (as billed, or on one tariff). */
  cost(identifier: string, fromDay: number, toDay: number, tariffId?: string): CostResult {
    if (toDay <= fromDay) throw new AppError('INVALID_ARGS', '"to" must be after "from" (to is exclusive)');
    if (toDay - fromDay > 3660) throw new AppError('INVALID_ARGS', 'Price at most ten years at a time');
    const meter = this.meters.meterRow(identifier);
    if (tariffId === undefined)
      return this.costAsBilled(meter, this.readings.readDays(meter.id, fromDay, toDay), fromDay, toDay, this.catalog());
    const t = this.store.get(tariffId);
    if (t.fuel !== meter.fuel)
      throw new AppError(
        'BAD_INPUT',
        `"${t.id}" is a ${t.fuel} tariff and ${meter.identifier} is a ${meter.fuel} meter`,
      );
    const c = this.consumption(meter.id, fromDay, toDay);
    return priceConsumption(meter.identifier, c, this.planOnTariff(t, c, meter, 'chosen', this.catalog()));
  }

  /**
   * What a meter's days, already read over [fromDay, toDay), cost as billed: the Costs page's figure.
   * One catalog serves a portfolio's meters one after another.
   */
  costAsBilled(
    meter: MeterRow,
    d: Pick<DayVectors, 'days' | 'offsets' | 'values' | 'quality'>,
    fromDay: number,
    toDay: number,
    cat: Catalog,
  ): CostResult {
    const c = consumptionOfDays(fromDay, toDay, d.days, d.offsets, d.values, d.quality);
    return priceConsumption(meter.identifier, c, this.planAsBilled(c, meter, cat));
  }
}

/** The default tariff of a supplier for a fuel (a regional one for the meter's distributor first), or null. */
export function supplierDefault(
  all: readonly StoredTariff[],
  supplier: string,
  fuel: Fuel,
  distributor: number | null,
): StoredTariff | null {
  const candidates = all.filter(
    (t) => t.fuel === fuel && t.isDefault && t.supplier.toLowerCase() === supplier.toLowerCase(),
  );
  const regional = candidates.find(
    (t) => t.regions !== null && distributor !== null && t.regions.includes(distributor),
  );
  return regional ?? candidates.find((t) => t.regions === null) ?? null;
}

function stretchNote(t: StoredTariff, days: number[]): string {
  const first = t.versions[0]!.validFrom;
  const before = days.filter((d) => d < first);
  const after = days.filter((d) => d >= first);
  const parts: string[] = [];
  const n = (k: number): string => `${k} day${k === 1 ? '' : 's'}`;
  if (before.length > 0)
    parts.push(
      `${n(before.length)} before it began (${isoDay(first)}) ${before.length === 1 ? 'is' : 'are'} priced at its first rates`,
    );
  if (after.length > 0)
    parts.push(
      `${n(after.length)} from ${isoDay(after[0]!)} that no version covers (a version's validTo is the first day it no longer applies) ${after.length === 1 ? 'is' : 'are'} priced at the latest earlier version's rates`,
    );
  return `"${t.name}" (${t.id}): ${parts.join('; ')}.`;
}
