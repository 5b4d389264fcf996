/** Meters, sites and readings as the contract returns them. */
import type Database from 'better-sqlite3';
import type {
  MeterSummary,
  Quality,
  Reading,
  Series,
  SiteClosure,
  SiteSummary,
} from '../../../src-shared/contract/types';
import { formatOpeningHours, parseOpeningHours, storedHours } from '../../../src-shared/domain/opening-hours';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { regionOfMpan } from '../../../src-shared/domain/regions';
import { COMPLETE_DAY_HALF_HOURS } from '../../../src-shared/domain/data-quality';
import { isoDay } from '../../../src-shared/domain/periods';
import type { ReadingsStore } from '../readings/store';

const QUALITY: readonly Quality[] = ['actual', 'estimated', 'missing'];

/** Parses an ISO instant to epoch seconds (the contract has already checked it parses). */
export const toEpoch = (isoText: string): number => Math.floor(Date.parse(isoText) / 1000);

/** Meters' first and last received half-hours (UTC starts) with how many they have stored, and last complete days. */
export interface SpanReads {
  spans: Map<number, { first: number; last: number; count: number }>;
  lastComplete: Map<number, number>;
}

/** A meter as the services that price or convert its readings need it. */
export interface MeterRow {
  id: number;
  identifier: string;
  fuel: 'electricity' | 'gas';
  supplier: string | null;
  capacityKva: number | null;
  label: string | null;
}

/** The organisation new sites go into unless another is named. */
export const DEFAULT_ORGANISATION = 'My portfolio';

