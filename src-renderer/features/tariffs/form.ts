/**
 * The tariff form: its fields and rate rows, presets, a form from a stored version, and checking it
 * into a tariff spec with the same validation as the importer (src-shared/domain/tariff-spec.ts). Pure.
 */
import type { Fuel } from '../../../src-shared/contract/types';
import {
  DAY_KEYS,
  parseClock,
  tariffSpecSchema,
  type DayKey,
  type RateSpec,
  type TariffSpec,
  type TariffSpecInput,
} from '../../../src-shared/domain/tariff-spec';
import { addDays } from './versions';
import { formatDay, parseUkDate } from '../../lib/format';

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
      return [
        rateRow({ name: 'Night', pence: keep('Night'), from: '00:30', to: '07:30', days: ALL }),
        rateRow({ name: 'Day', pence: keep('Day'), from: '07:30', to: '00:30', days: ALL }),
      ];
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
  return rows.map((r, i) =>
    i === index || (name !== '' && r.name.trim().toLowerCase() === name && r.pence === before) ? { ...r, pence } : r,
  );
}

function rowFromRate(r: RateSpec): RateRow {
  const whole = r.from === undefined && r.to === undefined;
  return rateRow({
    name: r.name ?? '',
    pence: String(r.pencePerKwh),
    from: whole ? '' : (r.from ?? ''),
    to: whole ? '' : (r.to ?? r.from ?? ''),
    days: [...(r.days ?? DAY_KEYS)],
  });
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
    cclMode:
      ccl === undefined || ccl === 0
        ? 'none'
        : ccl === 'statutory'
          ? 'statutory'
          : typeof ccl === 'number'
            ? 'fixed'
            : 'steps',
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
  /**
   * Field → message: id, name, supplier, validFrom, validTo, standingCharge, vat, ccl, capacity, regions, notes, and
   * `rates.N.field` / `duos.N.field`.
   */
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

function rowsToRates(
  rows: readonly RateRow[],
  list: 'rates' | 'duos',
  errors: Record<string, string>,
): TariffSpecInput['rates'] {
  return rows.map((r, i) => {
    const pence = numberOrNull(r.pence);
    if (pence === null)
      errors[`${list}.${i}.pence`] =
        r.pence.trim() === ''
          ? 'enter the price in pence per kWh, e.g. 13.1'
          : 'a price in pence per kWh is a number, e.g. 13.1';
    const from = r.from.trim();
    const to = r.to.trim();
    if ((from === '') !== (to === ''))
      errors[`${list}.${i}.${from === '' ? 'from' : 'to'}`] = 'give both times, or neither for the whole day';
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
  if (standing === null)
    errors.standingCharge =
      f.standingCharge.trim() === ''
        ? 'enter the standing charge in pence per day, e.g. 45.2 (0 if there is none)'
        : 'the standing charge is a number of pence per day, e.g. 45.2';
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
  const validFrom = parseUkDate(f.validFrom);
  if (!validFrom.ok)
    errors.validFrom =
      f.validFrom.trim() === '' ? 'Enter the first day these prices apply, as DD/MM/YYYY.' : validFrom.error;
  const validTo = f.validTo.trim() === '' ? null : parseUkDate(f.validTo);
  if (validTo && !validTo.ok) errors.validTo = validTo.error;
  else if (validTo?.ok && validFrom.ok && validTo.iso <= validFrom.iso)
    errors.validTo = `Choose a day after ${formatDay(validFrom.iso)}, the first day these prices apply.`;
  const spec: TariffSpecInput = {
    id: f.id.trim(),
    name: f.name.trim(),
    supplier: f.supplier.trim(),
    fuel: f.fuel,
    validFrom: validFrom.ok ? validFrom.iso : f.validFrom.trim(),
    validTo: validTo === null ? null : validTo.ok ? validTo.iso : f.validTo.trim(),
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
  for (const p of problems)
    for (const m of p.matchAll(/rates (\d+) and (\d+) overlap/g)) [m[1], m[2]].forEach((n) => out.add(Number(n) - 1));
  return out;
}

/** The rows that can be drawn as a band strip (valid times and days; missing prices count as 0). */
export function previewRates(rows: readonly RateRow[]): RateSpec[] {
  const out: RateSpec[] = [];
  for (const r of rows) {
    const from = r.from.trim();
    const to = r.to.trim();
    if (
      (from && parseClock(from) === null) ||
      (to && parseClock(to) === null) ||
      (from === '') !== (to === '') ||
      r.days.length === 0
    )
      continue;
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
export function serverFieldErrors(details: unknown): {
  errors: Record<string, string>;
  rateProblems: string[];
  duosProblems: string[];
} {
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
