/**
 * Europe/London wall-clock arithmetic without Intl: UK settlement days are local days, and the
 * importer converts millions of local timestamps, so the BST rule is computed directly.
 * Rule (in force since 1996, EU harmonised): BST starts on the last Sunday of March at 01:00 UTC
 * and ends on the last Sunday of October at 01:00 UTC.
 */

const HOUR = 3600;
const DAY = 86400;

const bstCache = new Map<number, readonly [number, number]>();

/** Epoch seconds of the last Sunday of `month` (1-based) in `year` at 01:00 UTC. */
function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month, 0) / 1000; // day 0 of next month = last day of this month
  const weekday = new Date(lastDay * 1000).getUTCDay(); // 0 = Sunday
  return lastDay - weekday * DAY + HOUR;
}

/** [start, end) of British Summer Time in `year`, as UTC epoch seconds. */
export function bstRange(year: number): readonly [number, number] {
  let r = bstCache.get(year);
  if (!r) {
    r = [lastSundayAt0100Utc(year, 3), lastSundayAt0100Utc(year, 10)] as const;
    bstCache.set(year, r);
  }
  return r;
}

/** UTC offset of London at a UTC instant, in seconds (0 or 3600). */
export function londonOffset(utcSeconds: number): number {
  const year = new Date(utcSeconds * 1000).getUTCFullYear();
  const [start, end] = bstRange(year);
  return utcSeconds >= start && utcSeconds < end ? HOUR : 0;
}

export type LocalResolution =
  { kind: 'ok'; utc: number } | { kind: 'ambiguous'; first: number; second: number } | { kind: 'nonexistent' };

/**
 * Resolves a London wall-clock time to UTC epoch seconds. In the repeated autumn hour both
 * instants are returned (BST first); in the skipped spring hour there is none.
 */
export function resolveLondon(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): LocalResolution {
  const asGmt = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  const asBst = asGmt - HOUR;
  const bstValid = londonOffset(asBst) === HOUR;
  const gmtValid = londonOffset(asGmt) === 0;
  if (bstValid && gmtValid) return { kind: 'ambiguous', first: asBst, second: asGmt };
  if (bstValid) return { kind: 'ok', utc: asBst };
  if (gmtValid) return { kind: 'ok', utc: asGmt };
  return { kind: 'nonexistent' };
}

/** Local calendar fields of a UTC instant in London. */
export function toLondonParts(utcSeconds: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  offset: number;
} {
  const offset = londonOffset(utcSeconds);
  const d = new Date((utcSeconds + offset) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    offset,
  };
}

/** UTC epoch seconds of local midnight starting the London day `y-m-d` (midnight always exists in London). */
export function londonMidnight(year: number, month: number, day: number): number {
  const r = resolveLondon(year, month, day, 0, 0);
  if (r.kind !== 'ok') throw new Error(`No single local midnight on ${year}-${month}-${day}`);
  return r.utc;
}

/** Number of half-hours in the London local day (46, 48 or 50). */
export function halfHoursInLondonDay(year: number, month: number, day: number): number {
  const start = londonMidnight(year, month, day);
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  const end = londonMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
  return (end - start) / 1800;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** ISO 8601 UTC with seconds, e.g. `2025-01-01T00:30:00Z`. */
export function isoUtc(utcSeconds: number): string {
  return new Date(utcSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** `isoUtc` of a stored time that may be absent (null stays null). */
export const isoUtcOrNull = (utcSeconds: number | null): string | null =>
  utcSeconds === null ? null : isoUtc(utcSeconds);

/** London local ISO string with offset, e.g. `2025-06-01T09:30:00+01:00`. */
export function isoLondon(utcSeconds: number): string {
  const p = toLondonParts(utcSeconds);
  const off = p.offset === 0 ? '+00:00' : '+01:00';
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:00${off}`;
}
