/** A site's days and its latest complete month, from its meters (pure). */
import type { MeterSummary } from '../../../src-shared/contract/types';
import { nextPeriodStart, parsePeriod } from '../../../src-shared/domain/periods';
import { latestPeriodUpTo, readingDays } from '../../lib/periods';

/** Local days covered by any of the meters. */
export function siteDays(meters: MeterSummary[]): { from: number; to: number } | null {
  let out: { from: number; to: number } | null = null;
  for (const m of meters) {
    const d = readingDays(m.firstReading, m.lastReading);
    if (!d) continue;
    out = out ? { from: Math.min(out.from, d.from), to: Math.max(out.to, d.to) } : d;
  }
  return out;
}

/**
 * The latest complete month up to the site's latest complete day (the meter that reads latest
 * decides; a stray later reading does not), or null when no such month has readings.
 */
export function latestMonth(meters: MeterSummary[]): string | null {
  const last =
    meters
      .map((m) => m.lastCompleteDay)
      .filter((x): x is string => !!x)
      .sort()
      .pop() ?? null;
  const month = last ? latestPeriodUpTo('month', last) : null;
  const days = siteDays(meters);
  const start = month ? parsePeriod('month', month) : null;
  return start !== null && days && nextPeriodStart('month', start) > days.from ? month : null;
}
