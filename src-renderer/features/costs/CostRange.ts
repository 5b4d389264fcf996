/** Date ranges and labels for the meter's costs and switching analysis (pure). */
import type { MeterSummary } from '../../../src-shared/contract/types';
import { isoDay, parsePeriod, nextPeriodStart } from '../../../src-shared/domain/periods';
import { formatDayRangeUntil, formatPeriodLabel, plural } from '../../lib/format';
import { latestCompletePeriod, readingDays } from '../../lib/periods';

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
 * The range a meter's cost opens on: the last full calendar month its readings cover, else the last
 * 30 days of data (fewer when there are fewer). Null without readings.
 */
export function defaultCostRange(meter: Pick<MeterSummary, 'firstReading' | 'lastReading'>): CostRange | null {
  const days = readingDays(meter.firstReading, meter.lastReading);
  if (!days) return null;
  const month = latestCompletePeriod('month', meter.lastReading);
  const start = month ? parsePeriod('month', month) : null;
  if (month && start !== null && start >= days.from) {
    return {
      from: isoDay(start),
      to: isoDay(nextPeriodStart('month', start)),
      why: `${formatPeriodLabel(month)}, the last full calendar month of data`,
    };
  }
  const from = Math.max(days.from, days.to - 30);
  return {
    from: isoDay(from),
    to: isoDay(days.to),
    why: days.to - from === 30 ? 'the last 30 days of data' : `all ${plural(days.to - from, 'day')} of data`,
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
