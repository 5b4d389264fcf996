/**
 * The pricing engine: pure arithmetic over a meter's half-hours, no database.
 *
 * A `Consumption` holds one meter's half-hours over UK local days [fromDay, toDay) in typed arrays
 * (read once, priced on any number of tariffs). `priceConsumption` walks it day by day with a
 * `DayPlan` saying which tariff version and CCL rate apply each day, and returns a breakdown that
 * can be reproduced by hand: per stretch of days with one version and one CCL rate, kWh and pence
 * per band, standing charge = days × rate, CCL = kWh × rate, capacity = days × kVA × rate,
 * VAT = (units + standing + CCL + capacity) × VAT rate.
 *
 * Rounding: nothing is rounded while computing; every figure is rounded to 4 decimal places of a
 * penny only when the result is written (`round4`), and the app shows pounds rounded half-up to
 * the penny. The total is the rounded unrounded sum, so it can differ from the sum of the rounded
 * parts by at most a few ten-thousandths of a penny.
 */
import { halfHourCounts } from '../../../src-shared/domain/data-quality';
import type { CostBand, CostPeriod, CostResult } from '../../../src-shared/contract/types';
import { isBankHoliday, weekdayOf } from '../../../src-shared/domain/bank-holidays';
import { londonOffset } from '../../../src-shared/domain/london-time';
import { dayStartUtc, isoDay as isoDayOf } from '../../../src-shared/domain/periods';
import { compileRates, type CompiledRates, type TariffSpec } from '../../../src-shared/domain/tariff-spec';
import { statutoryCclPence } from './ccl';

export const round4 = (x: number): number => {
  const r = Math.round(x * 1e4) / 1e4;
  return r === 0 ? 0 : r; // no -0 in JSON
};

/** One meter's half-hours over UK local days [fromDay, toDay). */
export interface Consumption {
  fromDay: number;
  toDay: number;
  /** Half-hours of day d are indexes dayStart[d - fromDay] … dayStart[d - fromDay + 1] - 1. */
  dayStart: Int32Array;
  ts: Float64Array;
  /** kWh; NaN for a half-hour flagged missing. */
  kwh: Float64Array;
  /** Wall-clock slot of the start (0 = 00:00 … 47 = 23:30), UK local and GMT. */
  slot: Uint8Array;
  gmtSlot: Uint8Array;
  /** Per day: 0–6 Monday–Sunday, and whether it is an England & Wales bank holiday. */
  weekday: Uint8Array;
  holiday: Uint8Array;
  expectedHalfHours: number;
  /** Per-stretch class sums shared by every tariff priced on this consumption. */
  sums: Map<string, { source: Float64Array; sums: StretchSums }>;
  /**
   * Each half-hour's index into a dynamic tariff's price window starting at `from` (shared by every dynamic tariff on
   * that window).
   */
  priceIndex: { from: number; index: Int32Array } | null;
}

/**
 * Builds a Consumption straight from a meter's stored days (the readings store's day vectors:
 * `dayList` ascending within [fromDay, toDay), day i's half-hours at [offsets[i], offsets[i + 1]),
 * quality 3 = not received and left out): times and wall-clock slots follow from each half-hour's
 * place in its day, with no search for day boundaries.
 */
