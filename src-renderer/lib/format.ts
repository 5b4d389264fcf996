/** Display formatting: UK local time (Europe/London), numbers, durations, sizes. Pure functions. */

import { MONTH_ABBR, MONTH_NAMES } from '../../src-shared/domain/periods';

const TZ = 'Europe/London';

const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

const dateFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: 'numeric', month: 'short', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayMonthFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: 'numeric', month: 'short' });

function parts(ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dateTimeFmt.formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

function toMs(t: string | number | Date): number {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  return Date.parse(t);
}

/**
 * UK local date and time, e.g. `26 Oct 2025 01:30`. With `zone`, adds GMT/BST, which tells the two
 * 01:30s of the autumn clock change apart (`26 Oct 2025 01:30 BST`).
 */
export function formatUkDateTime(t: string | number | Date | null | undefined, opts: { zone?: boolean } = {}): string {
  if (t === null || t === undefined) return '—';
  const ms = toMs(t);
  if (Number.isNaN(ms)) return '—';
  const p = parts(ms);
  const hour = p.hour === '24' ? '00' : p.hour;
  const base = `${p.day} ${p.month} ${p.year} ${hour}:${p.minute}`;
  return opts.zone && p.timeZoneName ? `${base} ${p.timeZoneName}` : base;
}

export function formatUkDate(t: string | number | Date | null | undefined): string {
  if (t === null || t === undefined) return '—';
  const ms = toMs(t);
  return Number.isNaN(ms) ? '—' : dateFmt.format(new Date(ms));
}

export function formatUkTime(ms: number): string {
  return timeFmt.format(new Date(ms));
}

export function formatUkDayMonth(ms: number): string {
  return dayMonthFmt.format(new Date(ms));
}

/** GMT or BST at an instant. */
export function ukZone(ms: number): string {
  return parts(ms).timeZoneName ?? '';
}

const intFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export function formatInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : intFmt.format(n);
}

export function formatKwh(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(n);
}

/** Seconds as `45 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}

/**
 * Energy for tiles and tables: thousands separators, one decimal below 1,000 kWh and none above
 * (`12,345 kWh`, `87.4 kWh`).
 */
export function formatEnergy(kwh: number | null | undefined): string {
  if (kwh === null || kwh === undefined || !Number.isFinite(kwh)) return '—';
  return (Math.abs(kwh) >= 1000 ? energyWhole : energyTenths).format(kwh);
}
// made once: a table of thousands of figures would otherwise make one per cell
const energyWhole = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
const energyTenths = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A signed change: `+1,234 kWh`-style numbers use formatEnergy with an explicit sign. */
export function formatSignedEnergy(kwh: number | null | undefined): string {
  if (kwh === null || kwh === undefined || !Number.isFinite(kwh)) return '—';
  const s = formatEnergy(Math.abs(kwh));
  return kwh > 0 ? `+${s}` : kwh < 0 ? `−${s}` : s;
}

/** `+12.3 %`, `−4.0 %`, `0.0 %`; null as a dash. */
export function formatChangePercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const s = Math.abs(p).toFixed(Math.abs(p) >= 100 ? 0 : 1);
  return p > 0.05 ? `+${s} %` : p < -0.05 ? `−${s} %` : `${s} %`;
}

/** A 0–1 share as `96 %` (one decimal when it is not a whole number below 100). */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const p = share * 100;
  // a share that is not nothing never reads "0 %", nor one short of all "100 %"
  if (p > 0 && p < 0.05) return '< 0.1 %';
  if (p < 100 && p >= 99.95) return '> 99.9 %';
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : p.toFixed(1)} %`;
}

const weekdayDateFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dayMonthUtcFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const monthYearUtcFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const shortMonthYearUtcFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: 'numeric' });

function labelDate(y: string, m: string, d = '01'): Date {
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

/**
 * A period label from the contract, for people: `Wed 26 Nov 2025`, `Week 13, 2025 (24–30 Mar)`,
 * `March 2025`, `2025`. With `short`: `26 Nov`, `W13 2025`, `Mar 2025`, `2025`.
 */
export function formatPeriodLabel(label: string, opts: { short?: boolean } = {}): string {
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(label))) {
    const d = labelDate(m[1]!, m[2]!, m[3]!);
    return opts.short ? dayMonthUtcFmt.format(d) : weekdayDateFmt.format(d).replace(',', '');
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(label))) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (opts.short) return `W${m[2]} ${m[1]}`;
    // ISO week 1 holds 4 January; its Monday starts the week-year.
    const jan4 = Date.UTC(year, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86400000 + (week - 1) * 7 * 86400000;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return `Week ${week}, ${year} (${formatDayRange(day(monday), day(monday + 6 * 86400000), { year: false })})`;
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(label)))
    return (opts.short ? shortMonthYearUtcFmt : monthYearUtcFmt).format(labelDate(m[1]!, m[2]!));
  return label;
}

/** `5 min ago`, `3 h ago`, `2 days ago`, or the date when older than a week. */
export function formatAgo(t: string | number | null | undefined, now = Date.now()): string {
  if (t === null || t === undefined) return '—';
  const ms = toMs(t);
  if (Number.isNaN(ms)) return '—';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 7 * 86400) return `${plural(Math.floor(s / 86400), 'day')} ago`;
  return formatUkDate(ms);
}

/** Milliseconds as `340 ms`, `1.2 s`, `3 min 05 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms / 1000);
}

/** Carbon dioxide as people write it, with the subscript: `CO₂`. */
export const CO2 = 'CO\u2082';

