/** Date ranges and labels for the meter's costs and switching analysis (pure). */
import type { MeterSummary } from '../../../src-shared/contract/types';
import {
  isoDay,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
  periodStart,
  previousPeriodStart,
} from '../../../src-shared/domain/periods';
import { formatDayRangeUntil, formatPeriodLabel, plural } from '../../lib/format';
import { readingDays } from '../../lib/periods';

export interface CostRange {
  from: string;
  /** Exclusive. */
  to: string;
  /** Why this range: shown beside it. */
  why: string;
}

/** The `why` of a range the user picked (kept when the meter's data changes). */
export const CHOSEN = 'the period you chose';

const dayNum = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * The range a meter's cost opens on: the last full calendar month up to its latest complete day
 * (so one stray later reading does not open an empty month), else the last 30 days up to that day,
 * or every day of data when there are no more than 30 (the days the meter's half-hour counts cover).
 * Without a complete day, the data's last day is used. A month or 30 days the meter's readings
 * could not even half fill (sparse data: a few days months apart) would be a bill of standing
 * charges, so then the latest complete day alone is priced. Null without readings.
 */
export function defaultCostRange(
  meter: Pick<MeterSummary, 'firstReading' | 'lastReading'> & { lastCompleteDay?: string | null; readings?: number },
): CostRange | null {
  const days = readingDays(meter.firstReading, meter.lastReading);
  if (!days) return null;
  const complete = meter.lastCompleteDay ? parsePeriod('day', meter.lastCompleteDay) : null;
  const end = complete !== null ? complete + 1 : days.to;
  // the meter has too few readings to fill half of [from, to): that range is mostly empty
  const sparse = (from: number, to: number): boolean =>
    meter.readings !== undefined && meter.readings < ((to - from) * 48) / 2;
  let start = periodStart('month', end - 1);
  if (nextPeriodStart('month', start) !== end) start = previousPeriodStart('month', start);
  const monthEnd = nextPeriodStart('month', start);
  if (start >= days.from && !sparse(start, monthEnd)) {
    const month = periodLabel('month', start);
    return {
      from: isoDay(start),
      to: isoDay(monthEnd),
      why: `${formatPeriodLabel(month)}, the last full calendar month of data`,
    };
  }
  // a short history is priced whole (the same days as the meter's half-hour counts)
  if (days.to - days.from <= 30)
    return { from: isoDay(days.from), to: isoDay(days.to), why: `all ${plural(days.to - days.from, 'day')} of data` };
  if (!sparse(end - 30, end)) return { from: isoDay(end - 30), to: isoDay(end), why: 'the last 30 days of data' };
  return {
    from: isoDay(end - 1),
    to: isoDay(end),
    why: `the latest ${complete !== null ? 'complete ' : ''}day of data (the readings before it are sparse)`,
  };
}

/** `1–31 Mar 2025` for UK days [from, to) (the last day included): the shared range formatter. */
export const rangeText = formatDayRangeUntil;

/** Days in [from, to). */
export function rangeDays(from: string, to: string): number {
  return Math.max(0, Math.round(dayNum(to) - dayNum(from)));
}

/** The UK local day of a meter's first reading (a sensible first day for its first tariff). */
export function firstReadingDay(meter: Pick<MeterSummary, 'firstReading' | 'lastReading'>): string | null {
  const days = readingDays(meter.firstReading, meter.lastReading);
  return days ? isoDay(days.from) : null;
}