export function consumptionOfDays(
  fromDay: number,
  toDay: number,
  dayList: Int32Array,
  offsets: Int32Array,
  values: Float64Array,
  quality: Uint8Array,
): Consumption {
  const days = toDay - fromDay;
  let n = 0;
  for (let k = 0; k < quality.length; k++) if (quality[k] !== 3) n++;
  const c: Consumption = {
    fromDay,
    toDay,
    dayStart: new Int32Array(days + 1),
    ts: new Float64Array(n),
    kwh: new Float64Array(n),
    slot: new Uint8Array(n),
    gmtSlot: new Uint8Array(n),
    weekday: new Uint8Array(days),
    holiday: new Uint8Array(days),
    expectedHalfHours: 0,
    sums: new Map(),
    priceIndex: null,
  };
  let i = 0;
  let di = 0;
  for (let d = 0; d < days; d++) {
    const day = fromDay + d;
    const info = dayInfo(day);
    const start = info.start;
    const len = (dayInfo(day + 1).start - start) / 1800;
    c.dayStart[d] = i;
    c.weekday[d] = info.weekday;
    c.holiday[d] = info.holiday;
    c.expectedHalfHours += len;
    while (di < dayList.length && dayList[di]! < day) di++;
    if (di >= dayList.length || dayList[di] !== day) continue;
    const a = offsets[di]!;
    const gmtBase = (((start % 86400) + 86400) % 86400) / 1800;
    for (let k = a; k < offsets[di + 1]!; k++) {
      if (quality[k] === 3) continue;
      const s = k - a;
      const t = start + s * 1800;
      c.ts[i] = t;
      c.kwh[i] = values[k]!;
      if (len === 48) {
        c.slot[i] = s;
        c.gmtSlot[i] = (gmtBase + s) % 48;
      } else {
        c.slot[i] = Math.floor(((((t + londonOffset(t)) % 86400) + 86400) % 86400) / 1800);
        c.gmtSlot[i] = Math.floor((((t % 86400) + 86400) % 86400) / 1800);
      }
      i++;
    }
  }
  c.dayStart[days] = i;
  return c;
}

/** A day's ISO date, memoised (a portfolio run writes the same few dates into 50,000 breakdowns). */
const isoMemo = new Map<number, string>();
function isoDay(day: number): string {
  let s = isoMemo.get(day);
  if (s === undefined) {
    if (isoMemo.size > 20_000) isoMemo.clear();
    s = isoDayOf(day);
    isoMemo.set(day, s);
  }
  return s;
}

/**
 * Local midnight (UTC), weekday and bank-holiday flag of a day, memoised (a portfolio run asks for the same days per
 * meter).
 */
const dayMemo = new Map<number, { start: number; weekday: number; holiday: number }>();
export function dayInfo(day: number): { start: number; weekday: number; holiday: number } {
  let info = dayMemo.get(day);
  if (!info) {
    if (dayMemo.size > 20_000) dayMemo.clear();
    info = { start: dayStartUtc(day), weekday: weekdayOf(day), holiday: isBankHoliday(day) ? 1 : 0 };
    dayMemo.set(day, info);
  }
  return info;
}

/**
 * kWh per day class (weekday 0–6, +7 on bank holidays) × wall-clock slot over days [d0, d1), with
 * the half-hour count: every fixed-rate tariff priced on the same stretch shares one pass over the
 * half-hours, and then costs 14 × 48 multiply-adds instead of one per half-hour.
 */
interface StretchSums {
  k: Float64Array;
  present: number;
  kwh: number;
}

function stretchSums(c: Consumption, kwhArr: Float64Array, d0: number, d1: number, gmt: boolean): StretchSums {
  const key = `${d0}:${d1}:${gmt ? 1 : 0}:${kwhArr === c.kwh ? 0 : 1}`;
  const hit = c.sums.get(key);
  if (hit && hit.source === kwhArr) return hit.sums;
  const k = new Float64Array(14 * 48);
  const slots = gmt ? c.gmtSlot : c.slot;
  let present = 0;
  let total = 0;
  for (let d = d0; d < d1; d++) {
    const base = (c.weekday[d]! + (c.holiday[d] === 1 ? 7 : 0)) * 48;
    const end = c.dayStart[d + 1]!;
    for (let i = c.dayStart[d]!; i < end; i++) {
      const v = kwhArr[i]!;
      if (v !== v) continue;
      k[base + slots[i]!]! += v;
      present++;
      total += v;
    }
  }
  const sums = { k, present, kwh: total };
  c.sums.set(key, { source: kwhArr, sums });
  return sums;
}

/** A dynamic tariff's half-hourly prices over a window: pence[(ts - from) / 1800], NaN = none. */
export interface DynamicPrices {
  from: number;
  pence: Float64Array;
}

