/**
 * Sites found in meter files (`file_sites`: the BANES export's Location and PostCode, a siteRef
 * column) offered as sites: meters with no site yet, grouped by name and postcode (compared without
 * case or spacing). Accepting creates each site (or uses the one of that name) and puts its meters
 * on it; dismissing marks the offer so it is not made again. Either all or nothing.
 */
import type Database from 'better-sqlite3';
import type { Args } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type { SiteSuggestion } from '../../../src-shared/contract/types';
import { normalisePostcode } from '../../../src-shared/domain/postcode';
import { MAX_SITE_NAME, siteKey, siteName } from './parse';
import { defaultOrganisation, SiteDirectory } from './stored';

interface FileSiteRow {
  meterId: number;
  meter: string;
  name: string;
  address: string | null;
  postcode: string | null;
}

/** A postcode as grouped: its written form when it is one, else its letters and digits in capitals. */
const postcodeOf = (raw: string | null): string | null => {
  if (raw === null || raw.trim() === '') return null;
  return normalisePostcode(raw) ?? raw.trim().toUpperCase();
};

/** The open suggestions, by name. */
export function siteSuggestions(sqlite: Database.Database): SiteSuggestion[] {
  const rows = sqlite
    .prepare(
      `SELECT f.meter_id AS meterId, m.identifier AS meter, f.name, f.address, f.postcode
       FROM file_sites f JOIN meters m ON m.id = f.meter_id
       WHERE f.dismissed = 0 AND m.site_id IS NULL AND trim(f.name) != ''
       ORDER BY f.seen_at, m.identifier`,
    )
    .all() as FileSiteRow[];
  const sites = new SiteDirectory(sqlite);
  const groups = new Map<string, SiteSuggestion>();
  for (const r of rows) {
    const postcode = postcodeOf(r.postcode);
    const key = `${siteKey(r.name)}\u0000${(postcode ?? '').replace(/\s/g, '')}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        name: siteName(r.name).slice(0, MAX_SITE_NAME),
        address: r.address?.trim() || null,
        postcode,
        meters: [],
        existingSiteId: sites.find(r.name)?.id ?? null,
      };
      groups.set(key, g);
    }
    g.address ??= r.address?.trim() || null;
    if (!g.meters.includes(r.meter)) g.meters.push(r.meter);
  }
  for (const g of groups.values()) g.meters.sort();
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

type Item = Args<'sites.acceptSuggestions'>['items'][number];

/** Creates or uses the sites, assigns their meters, or dismisses the offers; returns the sites used and counts. */
export function acceptSiteSuggestions(
  sqlite: Database.Database,
  items: Item[],
): { sitesCreated: number; metersAssigned: number; siteIds: number[]; meters: string[] } {
  const meterRow = sqlite.prepare('SELECT id, site_id AS siteId FROM meters WHERE identifier = ?');
  const siteNameOf = sqlite.prepare('SELECT name FROM sites WHERE id = ?').pluck();
  return sqlite.transaction(() => {
    let sitesCreated = 0;
    let metersAssigned = 0;
    const siteIds: number[] = [];
    const touched: string[] = [];
    for (const item of items) {
      const meters = item.meters.map((identifier) => {
        const m = meterRow.get(identifier.trim()) as { id: number; siteId: number | null } | undefined;
        if (!m) throw new AppError('NOT_FOUND', `No meter ${identifier.trim()}; reload the suggestions`);
        return { identifier: identifier.trim(), ...m };
      });
      if (item.dismiss) {
        dismiss(sqlite, item.name, meters);
        continue;
      }
      const onSite = meters.find((m) => m.siteId !== null);
      if (onSite)
        throw new AppError(
          'CONFLICT',
          `Meter ${onSite.identifier} is already on the site "${String(siteNameOf.get(onSite.siteId))}": reload the suggestions`,
        );
      let postcode: string | null = null;
      if (item.postcode) {
        postcode = normalisePostcode(item.postcode);
        if (!postcode)
          throw new AppError(
            'BAD_INPUT',
            `"${item.postcode}" (for ${item.name}) is not a UK postcode: correct it (e.g. BA1 7UB) or leave it blank`,
          );
      }
      const name = siteName(item.name);
      let siteId = new SiteDirectory(sqlite).find(name)?.id;
      if (siteId === undefined) {
        siteId = Number(
          sqlite
            .prepare('INSERT INTO sites (organisation_id, name, address, postcode) VALUES (?, ?, ?, ?)')
            .run(defaultOrganisation(sqlite), name, item.address || null, postcode).lastInsertRowid,
        );
        sitesCreated++;
      } else {
        // an existing site keeps what it has; blanks are filled from the file
        sqlite
          .prepare('UPDATE sites SET address = coalesce(address, ?), postcode = coalesce(postcode, ?) WHERE id = ?')
          .run(item.address || null, postcode, siteId);
      }
      const assign = sqlite.prepare('UPDATE meters SET site_id = ? WHERE id = ?');
      for (const m of meters) assign.run(siteId, m.id);
      metersAssigned += meters.length;
      touched.push(...meters.map((m) => m.identifier));
      if (!siteIds.includes(siteId)) siteIds.push(siteId);
    }
    return { sitesCreated, metersAssigned, siteIds, meters: touched };
  })();
}

/** Marks the offers of `name` for these meters as dismissed (NOT_FOUND when there are none). */
function dismiss(sqlite: Database.Database, name: string, meters: { id: number; identifier: string }[]): void {
  const names = sqlite.prepare('SELECT name FROM file_sites WHERE meter_id = ? AND dismissed = 0').pluck();
  const mark = sqlite.prepare('UPDATE file_sites SET dismissed = 1 WHERE meter_id = ? AND name = ?');
  let marked = 0;
  for (const m of meters)
    for (const n of names.all(m.id) as string[]) if (siteKey(n) === siteKey(name)) marked += mark.run(m.id, n).changes;
  if (marked === 0)
    throw new AppError(
      'NOT_FOUND',
      `No open suggestion "${name}" for ${meters.map((m) => m.identifier).join(', ')}: reload the suggestions`,
    );
}
