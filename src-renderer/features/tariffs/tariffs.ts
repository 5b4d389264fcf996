/**
 * The Tariffs page's pure logic: how tariffs read (prices, bands, regions, VAT, CCL), the 24-hour
 * band strip, import results and errors in plain words, and the form ⇄ tariff spec conversion with
 * the same validation as the importer (src-shared/domain/tariff-spec.ts). No DOM, no React.
 */
import type { Args, Result } from '../../../src-shared/contract/api';
import type { Fuel, Tariff, TariffVersion } from '../../../src-shared/contract/types';
import { DAY_KEYS, DAY_LABELS, compileRates, parseClock, tariffSpecSchema, type DayKey, type RateSpec, type TariffSpec, type TariffSpecInput } from '../../../src-shared/domain/tariff-spec';
import { DISTRIBUTORS } from '../../../src-shared/domain/regions';
import { formatInt, plural } from '../../lib/format';

/* ---------------------------------------------------------------- regions */

/** "London (C)"; an unknown id as "Area 42". */
export function regionName(id: number): string {
  const d = DISTRIBUTORS.find((x) => x.id === id);
  return d ? `${d.name} (${d.gsp})` : `Area ${id}`;
}

/** Where a tariff is sold: "National", "London (C), Eastern (A)" or "London (C), Eastern (A) +3 more". */
export function regionText(regions: readonly number[] | null | undefined, max = 2): string {
  if (!regions || regions.length === 0) return 'National';
  const sorted = [...new Set(regions)].sort((a, b) => a - b);
  if (sorted.length === DISTRIBUTORS.length && DISTRIBUTORS.every((d) => sorted.includes(d.id))) return 'All 14 areas';
  const names = sorted.map(regionName);
  return names.length <= max + 1 ? names.join(', ') : `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}

/* ---------------------------------------------------------------- numbers and labels */

const penceFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 4 });

/** Pence as written on a bill: 13.1p, 0.775p, 24p, −2.1p. */
export function formatPence(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return `${penceFmt.format(p).replace('-', '−')}p`;
}

export function vatText(rate: number): string {
  return `${formatInt(rate * 100)} %`;
}

export const KIND_LABEL: Record<Tariff['kind'], string> = { single: 'Single rate', 'time-of-use': 'Time of use', dynamic: 'Half-hourly (dynamic)' };

/** The Climate Change Levy as set on a version: "None", "0.775p/kWh", "Statutory (gov.uk rates)", "2 dated rates". */
export function cclText(ccl: TariffSpec['cclPencePerKwh']): string {
  if (ccl === undefined || ccl === 0) return 'None';
  if (ccl === 'statutory') return 'Statutory (gov.uk rates)';
  if (typeof ccl === 'number') return `${formatPence(ccl)}/kWh`;
  return ccl.length === 1 ? `${formatPence(ccl[0]!.pencePerKwh)}/kWh from ${ccl[0]!.from}` : `${ccl.length} dated rates`;
}


/**
 * Days as a short label: runs of consecutive weekdays collapse ("Mon–Fri", "Sat–Sun"), bank holidays
 * read "bank holidays"; every day reads "every day" ("" with `blankWhenAll`).
 */
export function daysText(days: readonly DayKey[] | undefined, opts: { blankWhenAll?: boolean; holidaysPriced?: boolean } = {}): string {
  const set = new Set(days ?? DAY_KEYS);
  const week = DAY_KEYS.slice(0, 7).filter((d) => set.has(d));
  const holiday = set.has('holiday');
  const everyDay = week.length === 7 && (holiday || opts.holidaysPriced === false);
  if (everyDay) return opts.blankWhenAll ? '' : 'every day';
  const parts: string[] = [];
  let i = 0;
  while (i < 7) {
    if (!set.has(DAY_KEYS[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < 7 && set.has(DAY_KEYS[j + 1]!)) j++;
    const a = DAY_LABELS[DAY_KEYS[i]!].short;
    const b = DAY_LABELS[DAY_KEYS[j]!].short;
    parts.push(j === i ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
    i = j + 1;
  }
  if (week.length === 7) parts.splice(0, parts.length, 'every day');
  if (holiday) parts.push('bank holidays');
  return parts.join(', ');
}

/** A rate's window: "00:30–07:30", or "all day". */
export function windowText(r: Pick<RateSpec, 'from' | 'to'>): string {
  const from = r.from === undefined ? 0 : parseClock(r.from);
  const to = r.to === undefined ? (r.from === undefined ? 1440 : from) : parseClock(r.to);
  if (from === null || to === null) return `${r.from ?? '?'}–${r.to ?? '?'}`;
  if (from % 1440 === to % 1440) return 'all day';
  const clock = (m: number) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return `${clock(from)}–${clock(to)}`;
}

/**
 * A compact view of a list of rates: "00:30–07:30 13.1p · 07:30–00:30 31.9p"; a single all-day rate
 * reads "24.5p all day"; days are named when not every day ("Mon–Fri 16:00–19:00 35p").
 */
export function bandSummary(rates: readonly RateSpec[] | undefined): string {
  if (!rates || rates.length === 0) return '';
  const holidaysPriced = rates.some((r) => (r.days ?? DAY_KEYS).includes('holiday'));
  if (rates.length === 1 && windowText(rates[0]!) === 'all day') {
    const d = daysText(rates[0]!.days, { blankWhenAll: true, holidaysPriced });
    return `${formatPence(rates[0]!.pencePerKwh)} ${d ? d : 'all day'}`;
  }
  return rates
    .map((r) => {
      const d = daysText(r.days, { blankWhenAll: true, holidaysPriced });
      const w = windowText(r);
      return `${d ? `${d} ` : ''}${w} ${formatPence(r.pencePerKwh)}`;
    })
    .join(' · ');
}

/* ---------------------------------------------------------------- versions */


export function addDays(isoDay: string, n: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export type VersionState = 'current' | 'upcoming' | 'ended';

export function versionState(v: Pick<TariffVersion, 'validFrom' | 'validTo'>, today: string): VersionState {
  if (v.validFrom > today) return 'upcoming';
  if (v.validTo !== null && v.validTo <= today) return 'ended';
  return 'current';
}

/** The version in force today; else the next one to start; else the last one. */
export function currentVersion(t: Pick<Tariff, 'versions'>, today: string): TariffVersion | null {
  const vs = t.versions;
  return vs.find((v) => versionState(v, today) === 'current') ?? vs.find((v) => versionState(v, today) === 'upcoming') ?? vs[vs.length - 1] ?? null;
}

/** "1 Jan 2025 → open-ended", "1 Jan 2025 → 31 Jan 2025" (validTo is exclusive: the last day shown is the day before). */
export function versionSpan(v: Pick<TariffVersion, 'validFrom' | 'validTo'>): string {
  const from = dayText(v.validFrom);
  return v.validTo === null ? `${from} → open-ended` : `${from} → ${dayText(addDays(v.validTo, -1))}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 2025-01-05 → "5 Jan 2025" (a calendar day, no time zone involved). */
export function dayText(isoDay: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  if (!m) return isoDay;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** What the list shows of a tariff's current prices. */
export function unitRatesText(t: Tariff, v: TariffVersion | null): string {
  if (!v) return '';
  if (t.kind === 'dynamic') {
    const n = v.prices?.count ?? 0;
    const stored = n === 0 ? 'no prices stored yet' : `${plural(n, 'price')} stored`;
    return v.spec.rates && v.spec.rates.length > 0 ? `Half-hourly prices (${stored}); otherwise ${bandSummary(v.spec.rates)}` : `Half-hourly prices · ${stored}`;
  }
  return bandSummary(v.spec.rates);
}

/* ---------------------------------------------------------------- band strip */

export interface StripRow {
  /** "Mon–Fri", "Sat–Sun", "Every day", "Bank holidays"… */
  label: string;
  /** Day types 0–6 (Mon–Sun) and 7 (bank holiday) drawn by this row. */
  dayTypes: number[];
  /** 48 half-hours: the index of the rate in force, -1 where no rate covers the half-hour. */
  cells: number[];
}

export interface StripLegend {
  pence: number;
  colour: string;
  /** The band's name when every rate at this price shares one, else "". */
  name: string;
}

export interface BandStrip {
  rows: StripRow[];
  /** Colour of each rate, by rate index. */
  colours: string[];
  legend: StripLegend[];
  /** Whether the rates name bank holidays (if not, a holiday is priced as its weekday). */
  holidays: boolean;
}

/** Cheapest green → dearest red, evenly spaced over the distinct prices. */
export function priceColour(pence: number, distinct: readonly number[]): string {
  const sorted = [...new Set(distinct)].sort((a, b) => a - b);
  if (sorted.length <= 1) return 'hsl(174, 72%, 32%)';
  const i = Math.max(0, sorted.indexOf(pence));
  const t = i / (sorted.length - 1);
  const hue = Math.round(142 * (1 - t));
  return `hsl(${hue}, 68%, ${40 + Math.round(6 * Math.sin(Math.PI * t))}%)`;
}

function groupLabel(dayTypes: number[]): string {
  const days = dayTypes.map((d) => DAY_KEYS[d]!);
  const week = days.filter((d) => d !== 'holiday');
  const holiday = days.includes('holiday');
  if (week.length === 0) return 'Bank holidays';
  const text = week.length === 7 ? 'Every day' : daysText(week, { holidaysPriced: false });
  const label = text.charAt(0).toUpperCase() + text.slice(1);
  return holiday ? `${label} & bank holidays` : label;
}

/**
 * The 24-hour band strip of a list of rates: one row per group of day types priced alike (in week
 * order, bank holidays last), 48 half-hour cells each holding the rate index, plus a colour per rate
 * and a legend per distinct price.
 */
export function bandStrip(rates: readonly RateSpec[]): BandStrip {
  const c = compileRates(rates);
  const rowOf = (d: number) => Array.from(c.table.subarray(d * 48, d * 48 + 48));
  const dayTypes = c.holidays ? [0, 1, 2, 3, 4, 5, 6, 7] : [0, 1, 2, 3, 4, 5, 6];
  const groups: { dayTypes: number[]; cells: number[] }[] = [];
  for (const d of dayTypes) {
    const cells = rowOf(d);
    const same = groups.find((g) => g.cells.every((x, i) => x === cells[i]));
    if (same) same.dayTypes.push(d);
    else groups.push({ dayTypes: [d], cells });
  }
  const prices = rates.map((r) => r.pencePerKwh);
  const colours = prices.map((p) => priceColour(p, prices));
  const legend: StripLegend[] = [...new Set(prices)]
    .sort((a, b) => a - b)
    .map((p) => {
      const names = new Set(rates.filter((r) => r.pencePerKwh === p).map((r) => r.name ?? ''));
      const only = names.size === 1 ? [...names][0]! : '';
      return { pence: p, colour: priceColour(p, prices), name: only };
    });
  return { rows: groups.map((g) => ({ label: groupLabel(g.dayTypes), dayTypes: g.dayTypes, cells: g.cells })), colours, legend, holidays: c.holidays };
}

/** "07:30–08:00" for half-hour slot 15. */
export function slotText(slot: number): string {
  const a = slot * 30;
  const b = a + 30;
  const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${f(a)}–${f(b)}`;
}

/* ---------------------------------------------------------------- imports */

type ImportResult = Result<'tariffs.import'>;
type PricesResult = Result<'tariffs.importPrices'>;

/** "3 tariffs: 2 versions added, 1 unchanged". */
export function importSummary(r: ImportResult): string {
  const parts: string[] = [];
  if (r.versionsAdded > 0) parts.push(`${plural(r.versionsAdded, 'version')} added`);
  if (r.versionsReplaced > 0) parts.push(`${plural(r.versionsReplaced, 'version')} corrected`);
  if (r.unchanged > 0) parts.push(`${formatInt(r.unchanged)} unchanged`);
  if (r.prices > 0) parts.push(`${plural(r.prices, 'half-hourly price')} stored`);
  return `${plural(r.tariffs, 'tariff')}: ${parts.join(', ') || 'nothing to change'}`;
}

/** "Stored 48 half-hourly prices from 1 Jan 2025 00:00 to 1 Jan 2025 23:30". */
export function pricesSummary(r: PricesResult, fmt: (iso: string) => string): string {
  return `Stored ${plural(r.prices, 'half-hourly price')}${r.prices > 0 ? ` from ${fmt(r.first)} to ${fmt(r.last)}` : ''}`;
}

export interface ProblemItem {
  /** Where: "Tariff 2 “acme-e7” › rates", or "" when the problem names no place. */
  where: string;
  message: string;
}

/** A place in a tariff file as a person reads it: `tariffs[1] ("acme").rates.0.pencePerKwh` → `Tariff 2 “acme” › rates › rate 1 › pencePerKwh`. */
export function humanPath(path: string): string {
  const m = /^tariffs\[(\d+)\](?: \("([^"]*)"\))?(.*)$/.exec(path);
  if (!m) return path;
  const head = `Tariff ${Number(m[1]) + 1}${m[2] !== undefined ? ` “${m[2]}”` : ''}`;
  const rest = (m[3] ?? '').split('.').filter(Boolean);
  const out: string[] = [head];
  for (let i = 0; i < rest.length; i++) {
    const part = rest[i]!;
    const prev = rest[i - 1];
    if (/^\d+$/.test(part)) out.push(prev === 'rates' || prev === 'duosRates' ? `rate ${Number(part) + 1}` : prev === 'halfHourlyPrices' ? `price ${Number(part) + 1}` : prev === 'cclPencePerKwh' ? `step ${Number(part) + 1}` : `item ${Number(part) + 1}`);
    else out.push(part);
  }
  return out.join(' › ');
}

/**
 * The core's BAD_INPUT message as a summary and a list: "f.json: nothing was imported; 2 problems:
 * a: x; b: y" → { summary: "f.json: nothing was imported; 2 problems", items: [{where: a, message: x}, …] }.
 * A message without a list is returned whole as the summary.
 */
export function splitProblems(message: string, fileName?: string): { summary: string; items: ProblemItem[]; more: boolean } {
  let text = message;
  // The caller already names the file and says nothing was imported.
  if (fileName && text.startsWith(`${fileName}: `)) text = text.slice(fileName.length + 2);
  text = text.replace(/^nothing was imported; /, '');
  const m = /^(.*?\d+ problems?):\s(.*)$/s.exec(text);
  if (!m) return { summary: text, items: [], more: false };
  const raw = m[2]!.split('; ');
  const more = raw[raw.length - 1] === '…';
  const items = (more ? raw.slice(0, -1) : raw).map((s): ProblemItem => {
    const at = /^(tariffs\[\d+\](?: \("[^"]*"\))?[^:\s]*|[A-Za-z0-9._-]+): (.*)$/s.exec(s);
    return at ? { where: humanPath(at[1]!), message: plainMessage(at[2]!) } : { where: '', message: plainMessage(s) };
  });
  return { summary: m[1]!, items, more };
}

/** zod's generic wording for an absent field, in plain words. */
function plainMessage(m: string): string {
  return /^Invalid input: expected \w+, received undefined$/.test(m) ? 'missing: this field is required' : m;
}

/* ---------------------------------------------------------------- the form */

export interface RateRow {
  /** Stable React key. */
  key: number;
  name: string;
  pence: string;
  from: string;
  to: string;
  days: DayKey[];
}

export type CclMode = 'none' | 'fixed' | 'statutory' | 'steps';

export interface TariffForm {
  id: string;
  name: string;
  supplier: string;
  fuel: Fuel;
  validFrom: string;
  validTo: string;
  standingCharge: string;
  vat: '0.05' | '0.2' | '0';
  cclMode: CclMode;
  ccl: string;
  /** Dated CCL steps kept as imported (the form does not edit them). */
  cclSteps: { from: string; pencePerKwh: number }[] | null;
  isDefault: boolean;
  regions: number[];
  timeBasis: 'local' | 'gmt';
  capacity: string;
  dynamic: boolean;
  rates: RateRow[];
  duos: RateRow[];
  notes: string;
}

let nextKey = 1;
export function rateRow(over: Partial<Omit<RateRow, 'key'>> = {}): RateRow {
  return { key: nextKey++, name: '', pence: '', from: '', to: '', days: [...DAY_KEYS], ...over };
}

export function emptyForm(today: string): TariffForm {
  return {
    id: '',
    name: '',
    supplier: '',
    fuel: 'electricity',
    validFrom: today,
    validTo: '',
    standingCharge: '',
    vat: '0.2',
    cclMode: 'none',
    ccl: '',
    cclSteps: null,
    isDefault: false,
    regions: [],
    timeBasis: 'local',
    capacity: '',
    dynamic: false,
    rates: [rateRow()],
    duos: [],
    notes: '',
  };
}

export type Preset = 'single' | 'e7' | 'e10' | 'duos';
const ALL = [...DAY_KEYS];
const WEEKDAYS: DayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** Rate rows for a preset, keeping the prices already typed for bands of the same name. */
export function presetRows(preset: Preset, current: readonly RateRow[] = []): RateRow[] {
  const keep = (name: string) => current.find((r) => r.name.trim().toLowerCase() === name.toLowerCase())?.pence ?? '';
  switch (preset) {
    case 'single':
      return [rateRow({ name: '', pence: current.length === 1 ? current[0]!.pence : '' })];
    case 'e7':
      return [rateRow({ name: 'Night', pence: keep('Night'), from: '00:30', to: '07:30', days: ALL }), rateRow({ name: 'Day', pence: keep('Day'), from: '07:30', to: '00:30', days: ALL })];
    case 'e10':
      return [
        rateRow({ name: 'Off-peak', pence: keep('Off-peak'), from: '00:00', to: '05:00', days: ALL }),
        rateRow({ name: 'Peak', pence: keep('Peak'), from: '05:00', to: '13:00', days: ALL }),
        rateRow({ name: 'Off-peak', pence: keep('Off-peak'), from: '13:00', to: '16:00', days: ALL }),
        rateRow({ name: 'Peak', pence: keep('Peak'), from: '16:00', to: '20:00', days: ALL }),
        rateRow({ name: 'Off-peak', pence: keep('Off-peak'), from: '20:00', to: '22:00', days: ALL }),
        rateRow({ name: 'Peak', pence: keep('Peak'), from: '22:00', to: '24:00', days: ALL }),
      ];
    case 'duos':
      return [
        rateRow({ name: 'red', pence: keep('red'), from: '16:00', to: '19:00', days: WEEKDAYS }),
        rateRow({ name: 'amber', pence: keep('amber'), from: '07:00', to: '16:00', days: WEEKDAYS }),
        rateRow({ name: 'amber', pence: keep('amber'), from: '19:00', to: '23:00', days: WEEKDAYS }),
        rateRow({ name: 'green', pence: keep('green'), from: '23:00', to: '07:00', days: WEEKDAYS }),
        rateRow({ name: 'green', pence: keep('green'), from: '', to: '', days: ['sat', 'sun', 'holiday'] }),
      ];
  }
}

/** Copying a prefilled band's price to every other row of the same name (E10's two "Peak" windows). */
export function setRowPence(rows: readonly RateRow[], index: number, pence: string): RateRow[] {
  const name = rows[index]?.name.trim().toLowerCase() ?? '';
  const before = rows[index]?.pence ?? '';
  return rows.map((r, i) => (i === index || (name !== '' && r.name.trim().toLowerCase() === name && r.pence === before) ? { ...r, pence } : r));
}

function rowFromRate(r: RateSpec): RateRow {
  const whole = r.from === undefined && r.to === undefined;
  return rateRow({ name: r.name ?? '', pence: String(r.pencePerKwh), from: whole ? '' : (r.from ?? ''), to: whole ? '' : (r.to ?? r.from ?? ''), days: [...(r.days ?? DAY_KEYS)] });
}

/**
 * A form pre-filled from a stored version. `mode` "new-version" clears validTo and starts the new
 * version today (or the day after the stored one starts, if that is later); "correct" keeps its dates.
 */
export function formFromSpec(spec: TariffSpec, mode: 'new-version' | 'correct', today: string): TariffForm {
  const ccl = spec.cclPencePerKwh;
  return {
    id: spec.id,
    name: spec.name,
    supplier: spec.supplier,
    fuel: spec.fuel,
    validFrom: mode === 'correct' ? spec.validFrom : today > spec.validFrom ? today : addDays(spec.validFrom, 1),
    validTo: mode === 'correct' ? (spec.validTo ?? '') : '',
    standingCharge: String(spec.standingChargePencePerDay),
    vat: String(spec.vatRate) as TariffForm['vat'],
    cclMode: ccl === undefined || ccl === 0 ? 'none' : ccl === 'statutory' ? 'statutory' : typeof ccl === 'number' ? 'fixed' : 'steps',
    ccl: typeof ccl === 'number' && ccl !== 0 ? String(ccl) : '',
    cclSteps: Array.isArray(ccl) ? ccl.map((s) => ({ ...s })) : null,
    isDefault: spec.default === true,
    regions: [...new Set(spec.regions ?? [])].sort((a, b) => a - b),
    timeBasis: spec.timeBasis ?? 'local',
    capacity: spec.capacityPencePerKvaPerDay === undefined ? '' : String(spec.capacityPencePerKvaPerDay),
    dynamic: Array.isArray(spec.halfHourlyPrices),
    rates: (spec.rates ?? []).map(rowFromRate),
    duos: (spec.duosRates ?? []).map(rowFromRate),
    notes: spec.notes ?? '',
  };
}

/** A tariff id from the supplier and name: "Acme", "Economy 7 (2025)" → "acme-economy-7-2025". */
export function suggestId(supplier: string, name: string): string {
  const slug = `${supplier} ${name}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 64).replace(/-+$/, '');
}

export interface FormCheck {
  /** Ready to send as `tariffs.save` { tariff } when there are no problems. */
  spec: TariffSpecInput | null;
  /** Field → message: id, name, supplier, validFrom, validTo, standingCharge, vat, ccl, capacity, regions, notes, and `rates.N.field` / `duos.N.field`. */
  errors: Record<string, string>;
  /** Problems with the rates as a whole (gaps, overlaps, none given). */
  rateProblems: string[];
  duosProblems: string[];
}

const FIELD_OF: Record<string, string> = {
  standingChargePencePerDay: 'standingCharge',
  vatRate: 'vat',
  cclPencePerKwh: 'ccl',
  capacityPencePerKvaPerDay: 'capacity',
  halfHourlyPrices: 'dynamic',
  default: 'isDefault',
};

function numberOrNull(text: string): number | null {
  const t = text.trim().replace(/p$/i, '').trim();
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  return Number(t);
}

/** A field path of the spec (`rates.1.pencePerKwh`, `standingChargePencePerDay`) as the form's key. */
export function formKey(path: readonly PropertyKey[]): string {
  const [head, index, field] = path.map(String);
  if (head === 'rates' || head === 'duosRates') {
    const list = head === 'rates' ? 'rates' : 'duos';
    if (index === undefined) return list;
    const f = field === 'pencePerKwh' ? 'pence' : (field ?? 'pence');
    return `${list}.${index}.${f}`;
  }
  return FIELD_OF[head ?? ''] ?? head ?? '';
}

function rowsToRates(rows: readonly RateRow[], list: 'rates' | 'duos', errors: Record<string, string>): TariffSpecInput['rates'] {
  return rows.map((r, i) => {
    const pence = numberOrNull(r.pence);
    if (pence === null) errors[`${list}.${i}.pence`] = r.pence.trim() === '' ? 'enter the price in pence per kWh, e.g. 13.1' : 'a price in pence per kWh is a number, e.g. 13.1';
    const from = r.from.trim();
    const to = r.to.trim();
    if ((from === '') !== (to === '')) errors[`${list}.${i}.${from === '' ? 'from' : 'to'}`] = 'give both times, or neither for the whole day';
    const out: NonNullable<TariffSpecInput['rates']>[number] = { pencePerKwh: pence ?? 0, days: [...r.days] };
    if (r.name.trim()) out.name = r.name.trim();
    if (from && to) {
      out.from = from.length === 4 ? `0${from}` : from;
      out.to = to.length === 4 ? `0${to}` : to;
    }
    return out;
  });
}

/**
 * Checks the form with the importer's rules (tariffSpecSchema) and builds the spec to save. Numbers
 * that do not parse are reported here; everything else (ids, dates, gaps and overlaps between bands,
 * days) comes from the shared schema, so the form and the importer never disagree.
 */
export function checkForm(f: TariffForm): FormCheck {
  const errors: Record<string, string> = {};
  const standing = numberOrNull(f.standingCharge);
  if (standing === null) errors.standingCharge = f.standingCharge.trim() === '' ? 'enter the standing charge in pence per day, e.g. 45.2 (0 if there is none)' : 'the standing charge is a number of pence per day, e.g. 45.2';
  let ccl: TariffSpecInput['cclPencePerKwh'];
  if (f.cclMode === 'statutory') ccl = 'statutory';
  else if (f.cclMode === 'steps') ccl = f.cclSteps && f.cclSteps.length > 0 ? f.cclSteps : 0;
  else if (f.cclMode === 'fixed') {
    const n = numberOrNull(f.ccl);
    if (n === null) errors.ccl = 'enter the levy in pence per kWh, e.g. 0.775';
    ccl = n ?? 0;
  } else ccl = 0;
  let capacity: number | undefined;
  if (f.capacity.trim() !== '') {
    const n = numberOrNull(f.capacity);
    if (n === null) errors.capacity = 'the capacity charge is a number of pence per kVA per day, e.g. 3.5';
    else capacity = n;
  }
  const spec: TariffSpecInput = {
    id: f.id.trim(),
    name: f.name.trim(),
    supplier: f.supplier.trim(),
    fuel: f.fuel,
    validFrom: f.validFrom.trim(),
    validTo: f.validTo.trim() === '' ? null : f.validTo.trim(),
    standingChargePencePerDay: standing ?? 0,
    vatRate: Number(f.vat) as 0 | 0.05 | 0.2,
    cclPencePerKwh: ccl,
    regions: f.regions.length > 0 ? [...f.regions].sort((a, b) => a - b) : null,
    default: f.isDefault,
    timeBasis: f.timeBasis,
    halfHourlyPrices: f.dynamic ? [] : null,
  };
  if (f.rates.length > 0 || !f.dynamic) spec.rates = rowsToRates(f.rates, 'rates', errors);
  if (f.duos.length > 0) spec.duosRates = rowsToRates(f.duos, 'duos', errors);
  if (capacity !== undefined) spec.capacityPencePerKvaPerDay = capacity;
  if (f.notes.trim()) spec.notes = f.notes.trim();

  const rateProblems: string[] = [];
  const duosProblems: string[] = [];
  const parsed = tariffSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = formKey(issue.path);
      if (key === 'rates') rateProblems.push(issue.message);
      else if (key === 'duos') duosProblems.push(issue.message);
      else if (!(key in errors)) errors[key || 'form'] = issue.message;
    }
  }
  // Band coverage is only meaningful once every row's times parse; prices typed later do not change it.
  const ok = Object.keys(errors).length === 0 && rateProblems.length === 0 && duosProblems.length === 0;
  return { spec: ok ? spec : null, errors, rateProblems, duosProblems };
}