export class MeterService {
  private rowByIdentifier: Database.Statement | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly store: ReadingsStore,
  ) {}

  /** The meter's id (NOT_FOUND when unknown). */
  meterId(identifier: string): number {
    return this.meterRow(identifier).id;
  }

  /** The database row behind a meter identifier: the one lookup every feature uses (NOT_FOUND when unknown). */
  meterRow(identifier: string): MeterRow {
    const r = (this.rowByIdentifier ??= this.sqlite.prepare(
      'SELECT id, identifier, fuel, supplier, capacity_kva AS capacityKva, label FROM meters WHERE identifier = ?',
    )).get(identifier.trim()) as MeterRow | undefined;
    if (!r)
      throw new AppError('NOT_FOUND', `No meter ${identifier.trim()}; import a file for it first, or check the MPAN`);
    return r;
  }

  /** Every meter's row with its site (the portfolio analyses' list). */
  analysisRows(): (MeterRow & { siteId: number | null })[] {
    return this.sqlite
      .prepare(
        'SELECT id, identifier, fuel, supplier, capacity_kva AS capacityKva, label, site_id AS siteId FROM meters ORDER BY identifier',
      )
      .all() as (MeterRow & { siteId: number | null })[];
  }

  /**
   * Every meter's summary. `read` gives the meters' spans and last complete days (any day): by default
   * from the readings store; the tables keep them between calls and read only what changed.
   */
  list(read: (meterIds: number[]) => SpanReads = (ids) => this.spanReads(ids)): MeterSummary[] {
    const rows = this.sqlite
      .prepare(
        `SELECT m.id, m.identifier, m.kind, m.fuel, m.label, m.site_id AS siteId, s.name AS site, m.supplier, m.capacity_kva AS capacityKva,
                m.serial, m.tags
         FROM meters m LEFT JOIN sites s ON s.id = m.site_id ORDER BY m.identifier`,
      )
      .all() as {
      id: number;
      identifier: string;
      kind: MeterSummary['kind'];
      fuel: MeterSummary['fuel'];
      label: string | null;
      siteId: number | null;
      site: string | null;
      supplier: string | null;
      capacityKva: number | null;
      serial: string | null;
      tags: string;
    }[];
    const { spans, lastComplete: complete } = read(rows.map((r) => r.id));
    return rows.map((r) => {
      const span = spans.get(r.id);
      return {
        mpan: r.identifier,
        label: r.label,
        siteId: r.siteId,
        kind: r.kind,
        fuel: r.fuel,
        site: r.site,
        firstReading: span ? isoUtc(span.first) : null,
        lastReading: span ? isoUtc(span.last) : null,
        readings: span?.count ?? 0,
        supplier: r.supplier,
        capacityKva: r.capacityKva,
        lastCompleteDay: complete.has(r.id) ? isoDay(complete.get(r.id)!) : null,
        serial: r.serial,
        tags: JSON.parse(r.tags) as string[],
      };
    });
  }

  /** First/last/count per meter from its first and last stored days and their summaries, and its last complete day. */
  spanReads(meterIds: number[]): SpanReads {
    return {
      spans: this.store.spans(meterIds),
      lastComplete: this.store.lastCompleteDays(meterIds, 1e7, COMPLETE_DAY_HALF_HOURS),
    };
  }

  /** Creates a site in the named organisation (created too when new; default DEFAULT_ORGANISATION). */
  createSite(
    name: string,
    postcode?: string,
    organisation = DEFAULT_ORGANISATION,
    fields: SiteFieldsPatch = {},
  ): SiteSummary {
    const org = this.sqlite.transaction(() => {
      this.sqlite
        .prepare('INSERT INTO organisations (name) VALUES (?) ON CONFLICT (name) DO NOTHING')
        .run(organisation);
      return this.sqlite.prepare('SELECT id FROM organisations WHERE name = ?').pluck().get(organisation) as number;
    })();
    if (this.sqlite.prepare('SELECT 1 FROM sites WHERE organisation_id = ? AND name = ?').get(org, name)) {
      throw new AppError('CONFLICT', `${organisation} already has a site called "${name}"`);
    }
    const id = this.sqlite.transaction(() => {
      const id = Number(
        this.sqlite
          .prepare('INSERT INTO sites (organisation_id, name, postcode) VALUES (?, ?, ?)')
          .run(org, name, postcode?.toUpperCase() || null).lastInsertRowid,
      );
      this.setSiteFields(id, fields);
      return id;
    })();
    return this.sites().find((s) => s.id === id)!;
  }

  /** Writes a site's location, floor area, generation flag and opening hours (text form; null = default). */
  private setSiteFields(id: number, f: SiteFieldsPatch): void {
    // a location is both coordinates or neither: half of one would be stored and never used
    if (f.latitude !== undefined || f.longitude !== undefined) {
      const now = this.sqlite.prepare('SELECT latitude, longitude FROM sites WHERE id = ?').get(id) as {
        latitude: number | null;
        longitude: number | null;
      };
      const lat = f.latitude !== undefined ? f.latitude : now.latitude;
      const lon = f.longitude !== undefined ? f.longitude : now.longitude;
      if ((lat === null) !== (lon === null))
        throw new AppError(
          'BAD_INPUT',
          `A site's location needs both its latitude and its longitude (give ${lat === null ? 'the latitude' : 'the longitude'} too), or neither`,
        );
    }
    const sets: string[] = [];
    const vals: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null): void => {
      sets.push(`${column} = ?`);
      vals.push(value);
    };
    if (f.address !== undefined) set('address', f.address || null);
    if (f.latitude !== undefined) set('latitude', f.latitude);
    if (f.longitude !== undefined) set('longitude', f.longitude);
    if (f.floorAreaM2 !== undefined) set('floor_area_m2', f.floorAreaM2);
    if (f.generation !== undefined) set('generation', f.generation ? 1 : 0);
    if (f.openingHours !== undefined)
      set('opening_hours', f.openingHours === null ? null : JSON.stringify(parseOpeningHours(f.openingHours)));
    if (sets.length) this.sqlite.prepare(`UPDATE sites SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  /** A site's closures, earliest first. */
  closures(siteId: number): SiteClosure[] {
    return (
      this.sqlite
        .prepare(
          'SELECT id, site_id, from_day, to_day, note FROM site_closures WHERE site_id = ? ORDER BY from_day, id',
        )
        .raw()
        .all(siteId) as [number, number, number, number, string | null][]
    ).map(([id, site, from, to, note]) => ({ id, siteId: site, from: isoDay(from), to: isoDay(to), note }));
  }

  /** Closures of a site as day ranges (the analyses' form). */
  closureDays(siteId: number): { fromDay: number; toDay: number }[] {
    return this.sqlite
      .prepare('SELECT from_day AS fromDay, to_day AS toDay FROM site_closures WHERE site_id = ? ORDER BY from_day')
      .all(siteId) as { fromDay: number; toDay: number }[];
  }

  addClosure(siteId: number, fromDay: number, toDay: number, note?: string): SiteClosure {
    if (!this.sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(siteId))
      throw new AppError('NOT_FOUND', `No site ${siteId}`);
    if (toDay <= fromDay)
      throw new AppError(
        'INVALID_ARGS',
        '"to" must be after "from" (to is exclusive: the day after the last day closed)',
      );
    if (toDay - fromDay > 366)
      throw new AppError('INVALID_ARGS', 'A closure is at most a year long; add longer ones year by year');
    const overlap = this.sqlite
      .prepare('SELECT id, from_day, to_day FROM site_closures WHERE site_id = ? AND from_day < ? AND to_day > ?')
      .raw()
      .get(siteId, toDay, fromDay) as [number, number, number] | undefined;
    if (overlap)
      throw new AppError(
        'CONFLICT',
        `Those days overlap the site's closure ${overlap[0]} (${isoDay(overlap[1])} to ${isoDay(overlap[2] - 1)}): remove it first, or choose other days`,
      );
    const id = Number(
      this.sqlite
        .prepare('INSERT INTO site_closures (site_id, from_day, to_day, note) VALUES (?, ?, ?, ?)')
        .run(siteId, fromDay, toDay, note || null).lastInsertRowid,
    );
    return this.closures(siteId).find((c) => c.id === id)!;
  }

  removeClosure(siteId: number, id: number): { removed: boolean } {
    if (this.sqlite.prepare('DELETE FROM site_closures WHERE id = ? AND site_id = ?').run(id, siteId).changes === 0)
      throw new AppError('NOT_FOUND', `Site ${siteId} has no closure ${id}`);
    return { removed: true };
  }

  site(id: number): { site: SiteSummary; meters: MeterSummary[]; closures: SiteClosure[] } {
    const site = this.sites().find((s) => s.id === id);
    if (!site) throw new AppError('NOT_FOUND', `No site ${id}`);
    return { site, meters: this.list().filter((m) => m.siteId === id), closures: this.closures(id) };
  }

  /** Updates a meter's site, label, plausibility ceiling, calorific value, supplier or capacity. */
  update(
    identifier: string,
    patch: {
      siteId?: number | null;
      label?: string | null;
      maxKwhPerHalfHour?: number;
      calorificValue?: number;
      supplier?: string | null;
      capacityKva?: number | null;
      serial?: string | null;
      tags?: string[];
    },
  ): MeterSummary {
    const id = this.meterId(identifier);
    if (
      patch.siteId !== undefined &&
      patch.siteId !== null &&
      !this.sqlite.prepare('SELECT 1 FROM sites WHERE id = ?').get(patch.siteId)
    ) {
      throw new AppError('NOT_FOUND', `No site ${patch.siteId}`);
    }
    const sets: string[] = [];
    const vals: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null): void => {
      sets.push(`${column} = ?`);
      vals.push(value);
    };
    if (patch.siteId !== undefined) set('site_id', patch.siteId);
    if (patch.label !== undefined) set('label', patch.label || null);
    if (patch.maxKwhPerHalfHour !== undefined) set('max_kwh_per_half_hour', patch.maxKwhPerHalfHour);
    if (patch.calorificValue !== undefined) set('calorific_value', patch.calorificValue);
    if (patch.supplier !== undefined) set('supplier', patch.supplier || null);
    if (patch.capacityKva !== undefined) set('capacity_kva', patch.capacityKva);
    if (patch.serial !== undefined) set('serial', patch.serial || null);
    if (patch.tags !== undefined) set('tags', JSON.stringify([...new Set(patch.tags)].sort()));
    if (sets.length) this.sqlite.prepare(`UPDATE meters SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
    return this.list().find((m) => m.mpan === identifier.trim())!;
  }

  sites(): SiteSummary[] {
    const rows = this.sqlite
      .prepare(
        `SELECT s.id, s.uid, s.name, o.name AS organisation, s.postcode, s.address, s.region_id AS chosen, (SELECT count(*) FROM meters m WHERE m.site_id = s.id) AS meters,
                s.latitude, s.longitude, s.floor_area_m2 AS floorAreaM2, s.generation, s.opening_hours AS hours
         FROM sites s JOIN organisations o ON o.id = s.organisation_id ORDER BY o.name, s.name`,
      )
      .all() as (Omit<
      SiteSummary,
      'regionId' | 'regionSource' | 'generation' | 'openingHours' | 'openingHoursDefault'
    > & {
      chosen: number | null;
      generation: number;
      hours: string | null;
    })[];
    const mpans = this.sqlite
      .prepare("SELECT identifier FROM meters WHERE site_id = ? AND kind = 'mpan' ORDER BY identifier")
      .pluck();
    return rows.map(({ chosen, hours, generation, ...rest }) => {
      const r = {
        ...rest,
        generation: generation === 1,
        openingHours: formatOpeningHours(storedHours(hours)),
        openingHoursDefault: hours === null,
      };
      if (chosen !== null) return { ...r, regionId: chosen, regionSource: 'user' as const };
      // the most common region among the site's MPANs
      const counts = new Map<number, number>();
      for (const m of mpans.all(r.id) as string[]) {
        const reg = regionOfMpan(m);
        if (reg !== null) counts.set(reg, (counts.get(reg) ?? 0) + 1);
      }
      const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
      return { ...r, regionId: best ? best[0] : null, regionSource: best ? ('mpan' as const) : null };
    });
  }

  updateSite(
    id: number,
    patch: { name?: string; postcode?: string | null; regionId?: number | null } & SiteFieldsPatch,
  ): SiteSummary {
    const site = this.sqlite.prepare('SELECT organisation_id AS org FROM sites WHERE id = ?').get(id) as
      { org: number } | undefined;
    if (!site) throw new AppError('NOT_FOUND', `No site ${id}`);
    if (
      patch.name !== undefined &&
      this.sqlite
        .prepare('SELECT 1 FROM sites WHERE organisation_id = ? AND name = ? AND id != ?')
        .get(site.org, patch.name, id)
    ) {
      throw new AppError('CONFLICT', `There is already a site called "${patch.name}"`);
    }
    // all or nothing: a refused field (half a location) leaves the name and postcode as they were
    this.sqlite.transaction(() => {
      if (patch.name !== undefined) this.sqlite.prepare('UPDATE sites SET name = ? WHERE id = ?').run(patch.name, id);
      if (patch.postcode !== undefined)
        this.sqlite
          .prepare('UPDATE sites SET postcode = ? WHERE id = ?')
          .run(patch.postcode ? patch.postcode.toUpperCase() : null, id);
      if (patch.regionId !== undefined)
        this.sqlite.prepare('UPDATE sites SET region_id = ? WHERE id = ?').run(patch.regionId, id);
      this.setSiteFields(id, patch);
    })();
    return this.sites().find((s) => s.id === id)!;
  }

  /** The Carbon Intensity region for a meter: its site's region, else its own MPAN's. */
  regionOf(identifier: string): number | null {
    const r = this.sqlite
      .prepare('SELECT identifier, kind, site_id AS siteId FROM meters WHERE identifier = ?')
      .get(identifier.trim()) as { identifier: string; kind: string; siteId: number | null } | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No meter ${identifier.trim()}`);
    const site = r.siteId === null ? undefined : this.sites().find((s) => s.id === r.siteId);
    return site?.regionId ?? regionOfMpan(r.identifier);
  }

  readings(identifier: string, from: string, to: string): Reading[] {
    const id = this.meterId(identifier);
    const a = toEpoch(from);
    const b = toEpoch(to);
    if (b < a) throw new AppError('INVALID_ARGS', `"to" (${to}) is before "from" (${from})`);
    const h = this.store.halfHours(id, a, b);
    const out = new Array<Reading>(h.count);
    for (let i = 0; i < h.count; i++) {
      const kwh = h.kwh[i]!;
      out[i] = { start: isoUtc(h.ts[i]!), kwh: kwh === kwh ? kwh : null, quality: QUALITY[h.quality[i]!] ?? 'actual' };
    }
    return out;
  }

  series(identifier: string, from?: string, to?: string): Series {
    const id = this.meterId(identifier);
    const h = this.store.halfHours(id, from ? toEpoch(from) : 0, to ? toEpoch(to) : 4102444800);
    const ts = new Array<number>(h.count);
    const kwh = new Array<number | null>(h.count);
    for (let i = 0; i < h.count; i++) {
      ts[i] = h.ts[i]!;
      const v = h.kwh[i]!;
      kwh[i] = v === v ? v : null;
    }
    return { meter: identifier.trim(), ts, kwh };
  }
}

/** A site's analytics fields, as sites.create/update take them. */
export interface SiteFieldsPatch {
  address?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  floorAreaM2?: number | null;
  generation?: boolean;
  openingHours?: string | null;
}
