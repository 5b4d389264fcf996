/**
 * What a register would do: the lines' sites and meters merged (one site or meter on several
 * lines must say the same thing each time), compared with what is stored, as the changes to make
 * (create, update, unchanged) and the problems that stop the import — a meter whose fuel would
 * change while it has readings, a tariff for the other fuel, a fuel an MPAN or MPRN cannot have.
 */
import type { RegisterChange, RegisterError } from '../../../src-shared/contract/types';
import type { MeterIdKind } from '../../../src-shared/domain/meter-id';
import { formatOpeningHours, storedHours } from '../../../src-shared/domain/opening-hours';
import { isoDay } from '../../../src-shared/domain/periods';
import { SITE_DETAILS, type RegisterField } from './columns';
import type { Fuel, MeterLine, ParsedRegister, SiteLine } from './parse';
import type { SiteDirectory, StoredMeter, StoredSite } from './stored';

/** What planning needs to know of the database beyond the sites. */
export interface PlanContext {
  sites: SiteDirectory;
  meter(id: string): StoredMeter | undefined;
  hasReadings(meterId: number): boolean;
  /** The UK local day of the meter's first stored half-hour, or null. */
  firstDay(meterId: number): number | null;
  /** The meter's tariff assignments, oldest first. */
  assignments(meterId: number): { fromDay: number; tariffId: string }[];
  today: number;
}

type SiteValueField = (typeof SITE_DETAILS)[number];
type MeterValueField = 'fuel' | 'label' | 'supplier' | 'capacityKva' | 'serial' | 'tariff' | 'tariffFrom' | 'site';
const WORDS: Record<SiteValueField | MeterValueField, string> = {
  address: 'the address',
  postcode: 'the postcode',
  latitude: 'the latitude',
  longitude: 'the longitude',
  floorArea: 'the floor area',
  openingHours: 'the opening hours',
  site: 'the site',
  fuel: 'the fuel',
  label: 'the label',
  supplier: 'the supplier',
  capacityKva: 'the capacity',
  serial: 'the serial number',
  tariff: 'the tariff',
  tariffFrom: 'the tariff start date',
};

/** A value, the line that gave it first and the column it was in. */
interface Given<T> {
  value: T;
  line: number;
  column: string | null;
}

interface MergedSite {
  name: string;
  key: string;
  line: number;
  values: Partial<Record<SiteValueField, Given<string | number>>>;
}

interface MergedMeter {
  id: string;
  kind: MeterIdKind;
  topLine: string | null;
  line: number;
  values: Partial<Record<MeterValueField, Given<string | number>>>;
  /** The site's display name (when `values.site` holds its key). */
  siteName?: string;
  tariffFuel?: Fuel;
}

/** A site to create or change. */
export interface SitePlan {
  key: string;
  name: string;
  existing: StoredSite | null;
  /** The fields to write (all given ones for a new site; those that differ otherwise). */
  set: Partial<Pick<SiteLine, SiteValueField>>;
}

/** A meter to create or change. */
export interface MeterPlan {
  id: string;
  kind: MeterIdKind;
  topLine: string | null;
  existing: StoredMeter | null;
  fuel: Fuel;
  set: {
    fuel?: Fuel;
    siteKey?: string;
    label?: string;
    supplier?: string;
    capacityKva?: number;
    serial?: string;
  };
  tariff?: { id: string; fromDay: number };
}

export interface RegisterPlan {
  sites: SitePlan[];
  meters: MeterPlan[];
  changes: RegisterChange[];
  errors: RegisterError[];
  sitesCreated: number;
  sitesUpdated: number;
  metersCreated: number;
  metersUpdated: number;
}

const show = (v: string | number): string => (typeof v === 'number' ? String(v) : `"${v}"`);

