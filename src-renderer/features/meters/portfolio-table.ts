/**
 * The portfolio tables' state and words, pure: the view, order and filters as the page's address
 * keeps them (`#/meters?view=sites&sort=kwh&dir=desc&fuel=gas`), which meters and sites a filter
 * shows, the filters' choices, the period in words, the bulk actions' questions and tags, and a
 * bulk edit applied to the rows shown until the table is read again.
 */
import type { MeterRow, SiteRow, TablePeriod } from '../../../src-shared/contract/types';
import type { KeySort } from '../../components/virtual-table';
import { formatDay, formatDayRangeUntil, formatInt } from '../../lib/format';

export type TableView = 'meters' | 'sites';

/** A filter's value for "none set" (no site, no supplier, no tariff). */
export const NONE = '(none)';

export interface TableFilter {
  /** Text in the MPAN/MPRN, label or site (a site's name, postcode or address). */
  q: string;
  fuel: '' | 'electricity' | 'gas';
  /** '' (any), NONE, or a site's id. */
  site: string;
  /** '' (any), NONE, or a supplier's name. */
  supplier: string;
  /** '' (any), NONE, or a tariff's id. */
  tariff: string;
  tag: string;
  /** Only rows with open alerts. */
  alerts: boolean;
  /** Only rows whose latest reading is older than this many days (or that have none). */
  olderThan: number | null;
}

export interface TableState {
  view: TableView;
  sort: KeySort | null;
  filter: TableFilter;
}

export const NO_FILTER: TableFilter = {
  q: '',
  fuel: '',
  site: '',
  supplier: '',
  tariff: '',
  tag: '',
  alerts: false,
  olderThan: null,
};

/** The state a hash's query asks for (anything not understood is left at its default). */
export function tableStateOfHash(hash: string): TableState {
  const at = hash.indexOf('?');
  const q = new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
  const sortKey = q.get('sort');
  const dir = q.get('dir');
  const fuel = q.get('fuel');
  const older = Number(q.get('older'));
  return {
    view: q.get('view') === 'sites' ? 'sites' : 'meters',
    sort: sortKey && /^[a-z]+$/i.test(sortKey) ? { key: sortKey, dir: dir === 'desc' ? 'desc' : 'asc' } : null,
    filter: {
      q: q.get('q') ?? '',
      fuel: fuel === 'electricity' || fuel === 'gas' ? fuel : '',
      site: q.get('site') ?? '',
      supplier: q.get('supplier') ?? '',
      tariff: q.get('tariff') ?? '',
      tag: q.get('tag') ?? '',
      alerts: q.get('alerts') === '1',
      olderThan: q.get('older') !== null && Number.isInteger(older) && older >= 0 ? older : null,
    },
  };
}

/** The page's hash for a state; defaults are left out (`#/meters` for every meter in MPAN order). */
export function hashOfTableState(s: TableState): string {
  const q = new URLSearchParams();
  const f = s.filter;
  if (s.view === 'sites') q.set('view', 'sites');
  if (s.sort) {
    q.set('sort', s.sort.key);
    q.set('dir', s.sort.dir);
  }
  if (f.q.trim()) q.set('q', f.q.trim());
  if (f.fuel) q.set('fuel', f.fuel);
  if (f.site) q.set('site', f.site);
  if (f.supplier) q.set('supplier', f.supplier);
  if (f.tariff) q.set('tariff', f.tariff);
  if (f.tag) q.set('tag', f.tag);
  if (f.alerts) q.set('alerts', '1');
  if (f.olderThan !== null) q.set('older', String(f.olderThan));
  const text = q.toString();
  return text ? `#/meters?${text}` : '#/meters';
}

/** Whether any filter is set (an empty table then says so, and offers to clear them). */
export function isFiltered(f: TableFilter): boolean {
  return (
    f.q.trim() !== '' ||
    f.fuel !== '' ||
    f.site !== '' ||
    f.supplier !== '' ||
    f.tariff !== '' ||
    f.tag !== '' ||
    f.alerts ||
    f.olderThan !== null
  );
}

const squash = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
const DAY_MS = 86_400_000;

/** Whether a reading at `last` (ISO, or none) is older than `days` days at `nowMs`. */
const olderThan = (last: string | null, days: number, nowMs: number): boolean =>
  last === null || Date.parse(last) < nowMs - days * DAY_MS;

