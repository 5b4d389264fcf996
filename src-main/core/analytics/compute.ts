/**
 * The analyses' arithmetic over one meter's packed days (docs/analytics.md): one pass a day for
 * kWh, baseload, peak and the in-hours/out-of-hours/weekend/holiday split; one scan of the range's
 * half-hours in time order for gaps, zero runs and negatives, and two more for outliers (mean and
 * sample standard deviation of each local weekday and wall-clock slot). Pure functions over typed
 * arrays, so the portfolio's 1,000 meters × 365 days stay within the benchmark's budget.
 */
import { weekdayOf } from '../../../src-shared/domain/bank-holidays';
import { BASELOAD_HALF_HOURS, COMPLETE_DAY_HALF_HOURS } from '../../../src-shared/domain/data-quality';
import {
  classifyDay,
  closedOn,
  HOLIDAY,
  slotMinute,
  WEEKEND,
  type WeekHours,
} from '../../../src-shared/domain/opening-hours';
import { ESTIMATED } from '../readings/codec';
import { lengthOf, startOf } from '../readings/calendar';

/** A meter's stored days (the readings store's DayVectors, or any arrays of that shape). */
export interface Days {
  days: Int32Array;
  offsets: Int32Array;
  /** NaN where a half-hour has no value. */
  values: Float64Array;
  quality: Uint8Array;
}

/** How a meter's half-hours are classed: its site's hours, closures and generation flag. */
export interface Classing {
  week: WeekHours;
  closures: readonly { fromDay: number; toDay: number }[];
  /** Baseload from the 22:00–02:00 half-hours instead of the day's 8 lowest. */
  generation: boolean;
}

/** Day kinds: a day with opening hours, a day without (weekend), a bank holiday or closure. */
export const OPEN_DAY = 0;
export const WEEKEND_DAY = 1;
export const HOLIDAY_DAY = 2;

/** The days of a range as the scans need them, worked out once and shared by every meter. */
export interface RangeDays {
  fromDay: number;
  count: number;
  /** Half-hours of each day (46/48/50). */
  n: Uint8Array;
  /** UTC start of each day. */
  start: Float64Array;
  weekday: Uint8Array;
}

const isOvernight = (minute: number): boolean => minute < 120 || minute >= 22 * 60;

/** Wall-clock slot (0–47) of each half-hour of a day of 46, 48 or 50 half-hours. */
const WALL = new Map<number, Uint8Array>(
  [46, 48, 50].map((n) => [n, Uint8Array.from({ length: n }, (_, k) => slotMinute(n, k) / 30)]),
);
/** Half-hours starting 22:00–01:59 local (the overnight baseload of sites with generation). */
const OVERNIGHT = new Map<number, Uint8Array>(
  [46, 48, 50].map((n) => [n, Uint8Array.from({ length: n }, (_, k) => (isOvernight(slotMinute(n, k)) ? 1 : 0))]),
);

export function rangeDays(fromDay: number, toDay: number): RangeDays {
  const count = Math.max(0, toDay - fromDay);
  const r: RangeDays = {
    fromDay,
    count,
    n: new Uint8Array(count),
    start: new Float64Array(count),
    weekday: new Uint8Array(count),
  };
  for (let d = 0; d < count; d++) {
    r.n[d] = lengthOf(fromDay + d);
    r.start[d] = startOf(fromDay + d);
    r.weekday[d] = weekdayOf(fromDay + d);
  }
  return r;
}

/** Each day's half-hour classes for a site's hours and closures (shared arrays: do not change them). */
export function dayClasses(r: RangeDays, c: Pick<Classing, 'week' | 'closures'>): Uint8Array[] {
  const out: Uint8Array[] = new Array(r.count);
  for (let d = 0; d < r.count; d++) {
    const day = r.fromDay + d;
    out[d] = classifyDay(day, c.week, closedOn(c.closures, day));
  }
  return out;
}

