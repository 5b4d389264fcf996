/**
 * Meter-days between the desktop's readings store and the shared server (docs/sync.md): which
 * local days changed since the last push (not those a pull wrote), packed as stored with the
 * server version each was last pulled at (`sync_days`, the pushed day's `base`); and writing the
 * server's whole days into the store under change numbers recorded in `sync_pulled_seqs`, so they
 * are never pushed back. Everything here runs inside the engine's transactions.
 */
import type Database from 'better-sqlite3';
import type { PulledDay, PushedDay } from '../../../src-shared/contract/sync';
import { parseMeterId } from '../../../src-shared/domain/meter-id';
import { lengthOf } from '../readings/calendar';
import { ESTIMATED, packQuality, packValues, unpackValues } from '../readings/codec';
import type { PackedDay, ReadingsStore } from '../readings/store';
import { MADE_BY_PULL, METER_GONE } from './entities';

const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
const unb64 = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s, 'base64'));

/** A half-hour the server keeps in a conflict (open, or decided "keep the server's"): its value and quality there. */
export interface KeptHalfHour {
  meter: string;
  day: number;
  slot: number;
  kwh: number | null;
  quality: number;
}

/** What applying a pulled page's days did. */
export interface AppliedDays {
  /** Meter-days written or removed here. */
  written: number;
  /** Identifiers of the meters whose readings changed. */
  meters: Set<string>;
  /** Meter-days left as they are because they hold local changes not yet on the server. */
  kept: number;
}