/** The test a filter makes of each meter at `nowMs` (text ignores spaces and case), its words squashed once. */
export function meterFilter(f: TableFilter, nowMs: number): (m: MeterRow) => boolean {
  const q = squash(f.q);
  const supplier = squash(f.supplier);
  return (m) => {
    if (f.fuel && m.fuel !== f.fuel) return false;
    if (f.site && (f.site === NONE ? m.siteId !== null : String(m.siteId) !== f.site)) return false;
    if (f.supplier && (f.supplier === NONE ? m.supplier !== null : squash(m.supplier ?? '') !== supplier)) return false;
    if (f.tariff && (f.tariff === NONE ? m.tariff !== null : m.tariff?.id !== f.tariff)) return false;
    if (f.tag && !m.tags.includes(f.tag)) return false;
    if (f.alerts && m.openAlerts === 0) return false;
    if (f.olderThan !== null && !olderThan(m.lastReading, f.olderThan, nowMs)) return false;
    return !q || squash(`${m.mpan}|${m.label ?? ''}|${m.site ?? ''}`).includes(q);
  };
}

/** Whether a site passes the filter's text, open alerts and age (its meters' filters do not apply to sites). */
export function siteMatches(s: SiteRow, f: TableFilter, nowMs: number): boolean {
  if (f.alerts && s.openAlerts === 0) return false;
  if (f.olderThan !== null && !olderThan(s.lastReading, f.olderThan, nowMs)) return false;
  const q = squash(f.q);
  return !q || squash(`${s.name}|${s.postcode ?? ''}|${s.address ?? ''}`).includes(q);
}

export interface FilterChoices {
  sites: { id: number; name: string }[];
  suppliers: string[];
  tariffs: { id: string; name: string }[];
  tags: string[];
}

/** The filters' choices: the sites, suppliers, tariffs and tags the meters have, A to Z. */
export function filterChoices(rows: readonly MeterRow[]): FilterChoices {
  const sites = new Map<number, string>();
  const suppliers = new Map<string, string>();
  const tariffs = new Map<string, string>();
  const tags = new Set<string>();
  const seen = new Set<string>();
  for (const m of rows) {
    if (m.siteId !== null) sites.set(m.siteId, m.site ?? `Site ${m.siteId}`);
    // a supplier's name is squashed once, not once a meter
    if (m.supplier && !seen.has(m.supplier)) {
      seen.add(m.supplier);
      suppliers.set(squash(m.supplier), m.supplier);
    }
    if (m.tariff) tariffs.set(m.tariff.id, m.tariff.name);
    for (const t of m.tags) tags.add(t);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB');
  return {
    sites: [...sites].map(([id, name]) => ({ id, name })).sort(byName),
    suppliers: [...suppliers.values()].sort((a, b) => a.localeCompare(b, 'en-GB')),
    tariffs: [...tariffs].map(([id, name]) => ({ id, name })).sort(byName),
    tags: [...tags].sort((a, b) => a.localeCompare(b, 'en-GB')),
  };
}

/** The change from last year's same days, in %; null when last year had nothing to compare with. */
export function changePercent(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before <= 0) return null;
  return ((now - before) / before) * 100;
}

/**
 * The period the figures cover, in words: "1–19 Mar 2025 against 1–19 Mar 2024 · complete: the 30
 * days to 19 Mar 2025".
 */
