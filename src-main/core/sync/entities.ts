/**
 * The desktop's entity side of sync (docs/sync.md, "Entities and field groups"): reads the local
 * tables as field groups with canonical values (global keys for references: a site's uid, a meter's
 * identifier), compares them with the shadow (`sync_shadow`: each group's hash and version as the
 * server last had it) to find what to push, and writes the server's rows back into the local tables
 * exactly as the app's own services would. Rows whose parent has not arrived yet (a first sync's
 * pages follow the server's versions, not dependencies) wait in `sync_state` under PENDING_KEY and
 * are applied as soon as their parent is.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import {
  ENTITY_GROUPS,
  ENTITY_TYPES,
  personsEdit,
  SHARED_SETTINGS,
  type EntityChange,
  type EntityRow,
  type EntityType,
} from '../../../src-shared/contract/sync';
import { canonical as tariffSpecJson } from '../tariffs/tariff-store';
import type { EntityApplyResult, EntitySync } from './entity-api';

type Value = Record<string, unknown>;
type Groups = Record<string, Value>;
type Replaced = { type: EntityType; key: string; group: string; local: unknown; server: unknown };

/** Where rows waiting for their parent are kept (sync_state key; JSON EntityRow[]). */
export const PENDING_KEY = 'entities.pending';
/**
 * sync_state keys `madeByPull:IDENTIFIER`: meters a pulled meter-day made before their own row
 * arrived. Their local values are placeholders, not a person's edits: the server's row replaces
 * them without a replaced-edit entry.
 */
export const MADE_BY_PULL = 'madeByPull:';
/**
 * sync_state keys `meterGone:IDENTIFIER`: the server version of the last meter tombstone pulled
 * for that meter. A pulled day of a meter this desktop does not have, at or below it, does not make
 * the meter again (days.ts); the meter's live row, when it comes back, clears it.
 */
export const METER_GONE = 'meterGone:';
/** Who budgets written by sync are recorded as updated by. */
export const SYNC_ACTOR = 'shared server';

/** JSON with object keys in code-unit order at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** SHA-256 (hex) of a group value's canonical JSON: what the shadow keeps. */
export function groupHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

const id = (type: EntityType, key: string): string => `${type}\u0000${key}`;
const SHARED = new Set<string>(SHARED_SETTINGS);

/** Splits `a|b` at its last bar (keys whose first part may itself hold one). */
function splitLast(key: string, what: string): [string, string] {
  const i = key.lastIndexOf('|');
  if (i <= 0 || i === key.length - 1) throw new AppError('BAD_INPUT', `The server sent ${what} "${key}" without a "|"`);
  return [key.slice(0, i), key.slice(i + 1)];
}

/** A day number from a key part. */
function dayPart(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new AppError('BAD_INPUT', `The server sent ${what} with day "${text}"`);
  return n;
}

/** Field readers for the server's values: a clear error instead of a NOT NULL failure deep in SQLite. */
function fields(type: EntityType, key: string, group: string, v: Value) {
  const bad = (field: string, want: string): never => {
    throw new AppError('BAD_INPUT', `The server's ${type} "${key}" has no valid ${field} in ${group} (${want})`);
  };
  return {
    text: (f: string): string => (typeof v[f] === 'string' && v[f] !== '' ? (v[f] as string) : bad(f, 'text')),
    textOrNull: (f: string): string | null =>
      v[f] === null || v[f] === undefined ? null : typeof v[f] === 'string' ? (v[f] as string) : bad(f, 'text'),
    num: (f: string): number =>
      typeof v[f] === 'number' && Number.isFinite(v[f]) ? (v[f] as number) : bad(f, 'a number'),
    numOrNull: (f: string): number | null =>
      v[f] === null || v[f] === undefined
        ? null
        : typeof v[f] === 'number' && Number.isFinite(v[f])
          ? (v[f] as number)
          : bad(f, 'a number'),
    bool: (f: string): boolean => (typeof v[f] === 'boolean' ? (v[f] as boolean) : bad(f, 'true or false')),
    json: (f: string): string => (v[f] === undefined ? bad(f, 'a value') : JSON.stringify(v[f])),
    jsonOrNull: (f: string): string | null => (v[f] === null || v[f] === undefined ? null : JSON.stringify(v[f])),
  };
}

/** What one write did: groups left waiting for a parent, whether the entity is now absent locally. */
interface Outcome {
  wrote: boolean;
  waiting: string[];
  gone?: boolean;
}

