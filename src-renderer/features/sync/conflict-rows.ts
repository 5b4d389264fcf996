/**
 * Rows of the sync conflicts page, pure: a readings conflict's UK local date and half-hour, both
 * values with their quality in words, and its state; an edit replaced by a later one elsewhere, with
 * only the fields that differed, labelled, sites by name; and what the CSV export of each table holds.
 */
import type { EntityType, ReadingConflict, SyncActivity } from '../../../src-shared/contract/sync';
import { dayHalfHours, dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import { timeColumns, type CsvColumn } from '../../components/table-export';
import { formatDay, formatKwh, formatUkTime, ukZone } from '../../lib/format';

/** Quality codes (codec.ts) in words. */
export const QUALITY_WORD: Record<number, string> = { 0: 'actual', 1: 'estimated', 2: 'missing', 3: 'not received' };

export const STATUS_WORD: Record<ReadingConflict['status'], string> = {
  open: 'Open',
  'kept-server': 'Kept server’s value',
  'applied-pushed': 'Used pushed value',
};

/** The same, short enough for a badge. */
export const STATUS_SHORT: Record<ReadingConflict['status'], string> = {
  open: 'Open',
  'kept-server': 'Server kept',
  'applied-pushed': 'Pushed used',
};

/** A quality code in words ("actual" for an unknown code is never guessed: "quality 7"). */
export function qualityWord(q: number | null): string {
  if (q === null) return 'actual';
  return QUALITY_WORD[q] ?? `quality ${q}`;
}

/** The UK local date of a conflict's day: "26 Oct 2025". */
export function conflictDate(c: Pick<ReadingConflict, 'day'>): string {
  return formatDay(isoDay(c.day));
}

/**
 * The half-hour in UK local time: "01:30–02:00", with GMT/BST on a clock-change day (where 01:30
 * comes twice in autumn; the half-hour the clocks change in reads "01:30 BST–01:00 GMT"), or
 * "whole day" for a removed day (slot -1). The start is `at` when the server gave it, else worked
 * out from the day and slot.
 */
export function conflictTime(c: Pick<ReadingConflict, 'day' | 'slot' | 'at'>): string {
  if (c.slot < 0) return 'whole day';
  const start = c.at !== null ? Date.parse(c.at) : (dayStartUtc(c.day) + c.slot * 1800) * 1000;
  const end = start + 1_800_000;
  if (dayHalfHours(c.day) === 48) return `${formatUkTime(start)}–${formatUkTime(end)}`;
  const [zs, ze] = [ukZone(start), ukZone(end)];
  // the half-hour the clocks change in: "01:30 BST–01:00 GMT"
  if (zs !== ze) return `${formatUkTime(start)} ${zs}–${formatUkTime(end)} ${ze}`;
  return `${formatUkTime(start)}–${formatUkTime(end)} ${zs}`;
}

/** A value with its quality: "12.345 kWh (estimated)", "no reading", "removed" for a removed day. */
export function valueText(kwh: number | null, quality: number | null, opts: { wholeDay?: boolean } = {}): string {
  if (kwh === null) return opts.wholeDay ? 'day removed' : 'no reading';
  const q = qualityWord(quality);
  return q === 'actual' ? `${formatKwh(kwh)} kWh` : `${formatKwh(kwh)} kWh (${q})`;
}

/** A readings conflict as the table shows it. */
export interface ConflictRow {
  id: number;
  meter: string;
  /** The meter's site on this desktop, by name ("no site" when it has none; null for a meter not here). */
  site: string | null;
  date: string;
  time: string;
  server: string;
  pushed: string;
  who: string;
  from: string;
  status: string;
  open: boolean;
  c: ReadingConflict;
}

/** A conflict's row; `siteOf` gives a meter's site name (null: no site) or undefined for a meter not here. */
export function conflictRow(
  c: ReadingConflict,
  siteOf: (meter: string) => string | null | undefined = () => undefined,
): ConflictRow {
  const whole = c.slot < 0;
  const site = siteOf(c.meter);
  return {
    id: c.id,
    meter: c.meter,
    site: site === undefined ? null : (site ?? 'no site'),
    date: conflictDate(c),
    time: conflictTime(c),
    server: whole ? 'the day’s readings' : valueText(c.serverKwh, c.serverQuality),
    pushed: valueText(c.pushedKwh, c.pushedQuality, { wholeDay: whole }),
    who: c.pushedBy,
    from: c.pushedFrom,
    status: c.status === 'open' ? 'Open' : `${STATUS_WORD[c.status]}${c.resolvedBy ? ` (${c.resolvedBy})` : ''}`,
    open: c.status === 'open',
    c,
  };
}

/**
 * What each column of the conflicts table exports (DataTable's `csv`): raw kWh, qualities in words,
 * the day as ISO, times in UTC and UK local time. In the table's order, they make the whole file.
 */
export const CONFLICT_CSV = {
  meter: [{ header: 'Meter', value: (r) => r.meter }],
  day: [{ header: 'Day', value: (r) => isoDay(r.c.day) }],
  time: [
    { header: 'Half-hour (UK local)', value: (r) => r.time },
    ...timeColumns<ConflictRow>('Half-hour start', (r) => r.c.at),
  ],
  server: [
    { header: 'Server (kWh)', value: (r) => r.c.serverKwh },
    { header: 'Server quality', value: (r) => (r.c.slot < 0 ? null : qualityWord(r.c.serverQuality)) },
  ],
  pushed: [
    { header: 'Pushed (kWh)', value: (r) => r.c.pushedKwh },
    { header: 'Pushed quality', value: (r) => (r.c.pushedKwh === null ? null : qualityWord(r.c.pushedQuality)) },
  ],
  by: [{ header: 'Pushed by', value: (r) => r.who }],
  from: [{ header: 'From desktop', value: (r) => r.from }],
  raised: timeColumns<ConflictRow>('Raised', (r) => r.c.raisedAt),
  status: [{ header: 'Status', value: (r) => r.status }],
} satisfies Record<string, readonly CsvColumn<ConflictRow>[]>;

export const ENTITY_WORD: Record<EntityType, string> = {
  site: 'Site',
  meter: 'Meter',
  tariff: 'Tariff',
  tariffVersion: 'Tariff version',
  assignment: 'Tariff assignment',
  alertRule: 'Alert rule',
  alertState: 'Alert',
  budget: 'Budget',
  setting: 'Setting',
};

/** A field group's name in words: `details` → "details", `hours` → "opening hours". */
const GROUP_WORD: Record<string, string> = {
  details: 'details',
  hours: 'opening hours',
  closures: 'closures',
  site: 'site',
  spec: 'rates',
  tariff: 'tariff',
  rule: 'rule',
  enabled: 'on or off',
  alert: 'what fired',
  state: 'status',
  amounts: 'amounts',
  value: 'value',
};

/** A name for a site uid this desktop knows (sites.list), or undefined. */
export type SiteNames = (uid: string) => string | undefined;

const shortUid = (uid: string): string => `${uid.slice(0, 4)}…${uid.slice(-2)}`;
const UID = /^[0-9a-f]{32}$/;

/**
 * "Site Head office · opening hours": the kind, its key — a site's uid as the site's name where this
 * desktop knows it, else shortened — and the field group in words.
 */
export function activityWhat(
  a: Pick<SyncActivity, 'type' | 'key' | 'group'>,
  siteName: SiteNames = () => undefined,
): string {
  const site = (uid: string) => siteName(uid) ?? (UID.test(uid) ? shortUid(uid) : uid);
  const key =
    a.type === 'site'
      ? site(a.key)
      : a.type === 'budget' && a.key.includes('|')
        ? `${site(a.key.slice(0, a.key.indexOf('|')))} ${a.key.slice(a.key.indexOf('|') + 1)}`
        : a.key;
  return `${ENTITY_WORD[a.type] ?? a.type} ${key} · ${GROUP_WORD[a.group] ?? a.group}`;
}

/** A field's name in words: `openingHours` → "opening hours". */
export function fieldWord(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Labels of the fields of entity groups, as a person reads them. */
const FIELD_LABEL: Record<string, string> = {
  name: 'Name',
  organisation: 'Organisation',
  address: 'Address',
  postcode: 'Postcode',
  regionId: 'Region',
  floorAreaM2: 'Floor area (m²)',
  generation: 'Generates power',
  hours: 'Opening hours',
  closures: 'Closures',
  site: 'Site',
  mpanTopLine: 'MPAN top line',
  maxKwhPerHalfHour: 'Most kWh in a half-hour',
  capacityKva: 'Capacity (kVA)',
  isDefault: 'Default tariff',
  validTo: 'Valid to',
  spec: 'Rates',
  enabled: 'On',
  assignedBy: 'Assigned by',
  assignedAt: 'Assigned at',
};

/** A field's label: "Name", "Opening hours", "Floor area (m²)"; else its name in words, capitalised. */
export function fieldLabel(name: string): string {
  const w = FIELD_LABEL[name] ?? fieldWord(name);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** One field's value in words: ‘text’ quoted, yes/no, "none", a site by its name ("no site" for none). */
function fieldValue(field: string, v: unknown, siteName: SiteNames): string {
  if (field === 'site') {
    if (typeof v !== 'string') return 'no site';
    return `‘${siteName(v) ?? (UID.test(v) ? `site ${shortUid(v)}` : v)}’`;
  }
  if (v === null || v === undefined || v === '') return 'none';
  if (typeof v === 'string') return `‘${v}’`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  const json = JSON.stringify(v);
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

/**
 * What differed between a replaced edit and the one kept, field by field with labels: "Name:
 * ‘Mossbrook Primary School (Sheffield)’" against "Name: ‘Mossbrook Primary’"; "deleted" for a side
 * that removed the row; "no difference" when both hold the same.
 */
export function valueChanges(
  lost: Record<string, unknown> | null,
  won: Record<string, unknown> | null,
  siteName: SiteNames = () => undefined,
): { lost: string; won: string } {
  const side = (v: Record<string, unknown> | null, keys: string[]) =>
    v === null ? 'deleted' : keys.map((k) => `${fieldLabel(k)}: ${fieldValue(k, v[k], siteName)}`).join('; ');
  if (lost === null || won === null) {
    const keys = (v: Record<string, unknown> | null) =>
      Object.keys(v ?? {}).filter((k) => v?.[k] !== null && v?.[k] !== undefined && v[k] !== '');
    return { lost: side(lost, keys(lost)), won: side(won, keys(won)) };
  }
  const keys = [...new Set([...Object.keys(lost), ...Object.keys(won)])].filter(
    (k) => JSON.stringify(lost[k] ?? null) !== JSON.stringify(won[k] ?? null),
  );
  if (keys.length === 0) return { lost: 'no difference', won: 'no difference' };
  return { lost: side(lost, keys), won: side(won, keys) };
}

/** An edit replaced by a later one elsewhere, as the table shows it. */
export interface ReplacedRow {
  id: number;
  what: string;
  lost: string;
  lostWho: string;
  won: string;
  wonWho: string;
  a: SyncActivity;
}

/** "anna on Finance laptop". */
export function whoFrom(by: string, from: string): string {
  return from ? `${by} on ${from}` : by;
}

export function replacedRow(a: SyncActivity, siteName?: SiteNames): ReplacedRow {
  const changes = valueChanges(a.lost, a.won, siteName);
  return {
    id: a.id,
    what: activityWhat(a, siteName),
    lost: changes.lost,
    lostWho: whoFrom(a.lostBy, a.lostFrom),
    won: changes.won,
    wonWho: whoFrom(a.wonBy, a.wonFrom),
    a,
  };
}

/** What each column of the "Replaced edits" table exports: each value whole (JSON), who and where, and when. */
export const REPLACED_CSV = {
  what: [
    { header: 'Kind', value: (r) => ENTITY_WORD[r.a.type] ?? r.a.type },
    { header: 'Key', value: (r) => r.a.key },
    { header: 'Field group', value: (r) => r.a.group },
  ],
  lost: [
    { header: 'Replaced value', value: (r) => (r.a.lost === null ? 'deleted' : JSON.stringify(r.a.lost)) },
    { header: 'Replaced edit by', value: (r) => r.a.lostBy },
    { header: 'Replaced edit from', value: (r) => r.a.lostFrom },
  ],
  won: [
    { header: 'Winning value', value: (r) => (r.a.won === null ? 'deleted' : JSON.stringify(r.a.won)) },
    { header: 'Winning edit by', value: (r) => r.a.wonBy },
    { header: 'Winning edit from', value: (r) => r.a.wonFrom },
  ],
  when: timeColumns<ReplacedRow>('When', (r) => r.a.at),
} satisfies Record<string, readonly CsvColumn<ReplacedRow>[]>;