export class DaySync {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
  ) {}

  private identifiers(): Map<number, string> {
    const rows = this.sqlite.prepare('SELECT id, identifier FROM meters').raw().all() as [number, string][];
    return new Map(rows);
  }

  private meterId(identifier: string): number | null {
    return (
      (this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck().get(identifier) as
        number | undefined) ?? null
    );
  }

  /** The server version of the last tombstone pulled for the meter (0: none). */
  private goneAt(identifier: string): number {
    const v = this.sqlite
      .prepare('SELECT value FROM sync_state WHERE key = ?')
      .pluck()
      .get(METER_GONE + identifier) as string | undefined;
    return v === undefined ? 0 : Number(v);
  }

  /** The server version of the meter-day this desktop last had (0: none). */
  private base(meterId: number, day: number): number {
    return (
      (this.sqlite.prepare('SELECT version FROM sync_days WHERE meter_id = ? AND day = ?').pluck().get(meterId, day) as
        number | undefined) ?? 0
    );
  }

  private setBase(meterId: number, day: number, version: number): void {
    this.sqlite
      .prepare(
        'INSERT INTO sync_days (meter_id, day, version) VALUES (?, ?, ?) ON CONFLICT (meter_id, day) DO UPDATE SET version = excluded.version',
      )
      .run(meterId, day, version);
  }

  /** Change numbers after `mark` that pulls wrote. */
  private pulledAfter(mark: number): Set<number> {
    return new Set(this.sqlite.prepare('SELECT seq FROM sync_pulled_seqs WHERE seq > ?').pluck().all(mark) as number[]);
  }

  /** Meter-days changed here after readings change number `mark` (not by a pull), not yet taken. */
  private localChanges(mark: number): { meterId: number; day: number; removed: boolean }[] {
    const pulled = this.pulledAfter(mark);
    return this.readings
      .changesAfter(mark)
      .filter((c) => !pulled.has(c.seq))
      .sort((a, b) => a.meterId - b.meterId || a.day - b.day);
  }

  /** How many meter-days changed here after `mark` and wait to be taken into the outbox. */
  pending(mark: number): number {
    return this.localChanges(mark).filter((c) => !c.removed || this.base(c.meterId, c.day) > 0).length;
  }

  /**
   * The meter-days changed here after `mark`, as they are pushed, and the change number they run
   * up to (the next mark). A removed day the server never had is left out.
   */
  collect(mark: number): { days: PushedDay[]; upTo: number } {
    const upTo = this.readings.currentSeq();
    const ids = this.identifiers();
    const days: PushedDay[] = [];
    for (const c of this.localChanges(mark)) {
      const meter = ids.get(c.meterId);
      if (meter === undefined) continue;
      const base = this.base(c.meterId, c.day);
      if (c.removed) {
        if (base > 0) days.push({ meter, day: c.day, vals: '', quality: null, volumes: null, base, removed: true });
        continue;
      }
      const p = this.readings.packedDay(c.meterId, c.day);
      if (!p) continue;
      days.push({
        meter,
        day: c.day,
        vals: p.vals.toString('base64'),
        quality: b64(p.quality),
        volumes: b64(p.volumes),
        base,
      });
    }
    return { days, upTo };
  }

  /** Drops pulled change numbers at or below the mark: nothing older than it is looked at again. */
  prunePulled(mark: number): void {
    this.sqlite.prepare('DELETE FROM sync_pulled_seqs WHERE seq <= ?').run(mark);
  }

  /** The server took these days as sent: they are its days at `version` now. */
  acknowledged(days: readonly PushedDay[], version: number): void {
    for (const d of days) {
      const id = this.meterId(d.meter);
      if (id !== null) this.setBase(id, d.day, version);
    }
  }

  /**
   * Writes the server's days, then the half-hours it keeps in conflicts (open, or decided "keep the
   * server's") where this copy holds another value (the desktop that pushed the other value). `keep`: meter-days
   * holding local changes not yet pushed, which stay as they are to be pushed and merged on the
   * server. The change number is taken once, when the first day is written, and recorded as pulled.
   */
  apply(
    days: readonly PulledDay[],
    kept: readonly KeptHalfHour[],
    keep: (meterId: number, meter: string, day: number) => boolean,
  ): AppliedDays {
    const out: AppliedDays = { written: 0, meters: new Set(), kept: 0 };
    let seq = 0;
    const changeNumber = (): number => {
      if (seq === 0) {
        seq = this.readings.nextSeq();
        this.sqlite.prepare('INSERT INTO sync_pulled_seqs (seq) VALUES (?)').run(seq);
      }
      return seq;
    };
    for (const d of days) {
      const known = this.meterId(d.meter);
      // a meter this desktop does not have is not made for its removed days, nor for days its tombstone removed
      if (known === null && (d.removed || d.version <= this.goneAt(d.meter))) continue;
      const meterId = known ?? this.createMeter(d.meter);
      if (keep(meterId, d.meter, d.day)) {
        out.kept++;
        continue;
      }
      const changed = d.removed
        ? this.readings.removeDay(meterId, d.day, changeNumber())
        : this.readings.putPackedDay(
            meterId,
            d.day,
            { vals: Buffer.from(d.vals, 'base64'), quality: unb64(d.quality), volumes: unb64(d.volumes) },
            changeNumber(),
          );
      this.setBase(meterId, d.day, d.version);
      if (changed) {
        out.written++;
        out.meters.add(d.meter);
      }
    }
    for (const h of kept) {
      const meterId = this.meterId(h.meter);
      if (meterId === null || keep(meterId, h.meter, h.day)) continue;
      const p = this.withHalfHour(meterId, h);
      if (p && this.readings.putPackedDay(meterId, h.day, p, changeNumber())) {
        out.written++;
        out.meters.add(h.meter);
      }
    }
    if (seq !== 0 && out.written === 0) this.sqlite.prepare('DELETE FROM sync_pulled_seqs WHERE seq = ?').run(seq);
    return out;
  }

  /** The stored day with the half-hour set as the server keeps it; null when it holds that already or is not stored. */
  private withHalfHour(meterId: number, h: KeptHalfHour): PackedDay | null {
    const p = this.readings.packedDay(meterId, h.day);
    const len = lengthOf(h.day);
    if (!p || h.slot >= len) return null;
    const v = new Float64Array(len);
    const q = new Uint8Array(len);
    if (p.quality) q.set(p.quality);
    unpackValues(p.vals, p.quality, v, 0);
    const value = h.kwh ?? NaN;
    if (q[h.slot] === h.quality && (h.quality > ESTIMATED || v[h.slot] === value)) return null;
    q[h.slot] = h.quality;
    v[h.slot] = h.quality > ESTIMATED ? 0 : value;
    return { vals: packValues(v, q, 0, len), quality: packQuality(q, 0, len), volumes: p.volumes };
  }

  /**
   * A meter the server has days for and this desktop has not heard of: made from its identifier,
   * and marked as a placeholder until its own row arrives (entities.ts, MADE_BY_PULL).
   */
  private createMeter(identifier: string): number {
    const p = parseMeterId(identifier);
    const kind = p.ok ? p.kind : 'other';
    const fuel = p.ok && p.fuel ? p.fuel : 'electricity';
    this.sqlite
      .prepare("INSERT INTO sync_state (key, value) VALUES (?, '') ON CONFLICT (key) DO NOTHING")
      .run(MADE_BY_PULL + identifier);
    return Number(
      this.sqlite
        .prepare('INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)')
        .run(identifier, kind, fuel, p.ok ? p.topLine : null).lastInsertRowid,
    );
  }

  /** Forgets every day's server version and the meter tombstones pulled (linking to another server). */
  clear(): void {
    this.sqlite.prepare('DELETE FROM sync_days').run();
    this.sqlite.prepare('DELETE FROM sync_pulled_seqs').run();
    this.sqlite.prepare('DELETE FROM sync_state WHERE substr(key, 1, ?) = ?').run(METER_GONE.length, METER_GONE);
  }
}
