/**
 * The meter page's state in the query part of its hash, so a view survives reloads and can be linked
 * to: `#/meters/<mpan>?view=daily`. The half-hourly view can open on some UK local days
 * (`?view=half-hourly&day=2025-03-04&days=2&at=2025-03-04T10:30:00Z`: two days from 4 March, with a
 * marker at 10:30 UTC), and the analysis view keeps its range and baseline period
 * (`?view=analysis&from=…&to=…&bfrom=…&bto=…`, `to` and `bto` exclusive, as the contract takes them).
 * Pure functions.
 */
import { dayStartUtc } from '../../../src-shared/domain/periods';
import { isIsoDay } from '../../lib/format';
import { href } from '../../lib/route';

export const METER_VIEWS = [
  { id: 'half-hourly', label: 'Half-hourly' },
  { id: 'daily', label: 'Daily' },
  { id: 'heatmap', label: 'Heatmap' },
  { id: 'periods', label: 'Week / Month / Year' },
  { id: 'analysis', label: 'Analysis' },
] as const;
export type MeterView = (typeof METER_VIEWS)[number]['id'];

/** The longest stretch the half-hourly view opens on from a link (a longer gap opens on its first days). */
export const MAX_FOCUS_DAYS = 31;

export interface MeterQuery {
  view: MeterView;
  /** Half-hourly: the first UK local day to open on, and how many days. */
  day: string | null;
  days: number;
  /** Half-hourly: an instant to mark (ISO UTC). */
  at: string | null;
  /** Analysis: the range and the baseline period, `to`s exclusive; null when not given or not a date. */
  from: string | null;
  to: string | null;
  baselineFrom: string | null;
  baselineTo: string | null;
}

const dateOrNull = (v: string | null): string | null => (v !== null && isIsoDay(v) ? v : null);

/** Reads the query of a meter page's hash; anything unreadable falls back to the default. */
export function parseMeterQuery(hash: string): MeterQuery {
  const q = hash.indexOf('?');
  const p = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
  const view = (METER_VIEWS.find((v) => v.id === p.get('view'))?.id ?? 'half-hourly') as MeterView;
  const days = Number(p.get('days'));
  const at = p.get('at');
  return {
    view,
    day: dateOrNull(p.get('day')),
    days: Number.isInteger(days) && days >= 1 ? Math.min(days, MAX_FOCUS_DAYS) : 1,
    at: at !== null && !Number.isNaN(Date.parse(at)) ? at : null,
    from: dateOrNull(p.get('from')),
    to: dateOrNull(p.get('to')),
    baselineFrom: dateOrNull(p.get('bfrom')),
    baselineTo: dateOrNull(p.get('bto')),
  };
}

/** The query for a view with its own state (the default view, half-hourly with nothing else, has none). */
export function meterQueryString(state: Partial<MeterQuery> & { view: MeterView }): string {
  const p = new URLSearchParams();
  if (state.view !== 'half-hourly') p.set('view', state.view);
  if (state.view === 'half-hourly' && state.day) {
    p.set('view', state.view);
    p.set('day', state.day);
    if (state.days && state.days > 1) p.set('days', String(Math.min(state.days, MAX_FOCUS_DAYS)));
    if (state.at) p.set('at', state.at);
  }
  if (state.view === 'analysis') {
    if (state.from && state.to) {
      p.set('from', state.from);
      p.set('to', state.to);
    }
    if (state.baselineFrom && state.baselineTo) {
      p.set('bfrom', state.baselineFrom);
      p.set('bto', state.baselineTo);
    }
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** A meter page link opening a view with its state. */
export function meterViewHref(mpan: string, state: Partial<MeterQuery> & { view: MeterView }): string {
  return `${href.meter(mpan)}${meterQueryString(state)}`;
}

/**
 * A link to the half-hourly chart over the UK local days holding the UTC instants [fromIso, toIso)
 * (a gap, a zero run, an outlier's half-hour), marking its start.
 */
export function halfHourlyAtHref(mpan: string, fromIso: string, toIso: string): string {
  const first = londonDay(fromIso);
  // the day of the run's last half-hour (its end is exclusive)
  const last = londonDay(new Date(Date.parse(toIso) - 1).toISOString());
  const days = Math.max(
    1,
    Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 864e5) + 1,
  );
  return meterViewHref(mpan, { view: 'half-hourly', day: first, days, at: fromIso });
}

/** A link to the half-hourly chart over one UK local day (`YYYY-MM-DD`). */
export function halfHourlyDayHref(mpan: string, day: string): string {
  return meterViewHref(mpan, { view: 'half-hourly', day });
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The UK local date (`YYYY-MM-DD`) of a UTC instant. */
export function londonDay(iso: string): string {
  return londonDate.format(new Date(iso));
}

/** The time window (epoch ms) the half-hourly chart opens on for a query, or null for the whole history. */
export function focusWindow(q: Pick<MeterQuery, 'day' | 'days'>): { fromMs: number; toMs: number } | null {
  if (!q.day) return null;
  const day = Date.parse(`${q.day}T00:00:00Z`) / 864e5;
  return { fromMs: dayStartUtc(day) * 1000, toMs: dayStartUtc(day + q.days) * 1000 };
}