/** Merges, compares and plans a parsed register (its own errors are kept, and the plan's added). */
export function planRegister(parsed: ParsedRegister, ctx: PlanContext): RegisterPlan {
  const errors = [...parsed.errors];
  const column = (f: RegisterField): string | null => parsed.header[f] ?? null;
  const sites = new Map<string, MergedSite>();
  const meters = new Map<string, MergedMeter>();

  /** Keeps the first value of a field; a different one on a later line is an error (in the column that gave it). */
  const merge = <F extends SiteValueField | MeterValueField>(
    into: Partial<Record<F, Given<string | number>>>,
    f: F,
    v: string | number | undefined,
    line: number,
    what: string,
    shown: (v: string | number) => string = show,
    at: string | null = column(f),
  ): void => {
    if (v === undefined) return;
    const before = into[f];
    if (!before) into[f] = { value: v, line, column: at };
    else if (before.value !== v)
      errors.push({
        line,
        column: at,
        message: `${what} has ${WORDS[f]} ${shown(before.value)} on line ${before.line}; this line gives ${shown(v)}`,
      });
  };

  for (const l of parsed.lines) {
    if (l.site) {
      const s = sites.get(l.site.key) ?? { name: l.site.name, key: l.site.key, line: l.line, values: {} };
      sites.set(s.key, s);
      for (const f of SITE_DETAILS) merge(s.values, f, l.site[f], l.line, `Site "${s.name}"`);
    }
    for (const lm of l.meters) {
      const m: MergedMeter = meters.get(lm.id) ?? {
        id: lm.id,
        kind: lm.kind,
        topLine: lm.topLine,
        line: l.line,
        values: {},
      };
      meters.set(m.id, m);
      const what = `Meter ${m.id}`;
      const at = (f: keyof MeterLine['columns']): string | null => lm.columns[f] ?? column(f);
      if (l.site) {
        const name = sites.get(l.site.key)!.name;
        merge(m.values, 'site', l.site.key, l.line, what, (k) => `"${sites.get(String(k))?.name ?? k}"`);
        m.siteName ??= name;
      }
      for (const f of ['fuel', 'label', 'supplier', 'capacityKva', 'serial'] as const)
        merge(m.values, f, lm[f], l.line, what, show, at(f));
      merge(m.values, 'tariff', lm.tariff?.id, l.line, what, show, at('tariff'));
      if (lm.tariff) m.tariffFuel ??= lm.tariff.fuel;
      merge(m.values, 'tariffFrom', lm.tariffFrom, l.line, what, (d) => isoDay(Number(d)), at('tariffFrom'));
    }
  }

  const changes: RegisterChange[] = [];
  const sitePlans = [...sites.values()].map((s) => planSite(s, ctx, changes));
  const byKey = new Map(sitePlans.map((p) => [p.key, p]));
  const meterPlans: MeterPlan[] = [];
  for (const m of meters.values()) {
    const p = planMeter(m, ctx, byKey, changes, (line, f, message) =>
      errors.push({ line, column: m.values[f]?.column ?? column(f), message }),
    );
    if (p) meterPlans.push(p);
  }
  changes.sort((a, b) => a.line - b.line || (a.entity === b.entity ? 0 : a.entity === 'site' ? -1 : 1));
  errors.sort((a, b) => a.line - b.line);
  const created = (e: 'site' | 'meter'): number =>
    changes.filter((c) => c.entity === e && c.action === 'create').length;
  const updated = (e: 'site' | 'meter'): number =>
    changes.filter((c) => c.entity === e && c.action === 'update').length;
  return {
    sites: sitePlans,
    meters: meterPlans,
    changes,
    errors,
    sitesCreated: created('site'),
    sitesUpdated: updated('site'),
    metersCreated: created('meter'),
    metersUpdated: updated('meter'),
  };
}

/** A line's change: a create, or (for what exists) an update when any field differs. */
const change = (
  line: number,
  entity: RegisterChange['entity'],
  key: string,
  exists: boolean,
  fields: RegisterChange['fields'],
): RegisterChange => ({
  line,
  entity,
  key,
  action: !exists ? 'create' : fields.length ? 'update' : 'unchanged',
  fields,
});

/** A stored site's value of a field, as changes show it. */
function storedSiteValue(s: StoredSite, f: SiteValueField): string | number | null {
  if (f === 'openingHours') return s.hours === null ? null : formatOpeningHours(storedHours(s.hours));
  return s[f];
}

function planSite(s: MergedSite, ctx: PlanContext, changes: RegisterChange[]): SitePlan {
  const existing = ctx.sites.find(s.name);
  const plan: SitePlan = { key: s.key, name: existing?.name ?? s.name, existing, set: {} };
  const fields: RegisterChange['fields'] = [];
  for (const f of SITE_DETAILS) {
    const given = s.values[f];
    if (!given) continue;
    const before = existing ? storedSiteValue(existing, f) : null;
    if (before === given.value) continue;
    (plan.set as Record<string, string | number>)[f] = given.value;
    fields.push({ field: f, from: before === null ? null : String(before), to: String(given.value) });
  }
  changes.push(change(s.line, 'site', plan.name, existing !== null, fields));
  return plan;
}

/** The tariff in force on `day` (the latest assignment from that day or before), or null. */
const tariffOn = (list: { fromDay: number; tariffId: string }[], day: number) =>
  list.filter((a) => a.fromDay <= day).at(-1) ?? null;

