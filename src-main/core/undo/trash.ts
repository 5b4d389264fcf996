/**
 * Deleting by hand, kept so it can be undone: a meter (its row, tariff assignments, alerts and their
 * deliveries, switching analyses, the site details its files named, and its half-hours), a site (its
 * row, closures, weather days, the site's own alerts and which meters were on it — and, when asked,
 * those meters as above), or a meter's half-hours over a range of UK days.
 *
 * The rows go to `trash` as JSON, every column as stored; the half-hours go to the readings store's
 * own trash as stored, with the import that wrote each and what it overwrote, so a restore puts
 * everything back exactly (same ids, same identifiers) and those imports can still be rolled back.
 * Entries are kept TRASH_DAYS days, then purged by the retention clean-up.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { TrashEntry } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { dateOfDay, localDayOf, MONTH_ABBR } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { MeterService } from '../meters/meter-service';
import type { ReadingsStore } from '../readings/store';

/** Days a deletion can be undone: then the retention clean-up purges it. */
export const TRASH_DAYS = 30;

/** Every day a meter can have (UK local day numbers), for "all its readings". */
const ALL_DAYS: [number, number] = [-1_000_000, 1_000_000];

/** A row as JSON: every column, blobs as `{ "$base64": … }`. */
type Row = Record<string, unknown>;

/** A meter and what goes with it. */
interface MeterPart {
  row: Row;
  tariffAssignments: Row[];
  alerts: Row[];
  deliveries: Row[];
  switching: Row[];
  fileSites: Row[];
}

/** A site and what goes with it (its meters, when they go too, are MeterParts). */
interface SitePart {
  row: Row;
  closures: Row[];
  weather: Row[];
  alerts: Row[];
  deliveries: Row[];
  /** Meters that were on it and stay (without a site): put back on it by a restore. */
  meterIds: number[];
}

interface Payload {
  counts: TrashEntry['counts'];
  meters: MeterPart[];
  site: SitePart | null;
  readings: { meterId: number; meter: string; fromDay: number; toDay: number } | null;
}

/** The identifiers a deletion's payload names (its meters, or the meter whose readings went), as a JSON array. */
const METERS_OF =
  "(SELECT json_group_array(m) FROM (SELECT json_extract(value, '$.row.identifier') AS m FROM json_each(payload, '$.meters')" +
  " UNION ALL SELECT json_extract(payload, '$.readings.meter') WHERE json_extract(payload, '$.readings.meter') IS NOT NULL))";

interface TrashRow {
  id: number;
  meters: string;
  kind: TrashEntry['kind'];
  label: string;
  counts: string;
  created_at: number;
  created_by: string;
  restored_at: number | null;
  restored_by: string | null;
}

/** What a deletion changed, for the events and roll-ups that follow it. */
export interface TrashChange {
  entry: TrashEntry;
  /** Meters whose readings or details changed (identifiers). */
  meters: string[];
  alertsChanged: boolean;
}

const encode = (r: Row): Row => {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) out[k] = Buffer.isBuffer(v) ? { $base64: v.toString('base64') } : v;
  return out;
};
const decode = (v: unknown): unknown =>
  v !== null && typeof v === 'object' && '$base64' in v ? Buffer.from((v as { $base64: string }).$base64, 'base64') : v;

const n = (v: number): string => v.toLocaleString('en-GB');
const count = (v: number, one: string, many = `${one}s`): string => `${n(v)} ${v === 1 ? one : many}`;
/** A UK local day as people write it: 5 Mar 2024. */
export function ukDay(day: number): string {
  const d = dateOfDay(day);
  return `${d.d} ${MONTH_ABBR[d.m - 1]} ${d.y}`;
}