/** Rows (0-based) that band problems name ("rates 1 and 2 overlap …"), to mark them in the editor. */
export function rowsNamed(problems: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const p of problems) for (const m of p.matchAll(/rates (\d+) and (\d+) overlap/g)) [m[1], m[2]].forEach((n) => out.add(Number(n) - 1));
  return out;
}

/** The rows that can be drawn as a band strip (valid times and days; missing prices count as 0). */
export function previewRates(rows: readonly RateRow[]): RateSpec[] {
  const out: RateSpec[] = [];
  for (const r of rows) {
    const from = r.from.trim();
    const to = r.to.trim();
    if ((from && parseClock(from) === null) || (to && parseClock(to) === null) || (from === '') !== (to === '') || r.days.length === 0) continue;
    const rate: RateSpec = { pencePerKwh: numberOrNull(r.pence) ?? 0, days: r.days };
    if (r.name.trim()) rate.name = r.name.trim();
    if (from && to) {
      rate.from = from;
      rate.to = to;
    }
    out.push(rate);
  }
  return out;
}

/** INVALID_ARGS details from `tariffs.save` ({ path: ['tariff', …], message }) as form keys. */
export function serverFieldErrors(details: unknown): { errors: Record<string, string>; rateProblems: string[]; duosProblems: string[] } {
  const errors: Record<string, string> = {};
  const rateProblems: string[] = [];
  const duosProblems: string[] = [];
  if (!Array.isArray(details)) return { errors, rateProblems, duosProblems };
  for (const d of details as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const parts = (Array.isArray(path) ? path : typeof path === 'string' ? path.split('.') : []).map(String);
    const key = formKey(parts[0] === 'tariff' ? parts.slice(1) : parts);
    if (key === 'rates') rateProblems.push(message);
    else if (key === 'duos') duosProblems.push(message);
    else if (!(key in errors)) errors[key || 'form'] = message;
  }
  return { errors, rateProblems, duosProblems };
}

export type SaveArgs = Args<'tariffs.save'>;

/* ---------------------------------------------------------------- the list */

export interface ListFilter {
  fuel: Fuel | 'all';
  showEnded: boolean;
  search: string;
}

export function filterTariffs(list: readonly Tariff[], f: ListFilter): Tariff[] {
  const q = f.search.trim().toLowerCase();
  return list.filter(
    (t) =>
      (f.fuel === 'all' || t.fuel === f.fuel) &&
      (f.showEnded || t.active) &&
      (q === '' || t.name.toLowerCase().includes(q) || t.supplier.toLowerCase().includes(q) || t.id.toLowerCase().includes(q)),
  );
}

/** Electricity first, then gas; within a fuel, active before ended, then supplier and name. */
export function groupByFuel(list: readonly Tariff[]): { fuel: Fuel; tariffs: Tariff[] }[] {
  const out: { fuel: Fuel; tariffs: Tariff[] }[] = [];
  for (const fuel of ['electricity', 'gas'] as const) {
    const tariffs = list
      .filter((t) => t.fuel === fuel)
      .sort((a, b) => Number(b.active) - Number(a.active) || a.supplier.localeCompare(b.supplier) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (tariffs.length > 0) out.push({ fuel, tariffs });
  }
  return out;
}