function planMeter(
  m: MergedMeter,
  ctx: PlanContext,
  sites: Map<string, SitePlan>,
  changes: RegisterChange[],
  fail: (line: number, f: MeterValueField, message: string) => void,
): MeterPlan | null {
  const existing = ctx.meter(m.id) ?? null;
  const v = m.values;
  const givenFuel = v.fuel?.value as Fuel | undefined;
  const kind = existing?.kind ?? m.kind;
  const implied: Fuel | null = kind === 'mpan' ? 'electricity' : kind === 'mprn' ? 'gas' : null;
  const fuel = givenFuel ?? existing?.fuel ?? implied;
  if (fuel === null) {
    fail(
      m.line,
      'fuel',
      `Give the fuel (electricity or gas) of meter ${m.id}: its id is neither an MPAN nor an MPRN, so it does not say`,
    );
    return null;
  }
  const fuelLine = v.fuel?.line ?? m.line;
  let ok = true;
  const judged = givenFuel !== undefined || !existing;
  if (judged && kind === 'mpan' && fuel === 'gas') {
    fail(fuelLine, 'fuel', `${m.id} is an MPAN, the number of an electricity meter: a gas meter is named by its MPRN`);
    ok = false;
  } else if (!existing && kind === 'mprn' && fuel === 'electricity') {
    fail(
      fuelLine,
      'fuel',
      `${m.id} has the shape of an MPRN (6 to 10 digits), the number of a gas meter: an electricity meter is named by its 13-digit MPAN`,
    );
    ok = false;
  }
  if (existing && givenFuel && givenFuel !== existing.fuel && ctx.hasReadings(existing.id)) {
    fail(
      fuelLine,
      'fuel',
      `Meter ${m.id} has readings as ${existing.fuel}: its fuel cannot change to ${givenFuel} (check the line, or remove the meter's readings first)`,
    );
    ok = false;
  }
  if (m.tariffFuel && m.tariffFuel !== fuel) {
    fail(
      v.tariff!.line,
      'tariff',
      `The tariff "${String(v.tariff!.value)}" is for ${m.tariffFuel} and meter ${m.id} is ${fuel}`,
    );
    ok = false;
  }
  if (!ok) return null;

  const plan: MeterPlan = { id: m.id, kind, topLine: m.topLine, existing, fuel, set: {} };
  const fields: RegisterChange['fields'] = [];
  const note = (field: string, from: string | number | null, to: string | number): void => {
    fields.push({ field, from: from === null ? null : String(from), to: String(to) });
  };
  if (!existing || fuel !== existing.fuel) {
    plan.set.fuel = fuel;
    note('fuel', existing?.fuel ?? null, fuel);
  }
  if (v.site) {
    const site = sites.get(String(v.site.value))!;
    const current = existing?.siteId ?? null;
    if (site.existing === null || site.existing.id !== current) {
      plan.set.siteKey = site.key;
      note('site', current === null ? null : (ctx.sites.get(current)?.name ?? `site ${current}`), site.name);
    }
  }
  for (const f of ['label', 'supplier', 'serial'] as const) {
    const given = v[f];
    if (given && given.value !== (existing?.[f] ?? null)) {
      plan.set[f] = String(given.value);
      note(f, existing?.[f] ?? null, given.value);
    }
  }
  if (v.capacityKva && v.capacityKva.value !== (existing?.capacityKva ?? null)) {
    plan.set.capacityKva = Number(v.capacityKva.value);
    note('capacityKva', existing?.capacityKva ?? null, v.capacityKva.value);
  }
  if (v.tariff) {
    const tariffId = String(v.tariff.value);
    const list = existing ? ctx.assignments(existing.id) : [];
    const from = v.tariffFrom ? Number(v.tariffFrom.value) : undefined;
    // without a date: the tariff in force today (or the first one, when all are to come) decides whether it changes
    const current = from !== undefined ? tariffOn(list, from) : (tariffOn(list, ctx.today) ?? list[0] ?? null);
    if (current?.tariffId !== tariffId) {
      const fromDay = from ?? (list.length === 0 ? ((existing && ctx.firstDay(existing.id)) ?? ctx.today) : ctx.today);
      plan.tariff = { id: tariffId, fromDay };
      note(
        'tariff',
        current ? `${current.tariffId} from ${isoDay(current.fromDay)}` : null,
        `${tariffId} from ${isoDay(fromDay)}`,
      );
    }
  }
  changes.push(change(m.line, 'meter', m.id, existing !== null, fields));
  return plan;
}
