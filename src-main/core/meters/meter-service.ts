/** Meters, sites and readings as the contract returns them. */
import type Database from 'better-sqlite3';
import type { MeterSummary, Quality, Reading, Series, SiteSummary } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { isoUtc } from '../../../src-shared/domain/london-time';

const QUALITY: readonly Quality[] = ['actual', 'estimated', 'missing'];

/** Parses an ISO instant to epoch seconds (the contract has already checked it parses). */
export const toEpoch = (isoText: string): number => Math.floor(Date.parse(isoText) / 1000);

export class MeterService {
  constructor(private readonly sqlite: Database.Database) {}

  meterId(identifier: string): number {
    const id = this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck().get(identifier.trim()) as number | undefined;
    if (id === undefined) throw new AppError('NOT_FOUND', `no meter ${identifier.trim()}; import a file for it first, or check the MPAN`);
    return id;
  }

  list(): MeterSummary[] {
    // first/last/count per meter follow the (meter_id, ts) primary key: no table scan.
    const rows = this.sqlite
      .prepare(
        `SELECT m.identifier, m.kind, m.fuel, s.name AS site,
           (SELECT min(ts) FROM readings r WHERE r.meter_id = m.id) AS first,
           (SELECT max(ts) FROM readings r WHERE r.meter_id = m.id) AS last,
           (SELECT count(*) FROM readings r WHERE r.meter_id = m.id) AS n
         FROM meters m LEFT JOIN sites s ON s.id = m.site_id ORDER BY m.identifier`,
      )
      .all() as { identifier: string; kind: MeterSummary['kind']; fuel: MeterSummary['fuel']; site: string | null; first: number | null; last: number | null; n: number }[];
    return rows.map((r) => ({
      mpan: r.identifier,
      kind: r.kind,
      fuel: r.fuel,
      site: r.site,
      firstReading: r.first === null ? null : isoUtc(r.first),
      lastReading: r.last === null ? null : isoUtc(r.last),
      readings: r.n,
    }));
  }

  sites(): SiteSummary[] {
    return this.sqlite
      .prepare(
        `SELECT s.id, s.name, o.name AS organisation, (SELECT count(*) FROM meters m WHERE m.site_id = s.id) AS meters
         FROM sites s JOIN organisations o ON o.id = s.organisation_id ORDER BY o.name, s.name`,
      )
      .all() as SiteSummary[];
  }

  readings(identifier: string, from: string, to: string): Reading[] {
    const id = this.meterId(identifier);
    const a = toEpoch(from);
    const b = toEpoch(to);
    if (b < a) throw new AppError('INVALID_ARGS', `"to" (${to}) is before "from" (${from})`);
    const rows = this.sqlite.prepare('SELECT ts, kwh, quality FROM readings WHERE meter_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw().all(id, a, b) as [number, number | null, number][];
    return rows.map(([ts, kwh, q]) => ({ start: isoUtc(ts), kwh, quality: QUALITY[q] ?? 'actual' }));
  }

  series(identifier: string, from?: string, to?: string): Series {
    const id = this.meterId(identifier);
    const a = from ? toEpoch(from) : -1;
    const b = to ? toEpoch(to) : 2 ** 40;
    const rows = this.sqlite.prepare('SELECT ts, kwh FROM readings WHERE meter_id = ? AND ts >= ? AND ts < ? ORDER BY ts').raw().all(id, a, b) as [number, number | null][];
    const ts = new Array<number>(rows.length);
    const kwh = new Array<number | null>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      ts[i] = rows[i]![0];
      kwh[i] = rows[i]![1];
    }
    return { meter: identifier.trim(), ts, kwh };
  }
}