export function periodWords(p: TablePeriod | null): string {
  if (!p) return 'No complete day of readings yet: the month’s figures appear once there is one';
  const last = formatDay(new Date(Date.parse(`${p.completenessTo}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
  return (
    `${formatDayRangeUntil(p.from, p.to)} against ${formatDayRangeUntil(p.lastYearFrom, p.lastYearTo)}` +
    ` · complete: the 30 days to ${last}`
  );
}

/** "1 meter", "240 meters". */
export const metersWord = (n: number): string => `${formatInt(n)} meter${n === 1 ? '' : 's'}`;

/** The contract's rule for a tag: letters, digits, spaces and - _ . / &, starting with a letter or digit, ≤ 40. */
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _./&-]*$/u;

/** Tags typed as a list ("school, leased"): each checked, once each; an error in words for the first bad one. */
export function parseTags(text: string): { ok: true; tags: string[] } | { ok: false; error: string } {
  const tags = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length === 0) return { ok: false, error: 'Type at least one tag' };
  for (const t of tags) {
    if (t.length > 40) return { ok: false, error: `“${t.slice(0, 20)}…” is longer than 40 characters` };
    if (!TAG.test(t))
      return {
        ok: false,
        error: `“${t}”: a tag is letters, digits, spaces and - _ . / &, starting with a letter or digit`,
      };
  }
  if (tags.length > 50) return { ok: false, error: 'At most 50 tags at a time' };
  return { ok: true, tags };
}

/** What a bulk edit changes, as the confirmation and the table's rows need it. */
export type BulkChange =
  /** `create`: a new site of that name (and postcode), made first (its id is then known). */
  | { kind: 'site'; siteId: number | null; siteName: string | null; create?: { postcode: string | null } }
  | { kind: 'supplier'; supplier: string | null }
  | { kind: 'capacity'; capacityKva: number }
  | { kind: 'addTags'; tags: string[] }
  | { kind: 'removeTags'; tags: string[] }
  | { kind: 'tariff'; tariffId: string; tariffName: string; from: string };

const quoted = (tags: string[]): string => {
  const q = tags.map((t) => `“${t}”`);
  return q.length === 1 ? `the tag ${q[0]}` : `the tags ${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
};

/** The question a bulk edit asks before it runs: "Assign 240 meters to Bath Library?". `day` words a date. */
export function bulkQuestion(c: BulkChange, n: number, day: (iso: string) => string): string {
  const m = metersWord(n);
  switch (c.kind) {
    case 'site':
      if (c.create) return `Create the site “${c.siteName}” and assign ${m} to it?`;
      return c.siteId === null ? `Take ${m} off their site?` : `Assign ${m} to ${c.siteName}?`;
    case 'supplier':
      return c.supplier === null ? `Clear the supplier of ${m}?` : `Set the supplier of ${m} to ${c.supplier}?`;
    case 'capacity':
      return `Set the agreed capacity of ${m} to ${c.capacityKva} kVA?`;
    case 'addTags':
      return `Add ${quoted(c.tags)} to ${m}?`;
    case 'removeTags':
      return `Remove ${quoted(c.tags)} from ${m}?`;
    case 'tariff':
      return `Put ${m} on “${c.tariffName}” from ${day(c.from)}?`;
  }
}

/** What a running bulk edit is doing: "Assigning 240 meters to Bath Library…". */
export function bulkDoing(c: BulkChange, n: number): string {
  const m = metersWord(n);
  switch (c.kind) {
    case 'site':
      return c.siteId === null && !c.create ? `Taking ${m} off their site…` : `Assigning ${m} to ${c.siteName}…`;
    case 'supplier':
      return `Setting the supplier of ${m}…`;
    case 'capacity':
      return `Setting the capacity of ${m}…`;
    case 'addTags':
      return `Tagging ${m}…`;
    case 'removeTags':
      return `Untagging ${m}…`;
    case 'tariff':
      return `Putting ${m} on “${c.tariffName}”…`;
  }
}

/** What a bulk edit did: "240 meters assigned to Bath Library". `day` words a date. */
export function bulkDone(c: BulkChange, n: number, day: (iso: string) => string): string {
  const m = metersWord(n);
  switch (c.kind) {
    case 'site':
      return c.siteId === null ? `${m} taken off their site` : `${m} assigned to ${c.siteName}`;
    case 'supplier':
      return c.supplier === null ? `Supplier cleared on ${m}` : `Supplier of ${m} set to ${c.supplier}`;
    case 'capacity':
      return `Capacity of ${m} set to ${c.capacityKva} kVA`;
    case 'addTags':
      return `Tags added to ${m}`;
    case 'removeTags':
      return `Tags removed from ${m}`;
    case 'tariff':
      return `${m} on “${c.tariffName}” from ${day(c.from)}`;
  }
}

/** meters.bulkUpdate's arguments for a change to `meters`. */
export function bulkArgs(c: BulkChange, meters: string[]) {
  switch (c.kind) {
    case 'site':
      return { meters, siteId: c.siteId };
    case 'supplier':
      return { meters, supplier: c.supplier };
    case 'capacity':
      return { meters, capacityKva: c.capacityKva };
    case 'addTags':
      return { meters, addTags: c.tags };
    case 'removeTags':
      return { meters, removeTags: c.tags };
    case 'tariff':
      return { meters, tariff: { tariffId: c.tariffId, from: c.from } };
  }
}

/**
 * The rows with a bulk edit applied to `keys` (what the table shows while it is read again); a tariff
 * shows as current once its first day (`from`) is today (`today`, UK local) or earlier.
 */
export function applyBulk(
  rows: readonly MeterRow[],
  keys: ReadonlySet<string>,
  c: BulkChange,
  today: string,
): MeterRow[] {
  return rows.map((m) => {
    if (!keys.has(m.mpan)) return m;
    switch (c.kind) {
      case 'site':
        return { ...m, siteId: c.siteId, site: c.siteName };
      case 'supplier':
        return { ...m, supplier: c.supplier };
      case 'capacity':
        return { ...m, capacityKva: c.capacityKva };
      case 'addTags':
        return { ...m, tags: [...new Set([...m.tags, ...c.tags])].sort() };
      case 'removeTags':
        return { ...m, tags: m.tags.filter((t) => !c.tags.includes(t)) };
      case 'tariff':
        return c.from <= today ? { ...m, tariff: { id: c.tariffId, name: c.tariffName } } : m;
    }
  });
}
