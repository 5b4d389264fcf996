/**
 * The Reports page's choices as requests: a report's scope and period as `reports.make` takes them,
 * an export's table, scope and days as `POST /download/export` and the desktop save take them (UK
 * local days, the last one included on the page, exclusive in the request), the report file's bytes,
 * and the month a page opens on.
 */
import type { Args } from '../../../src-shared/contract/api';
import type { ExportRequestBody } from '../../../src-shared/contract/exports';
import type { ReportFile, ReportScope } from '../../../src-shared/contract/types';
import { dayFromDate, isoDay, ukToday } from '../../../src-shared/domain/periods';

/** What a report or an export covers, as picked: one meter, one site or every meter. */
export interface ScopeChoice {
  kind: 'meter' | 'site' | 'portfolio';
  meter: string;
  siteId: number | null;
}

export interface ReportChoice {
  scope: ScopeChoice;
  period: 'month' | 'year';
  /** `YYYY-MM` (the month input's value). */
  month: string;
  /** A year as typed. */
  year: string;
  format: 'pdf' | 'html';
}

/** The export tables the page offers: readings in both layouts, then the other tables. */
export const EXPORT_CHOICES = [
  { value: 'readings-long', label: 'Readings (a row per half-hour)' },
  { value: 'readings-wide', label: 'Readings (a row per meter-day)' },
  { value: 'days', label: 'Day totals' },
  { value: 'totals', label: 'Monthly totals' },
  { value: 'costs', label: 'Costs with their breakdown' },
  { value: 'emissions', label: 'Emissions' },
  { value: 'alerts', label: 'Alerts' },
] as const;
export type ExportChoiceValue = (typeof EXPORT_CHOICES)[number]['value'];

export interface ExportChoice {
  table: ExportChoiceValue;
  scope: ScopeChoice;
  /** `YYYY-MM-DD` from the date fields (or their text when it is not a date), both days included. */
  from: string;
  to: string;
}

/** A check's result: the request, or a message per field. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** The scope as the contract takes it, or the field's message. */
function scopeOf(s: ScopeChoice): ReportScope | string {
  if (s.kind === 'portfolio') return { all: true };
  if (s.kind === 'site') return s.siteId !== null ? { siteId: s.siteId } : 'Choose a site';
  return s.meter ? { meter: s.meter } : 'Choose a meter';
}

/** The month before the one `nowMs` falls in (UK local), `YYYY-MM`: the last whole month. */
export function lastWholeMonth(nowMs: number = Date.now()): string {
  const [y, m] = ukToday(nowMs).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The `reports.make` arguments for a choice, or what is wrong with it. */
export function reportArgs(c: ReportChoice): Checked<Args<'reports.make'>> {
  const errors: Record<string, string> = {};
  const scope = scopeOf(c.scope);
  if (typeof scope === 'string') errors.scope = scope;
  if (c.period === 'month' && !/^\d{4}-(0[1-9]|1[0-2])$/.test(c.month)) errors.month = 'Choose a month';
  const year = Number(c.year.trim());
  if (c.period === 'year' && !(/^\d{4}$/.test(c.year.trim()) && year >= 1990 && year <= 2100))
    errors.year = 'Give a year such as 2025';
  if (typeof scope === 'string' || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { scope, format: c.format, ...(c.period === 'month' ? { month: c.month } : { year }) },
  };
}

/** The day after `iso` (`YYYY-MM-DD`). */
function nextDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return isoDay(dayFromDate(y, m, d) + 1);
}

const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The export request for a choice (the last day included becomes the exclusive end), or what is wrong. */
export function exportRequest(c: ExportChoice): Checked<ExportRequestBody> {
  const errors: Record<string, string> = {};
  const scope = scopeOf(c.scope);
  if (typeof scope === 'string') errors.scope = scope;
  if (!ISO_DAY.test(c.from)) errors.from = c.from ? 'Give a date as DD/MM/YYYY' : 'Give the first day';
  if (!ISO_DAY.test(c.to)) errors.to = c.to ? 'Give a date as DD/MM/YYYY' : 'Give the last day';
  if (!errors.from && !errors.to && c.to < c.from) errors.to = 'The last day must not be before the first';
  if (typeof scope === 'string' || Object.keys(errors).length > 0) return { ok: false, errors };
  const table = c.table === 'readings-long' || c.table === 'readings-wide' ? 'readings' : c.table;
  return {
    ok: true,
    value: {
      what: table,
      scope,
      from: c.from,
      to: nextDay(c.to),
      ...(c.table === 'readings-wide' ? { layout: 'wide' as const } : {}),
      ...(c.table === 'readings-long' ? { layout: 'long' as const } : {}),
      ...(c.table === 'totals' ? { period: 'month' as const } : {}),
    },
  };
}

/** A report file's content as bytes (PDF arrives as base64, HTML as text). */
export function reportBytes(f: Pick<ReportFile, 'data' | 'encoding'>): Uint8Array {
  if (f.encoding === 'utf8') return new TextEncoder().encode(f.data);
  const bin = atob(f.data);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The data rows of a CSV file's text (the header not counted; a line break inside quotes is not a row's end). */
export function csvRows(text: string): number {
  let lines = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) lines++;
  }
  if (text.length > 0 && !text.endsWith('\n')) lines++;
  return Math.max(0, lines - 1);
}

/**
 * The page's choices from its address (`#/reports?meter=MPAN&month=YYYY-MM` or `?site=ID`): what the
 * meter and site pages' "Report for this month" links open.
 */
export function prefillFrom(hash: string): { scope?: ScopeChoice; month?: string } {
  const q = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  const month = q.get('month');
  const meter = q.get('meter');
  const site = q.get('site');
  const out: { scope?: ScopeChoice; month?: string } = {};
  if (month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month)) out.month = month;
  if (meter) out.scope = { kind: 'meter', meter, siteId: null };
  else if (site && /^[1-9]\d{0,9}$/.test(site)) out.scope = { kind: 'site', meter: '', siteId: Number(site) };
  return out;
}
