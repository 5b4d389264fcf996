/**
 * What data a Reports page scope holds, from the meter list (pure): the meters in a scope, the
 * latest complete month of their readings (the month the page opens on, as the site page's
 * "Monthly report" link picks it), the days their readings cover in words, an export's empty range
 * found before anything is downloaded, and the export file's name with the last day included.
 */
import type { ExportRequestBody } from '../../../src-shared/contract/exports';
import type { MeterSummary, SiteSummary } from '../../../src-shared/contract/types';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { isoToUkDate } from '../../lib/format';
import { latestMonth, siteDays } from '../sites/site-periods';
import type { ExportChoice, ScopeChoice } from './report-form';

/** The meters and sites the page picks from. */
export interface ScopeLists {
  meters: MeterSummary[];
  sites: SiteSummary[];
}

/** The meters a scope covers: the one meter, the site's meters, or every meter. */
export function scopeMeters(meters: readonly MeterSummary[], s: ScopeChoice): MeterSummary[] {
  if (s.kind === 'portfolio') return [...meters];
  if (s.kind === 'site') return meters.filter((m) => s.siteId !== null && m.siteId === s.siteId);
  return meters.filter((m) => m.mpan === s.meter);
}

/**
 * The month a scope's report opens on (`YYYY-MM`): its latest complete month with readings, else the
 * month of its last reading (a scope with less than a month of data), else `fallback`.
 */
export function scopeMonth(lists: ScopeLists, s: ScopeChoice, fallback: string): string {
  const meters = scopeMeters(lists.meters, s);
  const days = siteDays(meters);
  return latestMonth(meters) ?? (days ? isoDay(days.to - 1).slice(0, 7) : fallback);
}

/** The first and last days (`YYYY-MM-DD`, both included) with readings in the scope, or null. */
export function scopeDays(lists: ScopeLists, s: ScopeChoice): { first: string; last: string } | null {
  const d = siteDays(scopeMeters(lists.meters, s));
  return d && { first: isoDay(d.from), last: isoDay(d.to - 1) };
}

/** Where the scope's data is, in words: `readings from 01/04/2019 to 30/06/2020`, or `no readings yet`. */
export function dataWords(lists: ScopeLists, s: ScopeChoice): string {
  const d = scopeDays(lists, s);
  return d ? `readings from ${isoToUkDate(d.first)} to ${isoToUkDate(d.last)}` : 'no readings yet';
}

/** The scope named in a sentence: `meter 1200050000009`, `site ‘Leeds’`, `the portfolio`. */
export function scopeName(lists: ScopeLists, s: ScopeChoice): string {
  if (s.kind === 'portfolio') return 'the portfolio';
  if (s.kind === 'site') return `site ‘${lists.sites.find((x) => x.id === s.siteId)?.name ?? s.siteId}’`;
  return `meter ${s.meter}`;
}

/** A "no readings" error with where the scope's readings are added; any other message as it is. */
export function withDataWords(message: string, lists: ScopeLists, s: ScopeChoice): string {
  if (!/no readings/i.test(message)) return message;
  return `${message.replace(/\.$/, '')} (${scopeName(lists, s)} has ${dataWords(lists, s)}).`;
}

/** An export's scope and days in words: `meter 1200050000009 between 01/02/2025 and 28/02/2025`. */
export function rangeWords(lists: ScopeLists, c: ExportChoice): string {
  return `${scopeName(lists, c.scope)} between ${isoToUkDate(c.from)} and ${isoToUkDate(c.to)}`;
}

/**
 * Why an export would hold no rows, found before it runs: no reading of the scope falls in the days
 * chosen (`from`/`to` both included). Null when there are readings, and for alerts, which are not readings.
 */
export function emptyExport(lists: ScopeLists, c: ExportChoice): string | null {
  if (c.table === 'alerts') return null;
  const d = scopeDays(lists, c.scope);
  if (d && d.first <= c.to && d.last >= c.from) return null;
  return `No readings for ${rangeWords(lists, c)} (it has ${dataWords(lists, c.scope)}): nothing to export`;
}

/** The first and last days of a month (`YYYY-MM`), `YYYY-MM-DD`. */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: isoDay(dayFromDate(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1) };
}

/** An export's file name, the last day included: `eclectyc-readings-meter-MPAN-2025-02-01-to-2025-02-28.csv`. */
export function exportFileName(req: ExportRequestBody): string {
  const s = req.scope;
  const what = 'meter' in s ? `meter-${s.meter}` : 'siteId' in s ? `site-${s.siteId}` : 'all';
  const table = req.what === 'readings' && req.layout === 'wide' ? 'readings-wide' : req.what;
  const [y, m, d] = req.to.split('-').map(Number) as [number, number, number];
  const last = isoDay(dayFromDate(y, m, d) - 1);
  return `eclectyc-${table}-${what}-${req.from}-to-${last}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}
