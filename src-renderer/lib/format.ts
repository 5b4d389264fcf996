/** Display formatting: UK local time (Europe/London), numbers, durations, sizes. Pure functions. */

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
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
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