/** Per local day of [fromDay, fromDay + count): what the analyses need. */
export interface DailyFacts {
  fromDay: number;
  count: number;
  expected: Uint8Array;
  kwh: Float64Array;
  present: Int32Array;
  estimated: Int32Array;
  /** kW; NaN on days with fewer than 40 present half-hours. */
  baseload: Float64Array;
  /** Largest half-hour kWh; NaN when none. */
  peak: Float64Array;
  /** UTC start of the day's (first) largest half-hour; NaN when none. */
  peakTs: Float64Array;
  /** kWh in hours, out of hours, weekend, holiday: [4 × day + class]. */
  split: Float64Array;
  kind: Uint8Array;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The facts of every local day of a range worked out beforehand (days not stored have none present),
 * with each day's half-hour classes (the portfolio shares both across meters and sites).
 */
export function dailyFactsIn(v: Days, r: RangeDays, classes: readonly Uint8Array[], generation: boolean): DailyFacts {
  const { fromDay, count } = r;
  const f: DailyFacts = {
    fromDay,
    count,
    expected: new Uint8Array(count),
    kwh: new Float64Array(count),
    present: new Int32Array(count),
    estimated: new Int32Array(count),
    baseload: new Float64Array(count).fill(NaN),
    peak: new Float64Array(count).fill(NaN),
    peakTs: new Float64Array(count).fill(NaN),
    split: new Float64Array(count * 4),
    kind: new Uint8Array(count),
  };
  const low = new Float64Array(BASELOAD_HALF_HOURS);
  let s = 0;
  while (s < v.days.length && v.days[s]! < fromDay) s++;
  for (let d = 0; d < count; d++) {
    const day = fromDay + d;
    const n = r.n[d]!;
    f.expected[d] = n;
    const cls = classes[d]!;
    const night = OVERNIGHT.get(n)!;
    f.kind[d] = cls[0] === HOLIDAY ? HOLIDAY_DAY : cls[0] === WEEKEND ? WEEKEND_DAY : OPEN_DAY;
    if (s >= v.days.length || v.days[s] !== day) continue;
    const off = v.offsets[s]!;
    const len = v.offsets[s + 1]! - off;
    s++;
    let kwh = 0;
    let present = 0;
    let est = 0;
    let peak = -Infinity;
    let peakK = -1;
    let lowN = 0;
    let nightSum = 0;
    let nightN = 0;
    for (let k = 0; k < len; k++) {
      const x = v.values[off + k]!;
      if (x !== x) continue;
      present++;
      if (v.quality[off + k] === ESTIMATED) est++;
      kwh += x;
      f.split[d * 4 + cls[k]!]! += x;
      if (x > peak) {
        peak = x;
        peakK = k;
      }
      if (generation) {
        if (night[k] === 1) {
          nightSum += x;
          nightN++;
        }
      } else if (lowN < BASELOAD_HALF_HOURS || x < low[BASELOAD_HALF_HOURS - 1]!) {
        // insert into the sorted buffer of the lowest values seen
        let j = lowN < BASELOAD_HALF_HOURS ? lowN++ : BASELOAD_HALF_HOURS - 1;
        while (j > 0 && low[j - 1]! > x) {
          low[j] = low[j - 1]!;
          j--;
        }
        low[j] = x;
      }
    }
    f.kwh[d] = kwh;
    f.present[d] = present;
    f.estimated[d] = est;
    if (peakK >= 0) {
      f.peak[d] = peak;
      f.peakTs[d] = r.start[d]! + peakK * 1800;
    }
    if (present >= COMPLETE_DAY_HALF_HOURS) {
      if (generation) {
        if (nightN > 0) f.baseload[d] = round6((nightSum / nightN) * 2);
      } else {
        let sum = 0;
        for (let j = 0; j < lowN; j++) sum += low[j]!;
        f.baseload[d] = round6((sum / lowN) * 2);
      }
    }
  }
  return f;
}

/** Mean baseload (kW) of days [a, b) of the facts (indices), and how many days had one. */
export function meanBaseload(f: DailyFacts, a: number, b: number): { kw: number | null; days: number } {
  let sum = 0;
  let n = 0;
  for (let d = Math.max(0, a); d < Math.min(b, f.count); d++) {
    const x = f.baseload[d]!;
    if (x === x) {
      sum += x;
      n++;
    }
  }
  return { kw: n > 0 ? sum / n : null, days: n };
}

/** A run of half-hours: its first half-hour's UTC start and its length. */
export interface Run {
  from: number;
  halfHours: number;
}

export interface QualityScan {
  expected: number;
  present: number;
  estimated: number;
  gaps: Run[];
  zeroRuns: Run[];
  negatives: { ts: number; kwh: number }[];
  outliers: { ts: number; kwh: number; z: number }[];
  /** Counts (also when the lists are not kept). */
  gapCount: number;
  zeroRunCount: number;
  negativeCount: number;
  outlierCount: number;
  /** UTC start of the latest half-hour with a value in the range; NaN when none. */
  lastTs: number;
}

/** Outliers: |z| above this, from at least this many values of the same weekday and slot. */
export const OUTLIER_Z = 3;
export const OUTLIER_MIN_VALUES = 4;
export const DEFAULT_ZERO_RUN = 4;

/**
 * The data quality of [fromDay, toDay): every expected half-hour in time order. Gaps are maximal
 * runs of half-hours without a value (never received, or listed missing); zero runs maximal runs
 * of at least `zeroRunMin` present half-hours of exactly 0 kWh; runs continue across midnight.
 * Outliers: present half-hours more than 3 sample standard deviations from the mean of the range's
 * values at the same local weekday and wall-clock slot (at least 4 values). `lists: false` counts
 * without keeping the lists (the portfolio's tables).
 */
export function qualityScan(v: Days, fromDay: number, toDay: number, zeroRunMin: number, lists = true): QualityScan {
  return qualityScanIn(v, rangeDays(fromDay, toDay), 0, Math.max(0, toDay - fromDay), zeroRunMin, lists);
}

/** qualityScan over days [a, b) of a range worked out beforehand. */
export function qualityScanIn(
  v: Days,
  r: RangeDays,
  a: number,
  b: number,
  zeroRunMin: number,
  lists = true,
): QualityScan {
  const q: QualityScan = {
    expected: 0,
    present: 0,
    estimated: 0,
    gaps: [],
    zeroRuns: [],
    negatives: [],
    outliers: [],
    gapCount: 0,
    zeroRunCount: 0,
    negativeCount: 0,
    outlierCount: 0,
    lastTs: NaN,
  };
  // group sums for outliers: 7 weekdays × 48 wall-clock slots
  const gN = new Float64Array(7 * 48);
  const gSum = new Float64Array(7 * 48);
  let gapFrom = NaN;
  let gapLen = 0;
  let zeroFrom = NaN;
  let zeroLen = 0;
  const endGap = (): void => {
    if (gapLen > 0) {
      q.gapCount++;
      if (lists) q.gaps.push({ from: gapFrom, halfHours: gapLen });
      gapLen = 0;
    }
  };
  const endZero = (): void => {
    if (zeroLen >= zeroRunMin) {
      q.zeroRunCount++;
      if (lists) q.zeroRuns.push({ from: zeroFrom, halfHours: zeroLen });
    }
    zeroLen = 0;
  };
  const fromDay = r.fromDay + a;
  const toDay = r.fromDay + b;
  let s = 0;
  while (s < v.days.length && v.days[s]! < fromDay) s++;
  const first = s;
  for (let d = a; d < b; d++) {
    const day = r.fromDay + d;
    const n = r.n[d]!;
    const start = r.start[d]!;
    const wall = WALL.get(n)!;
    q.expected += n;
    const stored = s < v.days.length && v.days[s] === day;
    const off = stored ? v.offsets[s]! : 0;
    const len = stored ? v.offsets[s + 1]! - off : 0;
    if (stored) s++;
    const g0 = r.weekday[d]! * 48;
    for (let k = 0; k < n; k++) {
      const x = k < len ? v.values[off + k]! : NaN;
      if (x !== x) {
        if (gapLen++ === 0) gapFrom = start + k * 1800;
        if (zeroLen > 0) endZero();
        continue;
      }
      if (gapLen > 0) endGap();
      q.present++;
      q.lastTs = start + k * 1800;
      if (v.quality[off + k] === ESTIMATED) q.estimated++;
      if (x === 0) {
        if (zeroLen++ === 0) zeroFrom = start + k * 1800;
      } else {
        if (zeroLen > 0) endZero();
        if (x < 0) {
          q.negativeCount++;
          if (lists) q.negatives.push({ ts: start + k * 1800, kwh: x });
        }
      }
      const g = g0 + wall[k]!;
      gN[g]!++;
      gSum[g]! += x;
    }
  }
  endGap();
  endZero();
  // outliers: means, then sample standard deviations, then z of each value
  const mean = new Float64Array(7 * 48);
  for (let g = 0; g < mean.length; g++) mean[g] = gN[g]! > 0 ? gSum[g]! / gN[g]! : NaN;
  const ss = new Float64Array(7 * 48);
  for (let t = first; t < v.days.length && v.days[t]! < toDay; t++) {
    const d = v.days[t]! - r.fromDay;
    const wall = WALL.get(r.n[d]!)!;
    const off = v.offsets[t]!;
    const len = Math.min(r.n[d]!, v.offsets[t + 1]! - off);
    const g0 = r.weekday[d]! * 48;
    for (let k = 0; k < len; k++) {
      const x = v.values[off + k]!;
      if (x !== x) continue;
      const dev = x - mean[g0 + wall[k]!]!;
      ss[g0 + wall[k]!]! += dev * dev;
    }
  }
  const sd = new Float64Array(7 * 48);
  let any = false;
  for (let g = 0; g < sd.length; g++) {
    sd[g] = gN[g]! >= OUTLIER_MIN_VALUES ? Math.sqrt(ss[g]! / (gN[g]! - 1)) : NaN;
    if (sd[g]! > 0) any = true;
  }
  if (!any) return q;
  for (let t = first; t < v.days.length && v.days[t]! < toDay; t++) {
    const d = v.days[t]! - r.fromDay;
    const wall = WALL.get(r.n[d]!)!;
    const off = v.offsets[t]!;
    const len = Math.min(r.n[d]!, v.offsets[t + 1]! - off);
    const g0 = r.weekday[d]! * 48;
    for (let k = 0; k < len; k++) {
      const x = v.values[off + k]!;
      if (x !== x) continue;
      const g = g0 + wall[k]!;
      const sdev = sd[g]!;
      if (!(sdev > 0)) continue;
      const z = (x - mean[g]!) / sdev;
      if (z > OUTLIER_Z || z < -OUTLIER_Z) {
        q.outlierCount++;
        if (lists) q.outliers.push({ ts: r.start[d]! + k * 1800, kwh: x, z });
      }
    }
  }
  return q;
}

/** Exceptions: the history a day is compared with, and the band's floor. */
export const EXCEPTION_WEEKS = 8;
export const EXCEPTION_MIN_WEEKS = 4;
export const EXCEPTION_SIGMAS = 3;
export const EXCEPTION_MIN_BAND = 0.1;

export interface ExceptionHit {
  day: number;
  actual: number;
  expected: number;
  band: number;
  weeks: number;
}

/**
 * Daily exceptions over [fromDay, toDay) from day totals that start at `f.fromDay` (at least 8 weeks
 * before `fromDay` for a full history): each whole day (every half-hour present) against the mean of
 * the same weekday's whole days over the previous 8 weeks (at least 4), band = max(3σ, 10 % of the
 * mean), σ the sample standard deviation. Returns the days outside the band and the days checked.
 */
export function exceptions(
  f: Pick<DailyFacts, 'fromDay' | 'count' | 'kwh' | 'present' | 'expected'>,
  fromDay: number,
  toDay: number,
): { hits: ExceptionHit[]; checked: number; unchecked: number } {
  const hits: ExceptionHit[] = [];
  let checked = 0;
  let unchecked = 0;
  const whole = (i: number): boolean => i >= 0 && i < f.count && f.present[i]! > 0 && f.present[i] === f.expected[i];
  for (let day = fromDay; day < toDay; day++) {
    const i = day - f.fromDay;
    if (!whole(i)) {
      unchecked++;
      continue;
    }
    let n = 0;
    let sum = 0;
    const hist: number[] = [];
    for (let w = 1; w <= EXCEPTION_WEEKS; w++) {
      const j = i - 7 * w;
      if (!whole(j)) continue;
      hist.push(f.kwh[j]!);
      sum += f.kwh[j]!;
      n++;
    }
    if (n < EXCEPTION_MIN_WEEKS) {
      unchecked++;
      continue;
    }
    checked++;
    const mean = sum / n;
    let ss = 0;
    for (const x of hist) ss += (x - mean) * (x - mean);
    const band = Math.max(EXCEPTION_SIGMAS * Math.sqrt(ss / (n - 1)), EXCEPTION_MIN_BAND * Math.abs(mean));
    const actual = f.kwh[i]!;
    if (Math.abs(actual - mean) > band) hits.push({ day, actual, expected: mean, band, weeks: n });
  }
  return { hits, checked, unchecked };
}
