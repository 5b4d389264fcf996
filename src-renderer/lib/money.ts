/**
 * Money for screens. The core works in pence (to 4 decimal places, never rounded while
 * calculating); screens show pounds rounded half-up to the penny (docs/tariffs.md), e.g. £1,234.56.
 * Pure functions.
 */

const intFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const MINUS = '\u2212';

/**
 * Whole pence, rounded half-up (half away from zero for negatives, as on a bill). The value is first
 * brought to 6 decimal places so binary noise (2756.454999…) cannot flip a half.
 */
export function roundPence(pence: number): number {
  if (!Number.isFinite(pence)) return NaN;
  const abs = Number(Math.abs(pence).toFixed(6));
  const r = Math.floor(abs + 0.5);
  return pence < 0 && r !== 0 ? -r : r;
}

/** Pounds as a number, rounded half-up to the penny (for charts and CSVs). */
export function penceToPounds(pence: number): number {
  return roundPence(pence) / 100;
}

/** `£1,234.56`; negative `−£12.30`; null/NaN as a dash. */
export function formatPounds(pence: number | null | undefined): string {
  if (pence === null || pence === undefined || !Number.isFinite(pence)) return '—';
  const p = roundPence(pence);
  const abs = Math.abs(p);
  const s = `£${intFmt.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
  return p < 0 ? `${MINUS}${s}` : s;
}

/** Short pounds for chart axes: `£950`, `£1.2k`, `£12k`, `£1.5m`. */
export function formatPoundsShort(pounds: number): string {
  if (!Number.isFinite(pounds)) return '';
  const a = Math.abs(pounds);
  const sign = pounds < 0 ? MINUS : '';
  if (a >= 1e6) return `${sign}£${trim((a / 1e6).toFixed(a >= 1e7 ? 0 : 1))}m`;
  if (a >= 1e3) return `${sign}£${trim((a / 1e3).toFixed(a >= 1e4 ? 0 : 1))}k`;
  return `${sign}£${trim(a.toFixed(a >= 10 || a === 0 ? 0 : 2))}`;
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A unit rate as on a bill: `13.1p`, `0.775p`, `24.5p` (up to 4 decimals, no trailing zeros). */
export function formatRate(pence: number | null | undefined): string {
  if (pence === null || pence === undefined || !Number.isFinite(pence)) return '—';
  const s = trim(Math.abs(pence).toFixed(4));
  return `${pence < 0 ? MINUS : ''}${s}p`;
}

/** A percentage saving: `12.3 %`, `−4.0 %` (one decimal); null as a dash. */
export function formatSavingPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const r = Math.round(Math.abs(p) * 10) / 10;
  if (r === 0) return '0.0 %';
  return `${p < 0 ? MINUS : ''}${r.toFixed(1)} %`;
}

/** The size of a saving or an extra cost as a percentage, unsigned (the words beside it say which): `12.3 %`. */
export function formatSavingSize(p: number | null | undefined): string {
  return formatSavingPercent(p === null || p === undefined ? p : Math.abs(p));
}

/** A VAT rate (0–1) as `5 %`, `20 %`, `0 %`. */
export function formatVatRate(rate: number): string {
  return `${trim((rate * 100).toFixed(2))} %`;
}

/**
 * The one way a saving is shown (Savings, switching, cost cards): `saves £0.56`, `costs £0.56 more`,
 * `costs the same`; `capital` for the start of a cell or a sentence (`Saves £0.56`).
 */
export function formatSaving(pence: number | null | undefined, opts: { capital?: boolean } = {}): string {
  if (pence === null || pence === undefined || !Number.isFinite(pence)) return '—';
  const p = roundPence(pence);
  const s = p > 0 ? `saves ${formatPounds(p)}` : p < 0 ? `costs ${formatPounds(-p)} more` : 'costs the same';
  return opts.capital ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** The tone of a saving: cheaper is good (green), dearer is bad (red). */
export function savingTone(pence: number): 'saving' | 'extra' | 'even' {
  const p = roundPence(pence);
  return p > 0 ? 'saving' : p < 0 ? 'extra' : 'even';
}
