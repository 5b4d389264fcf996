/**
 * The data-quality definitions every screen and command shares (docs/analytics.md):
 * - **expected** half-hours of a range: the half-hours of its UK local days (46, 48 or 50 a day);
 * - **present**: half-hours with a value (actual or estimated); **estimated**: present but estimated;
 * - **missing** = expected − present: absent from the files, or listed with no value;
 * - a **complete day** has at least 40 present half-hours;
 * - **baseload** of a complete day: the mean of its 8 lowest half-hour kWh × 2, in kW (Energy Sparks'
 *   statistical method); days with fewer than 40 present half-hours have none.
 */

/** A day needs at least this many present half-hours to count as complete (and to have a baseload). */
export const COMPLETE_DAY_HALF_HOURS = 40;
/** Baseload is the mean of this many lowest half-hours of a day. */
export const BASELOAD_HALF_HOURS = 8;

export interface HalfHourCounts {
  expectedHalfHours: number;
  presentHalfHours: number;
  missingHalfHours: number;
  estimatedHalfHours: number;
  /** present ÷ expected, 0–1, to 4 decimal places (0 when nothing is expected). */
  completeness: number;
}

/** The counts of a range from its expected half-hours and the present and estimated ones stored. */
export function halfHourCounts(expected: number, present: number, estimated: number): HalfHourCounts {
  return {
    expectedHalfHours: expected,
    presentHalfHours: present,
    missingHalfHours: Math.max(0, expected - present),
    estimatedHalfHours: estimated,
    completeness: expected > 0 ? Math.round((present / expected) * 10000) / 10000 : 0,
  };
}

export const isCompleteDay = (present: number): boolean => present >= COMPLETE_DAY_HALF_HOURS;

/**
 * A day's baseload in kW from its half-hour kWh values `values[from, to)` (NaN = no value): the mean
 * of the 8 lowest present values × 2. Null when the day has fewer than 40 present half-hours.
 * `scratch` (at least `to − from` long) avoids an allocation per day.
 */
export function baseloadKw(
  values: ArrayLike<number>,
  from = 0,
  to = values.length,
  scratch?: Float64Array,
): number | null {
  const buf = scratch && scratch.length >= to - from ? scratch : new Float64Array(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (v === v) buf[n++] = v;
  }
  if (n < COMPLETE_DAY_HALF_HOURS) return null;
  const lowest = buf.subarray(0, n).sort().subarray(0, BASELOAD_HALF_HOURS);
  let sum = 0;
  for (const v of lowest) sum += v;
  return Math.round((sum / lowest.length) * 2 * 1e6) / 1e6;
}

/**
 * Baseload as energy over a day, for daily charts: the kW held for the day's hours (half-hours ÷ 2),
 * never more than what the day used. Null without a baseload.
 */
export function baseloadDayKwh(kw: number | null, halfHours: number, dayKwh: number): number | null {
  if (kw === null) return null;
  return Math.round(Math.min(kw * (halfHours / 2), Math.max(dayKwh, 0)) * 1000) / 1000;
}

/**
 * The portfolio's anchor day: the median of the meters' last complete days (the lower middle one
 * when there is an even number), never later than `cap` (yesterday, or the chosen "as at" day).
 * Null when no meter has a complete day.
 */
export function portfolioAnchor(lastCompleteDays: readonly number[], cap: number): number | null {
  if (lastCompleteDays.length === 0) return null;
  const sorted = [...lastCompleteDays].sort((a, b) => a - b);
  return Math.min(sorted[Math.floor((sorted.length - 1) / 2)]!, cap);
}
