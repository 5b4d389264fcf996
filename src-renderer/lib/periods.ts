/** Period arithmetic for screens, on top of the shared UK-local period helpers. */
import type { PeriodKind } from '../../src-shared/contract/types';
import {
  isoDay,
  localDayOf,
  nextPeriodStart,
  parsePeriod,
  periodLabel,
  periodStart,
  previousPeriodStart,
} from '../../src-shared/domain/periods';

export const PERIOD_NAME: Record<PeriodKind, string> = { day: 'Day', week: 'Week', month: 'Month', year: 'Year' };

/**
 * Local days [from, to) covered by a meter's readings: from the day of the first reading to the day
 * after the last one. Null without readings.
 */
export function readingDays(
  firstReading: string | null,
  lastReading: string | null,
): { from: number; to: number } | null {
  if (!firstReading || !lastReading) return null;
  const a = Date.parse(firstReading);
  const b = Date.parse(lastReading);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return { from: localDayOf(a / 1000), to: localDayOf(b / 1000) + 1 };
}

/** The latest period of `kind` whose last day is on or before the local day `day` (`YYYY-MM-DD`). */
export function latestPeriodUpTo(kind: PeriodKind, day: string): string | null {
  const d = parsePeriod('day', day);
  if (d === null) return null;
  const start = periodStart(kind, d);
  return periodLabel(kind, nextPeriodStart(kind, start) === d + 1 ? start : previousPeriodStart(kind, start));
}

/** Whole periods of `kind` covering local days [from, to): the first period's start and the end after the last. */
export function periodRange(kind: PeriodKind, from: number, to: number): { from: string; to: string; count: number } {
  const start = periodStart(kind, from);
  let end = start;
  let count = 0;
  while (end < to) {
    end = nextPeriodStart(kind, end);
    count++;
  }
  return { from: isoDay(start), to: isoDay(end), count };
}

/** The same range shifted back one year for overlays (52 weeks for days and weeks, keeping weekdays). */
export function yearEarlier(kind: PeriodKind, fromIso: string, toIso: string): { from: string; to: string } {
  const shift = (iso: string): string => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    if (kind === 'day' || kind === 'week') return isoDay(Date.UTC(y, m - 1, d) / 86400000 - 364);
    return `${y - 1}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  return { from: shift(fromIso), to: shift(toIso) };
}
