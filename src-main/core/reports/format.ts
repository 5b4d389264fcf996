/** UK formats for reports: DD/MM/YYYY dates, kWh and MWh, pounds sterling, percentages. Pure functions. */

import { dateOfDay } from '../../../src-shared/domain/periods';
import { toLondonParts } from '../../../src-shared/domain/london-time';

const one = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pad = (n: number): string => String(n).padStart(2, '0');

/** A UK local day (days since 1970-01-01) as `DD/MM/YYYY`. */
export function ukDate(day: number): string {
  const { y, m, d } = dateOfDay(day);
  return `${pad(d)}/${pad(m)}/${y}`;
}

/** A UTC instant (epoch seconds) as UK local `DD/MM/YYYY HH:MM`. */
export function ukDateTime(utc: number): string {
  const p = toLondonParts(utc);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Energy with one decimal, `12,345.6 kWh`; an em dash without a value. */
export function kwh(n: number | null): string {
  return n === null || !Number.isFinite(n) ? '—' : `${one.format(n)} kWh`;
}

/** Energy in MWh with two decimals, `12.35 MWh`. */
export function mwh(kwhValue: number | null): string {
  return kwhValue === null || !Number.isFinite(kwhValue) ? '—' : `${two.format(kwhValue / 1000)} MWh`;
}

/** Pounds sterling, `£1,234.56` (`-£3.20` below zero). */
export function gbp(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  return `${n < 0 ? '-' : ''}£${two.format(Math.abs(n))}`;
}

/** A share 0–1 as `99.8%`. */
export function percent(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '—' : `${one.format(share * 100)}%`;
}

/** A change as `+12.3%` / `-4.0%`; an em dash when there is nothing to compare with. */
export function change(now: number, before: number | null): string {
  if (before === null || before === 0 || !Number.isFinite(before)) return '—';
  const pc = ((now - before) / before) * 100;
  return `${pc >= 0 ? '+' : ''}${one.format(pc)}%`;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
