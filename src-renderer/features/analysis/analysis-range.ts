/**
 * The analysis view's periods: its default range (the 8 weeks up to the meter's last complete day),
 * when its bars go by week, and the weather baseline's default period (the first 12 months of data
 * when a reporting period of at least 4 weeks is left after them up to the range's end, else the
 * first half of the data up to the range's end), with the reporting period the rest up to the range's
 * end. UK local days as
 * `YYYY-MM-DD`, ends exclusive, as the contract takes them. Pure functions.
 */
import type { MeterSummary } from '../../../src-shared/contract/types';
import { dateOfDay, dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { londonDay } from '../meters/meter-view';

export interface DayRange {
  from: string;
  /** Exclusive. */
  to: string;
}

/** Days in the default range: 8 weeks. */
export const DEFAULT_DAYS = 56;
/** Ranges longer than this many days show their hours split per week. */
export const BY_WEEK_AFTER_DAYS = 92;
/** The reporting period a baseline of the first 12 months needs after it; else the range is halved. */
export const MIN_REPORTING_DAYS = 28;

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 864e5;

/** Days in [from, to). */
export const rangeDays = (r: DayRange): number => dayNumber(r.to) - dayNumber(r.from);

/** The day `n` days after (before, when negative) `iso`. */
export const addDays = (iso: string, n: number): string => isoDay(dayNumber(iso) + n);

/** The 8 weeks up to the meter's last complete day (else the day of its last reading); null without readings. */
export function defaultRange(meter: Pick<MeterSummary, 'lastCompleteDay' | 'lastReading'>): DayRange | null {
  const last = meter.lastCompleteDay ?? (meter.lastReading ? londonDay(meter.lastReading) : null);
  if (last === null) return null;
  return { from: addDays(last, 1 - DEFAULT_DAYS), to: addDays(last, 1) };
}

/** True when the hours split shows a bar per week rather than per day. */
export const splitByWeek = (r: DayRange): boolean => rangeDays(r) > BY_WEEK_AFTER_DAYS;

/** The same calendar day a year later (29 February → 1 March). */
function yearLater(iso: string): string {
  const { y, m, d } = dateOfDay(dayNumber(iso));
  const last = dateOfDay(dayFromDate(y + 1, m + 1, 1) - 1).d;
  return d > last ? isoDay(dayFromDate(y + 1, m, last) + 1) : isoDay(dayFromDate(y + 1, m, d));
}

/**
 * The default baseline period: the first 12 months of the meter's data when at least 4 weeks are left
 * after them up to the range's end; else the first half of all its data up to the range's end (as many
 * days as there are to fit on, the longer half reported on); without a first reading, the range's
 * first half.
 */
export function defaultBaseline(firstReading: string | null, range: DayRange): DayRange {
  if (firstReading) {
    const first = londonDay(firstReading);
    const end = yearLater(first);
    if (rangeDays({ from: end, to: range.to }) >= MIN_REPORTING_DAYS) return { from: first, to: end };
    const span = { from: first < range.from ? first : range.from, to: range.to };
    if (rangeDays(span) >= 2) return { from: span.from, to: addDays(span.from, Math.floor(rangeDays(span) / 2)) };
  }
  return { from: range.from, to: addDays(range.from, Math.floor(rangeDays(range) / 2)) };
}

/** The CUSUM's reporting period: from the baseline's end to the range's end. */
export const reportingPeriod = (baseline: DayRange, range: DayRange): DayRange => ({
  from: baseline.to,
  to: range.to,
});

/** Why a baseline period cannot be used with the range, in words, or null when it can. */
export function baselineProblem(baseline: DayRange, range: DayRange, lastDayText: string): string | null {
  if (rangeDays(baseline) < 1) return 'The baseline period’s end is before its start.';
  if (rangeDays({ from: baseline.to, to: range.to }) < 1)
    return `The baseline period must end before ${lastDayText} (the range’s last day), so that some days are left to compare with it.`;
  return null;
}