/** A tariff version ready to price: rates compiled, dynamic prices indexed by half-hour. */
export interface PricedVersion {
  tariffId: string;
  tariffName: string;
  validFrom: number;
  spec: TariffSpec;
  energy: CompiledRates | null;
  duos: CompiledRates | null;
  /** Dynamic tariffs: prices (p/kWh) per half-hour from `pricesFrom` (UTC epoch seconds), NaN = no price. */
  price: DynamicPrices | null;
  gmt: boolean;
}

export function compileVersion(
  tariffId: string,
  tariffName: string,
  validFrom: number,
  spec: TariffSpec,
  price: PricedVersion['price'],
): PricedVersion {
  return {
    tariffId,
    tariffName,
    validFrom,
    spec,
    energy: spec.rates && spec.rates.length > 0 ? compileRates(spec.rates) : null,
    duos: spec.duosRates && spec.duosRates.length > 0 ? compileRates(spec.duosRates, 'DUoS ') : null,
    price: Array.isArray(spec.halfHourlyPrices) ? price : null,
    gmt: spec.timeBasis === 'gmt',
  };
}

/** The CCL rate (p/kWh) a version charges on a day. */
export function cclOn(spec: TariffSpec, day: number): number {
  const c = spec.cclPencePerKwh;
  if (c === undefined) return 0;
  if (typeof c === 'number') return c;
  if (c === 'statutory') return statutoryCclPence(spec.fuel, day);
  const iso = isoDay(day);
  let rate = 0;
  for (const step of [...c].sort((a, b) => a.from.localeCompare(b.from))) if (step.from <= iso) rate = step.pencePerKwh;
  return rate;
}

/** Which version prices each day (index into `versions`), and on what basis. */
export interface DayPlan {
  versions: PricedVersion[];
  /** Per day of the consumption: index into versions. */
  versionOfDay: Int32Array;
  basisOfDay: ('assignment' | 'supplier-default' | 'chosen')[];
  capacityKva: number | null;
  notes: string[];
}

const DYNAMIC_BAND = 'Half-hourly price';

interface BandAcc {
  name: string;
  kind: 'energy' | 'duos';
  kwh: number;
  pence: number;
  rate: number | null;
  uniform: boolean;
}

function addBand(
  map: Map<string, BandAcc>,
  kind: 'energy' | 'duos',
  name: string,
  kwh: number,
  pence: number,
  rate: number | null,
): void {
  const key = `${kind}:${name}`;
  const b = map.get(key);
  if (!b) {
    map.set(key, { name, kind, kwh, pence, rate, uniform: rate !== null });
    return;
  }
  b.kwh += kwh;
  b.pence += pence;
  if (b.rate !== rate) b.uniform = false;
}

const toBands = (map: Map<string, BandAcc>): CostBand[] =>
  [...map.values()].map((b) => ({
    name: b.name,
    kind: b.kind,
    kwh: round4(b.kwh),
    pence: round4(b.pence),
    pencePerKwh: b.uniform ? b.rate : null,
  }));

/** Per-rate kWh and pence accumulators reused across calls (no allocation per half-hour). */
const scratchKwh = new Float64Array(64);
const scratchDuos = new Float64Array(64);

/**
 * Prices a consumption on a plan. `meter` and the dates are only echoed into the result.
 * `kwhOverride` prices modified half-hours (the what-if) instead of the consumption's own.
 */