/** "a, b and c". */
function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export class TrashService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly meters: MeterService,
    private readonly clock: Clock,
  ) {}

  private now(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  private rows(table: string, where: string, ...params: unknown[]): Row[] {
    return (this.sqlite.prepare(`SELECT * FROM ${table} WHERE ${where}`).all(...params) as Row[]).map(encode);
  }

  private insert(table: string, row: Row): void {
    const cols = Object.keys(row);
    this.sqlite
      .prepare(
        `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      )
      .run(...cols.map((c) => decode(row[c])));
  }

  /** A meter's row and everything stored with it. */
  private meterPart(id: number): MeterPart {
    const alerts = this.rows('alerts', 'meter_id = ?', id);
    return {
      row: this.rows('meters', 'id = ?', id)[0]!,
      tariffAssignments: this.rows('tariff_assignments', 'meter_id = ?', id),
      alerts,
      deliveries: this.deliveriesOf(alerts),
      switching: this.rows('switching_analyses', 'meter_id = ?', id),
      fileSites: this.rows('file_sites', 'meter_id = ?', id),
    };
  }

  private deliveriesOf(alerts: Row[]): Row[] {
    if (alerts.length === 0) return [];
    return this.rows(
      'alert_deliveries',
      `alert_id IN (${alerts.map(() => '?').join(',')})`,
      ...alerts.map((a) => a.id),
    );
  }

  private dropAlerts(alerts: Row[]): void {
    const delDeliveries = this.sqlite.prepare('DELETE FROM alert_deliveries WHERE alert_id = ?');
    const delAlert = this.sqlite.prepare('DELETE FROM alerts WHERE id = ?');
    for (const a of alerts) {
      delDeliveries.run(a.id);
      delAlert.run(a.id);
    }
  }

  private emptyCounts(): TrashEntry['counts'] {
    return { sites: 0, meters: 0, days: 0, halfHours: 0, tariffAssignments: 0, alerts: 0 };
  }

  /** Adds a meter part's rows and readings to `c`. */
  private countMeter(c: TrashEntry['counts'], p: MeterPart): void {
    const r = this.readings.dayCounts(p.row.id as number, ...ALL_DAYS);
    c.meters++;
    c.days += r.days;
    c.halfHours += r.halfHours;
    c.tariffAssignments += p.tariffAssignments.length;
    c.alerts += p.alerts.length;
  }

  /** "with 17,520 readings over 365 days, 1 tariff assignment and 2 alerts" (what is there of it). */
  private withWords(c: TrashEntry['counts']): string {
    const parts: string[] = [];
    if (c.halfHours > 0) parts.push(`${count(c.halfHours, 'reading')} over ${count(c.days, 'day')}`);
    if (c.tariffAssignments > 0) parts.push(count(c.tariffAssignments, 'tariff assignment'));
    if (c.alerts > 0) parts.push(count(c.alerts, 'alert'));
    return parts.length ? ` with ${list(parts)}` : ' (no readings)';
  }

  private meterName(p: MeterPart): string {
    return `Meter ${String(p.row.identifier)}${p.row.label ? ` (${String(p.row.label)})` : ''}`;
  }

  /**
   * Deletes a meter with everything stored with it (kept for undo). `why` follows its name in the label (a
   * roll-back removing a meter it had created and left empty). With `dryRun`, only says what would go.
   */
  removeMeter(identifier: string, by: string, dryRun: boolean, why?: string): TrashChange {
    const id = this.meters.meterId(identifier);
    const part = this.meterPart(id);
    const counts = this.emptyCounts();
    this.countMeter(counts, part);
    const words = this.withWords(counts);
    const label =
      why === undefined
        ? `${this.meterName(part)}${words}`
        : `${this.meterName(part)}${why}${counts.halfHours > 0 || words === ' (no readings)' ? '' : `,${words}`}`;
    const payload: Payload = { counts, meters: [part], site: null, readings: null };
    return this.keep('meter', label, payload, by, dryRun, (trashId) => this.dropMeter(trashId, part), [
      String(part.row.identifier),
    ]);
  }

  /** Moves a meter's readings to the trash and deletes its rows (tariff assignments and the rest cascade). */
  private dropMeter(trashId: number, p: MeterPart): void {
    const id = p.row.id as number;
    this.dropAlerts(p.alerts);
    this.readings.trashDays(trashId, id, ...ALL_DAYS);
    this.sqlite.prepare('DELETE FROM meters WHERE id = ?').run(id);
  }

  /** Deletes a site (kept for undo): its meters stay without a site, or go with it when `withMeters`. */
  removeSite(id: number, withMeters: boolean, by: string, dryRun: boolean): TrashChange {
    const row = this.rows('sites', 'id = ?', id)[0];
    if (!row) throw new AppError('NOT_FOUND', `No site ${id}; see the sites list for their numbers`);
    const meterIds = this.sqlite
      .prepare('SELECT id FROM meters WHERE site_id = ? ORDER BY identifier')
      .pluck()
      .all(id) as number[];
    const alerts = this.rows('alerts', 'site_id = ? AND meter_id IS NULL', id);
    const site: SitePart = {
      row,
      closures: this.rows('site_closures', 'site_id = ?', id),
      weather: this.rows('weather_days', 'site_id = ?', id),
      alerts,
      deliveries: this.deliveriesOf(alerts),
      meterIds: withMeters ? [] : meterIds,
    };
    const parts = withMeters ? meterIds.map((m) => this.meterPart(m)) : [];
    const counts = this.emptyCounts();
    counts.sites = 1;
    counts.alerts = alerts.length;
    for (const p of parts) this.countMeter(counts, p);
    const name = `Site "${String(row.name)}"${row.postcode ? ` (${String(row.postcode)})` : ''}`;
    const label = withMeters
      ? parts.length
        ? `${name} and its ${count(parts.length, 'meter')}${this.withWords(counts)}`
        : `${name} (it has no meters)`
      : `${name}${meterIds.length ? `; its ${count(meterIds.length, 'meter')} stay, without a site` : ' (it has no meters)'}`;
    const payload: Payload = { counts, meters: parts, site, readings: null };
    const identifiers = this.sqlite
      .prepare('SELECT identifier FROM meters WHERE site_id = ? ORDER BY identifier')
      .pluck()
      .all(id) as string[];
    return this.keep(
      'site',
      label,
      payload,
      by,
      dryRun,
      (trashId) => {
        this.dropAlerts(alerts);
        for (const p of parts) this.dropMeter(trashId, p);
        this.sqlite.prepare('DELETE FROM sites WHERE id = ?').run(id);
      },
      identifiers,
    );
  }

  /** Deletes a meter's readings over UK local days [fromDay, toDay) (kept for undo). */
  removeReadings(identifier: string, fromDay: number, toDay: number, by: string, dryRun: boolean): TrashChange {
    const m = this.meters.meterRow(identifier);
    if (toDay <= fromDay)
      throw new AppError(
        'INVALID_ARGS',
        `The range ends (${ukDay(toDay)}) before it starts (${ukDay(fromDay)}): "to" is the day after the last one to delete`,
      );
    const r = this.readings.dayCounts(m.id, fromDay, toDay);
    const counts = { ...this.emptyCounts(), days: r.days, halfHours: r.halfHours };
    const range = toDay - fromDay === 1 ? `on ${ukDay(fromDay)}` : `from ${ukDay(fromDay)} to ${ukDay(toDay - 1)}`;
    const label =
      r.days === 0
        ? `No readings of meter ${m.identifier} ${range}`
        : `${count(r.halfHours, 'reading')} of meter ${m.identifier}${m.label ? ` (${m.label})` : ''} ${range} (${count(r.days, 'day')})`;
    if (r.days === 0 && !dryRun)
      throw new AppError('NOT_FOUND', `Meter ${m.identifier} has no readings ${range}: there is nothing to delete`);
    const payload: Payload = {
      counts,
      meters: [],
      site: null,
      readings: { meterId: m.id, meter: m.identifier, fromDay, toDay },
    };
    return this.keep(
      'readings',
      label,
      payload,
      by,
      dryRun,
      (trashId) => void this.readings.trashDays(trashId, m.id, fromDay, toDay),
      [m.identifier],
    );
  }

  /** Writes the trash entry and runs `drop` in one transaction (or, for a dry run, says what would go). */
  private keep(
    kind: TrashEntry['kind'],
    label: string,
    payload: Payload,
    by: string,
    dryRun: boolean,
    drop: (trashId: number) => void,
    meters: string[],
  ): TrashChange {
    const alertsChanged = payload.counts.alerts > 0;
    if (dryRun) {
      const entry: TrashEntry = {
        id: 0,
        kind,
        label,
        createdAt: isoUtc(this.now()),
        createdBy: by,
        restoredAt: null,
        restoredBy: null,
        counts: payload.counts,
        meters: [
          ...payload.meters.map((m) => String(m.row.identifier)),
          ...(payload.readings ? [payload.readings.meter] : []),
        ],
      };
      return { entry, meters, alertsChanged };
    }
    const id = this.sqlite.transaction(() => {
      const trashId = Number(
        this.sqlite
          .prepare('INSERT INTO trash (kind, label, payload, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
          .run(kind, label, JSON.stringify(payload), this.now(), by).lastInsertRowid,
      );
      drop(trashId);
      return trashId;
    })();
    return { entry: this.get(id), meters, alertsChanged };
  }

  /** One entry (NOT_FOUND when purged or never made). */
  get(id: number): TrashEntry {
    const r = this.sqlite
      .prepare(
        "SELECT id, kind, label, json_extract(payload, '$.counts') AS counts, created_at, created_by, restored_at, restored_by, " +
          `${METERS_OF} AS meters FROM trash WHERE id = ?`,
      )
      .get(id) as TrashRow | undefined;
    if (!r)
      throw new AppError(
        'NOT_FOUND',
        `No deletion ${id}: deletions are kept ${TRASH_DAYS} days (see "Recently deleted" for those still kept)`,
      );
    return toEntry(r);
  }

  /** Deletions, newest first (restored ones included). */
  list(limit = 100): TrashEntry[] {
    return (
      this.sqlite
        .prepare(
          "SELECT id, kind, label, json_extract(payload, '$.counts') AS counts, created_at, created_by, restored_at, restored_by, " +
            `${METERS_OF} AS meters FROM trash ORDER BY id DESC LIMIT ?`,
        )
        .all(limit) as TrashRow[]
    ).map(toEntry);
  }

  /**
   * Puts a deletion back exactly: the same rows with the same ids, the same half-hours with the imports that wrote
   * them. CONFLICT, naming what is in the way, when a meter with its identifier was created since, readings were
   * imported over its days since, or what it pointed at (a tariff, the organisation) is gone.
   */
  restore(id: number, by: string, undone: (jobId: number) => boolean): TrashChange {
    const entry = this.get(id);
    if (entry.restoredAt)
      throw new AppError(
        'CONFLICT',
        `Deletion ${id} (${entry.label}) was already put back on ${ukDay(localDayOf(Date.parse(entry.restoredAt) / 1000))} by ${entry.restoredBy}`,
      );
    const p = JSON.parse(
      this.sqlite.prepare('SELECT payload FROM trash WHERE id = ?').pluck().get(id) as string,
    ) as Payload;
    const meters = p.meters.map((m) => String(m.row.identifier));
    this.sqlite.transaction(() => {
      this.refuseClashes(id, p);
      if (p.site) this.putSite(p.site);
      for (const m of p.meters) this.putMeter(m);
      this.readings.restoreTrash(id, undone);
      this.sqlite.prepare('UPDATE trash SET restored_at = ?, restored_by = ? WHERE id = ?').run(this.now(), by, id);
    })();
    const touched = new Set(meters);
    if (p.readings) touched.add(p.readings.meter);
    if (p.site)
      for (const m of this.sqlite.prepare('SELECT identifier FROM meters WHERE site_id = ?').pluck().all(p.site.row.id))
        touched.add(m as string);
    return { entry: this.get(id), meters: [...touched].sort(), alertsChanged: p.counts.alerts > 0 };
  }

  /** CONFLICT when something restoring `p` needs has been taken or removed since. */
  private refuseClashes(id: number, p: Payload): void {
    const exists = this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
    for (const m of p.meters) {
      const identifier = String(m.row.identifier);
      if (exists.get(identifier) !== undefined)
        throw new AppError(
          'CONFLICT',
          `A meter ${identifier} has been created since it was deleted (by an import or by hand): ` +
            'delete or merge that meter first, then put this one back',
          { reason: 'meter-exists', meter: identifier, trashId: id },
        );
      const tariff = this.sqlite.prepare('SELECT 1 FROM tariffs WHERE id = ?').pluck();
      for (const a of m.tariffAssignments)
        if (tariff.get(a.tariff_id) === undefined)
          throw new AppError(
            'CONFLICT',
            `Tariff "${String(a.tariff_id)}" that meter ${identifier} was on has been deleted since: ` +
              'add it again, then put the meter back',
            { reason: 'tariff-gone', tariff: a.tariff_id, trashId: id },
          );
    }
    if (p.site) {
      const org = this.sqlite
        .prepare('SELECT name FROM organisations WHERE id = ?')
        .pluck()
        .get(p.site.row.organisation_id);
      if (org === undefined)
        throw new AppError(
          'CONFLICT',
          `The organisation site "${String(p.site.row.name)}" belonged to has been removed`,
          {
            reason: 'organisation-gone',
            trashId: id,
          },
        );
      const twin = this.sqlite
        .prepare('SELECT id FROM sites WHERE organisation_id = ? AND name = ?')
        .pluck()
        .get(p.site.row.organisation_id, p.site.row.name) as number | undefined;
      if (twin !== undefined)
        throw new AppError(
          'CONFLICT',
          `${String(org)} has a site called "${String(p.site.row.name)}" again (site ${twin}, created since): ` +
            'rename or delete it, then put this one back',
          { reason: 'site-exists', site: twin, trashId: id },
        );
    }
    const clashes = this.readings.trashClashes(id);
    if (clashes.length > 0) {
      const c = clashes[0]!;
      const last = clashes.filter((x) => x.meterId === c.meterId).pop()!;
      const identifier =
        (this.sqlite.prepare('SELECT identifier FROM meters WHERE id = ?').pluck().get(c.meterId) as
          string | undefined) ?? p.readings?.meter;
      const jobs = [...new Set(clashes.flatMap((x) => x.jobs))];
      const names = jobs.slice(0, 3).map((j) => {
        const f = this.sqlite.prepare('SELECT file_name FROM import_jobs WHERE id = ?').pluck().get(j) as
          string | undefined;
        return f ? `import job ${j}, ${f}` : `import job ${j}`;
      });
      const days = c.day === last.day ? ukDay(c.day) : `${ukDay(c.day)} to ${ukDay(last.day)}`;
      throw new AppError(
        'CONFLICT',
        `Readings of meter ${identifier} were imported over ${days} since they were deleted` +
          `${names.length ? ` (${names.join('; ')}${jobs.length > 3 ? '…' : ''})` : ''}: ` +
          'roll that import back or delete those readings first, then put these back',
        { reason: 'readings-since', meter: identifier, jobs, days: clashes.length, trashId: id },
      );
    }
  }

  private putSite(s: SitePart): void {
    this.insert('sites', s.row);
    for (const r of s.closures) this.insert('site_closures', r);
    for (const r of s.weather) this.insert('weather_days', r);
    this.putAlerts(s.alerts, s.deliveries);
    // meters moved to another site since stay where they were put
    const back = this.sqlite.prepare('UPDATE meters SET site_id = ? WHERE id = ? AND site_id IS NULL');
    for (const m of s.meterIds) back.run(s.row.id, m);
  }

  private putMeter(m: MeterPart): void {
    this.insert('meters', m.row);
    for (const r of m.tariffAssignments) this.insert('tariff_assignments', r);
    for (const r of m.switching) this.insert('switching_analyses', r);
    for (const r of m.fileSites) this.insert('file_sites', r);
    this.putAlerts(m.alerts, m.deliveries);
  }

  private putAlerts(alerts: Row[], deliveries: Row[]): void {
    for (const a of alerts) {
      const clash = this.sqlite
        .prepare('SELECT id FROM alerts WHERE rule_id = ? AND rule_generation = ? AND subject = ? AND period = ?')
        .pluck()
        .get(a.rule_id, a.rule_generation, a.subject, a.period);
      // the same alert raised again since (its meter re-created and judged): the newer one stands
      if (clash === undefined) this.insert('alerts', a);
    }
    const kept = this.sqlite.prepare('SELECT 1 FROM alerts WHERE id = ?').pluck();
    for (const d of deliveries) if (kept.get(d.alert_id) !== undefined) this.insert('alert_deliveries', d);
  }

  /** Deletions older than `days` days go for good, with the readings kept for them. Returns how many. */
  purge(days = TRASH_DAYS): number {
    return this.sqlite.prepare('DELETE FROM trash WHERE created_at < ?').run(this.now() - days * 86400).changes;
  }
}

function toEntry(r: TrashRow): TrashEntry {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    createdAt: isoUtc(r.created_at),
    createdBy: r.created_by,
    restoredAt: r.restored_at === null ? null : isoUtc(r.restored_at),
    restoredBy: r.restored_by,
    counts: JSON.parse(r.counts) as TrashEntry['counts'],
    meters: JSON.parse(r.meters) as string[],
  };
}
