/**
 * The analysis view's figures and definitions in plain words: kW, opening hours, the baseload
 * method, changes, runs of half-hours in UK local time. Pure functions.
 */
import type { MeterAnalysis, QualityRun } from '../../../src-shared/contract/types';
import { OpeningHoursError, parseOpeningHours, rangesText } from '../../../src-shared/domain/opening-hours';
import { formatDay, formatKwh, formatUkDate, formatUkDateTime, formatUkTime, plural, ukZone } from '../../lib/format';

/** Power as people read it: `0.42 kW`, `12.3 kW`, `154 kW`. */
export function formatKw(kw: number | null | undefined): string {
  if (kw === null || kw === undefined || !Number.isFinite(kw)) return '—';
  const a = Math.abs(kw);
  return `${formatKwh(kw, a >= 100 ? 0 : a >= 10 ? 1 : 2)} kW`;
}

/** Baseload per floor area, in W per m² (kW per m² reads as 0.00x): `5.2 W/m²`. */
export function formatWPerM2(kwPerM2: number | null | undefined): string {
  if (kwPerM2 === null || kwPerM2 === undefined || !Number.isFinite(kwPerM2)) return '—';
  const w = kwPerM2 * 1000;
  return `${formatKwh(w, Math.abs(w) >= 100 ? 0 : Math.abs(w) >= 10 ? 1 : 2)} W/m²`;
}

const DAY_WORDS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Opening hours' text form in words: `mon-fri 08:00-18:00; sat 09:00-12:30` →
 * `Monday to Friday 08:00–18:00; Saturday 09:00–12:30`. Text that cannot be read is returned as it is.
 */
export function hoursInWords(text: string): string {
  let week;
  try {
    week = parseOpeningHours(text);
  } catch (e) {
    if (e instanceof OpeningHoursError) return text;
    throw e;
  }
  const groups: string[] = [];
  let d = 0;
  while (d < 7) {
    const ranges = rangesText(week[d]!);
    let e = d;
    while (e + 1 < 7 && rangesText(week[e + 1]!) === ranges) e++;
    if (ranges !== '') {
      const days =
        e === d
          ? DAY_WORDS[d]
          : e === d + 1
            ? `${DAY_WORDS[d]} and ${DAY_WORDS[e]}`
            : `${DAY_WORDS[d]} to ${DAY_WORDS[e]}`;
      groups.push(`${days} ${ranges.replace(/-/g, '–').replace(/,/g, ', ')}`);
    }
    d = e + 1;
  }
  return groups.length === 0 ? 'Closed every day' : groups.join('; ');
}

/** How the baseload was worked out, in a sentence. */
export function baseloadMethodText(method: MeterAnalysis['baseloadMethod']): string {
  return method === 'overnight'
    ? 'the mean use between 22:00 and 02:00 each night, in kW: the site generates its own power, so its lowest half-hours are not its always-on load.'
    : 'the mean of each day’s 8 lowest half-hours × 2, in kW, over days with at least 40 half-hours of data.';
}

/** The change from `before` to `now` in percent, or null when either is missing or `before` is not above 0. */
export function changePercent(now: number | null, before: number | null): number | null {
  if (now === null || before === null || !Number.isFinite(now) || !Number.isFinite(before) || before <= 0) return null;
  return ((now - before) / before) * 100;
}

/**
 * A run of half-hours in UK local time, its end exclusive, with how many half-hours: on one day
 * `4 Mar 2025 10:30–12:00 GMT`, else both ends in full (`4 Mar 2025 22:00 GMT – 6 Mar 2025 07:00 GMT`).
 */
export function runText(run: QualityRun): string {
  const from = Date.parse(run.from);
  const to = Date.parse(run.to);
  const oneDay = formatUkDate(from) === formatUkDate(to - 1) && ukZone(from) === ukZone(to);
  const when = oneDay
    ? `${formatUkDate(from)} ${formatUkTime(from)}–${formatUkTime(to)} ${ukZone(from)}`
    : `${formatUkDateTime(from, { zone: true })} – ${formatUkDateTime(to, { zone: true })}`;
  return `${when} (${plural(run.halfHours, 'half-hour')})`;
}

/** A message with its `YYYY-MM-DD` dates as people write them (`2025-05-07` → `7 May 2025`). */
export function datesInWords(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => formatDay(d));
}

/** A half-hour's start in UK local time with its zone: `4 Mar 2025 10:30 GMT`. */
export function halfHourText(iso: string): string {
  return formatUkDateTime(iso, { zone: true });
}

/**
 * Whether a range of `days` can show an outlier at all: one half-hour stands more than 3 sample
 * standard deviations from its weekday-and-time group only when the group has at least 11 values,
 * (n − 1) ÷ √n > 3 — so at least 11 weeks of days.
 */
export const OUTLIER_MIN_DAYS = 77;
export const outliersPossible = (days: number): boolean => days >= OUTLIER_MIN_DAYS;
