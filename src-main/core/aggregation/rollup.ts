/**
 * Roll-ups: half-hours → UK local days → ISO weeks, months, years, per meter. Days are computed
 * in one pass over a meter's readings in key order (meter, ts): no sort, no per-row date maths
 * (the day's UTC window is worked out once per day). Periods are computed from the daily rows.
 *
 * Baseload of a day: the mean of its BASELOAD_SLOTS lowest half-hours (the quietest three hours),
 * which tracks always-on load without being fooled by one odd zero. Of a period: the mean of its
 * days' baseloads.
 */
import { dayStartUtc, halfHoursBetween, localDayOf, nextPeriodStart, periodStart, type PeriodKind } from '../../../src-shared/domain/periods';

export const BASELOAD_SLOTS = 6;

export interface DayRow {
  day: number;
  kwh: number;
  min: number | null;
  max: number | null;
  baseload: number | null;
  peakTs: number | null;
  actual: number;
  estimated: number;
  halfHours: number;
}

export interface PeriodRow {
  kind: Exclude<PeriodKind, 'day'>;
  startDay: number;
  kwh: number;
  min: number | null;
  max: number | null;
  baseload: number | null;
  peakTs: number | null;
  daysWithData: number;
  present: number;
  halfHours: number;
}

const dayWindows = new Map<number, [number, number, number]>();

/** [start UTC, end UTC, half-hours] of a local day (cached: there are few distinct days). */
function window(day: number): [number, number, number] {
  let w = dayWindows.get(day);
  if (!w) {
    const a = dayStartUtc(day);
    const b = dayStartUtc(day + 1);
    w = [a, b, (b - a) / 1800];
    dayWindows.set(day, w);
  }
  return w;
}

/**
 * Rolls a meter's readings (ordered by ts; parallel arrays; kwh null = missing; quality 0 actual,
 * 1 estimated, 2 missing) into local days.
 */
export function rollDays(ts: ArrayLike<number>, kwh: ArrayLike<number | null>, quality: ArrayLike<number>, n: number): DayRow[] {
  const out: DayRow[] = [];
  const vals = new Float64Array(64);
  let i = 0;
  while (i < n) {
    const day = localDayOf(ts[i]!);
    const [, end, halfHours] = window(day);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let peakTs: number | null = null;
    let actual = 0;
    let estimated = 0;
    let k = 0;
    for (; i < n && ts[i]! < end; i++) {
      const v = kwh[i];
      if (v === null || v === undefined || quality[i] === 2) continue;
      sum += v;
      if (v < min) min = v;
      if (v > max) {
        max = v;
        peakTs = ts[i]!;
      }
      if (quality[i] === 1) estimated++;
      else actual++;
      if (k < 64) vals[k++] = v;
    }
    out.push({ day, kwh: sum, min: k ? min : null, max: k ? max : null, baseload: k ? lowestMean(vals, k) : null, peakTs, actual, estimated, halfHours });
  }
  return out;
}

/** Mean of the BASELOAD_SLOTS smallest of vals[0..k). */
function lowestMean(vals: Float64Array, k: number): number {
  const m = Math.min(BASELOAD_SLOTS, k);
  // partial selection sort: m passes over ≤ 50 values
  for (let a = 0; a < m; a++) {
    let best = a;
    for (let b = a + 1; b < k; b++) if (vals[b]! < vals[best]!) best = b;
    const t = vals[a]!;
    vals[a] = vals[best]!;
    vals[best] = t;
  }
  let s = 0;
  for (let a = 0; a < m; a++) s += vals[a]!;
  return s / m;
}

const periodHalfHours = new Map<string, number>();

/** Rolls a meter's daily rows (ordered by day) into weeks, months and years. */
export function rollPeriods(days: readonly DayRow[]): PeriodRow[] {
  const out: PeriodRow[] = [];
  for (const kind of ['week', 'month', 'year'] as const) {
    let cur: PeriodRow | null = null;
    let baseSum = 0;
    let baseN = 0;
    const flush = (): void => {
      if (!cur) return;
      cur.baseload = baseN ? baseSum / baseN : null;
      out.push(cur);
    };
    for (const d of days) {
      const start = periodStart(kind, d.day);
      if (!cur || cur.startDay !== start) {
        flush();
        const key = `${kind}:${start}`;
        let hh = periodHalfHours.get(key);
        if (hh === undefined) {
          hh = halfHoursBetween(start, nextPeriodStart(kind, start));
          periodHalfHours.set(key, hh);
        }
        cur = { kind, startDay: start, kwh: 0, min: null, max: null, baseload: null, peakTs: null, daysWithData: 0, present: 0, halfHours: hh };
        baseSum = 0;
        baseN = 0;
      }
      cur.kwh += d.kwh;
      if (d.min !== null && (cur.min === null || d.min < cur.min)) cur.min = d.min;
      if (d.max !== null && (cur.max === null || d.max > cur.max)) {
        cur.max = d.max;
        cur.peakTs = d.peakTs;
      }
      if (d.baseload !== null) {
        baseSum += d.baseload;
        baseN++;
      }
      if (d.actual + d.estimated > 0) cur.daysWithData++;
      cur.present += d.actual + d.estimated;
    }
    flush();
  }
  return out;
}
