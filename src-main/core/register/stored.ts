/**
 * Sites and meters as registers read and write them. Sites are found by name, without case or extra
 * spaces, in the default organisation first (where new sites go), else the oldest site of that name
 * in any other; meters by their identifier.
 */
import type Database from 'better-sqlite3';
import type { MeterIdKind } from '../../../src-shared/domain/meter-id';
import { DEFAULT_ORGANISATION } from '../meters/meter-service';
import { siteKey, type Fuel } from './parse';

/** A site's row as a register compares it. */
export interface StoredSite {
  id: number;
  name: string;
  organisationId: number;
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  floorArea: number | null;
  /** Opening hours JSON (null = the default hours). */
  hours: string | null;
}

/** A meter's row as a register compares and exports it. */
export interface StoredMeter {
  id: number;
  identifier: string;
  kind: MeterIdKind;
  fuel: Fuel;
  siteId: number | null;
  label: string | null;
  supplier: string | null;
  capacityKva: number | null;
  serial: string | null;
}

/** Every meter, by identifier. */
export function storedMeters(sqlite: Database.Database): StoredMeter[] {
  return sqlite
    .prepare(
      `SELECT id, identifier, kind, fuel, site_id AS siteId, label, supplier, capacity_kva AS capacityKva, serial
       FROM meters ORDER BY identifier`,
    )
    .all() as StoredMeter[];
}

export class SiteDirectory {
  private readonly byKey = new Map<string, StoredSite>();
  private readonly byId = new Map<number, StoredSite>();

  constructor(sqlite: Database.Database) {
    const defaultOrg = sqlite
      .prepare('SELECT id FROM organisations WHERE name = ?')
      .pluck()
      .get(DEFAULT_ORGANISATION) as number | undefined;
    const rows = sqlite
      .prepare(
        `SELECT id, name, organisation_id AS organisationId, address, postcode, latitude, longitude,
                floor_area_m2 AS floorArea, opening_hours AS hours
         FROM sites ORDER BY (organisation_id = ?) DESC, id`,
      )
      .all(defaultOrg ?? -1) as StoredSite[];
    for (const r of rows) {
      this.byId.set(r.id, r);
      const key = siteKey(r.name);
      if (!this.byKey.has(key)) this.byKey.set(key, r);
    }
  }

  /** The site a name means, or null. */
  find(name: string): StoredSite | null {
    return this.byKey.get(siteKey(name)) ?? null;
  }

  get(id: number): StoredSite | null {
    return this.byId.get(id) ?? null;
  }

  /** Every site, oldest first. */
  all(): StoredSite[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }
}

/** The default organisation's id, created when there is none yet (call inside the writing transaction). */
export function defaultOrganisation(sqlite: Database.Database): number {
  sqlite.prepare('INSERT INTO organisations (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(DEFAULT_ORGANISATION);
  return sqlite.prepare('SELECT id FROM organisations WHERE name = ?').pluck().get(DEFAULT_ORGANISATION) as number;
}