/** The entity side of sync over the desktop's database (see EntitySync). `now` gives ms (tariff and rule times). */
export function createEntitySync(sqlite: Database.Database, now: () => number = Date.now): EntitySync {
  const cache = new Map<string, Database.Statement>();
  const st = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
    return s;
  };
  const seconds = (): number => Math.floor(now() / 1000);

  /* ------------------------------------------------------------ reading the local tables */

  const readers: Record<EntityType, () => Map<string, Groups>> = {
    site: () => {
      const out = new Map<string, Groups>();
      const closures = new Map<number, { from: number; to: number; note: string | null }[]>();
      for (const [site, from, to, note] of st(
        'SELECT site_id, from_day, to_day, note FROM site_closures ORDER BY site_id, from_day, to_day, note, id',
      )
        .raw()
        .all() as [number, number, number, string | null][]) {
        const list = closures.get(site) ?? [];
        list.push({ from, to, note });
        closures.set(site, list);
      }
      const rows = st(
        `SELECT s.id, s.uid, s.name, o.name AS organisation, s.address, s.postcode, s.region_id AS regionId,
                s.latitude, s.longitude, s.floor_area_m2 AS floorAreaM2, s.generation, s.opening_hours AS hours
         FROM sites s JOIN organisations o ON o.id = s.organisation_id WHERE s.uid IS NOT NULL`,
      ).all() as {
        id: number;
        uid: string;
        name: string;
        organisation: string;
        address: string | null;
        postcode: string | null;
        regionId: number | null;
        latitude: number | null;
        longitude: number | null;
        floorAreaM2: number | null;
        generation: number;
        hours: string | null;
      }[];
      for (const r of rows)
        out.set(r.uid, {
          details: {
            name: r.name,
            organisation: r.organisation,
            address: r.address,
            postcode: r.postcode,
            regionId: r.regionId,
            latitude: r.latitude,
            longitude: r.longitude,
            floorAreaM2: r.floorAreaM2,
            generation: r.generation === 1,
          },
          hours: { hours: r.hours === null ? null : (JSON.parse(r.hours) as unknown) },
          closures: { closures: closures.get(r.id) ?? [] },
        });
      return out;
    },
    meter: () => {
      const out = new Map<string, Groups>();
      const rows = st(
        `SELECT m.identifier, m.kind, m.fuel, m.mpan_top_line AS mpanTopLine, m.label,
                m.max_kwh_per_half_hour AS maxKwhPerHalfHour, m.calorific_value AS calorificValue, m.supplier,
                m.capacity_kva AS capacityKva, m.serial, m.tags, s.uid AS site
         FROM meters m LEFT JOIN sites s ON s.id = m.site_id`,
      ).all() as (Value & { identifier: string; tags: string; site: string | null })[];
      for (const { identifier, tags, site, ...details } of rows)
        out.set(identifier, { details: { ...details, tags: JSON.parse(tags) as unknown }, site: { site } });
      return out;
    },
    tariff: () => {
      const out = new Map<string, Groups>();
      const rows = st('SELECT id, name, supplier, fuel, regions, is_default AS isDefault FROM tariffs').all() as {
        id: string;
        name: string;
        supplier: string;
        fuel: string;
        regions: string | null;
        isDefault: number;
      }[];
      for (const r of rows)
        out.set(r.id, {
          details: {
            name: r.name,
            supplier: r.supplier,
            fuel: r.fuel,
            regions: r.regions === null ? null : (JSON.parse(r.regions) as unknown),
            isDefault: r.isDefault === 1,
          },
        });
      return out;
    },
    tariffVersion: () => {
      const out = new Map<string, Groups>();
      for (const [tariff, from, to, spec] of st('SELECT tariff_id, valid_from, valid_to, spec FROM tariff_versions')
        .raw()
        .all() as [string, number, number | null, string][])
        out.set(`${tariff}|${from}`, { spec: { validTo: to, spec: JSON.parse(spec) as unknown } });
      return out;
    },
    assignment: () => {
      const out = new Map<string, Groups>();
      for (const [meter, from, tariff, by, at] of st(
        `SELECT m.identifier, a.from_day, a.tariff_id, a.assigned_by, a.assigned_at
         FROM tariff_assignments a JOIN meters m ON m.id = a.meter_id`,
      )
        .raw()
        .all() as [string, number, string, string, number][])
        out.set(`${meter}|${from}`, { tariff: { tariff, assignedBy: by, assignedAt: at } });
      return out;
    },
    alertRule: () => {
      const out = new Map<string, Groups>();
      const rows = st(
        `SELECT r.id, r.kind, r.name, r.meter, s.uid AS site, r.params, r.severity, r.channels, r.enabled, r.generation
         FROM alert_rules r LEFT JOIN sites s ON s.id = r.site_id`,
      ).all() as {
        id: string;
        kind: string;
        name: string | null;
        meter: string | null;
        site: string | null;
        params: string;
        severity: string;
        channels: string;
        enabled: number;
        generation: number;
      }[];
      for (const r of rows)
        out.set(r.id, {
          rule: {
            kind: r.kind,
            name: r.name,
            meter: r.meter,
            site: r.site,
            params: JSON.parse(r.params) as unknown,
            severity: r.severity,
            channels: JSON.parse(r.channels) as unknown,
            generation: r.generation,
          },
          enabled: { enabled: r.enabled === 1 },
        });
      return out;
    },
    alertState: () => {
      const out = new Map<string, Groups>();
      const rows = st(
        `SELECT a.rule_id, a.rule_generation, a.subject, a.period, a.kind, a.severity, a.fired_at, a.message, a.value,
                a.threshold, a.unit, a.link, m.identifier AS meter, s.uid AS site, a.channels, a.status,
                a.acknowledged_at, a.acknowledged_by, a.note, a.resolved_at, a.resolved_by, a.snoozed_until
         FROM alerts a LEFT JOIN meters m ON m.id = a.meter_id LEFT JOIN sites s ON s.id = a.site_id`,
      ).all() as Record<string, string | number | null>[];
      for (const r of rows)
        out.set(`${r.rule_id}|${r.rule_generation}|${r.subject}|${r.period}`, {
          alert: {
            kind: r.kind,
            severity: r.severity,
            firedAt: r.fired_at,
            message: r.message,
            value: r.value,
            threshold: r.threshold,
            unit: r.unit,
            link: r.link,
            meter: r.meter,
            site: r.site,
            channels: JSON.parse(r.channels as string) as unknown,
          },
          state: {
            status: r.status,
            acknowledgedAt: r.acknowledged_at,
            acknowledgedBy: r.acknowledged_by,
            note: r.note,
            resolvedAt: r.resolved_at,
            resolvedBy: r.resolved_by,
            snoozedUntil: r.snoozed_until,
          },
        });
      return out;
    },
    budget: () => {
      const out = new Map<string, Groups>();
      for (const [uid, month, kwh, pence] of st(
        'SELECT s.uid, b.month, b.kwh, b.pence FROM budgets b JOIN sites s ON s.id = b.site_id WHERE s.uid IS NOT NULL',
      )
        .raw()
        .all() as [string, string, number | null, number | null][])
        out.set(`${uid}|${month}`, { amounts: { kwh, pence } });
      return out;
    },
    setting: () => {
      const out = new Map<string, Groups>();
      for (const [key, value] of st('SELECT key, value FROM settings').raw().all() as [string, string][])
        if (SHARED.has(key)) out.set(key, { value: { value: JSON.parse(value) as unknown } });
      return out;
    },
  };

  /** The local entities of the given kinds (all by default), by kind and key. */
  const readAll = (types: ReadonlySet<EntityType> = new Set(ENTITY_TYPES)): Map<EntityType, Map<string, Groups>> =>
    new Map(ENTITY_TYPES.filter((t) => types.has(t)).map((t) => [t, readers[t]()] as const));

  /* ------------------------------------------------------------ the shadow and the waiting rows */

  type ShadowGroup = { hash: string; version: number };
  const readShadow = (): Map<string, Map<string, ShadowGroup>> => {
    const out = new Map<string, Map<string, ShadowGroup>>();
    for (const [type, key, grp, hash, version] of st('SELECT type, key, grp, hash, version FROM sync_shadow')
      .raw()
      .all() as [EntityType, string, string, string, number][]) {
      const k = id(type, key);
      const m = out.get(k) ?? new Map<string, ShadowGroup>();
      m.set(grp, { hash, version });
      out.set(k, m);
    }
    return out;
  };
  const putShadow = (type: EntityType, key: string, grp: string, hash: string, version: number): void =>
    void st(
      `INSERT INTO sync_shadow (type, key, grp, hash, version) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (type, key, grp) DO UPDATE SET hash = excluded.hash, version = excluded.version`,
    ).run(type, key, grp, hash, version);
  const dropShadow = (type: EntityType, key: string): void =>
    void st('DELETE FROM sync_shadow WHERE type = ? AND key = ?').run(type, key);

  const readPending = (): EntityRow[] => {
    const v = st('SELECT value FROM sync_state WHERE key = ?').pluck().get(PENDING_KEY) as string | undefined;
    return v === undefined ? [] : (JSON.parse(v) as EntityRow[]);
  };
  const writePending = (rows: EntityRow[]): void => {
    if (rows.length === 0) st('DELETE FROM sync_state WHERE key = ?').run(PENDING_KEY);
    else
      st(
        'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(PENDING_KEY, JSON.stringify(rows));
  };

  /* ------------------------------------------------------------ local ids of global keys */

  const siteId = (uid: string): number | undefined =>
    st('SELECT id FROM sites WHERE uid = ?').pluck().get(uid) as number | undefined;
  const meterId = (identifier: string): number | undefined =>
    st('SELECT id FROM meters WHERE identifier = ?').pluck().get(identifier) as number | undefined;
  const tariffExists = (tariff: string): boolean => st('SELECT 1 FROM tariffs WHERE id = ?').get(tariff) !== undefined;
  const organisationId = (name: string): number => {
    st('INSERT INTO organisations (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(name);
    return st('SELECT id FROM organisations WHERE name = ?').pluck().get(name) as number;
  };
  /** A reference by uid: null stays null; an unknown site is undefined (the row waits for it). */
  const siteRef = (uid: string | null): number | null | undefined => (uid === null ? null : siteId(uid));
  const dropAlerts = (where: string, arg: number): void => {
    const ids = st(`SELECT id FROM alerts WHERE ${where}`).pluck().all(arg) as number[];
    for (const a of ids) {
      st('DELETE FROM alert_deliveries WHERE alert_id = ?').run(a);
      st('DELETE FROM alerts WHERE id = ?').run(a);
    }
  };

  /* ------------------------------------------------------------ writing the server's rows */

  /** Per kind: write the given groups (creating the entity when needed), and delete it. */
  const writers: Record<
    EntityType,
    { write(key: string, g: Groups, touched: Set<string>): Outcome; remove(key: string, touched: Set<string>): boolean }
  > = {
    site: {
      write(uid, g) {
        let site = siteId(uid);
        const out: Outcome = { wrote: false, waiting: [] };
        if (g.details) {
          const f = fields('site', uid, 'details', g.details);
          const vals = [
            organisationId(f.text('organisation')),
            f.text('name'),
            f.textOrNull('address'),
            f.textOrNull('postcode'),
            f.numOrNull('regionId'),
            f.numOrNull('latitude'),
            f.numOrNull('longitude'),
            f.numOrNull('floorAreaM2'),
            f.bool('generation') ? 1 : 0,
          ];
          if (site === undefined)
            site = Number(
              st(
                `INSERT INTO sites (organisation_id, name, address, postcode, region_id, latitude, longitude, floor_area_m2,
                   generation, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              ).run(...vals, uid).lastInsertRowid,
            );
          else
            st(
              `UPDATE sites SET organisation_id = ?, name = ?, address = ?, postcode = ?, region_id = ?, latitude = ?,
                 longitude = ?, floor_area_m2 = ?, generation = ? WHERE id = ?`,
            ).run(...vals, site);
          out.wrote = true;
        }
        if (site === undefined) return { wrote: false, waiting: Object.keys(g) };
        if (g.hours) {
          st('UPDATE sites SET opening_hours = ? WHERE id = ?').run(
            fields('site', uid, 'hours', g.hours).jsonOrNull('hours'),
            site,
          );
          out.wrote = true;
        }
        if (g.closures) {
          const list = g.closures.closures;
          if (!Array.isArray(list))
            throw new AppError('BAD_INPUT', `The server's site "${uid}" has no closures list in closures`);
          st('DELETE FROM site_closures WHERE site_id = ?').run(site);
          for (const c of list as Value[]) {
            const f = fields('site', uid, 'closures', c);
            st('INSERT INTO site_closures (site_id, from_day, to_day, note) VALUES (?, ?, ?, ?)').run(
              site,
              f.num('from'),
              f.num('to'),
              f.textOrNull('note'),
            );
          }
          out.wrote = true;
        }
        return out;
      },
      remove(uid, touched) {
        const site = siteId(uid);
        if (site === undefined) return false;
        // as the trash does: the meters stay, without a site; the site's own alerts go with it
        for (const m of st('SELECT identifier FROM meters WHERE site_id = ?').pluck().all(site) as string[])
          touched.add(m);
        st('UPDATE meters SET site_id = NULL WHERE site_id = ?').run(site);
        dropAlerts('site_id = ? AND meter_id IS NULL', site);
        st('DELETE FROM sites WHERE id = ?').run(site);
        return true;
      },
    },
    meter: {
      write(identifier, g, touched) {
        let meter = meterId(identifier);
        const out: Outcome = { wrote: false, waiting: [] };
        if (g.details) {
          const f = fields('meter', identifier, 'details', g.details);
          const tags = g.details.tags;
          if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))
            throw new AppError('BAD_INPUT', `The server's meter "${identifier}" has no valid tags in details (a list)`);
          const vals = [
            f.text('kind'),
            f.text('fuel'),
            f.textOrNull('mpanTopLine'),
            f.textOrNull('label'),
            f.num('maxKwhPerHalfHour'),
            f.num('calorificValue'),
            f.textOrNull('supplier'),
            f.numOrNull('capacityKva'),
            f.textOrNull('serial'),
            JSON.stringify([...new Set(tags as string[])].sort()),
          ];
          if (meter === undefined)
            meter = Number(
              st(
                `INSERT INTO meters (kind, fuel, mpan_top_line, label, max_kwh_per_half_hour, calorific_value, supplier,
                   capacity_kva, serial, tags, identifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              ).run(...vals, identifier).lastInsertRowid,
            );
          else
            st(
              `UPDATE meters SET kind = ?, fuel = ?, mpan_top_line = ?, label = ?, max_kwh_per_half_hour = ?,
                 calorific_value = ?, supplier = ?, capacity_kva = ?, serial = ?, tags = ? WHERE id = ?`,
            ).run(...vals, meter);
          out.wrote = true;
        }
        if (g.site) {
          const site =
            meter === undefined ? undefined : siteRef(fields('meter', identifier, 'site', g.site).textOrNull('site'));
          if (site === undefined) out.waiting.push('site');
          else {
            st('UPDATE meters SET site_id = ? WHERE id = ?').run(site, meter);
            out.wrote = true;
          }
        }
        if (out.wrote) touched.add(identifier);
        return out;
      },
      remove(identifier, touched) {
        const meter = meterId(identifier);
        if (meter === undefined) return false;
        // as the trash does: the meter's alerts go; its readings, assignments and the rest cascade
        dropAlerts('meter_id = ?', meter);
        st('DELETE FROM meters WHERE id = ?').run(meter);
        touched.add(identifier);
        return true;
      },
    },
    tariff: {
      write(tariff, g) {
        if (!g.details) return { wrote: false, waiting: [] };
        const f = fields('tariff', tariff, 'details', g.details);
        const regions = g.details.regions;
        if (regions !== null && (!Array.isArray(regions) || regions.some((r) => typeof r !== 'number')))
          throw new AppError(
            'BAD_INPUT',
            `The server's tariff "${tariff}" has no valid regions in details (a list of region numbers, or null)`,
          );
        const list =
          regions === null || regions.length === 0 ? null : [...new Set(regions as number[])].sort((a, b) => a - b);
        st(
          `INSERT INTO tariffs (id, name, supplier, fuel, regions, is_default, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, supplier = excluded.supplier, fuel = excluded.fuel,
             regions = excluded.regions, is_default = excluded.is_default, updated_at = excluded.updated_at`,
        ).run(
          tariff,
          f.text('name'),
          f.text('supplier'),
          f.text('fuel'),
          list === null ? null : JSON.stringify(list),
          f.bool('isDefault') ? 1 : 0,
          seconds(),
        );
        return { wrote: true, waiting: [] };
      },
      remove(tariff) {
        if (!tariffExists(tariff)) return false;
        st('DELETE FROM tariffs WHERE id = ?').run(tariff);
        return true;
      },
    },
    tariffVersion: {
      write(key, g) {
        if (!g.spec) return { wrote: false, waiting: [] };
        const [tariff, from] = splitLast(key, 'a tariff version');
        if (!tariffExists(tariff)) return { wrote: false, waiting: ['spec'] };
        const f = fields('tariffVersion', key, 'spec', g.spec);
        const spec = g.spec.spec;
        if (!spec || typeof spec !== 'object')
          throw new AppError('BAD_INPUT', `The server's tariff version "${key}" has no spec`);
        st(
          `INSERT INTO tariff_versions (tariff_id, valid_from, valid_to, spec) VALUES (?, ?, ?, ?)
           ON CONFLICT (tariff_id, valid_from) DO UPDATE SET valid_to = excluded.valid_to, spec = excluded.spec`,
        ).run(tariff, dayPart(from, `tariff version "${key}"`), f.numOrNull('validTo'), tariffSpecJson(spec));
        st('UPDATE tariffs SET updated_at = ? WHERE id = ?').run(seconds(), tariff);
        return { wrote: true, waiting: [] };
      },
      remove(key) {
        const [tariff, from] = splitLast(key, 'a tariff version');
        const n = st('DELETE FROM tariff_versions WHERE tariff_id = ? AND valid_from = ?').run(
          tariff,
          dayPart(from, `tariff version "${key}"`),
        ).changes;
        if (n > 0) st('UPDATE tariffs SET updated_at = ? WHERE id = ?').run(seconds(), tariff);
        return n > 0;
      },
    },
    assignment: {
      write(key, g) {
        if (!g.tariff) return { wrote: false, waiting: [] };
        const [identifier, from] = splitLast(key, 'an assignment');
        const f = fields('assignment', key, 'tariff', g.tariff);
        const meter = meterId(identifier);
        const tariff = f.text('tariff');
        if (meter === undefined || !tariffExists(tariff)) return { wrote: false, waiting: ['tariff'] };
        st(
          `INSERT INTO tariff_assignments (meter_id, from_day, tariff_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (meter_id, from_day) DO UPDATE SET tariff_id = excluded.tariff_id,
             assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
        ).run(meter, dayPart(from, `assignment "${key}"`), tariff, f.text('assignedBy'), f.num('assignedAt'));
        return { wrote: true, waiting: [] };
      },
      remove(key) {
        const [identifier, from] = splitLast(key, 'an assignment');
        const meter = meterId(identifier);
        if (meter === undefined) return false;
        return (
          st('DELETE FROM tariff_assignments WHERE meter_id = ? AND from_day = ?').run(
            meter,
            dayPart(from, `assignment "${key}"`),
          ).changes > 0
        );
      },
    },
    alertRule: {
      write(rule, g) {
        const exists = st('SELECT 1 FROM alert_rules WHERE id = ?').get(rule) !== undefined;
        if (!g.rule && !exists) return { wrote: false, waiting: Object.keys(g) };
        const out: Outcome = { wrote: false, waiting: [] };
        if (g.rule) {
          const f = fields('alertRule', rule, 'rule', g.rule);
          const site = siteRef(f.textOrNull('site'));
          if (site === undefined) return { wrote: false, waiting: Object.keys(g) };
          st(
            `INSERT INTO alert_rules (id, kind, name, meter, site_id, params, severity, channels, generation, created_at,
               updated_at) VALUES (@id, @kind, @name, @meter, @site, @params, @severity, @channels, @generation, @now, @now)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, meter = excluded.meter,
               site_id = excluded.site_id, params = excluded.params, severity = excluded.severity,
               channels = excluded.channels, generation = excluded.generation, updated_at = excluded.updated_at`,
          ).run({
            id: rule,
            kind: f.text('kind'),
            name: f.textOrNull('name'),
            meter: f.textOrNull('meter'),
            site,
            params: f.json('params'),
            severity: f.text('severity'),
            channels: f.json('channels'),
            generation: f.num('generation'),
            now: seconds(),
          });
          out.wrote = true;
        }
        if (g.enabled) {
          st('UPDATE alert_rules SET enabled = ?, updated_at = ? WHERE id = ?').run(
            fields('alertRule', rule, 'enabled', g.enabled).bool('enabled') ? 1 : 0,
            seconds(),
            rule,
          );
          out.wrote = true;
        }
        return out;
      },
      remove(rule) {
        return st('DELETE FROM alert_rules WHERE id = ?').run(rule).changes > 0;
      },
    },
    alertState: {
      write(key, g) {
        const k = alertKey(key);
        let alert = st('SELECT id FROM alerts WHERE rule_id = ? AND rule_generation = ? AND subject = ? AND period = ?')
          .pluck()
          .get(k.rule, k.generation, k.subject, k.period) as number | undefined;
        if (!g.alert && alert === undefined) return { wrote: false, waiting: Object.keys(g) };
        const out: Outcome = { wrote: false, waiting: [] };
        if (g.alert) {
          const f = fields('alertState', key, 'alert', g.alert);
          const meterText = f.textOrNull('meter');
          const meter = meterText === null ? null : meterId(meterText);
          const site = siteRef(f.textOrNull('site'));
          if (meter === undefined || site === undefined) return { wrote: false, waiting: Object.keys(g) };
          const vals = [
            f.text('kind'),
            f.text('severity'),
            f.num('firedAt'),
            f.text('message'),
            f.numOrNull('value'),
            f.numOrNull('threshold'),
            f.textOrNull('unit'),
            f.textOrNull('link'),
            meter,
            site,
            f.json('channels'),
          ];
          if (alert === undefined)
            alert = Number(
              st(
                `INSERT INTO alerts (kind, severity, fired_at, message, value, threshold, unit, link, meter_id, site_id,
                   channels, rule_id, rule_generation, subject, period, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
              ).run(...vals, k.rule, k.generation, k.subject, k.period).lastInsertRowid,
            );
          else
            st(
              `UPDATE alerts SET kind = ?, severity = ?, fired_at = ?, message = ?, value = ?, threshold = ?, unit = ?,
                 link = ?, meter_id = ?, site_id = ?, channels = ? WHERE id = ?`,
            ).run(...vals, alert);
          out.wrote = true;
        }
        if (g.state) {
          const f = fields('alertState', key, 'state', g.state);
          const status = f.text('status');
          if (!['open', 'acknowledged', 'resolved'].includes(status))
            throw new AppError('BAD_INPUT', `The server's alert "${key}" has status "${status}"`);
          st(
            `UPDATE alerts SET status = ?, acknowledged_at = ?, acknowledged_by = ?, note = ?, resolved_at = ?,
               resolved_by = ?, snoozed_until = ? WHERE id = ?`,
          ).run(
            status,
            f.numOrNull('acknowledgedAt'),
            f.textOrNull('acknowledgedBy'),
            f.textOrNull('note'),
            f.numOrNull('resolvedAt'),
            f.textOrNull('resolvedBy'),
            f.numOrNull('snoozedUntil'),
            alert,
          );
          out.wrote = true;
        }
        return out;
      },
      remove(key) {
        const k = alertKey(key);
        const alert = st(
          'SELECT id FROM alerts WHERE rule_id = ? AND rule_generation = ? AND subject = ? AND period = ?',
        )
          .pluck()
          .get(k.rule, k.generation, k.subject, k.period) as number | undefined;
        if (alert === undefined) return false;
        dropAlerts('id = ?', alert);
        return true;
      },
    },
    budget: {
      write(key, g) {
        if (!g.amounts) return { wrote: false, waiting: [] };
        const [uid, month] = splitLast(key, 'a budget');
        const site = siteId(uid);
        if (site === undefined) return { wrote: false, waiting: ['amounts'] };
        const f = fields('budget', key, 'amounts', g.amounts);
        const kwh = f.numOrNull('kwh');
        const pence = f.numOrNull('pence');
        // as budgets.set: a month with neither figure is no budget
        if (kwh === null && pence === null) {
          st('DELETE FROM budgets WHERE site_id = ? AND month = ?').run(site, month);
          return { wrote: true, waiting: [], gone: true };
        }
        st(
          `INSERT INTO budgets (site_id, month, kwh, pence, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (site_id, month) DO UPDATE SET kwh = excluded.kwh, pence = excluded.pence,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        ).run(site, month, kwh, pence, now(), SYNC_ACTOR);
        return { wrote: true, waiting: [] };
      },
      remove(key) {
        const [uid, month] = splitLast(key, 'a budget');
        const site = siteId(uid);
        return (
          site !== undefined && st('DELETE FROM budgets WHERE site_id = ? AND month = ?').run(site, month).changes > 0
        );
      },
    },
    setting: {
      write(key, g) {
        if (!g.value || !SHARED.has(key)) return { wrote: false, waiting: [] };
        const v = g.value.value;
        // as settings.update: an empty notification setting is no setting
        if (v === null || v === undefined || v === '') {
          st('DELETE FROM settings WHERE key = ?').run(key);
          return { wrote: true, waiting: [], gone: true };
        }
        st(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ).run(key, JSON.stringify(v));
        return { wrote: true, waiting: [] };
      },
      remove(key) {
        return SHARED.has(key) && st('DELETE FROM settings WHERE key = ?').run(key).changes > 0;
      },
    },
  };

  /** Whether a tombstone must wait: a tariff still assigned (its assignments' changes are still to come). */
  const mustWait = (row: EntityRow): boolean =>
    row.type === 'tariff' &&
    st('SELECT 1 FROM tariff_assignments WHERE tariff_id = ? LIMIT 1').get(row.key) !== undefined;

  const madeByPull = (meter: string): boolean =>
    st('SELECT 1 FROM sync_state WHERE key = ?').get(MADE_BY_PULL + meter) !== undefined;
  const meterGone = (meter: string, version: number): void =>
    void st(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(METER_GONE + meter, String(version));

  /** Upserts in dependency order, then tombstones in reverse (children before their parents). */
  const rank = (row: { type: EntityType; deleted?: unknown }): number => {
    const i = ENTITY_TYPES.indexOf(row.type);
    return row.deleted ? 2 * ENTITY_TYPES.length - i : i;
  };
  const ordered = <T extends { type: EntityType; key: string; deleted?: unknown }>(rows: T[]): T[] =>
    rows.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  return {
    changes() {
      const local = readAll();
      const shadow = readShadow();
      const waiting = new Map(readPending().map((r) => [id(r.type, r.key), r] as const));
      const out: EntityChange[] = [];
      for (const type of ENTITY_TYPES) {
        const mine = local.get(type)!;
        for (const [key, groups] of mine) {
          const sh = shadow.get(id(type, key));
          const held = waiting.get(id(type, key));
          if (held?.deleted) continue;
          const changed: NonNullable<EntityChange['groups']> = {};
          for (const grp of ENTITY_GROUPS[type]) {
            const value = groups[grp];
            if (!value || held?.groups[grp]) continue;
            const s = sh?.get(grp);
            if (s?.hash !== groupHash(value)) changed[grp] = { base: s?.version ?? 0, value };
          }
          if (Object.keys(changed).length > 0) out.push({ type, key, groups: changed });
        }
      }
      for (const [k, groups] of shadow) {
        const [type, key] = k.split('\u0000') as [EntityType, string];
        if (local.get(type)!.has(key) || waiting.has(k)) continue;
        // a deleted site's budgets stay (the app keeps them for the trash): they are not deleted, only unnamed
        if (type === 'budget' && !local.get('site')!.has(splitLast(key, 'a budget')[0])) continue;
        out.push({ type, key, deleted: { base: Math.max(...[...groups.values()].map((g) => g.version)) } });
      }
      return ordered(out);
    },

    markPushed(changes, { version, kept }) {
      const keptGroups = new Set((kept ?? []).map((k) => `${id(k.type, k.key)}\u0000${k.group}`));
      for (const c of changes) {
        if (c.deleted) dropShadow(c.type, c.key);
        else
          for (const [grp, g] of Object.entries(c.groups ?? {}))
            // a group the server kept its own value of is not the server's at this version: version 0
            // lets the pull bring the server's value, and the pushed hash says the local value is no
            // edit of a person's to report as replaced (the server logged it)
            putShadow(
              c.type,
              c.key,
              grp,
              groupHash(g.value),
              keptGroups.has(`${id(c.type, c.key)}\u0000${grp}`) ? 0 : version,
            );
      }
    },

    apply(rows) {
      // rows still waiting for a parent, overtaken by what this page brings for the same entity
      const all = new Map<string, EntityRow>();
      for (const r of readPending()) all.set(id(r.type, r.key), r);
      for (const r of rows) {
        if (!Object.hasOwn(ENTITY_GROUPS, r.type))
          throw new AppError('BAD_INPUT', `The server sent an entity of an unknown kind "${r.type}"`);
        const k = id(r.type, r.key);
        const before = all.get(k);
        all.set(k, before && !before.deleted && !r.deleted ? { ...r, groups: { ...before.groups, ...r.groups } } : r);
      }
      const local = readAll(new Set([...all.values()].map((r) => r.type)));
      const shadow = readShadow();
      const touched = new Set<string>();
      const types = new Set<EntityType>();
      const replaced: Replaced[] = [];
      const pending: EntityRow[] = [];
      let applied = 0;
      for (const row of ordered([...all.values()])) {
        const mine = local.get(row.type)!.get(row.key);
        const sh = shadow.get(id(row.type, row.key));
        if (row.deleted) {
          if (row.type === 'meter') meterGone(row.key, row.version);
          // a tombstone for something this desktop never had from the server is a local creation: it
          // stays; a meter a pulled day made before its row arrived goes
          if (!sh && !(row.type === 'meter' && madeByPull(row.key))) continue;
          if (!sh) {
            if (writers.meter.remove(row.key, touched)) {
              applied++;
              types.add('meter');
            }
            st('DELETE FROM sync_state WHERE key = ?').run(MADE_BY_PULL + row.key);
            continue;
          }
          if (Math.max(...[...sh.values()].map((g) => g.version)) >= row.version) continue;
          if (mustWait(row)) {
            pending.push(row);
            continue;
          }
          for (const [grp, s] of sh)
            if (mine?.[grp] && groupHash(mine[grp]) !== s.hash)
              replaced.push({ type: row.type, key: row.key, group: grp, local: mine[grp], server: null });
          if (writers[row.type].remove(row.key, touched)) {
            applied++;
            types.add(row.type);
          }
          dropShadow(row.type, row.key);
          continue;
        }
        const todo: Groups = {};
        const hashes = new Map<string, string>();
        const placeholder = row.type === 'meter' && !sh && madeByPull(row.key);
        if (row.type === 'meter') st('DELETE FROM sync_state WHERE key = ?').run(METER_GONE + row.key);
        const lost: Replaced[] = [];
        for (const [grp, g] of Object.entries(row.groups)) {
          if (!(ENTITY_GROUPS[row.type] as readonly string[]).includes(grp)) continue;
          const s = sh?.get(grp);
          if (s && s.version >= g.version) continue;
          const h = groupHash(g.value);
          hashes.set(grp, h);
          const localValue = mine?.[grp];
          if (localValue && groupHash(localValue) === h) continue;
          if (
            (localValue ? groupHash(localValue) !== s?.hash : s !== undefined) &&
            personsEdit(row.type, grp, localValue) &&
            !placeholder
          )
            lost.push({ type: row.type, key: row.key, group: grp, local: localValue ?? null, server: g.value });
          todo[grp] = g.value;
        }
        const done =
          Object.keys(todo).length > 0
            ? writers[row.type].write(row.key, todo, touched)
            : { wrote: false, waiting: [] };
        if (done.wrote) {
          applied++;
          types.add(row.type);
        }
        // a group still waiting for its parent is reported when it is written
        replaced.push(...lost.filter((r) => !done.waiting.includes(r.group)));
        if (done.gone) dropShadow(row.type, row.key);
        else
          for (const [grp, h] of hashes)
            if (!done.waiting.includes(grp)) putShadow(row.type, row.key, grp, h, row.groups[grp]!.version);
        if (placeholder) st('DELETE FROM sync_state WHERE key = ?').run(MADE_BY_PULL + row.key);
        if (done.waiting.length > 0)
          pending.push({
            ...row,
            groups: Object.fromEntries(done.waiting.map((grp) => [grp, row.groups[grp]!])),
          });
      }
      writePending(pending);
      const result: EntityApplyResult = {
        applied,
        types: ENTITY_TYPES.filter((t) => types.has(t)),
        meters: [...touched].sort(),
      };
      return { ...result, replaced };
    },
  };
}

/** The parts of an alert state's key `ruleId|generation|subject|period`. */
function alertKey(key: string): { rule: string; generation: number; subject: string; period: string } {
  const parts = key.split('|');
  const generation = Number(parts[1]);
  if (parts.length < 4 || !Number.isInteger(generation))
    throw new AppError('BAD_INPUT', `The server sent alert "${key}", not ruleId|generation|subject|period`);
  return { rule: parts[0]!, generation, subject: parts.slice(2, -1).join('|'), period: parts[parts.length - 1]! };
}