const ENERGY_UNITS = [
  { unit: 'kWh', per: 1 },
  { unit: 'MWh', per: 1e3 },
  { unit: 'GWh', per: 1e6 },
] as const;

/** The unit a figure of `kwh` is shown in: below 10,000 kWh in kWh, below 10,000 MWh in MWh, else GWh. */
export function energyUnitFor(kwh: number): (typeof ENERGY_UNITS)[number] {
  const a = Math.abs(kwh);
  return a < 1e4 ? ENERGY_UNITS[0] : a < 1e7 ? ENERGY_UNITS[1] : ENERGY_UNITS[2];
}

/**
 * Energy scaled to its size, the one rule for tiles, cards and totals: below 10,000 kWh in kWh,
 * below 10,000 MWh in MWh, else GWh (`87.4 kWh`, `9,539 kWh`, `12.3 MWh`, `9,539 MWh`, `12.3 GWh`).
 * Tables with a column of per-row figures keep one unit per column (formatEnergy).
 */
export function scaleEnergy(kwh: number | null | undefined): { value: string; unit: 'kWh' | 'MWh' | 'GWh' } {
  if (kwh === null || kwh === undefined || !Number.isFinite(kwh)) return { value: '—', unit: 'kWh' };
  const u = energyUnitFor(kwh);
  if (u.per === 1) return { value: formatEnergy(kwh), unit: u.unit };
  const v = kwh / u.per;
  const digits = Math.abs(v) >= 100 ? 0 : 1;
  return {
    value: new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v),
    unit: u.unit,
  };
}

/** scaleEnergy as one string: `9,539 MWh`. */
export function formatEnergyUnit(kwh: number | null | undefined): string {
  const s = scaleEnergy(kwh);
  return s.value === '—' ? '—' : `${s.value} ${s.unit}`;
}

/** scaleEnergy with a sign: `+1.2 MWh`, `−87.4 kWh`. */
export function formatSignedEnergyUnit(kwh: number | null | undefined): string {
  if (kwh === null || kwh === undefined || !Number.isFinite(kwh)) return '—';
  const s = formatEnergyUnit(Math.abs(kwh));
  return kwh > 0 ? `+${s}` : kwh < 0 ? `\u2212${s}` : s;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHORT_MONTHS = MONTH_ABBR;
const LONG_MONTHS = MONTH_NAMES;

/** A calendar day `2020-04-09` as `9 Apr 2020` (no time zone involved); anything else is returned as it is. */
export function formatDay(iso: string): string {
  const m = ISO_DAY.exec(iso);
  return m ? `${Number(m[3])} ${SHORT_MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : iso;
}

/**
 * Two calendar days, both included, for sentences and headings, the year and month said once when
 * shared: `9 Apr – 8 May 2020`, `1–30 Apr 2020`, `9 Apr 2020` (one day), `30 Dec 2019 – 2 Jan 2020`.
 * `year: false` leaves out a year both days share (where the year is said already): `24–30 Mar`.
 */
export function formatDayRange(first: string, last: string, opts: { year?: boolean } = {}): string {
  const a = ISO_DAY.exec(first);
  const b = ISO_DAY.exec(last);
  if (!a || !b) return `${formatDay(first)} – ${formatDay(last)}`;
  if (a[1] !== b[1]) return `${formatDay(first)} – ${formatDay(last)}`;
  const end = `${Number(b[3])} ${SHORT_MONTHS[Number(b[2]) - 1]}${opts.year === false ? '' : ` ${b[1]}`}`;
  if (first === last) return end;
  if (a[2] === b[2]) return `${Number(a[3])}\u2013${end}`;
  return `${Number(a[3])} ${SHORT_MONTHS[Number(a[2]) - 1]} – ${end}`;
}

/** formatDayRange for days [from, to) as the contract sends them (`to` exclusive: the day before is the last). */
export function formatDayRangeUntil(from: string, to: string): string {
  const last = new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return formatDayRange(from, last);
}

/** `2019-11-01` → `01/11/2019`, how a UK date is typed; anything else → ''. */
export function isoToUkDate(iso: string): string {
  const m = ISO_DAY.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

export type UkDateResult = { ok: true; iso: string } | { ok: false; error: string };

/**
 * A date as people in the UK type it — day first: `01/11/2019`, `1/11/2019`, `1-11-19`, `1.11.2019`
 * (a pasted `2019-11-01` is read too) — to `YYYY-MM-DD`, or why it is not a date, in words.
 */
export function parseUkDate(text: string): UkDateResult {
  const s = text.trim();
  if (s === '') return { ok: false, error: 'Enter a date as DD/MM/YYYY, e.g. 09/04/2020.' };
  let d: number, mo: number, y: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})$/.exec(s))) {
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[3]!.length === 2) y += 2000;
  } else return { ok: false, error: `“${s}” is not a date: type it as DD/MM/YYYY, e.g. 09/04/2020.` };
  if (mo < 1 || mo > 12) {
    return {
      ok: false,
      error: `There is no month ${mo}: type the day first, then the month (DD/MM/YYYY).`,
    };
  }
  if (y < 1900 || y > 2099) return { ok: false, error: `Type a year between 1900 and 2099, not ${y}.` };
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) {
    return { ok: false, error: `${LONG_MONTHS[mo - 1]} ${y} has ${days} days: there is no day ${d}.` };
  }
  return { ok: true, iso: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** A calendar day `YYYY-MM-DD` (what a DateField reports once its text is a real date). */
export function isIsoDay(s: string): boolean {
  return ISO_DAY.test(s) && parseUkDate(s).ok;
}