export function priceConsumption(meter: string, c: Consumption, plan: DayPlan, kwhOverride?: Float64Array): CostResult {
  const kwhArr = kwhOverride ?? c.kwh;
  const days = c.toDay - c.fromDay;
  const periods: CostPeriod[] = [];
  const duosByPeriod: number[] = [];
  const allBands = new Map<string, BandAcc>();
  let present = 0;
  let unpriced = 0;
  let unpricedKwh = 0;
  let d0 = 0;
  while (d0 < days) {
    const v = plan.versionOfDay[d0]!;
    const pv = plan.versions[v]!;
    const ccl = cclOn(pv.spec, c.fromDay + d0);
    const basis = plan.basisOfDay[d0]!;
    let d1 = d0 + 1;
    while (
      d1 < days &&
      plan.versionOfDay[d1] === v &&
      plan.basisOfDay[d1] === basis &&
      cclOn(pv.spec, c.fromDay + d1) === ccl
    )
      d1++;
    // one stretch [d0, d1): one version, one CCL rate
    const energy = pv.energy;
    const duos = pv.duos;
    const nE = energy ? energy.pence.length : 0;
    const nD = duos ? duos.pence.length : 0;
    scratchKwh.fill(0, 0, nE);
    scratchDuos.fill(0, 0, nD);
    let dynKwh = 0;
    let dynPence = 0;
    let kwh = 0;
    if (pv.price) {
      // dynamic: half-hour by half-hour (prices differ every half-hour)
      const slots = pv.gmt ? c.gmtSlot : c.slot;
      const prices = pv.price.pence;
      const from = pv.price.from;
      if (c.priceIndex?.from !== from) {
        const index = new Int32Array(c.ts.length);
        for (let i = 0; i < index.length; i++) index[i] = (c.ts[i]! - from) / 1800;
        c.priceIndex = { from, index };
      }
      const at = c.priceIndex.index;
      const nPrices = prices.length;
      for (let d = d0; d < d1; d++) {
        const row = (c.holiday[d] === 1 && (!energy || energy.holidays) ? 7 : c.weekday[d]!) * 48;
        const rowD = (c.holiday[d] === 1 && duos?.holidays ? 7 : c.weekday[d]!) * 48;
        const end = c.dayStart[d + 1]!;
        for (let i = c.dayStart[d]!; i < end; i++) {
          const k = kwhArr[i]!;
          if (k !== k) continue; // NaN: missing
          present++;
          kwh += k;
          const s = slots[i]!;
          const j = at[i]!;
          const p = j >= 0 && j < nPrices ? prices[j]! : NaN;
          if (p === p) {
            dynKwh += k;
            dynPence += k * p;
          } else if (energy) scratchKwh[energy.table[row + s]!]! += k;
          else {
            unpriced++;
            unpricedKwh += k;
          }
          if (duos) scratchDuos[duos.table[rowD + s]!]! += k;
        }
      }
    } else {
      // fixed rates: kWh per day class and slot for the stretch, then one lookup per class and slot
      const sums = stretchSums(c, kwhArr, d0, d1, pv.gmt);
      present += sums.present;
      kwh = sums.kwh;
      const k = sums.k;
      for (let cls = 0; cls < 14; cls++) {
        const row = (cls >= 7 && energy!.holidays ? 7 : cls % 7) * 48;
        const rowD = duos ? (cls >= 7 && duos.holidays ? 7 : cls % 7) * 48 : 0;
        const base = cls * 48;
        for (let s = 0; s < 48; s++) {
          const v = k[base + s]!;
          if (v === 0) continue;
          scratchKwh[energy!.table[row + s]!]! += v;
          if (duos) scratchDuos[duos.table[rowD + s]!]! += v;
        }
      }
    }
    const bands = new Map<string, BandAcc>();
    let unit = 0;
    if (pv.price) {
      addBand(bands, 'energy', DYNAMIC_BAND, dynKwh, dynPence, null);
      unit += dynPence;
    }
    if (energy) {
      for (let r = 0; r < nE; r++) {
        if (scratchKwh[r] === 0 && energy.pence.length > 1) continue;
        const p = scratchKwh[r]! * energy.pence[r]!;
        addBand(bands, 'energy', energy.names[r]!, scratchKwh[r]!, p, energy.pence[r]!);
        unit += p;
      }
    }
    let duosPence = 0;
    if (duos) {
      for (let r = 0; r < nD; r++) {
        if (scratchDuos[r] === 0) continue;
        const p = scratchDuos[r]! * duos.pence[r]!;
        addBand(bands, 'duos', duos.names[r]!, scratchDuos[r]!, p, duos.pence[r]!);
        duosPence += p;
      }
    }
    unit += duosPence;
    const n = d1 - d0;
    const standingRate = pv.spec.standingChargePencePerDay;
    const standing = n * standingRate;
    const cclPence = kwh * ccl;
    const capRate = pv.spec.capacityPencePerKvaPerDay ?? 0;
    const capacity = capRate > 0 && plan.capacityKva !== null ? n * plan.capacityKva * capRate : 0;
    const vat = (unit + standing + cclPence + capacity) * pv.spec.vatRate;
    for (const b of bands.values()) {
      addBand(allBands, b.kind, b.name, b.kwh, b.pence, b.rate);
      if (!b.uniform) allBands.get(`${b.kind}:${b.name}`)!.uniform = false;
    }
    periods.push({
      tariff: pv.tariffId,
      versionFrom: isoDay(pv.validFrom),
      basis,
      from: isoDay(c.fromDay + d0),
      to: isoDay(c.fromDay + d1),
      days: n,
      kwh,
      bands: toBands(bands),
      unitCostPence: unit,
      standingChargePencePerDay: standingRate,
      standingChargePence: standing,
      cclPencePerKwh: ccl,
      cclPence,
      capacityKva: capRate > 0 ? plan.capacityKva : null,
      capacityPence: capacity,
      vatRate: pv.spec.vatRate,
      vatPence: vat,
      totalPence: unit + standing + cclPence + capacity + vat,
    });
    duosByPeriod.push(duosPence);
    d0 = d1;
  }
  const sum = (f: (p: CostPeriod) => number): number => periods.reduce((a, p) => a + f(p), 0);
  const notes = [...plan.notes];
  // expected, present and missing by the one definition the meter page and dashboard use
  const missing = halfHourCounts(c.expectedHalfHours, present, 0).missingHalfHours;
  if (missing > 0)
    notes.push(
      `${missing} of ${c.expectedHalfHours} half-hours have no reading and are not priced: the cost covers the half-hours with data only.`,
    );
  if (unpriced > 0)
    notes.push(`${unpriced} half-hours (${round4(unpricedKwh)} kWh) have no half-hourly price and are not priced.`);
  const capRequired = plan.versions.some((v) => (v.spec.capacityPencePerKvaPerDay ?? 0) > 0);
  if (capRequired && plan.capacityKva === null)
    notes.push(
      'The tariff has a capacity charge but the meter has no capacity (kVA) set, so no capacity charge is included; set it on the meter.',
    );
  const ids = [...new Set(periods.map((p) => p.tariff))];
  const names = [...new Set(periods.map((p) => plan.versions.find((v) => v.tariffId === p.tariff)!.tariffName))];
  return {
    meter,
    from: isoDay(c.fromDay),
    to: isoDay(c.toDay),
    tariff: ids.join(', '),
    tariffName: names.join(', '),
    kwh: round4(sum((p) => p.kwh)),
    unitCostPence: round4(sum((p) => p.unitCostPence)),
    duosPence: round4(duosByPeriod.reduce((a, x) => a + x, 0)),
    standingChargePence: round4(sum((p) => p.standingChargePence)),
    cclPence: round4(sum((p) => p.cclPence)),
    capacityPence: round4(sum((p) => p.capacityPence)),
    vatPence: round4(sum((p) => p.vatPence)),
    totalPence: round4(sum((p) => p.totalPence)),
    bands: toBands(allBands),
    missingHalfHours: missing,
    expectedHalfHours: c.expectedHalfHours,
    unpricedHalfHours: unpriced,
    periods: periods.map((p) => ({
      ...p,
      kwh: round4(p.kwh),
      unitCostPence: round4(p.unitCostPence),
      standingChargePence: round4(p.standingChargePence),
      cclPence: round4(p.cclPence),
      capacityPence: round4(p.capacityPence),
      vatPence: round4(p.vatPence),
      totalPence: round4(p.totalPence),
    })),
    notes,
  };
}
