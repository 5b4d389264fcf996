/**
 * Keeps the daily roll-ups current, in SQL that follows the readings key (meter_id, day, ts): the
 * daily GROUP BY streams through the table in key order with no sort. Weeks, months and years are
 * summed from the daily rows when they are asked for (totals.ts: a meter's year is 365 rows), so
 * there is nothing else to keep in step. `incremental()` recomputes only the meter-days imports
 * changed (aggregation_dirty); `rebuild()` recomputes everything and gives identical rows.
 *
 * Baseload of a day is its lowest half-hour (the always-on load, as the platform has always
 * defined it); of a period, the mean of its days' baseloads.
 */
import type Database from 'better-sqlite3';
import { dayHalfHours, localDayOf } from '../../../src-shared/domain/periods';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../clock';
import type { Logger } from '../events';
import { DAY_AGGS, type RollupPart } from './rollup-part';

export interface AggregateResult {
  metersTouched: number;
  daysTouched: number;
  seconds: number;
}

/** Daily columns from DAY_AGGS: baseload is the day's minimum; actual = values − estimated. */
const DAY_COLUMNS = 'g.kwh, g.mn, g.mx, g.mn, NULL, g.present - g.est, g.est';

/** Dirty meter-days beyond which a full streaming rebuild is faster than pair-by-pair updates. */
const LARGE_CHANGE = 50_000;

export class AggregationService {
  private daysKnown: [number, number] | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    /** Worker script (dist/import-worker.cjs) for a parallel full rebuild; null = one thread. */
    private readonly opts: { workerScript?: string | null; dbPath?: string; log?: Logger } = {},
  ) {}

  /** The calendar for SQL: each local day's number of half-hours (46/48/50). */
  private ensureCalendar(from: number, to: number): void {
    if (this.daysKnown && from >= this.daysKnown[0] && to <= this.daysKnown[1]) return;
    const a = Math.min(from, this.daysKnown?.[0] ?? from);
    const b = Math.max(to, this.daysKnown?.[1] ?? to);
    this.sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS cal_days (day INTEGER PRIMARY KEY, half_hours INTEGER NOT NULL) WITHOUT ROWID');
    const day = this.sqlite.prepare('INSERT OR IGNORE INTO temp.cal_days VALUES (?, ?)');
    this.sqlite.transaction(() => {
      for (let d = a; d < b; d++) day.run(d, dayHalfHours(d));
    })();
    this.daysKnown = [a, b];
  }

  /**
   * Recomputes every roll-up from the readings. With a worker script, the daily pass is split by
   * meter range across the cores (each share streams its meters along the key into a scratch file);
   * otherwise it runs here. Both give the same rows.
   */
  async rebuild(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    // changes recorded from here on stay dirty: the next incremental run picks them up
    const maxDirty = this.sqlite.prepare('SELECT coalesce(max(id), 0) FROM aggregation_dirty').pluck().get() as number;
    const parts =
      this.opts.workerScript && this.opts.dbPath
        ? await this.dailyInParallel().catch((e: unknown) => {
            this.opts.log?.warn(`parallel roll-up unavailable (${(e as Error).message}); rebuilding on one thread`);
            return null;
          })
        : null;
    try {
      return this.rebuildNow(t0, parts, maxDirty);
    } finally {
      for (const f of parts ?? []) fs.rmSync(f, { force: true });
    }
  }

  /** Runs the daily GROUP BY for meter ranges on worker threads; returns the scratch files. */
  private async dailyInParallel(): Promise<string[]> {
    const ids = this.sqlite.prepare('SELECT id FROM meters ORDER BY id').pluck().all() as number[];
    const n = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length, ids.length));
    const dir = path.dirname(this.opts.dbPath!);
    const shares: RollupPart[] = [];
    for (let k = 0; k < n; k++) {
      const a = ids[Math.floor((k * ids.length) / n)] ?? 0;
      const b = k + 1 < n ? ids[Math.floor(((k + 1) * ids.length) / n)]! : Number.MAX_SAFE_INTEGER;
      shares.push({ dbPath: this.opts.dbPath!, outPath: path.join(dir, `.rollup-${crypto.randomBytes(6).toString('hex')}.sqlite`), meterFrom: k === 0 ? 0 : a, meterTo: b });
    }
    const run = (share: RollupPart): Promise<void> =>
      new Promise((resolve, reject) => {
        const w = new Worker(this.opts.workerScript!, { workerData: { rollup: share } });
        w.once('message', (m: { type: string; message?: string }) => (m.type === 'rollup-done' ? resolve() : reject(new Error(m.message))));
        w.once('error', reject);
        w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`roll-up thread exited with ${code}`))));
      });
    try {
      await Promise.all(shares.map(run));
    } catch (e) {
      for (const s of shares) fs.rmSync(s.outPath, { force: true });
      throw e;
    }
    return shares.map((s) => s.outPath);
  }

  private rebuildNow(t0: number, parts: string[] | null, maxDirty: number): AggregateResult {
    // each meter's first and last day along the key: 2 seeks per meter, not a scan of every reading
    const span = this.sqlite
      .prepare(
        `SELECT min(a) AS a, max(b) AS b, count(a) AS meters FROM (
           SELECT (SELECT day FROM readings r WHERE r.meter_id = m.id ORDER BY day LIMIT 1) AS a,
                  (SELECT day FROM readings r WHERE r.meter_id = m.id ORDER BY day DESC LIMIT 1) AS b FROM meters m)`,
      )
      .get() as { a: number | null; b: number | null; meters: number };
    if (span.a === null || span.b === null) {
      this.sqlite.transaction(() => {
        this.sqlite.prepare('DELETE FROM daily_aggregates').run();
        this.sqlite.prepare('DELETE FROM aggregation_dirty WHERE id <= ?').run(maxDirty);
      })();
      return { metersTouched: 0, daysTouched: 0, seconds: (this.clock.now() - t0) / 1000 };
    }
    this.ensureCalendar(span.a, span.b + 1);
    let days = 0;
    // (ATTACH is not allowed inside a transaction)
    parts?.forEach((f, i) => this.sqlite.prepare(`ATTACH DATABASE ? AS part${i}`).run(f));
    try {
      days = this.withoutForeignKeys(() => this.fullPass(parts, maxDirty));
    } finally {
      parts?.forEach((_, i) => this.sqlite.exec(`DETACH DATABASE part${i}`));
    }
    return { metersTouched: span.meters, daysTouched: days, seconds: (this.clock.now() - t0) / 1000 };
  }

  /**
   * Runs a roll-up pass with foreign-key checks off (the pragma cannot change inside a
   * transaction, so it is set around it). Every row a roll-up writes comes from stored readings,
   * whose meter ids are already checked; with checks on, SQLite cannot truncate the daily table
   * and looks up the parent meter of each row it writes.
   */
  private withoutForeignKeys<T>(pass: () => T): T {
    const fk = this.sqlite.pragma('foreign_keys', { simple: true }) as number;
    if (fk) this.sqlite.pragma('foreign_keys = OFF');
    try {
      return pass();
    } finally {
      if (fk) this.sqlite.pragma('foreign_keys = ON');
    }
  }

  /** Replaces every daily row in one transaction; returns the number of meter-days. */
  private fullPass(parts: string[] | null, maxDirty: number): number {
    let days = 0;
    // the by-day index is rebuilt once after the copy (one sort) instead of taking 365,000
    // scattered inserts; its definition is read back from the schema drizzle's migrations made
    const indexes = this.sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'daily_aggregates' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
    this.sqlite.transaction(() => {
      for (const ix of indexes) this.sqlite.exec(`DROP INDEX "${ix.name.replace(/"/g, '""')}"`);
      this.sqlite.prepare('DELETE FROM daily_aggregates').run();
      if (parts) {
        const union = parts.map((_, i) => `SELECT meter_id, day, kwh, mn, mx, present, est FROM part${i}.days`).join(' UNION ALL ');
        days = this.sqlite
          .prepare(
            `INSERT INTO daily_aggregates (meter_id, day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours)
             SELECT g.meter_id, g.day, ${DAY_COLUMNS}, c.half_hours FROM (${union}) g JOIN temp.cal_days c ON c.day = g.day`,
          )
          .run().changes;
      } else {
        days = this.sqlite
          .prepare(
            `INSERT INTO daily_aggregates (meter_id, day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours)
             SELECT g.meter_id, g.day, ${DAY_COLUMNS}, c.half_hours
             FROM (SELECT meter_id, day, ${DAY_AGGS} FROM readings GROUP BY meter_id, day) g JOIN temp.cal_days c ON c.day = g.day`,
          )
          .run().changes;
      }
      for (const ix of indexes) this.sqlite.exec(ix.sql);
      this.sqlite.prepare('DELETE FROM aggregation_dirty WHERE id <= ?').run(maxDirty);
    })();
    return days;
  }

  /** Recomputes only what changed since the last run: set-based over all dirty meter-days at once. */
  async incremental(): Promise<AggregateResult> {
    const t0 = this.clock.now();
    const dirty = this.sqlite.prepare('SELECT id, meter_id, from_ts, to_ts FROM aggregation_dirty').raw().all() as [number, number, number, number][];
    if (dirty.length === 0) return { metersTouched: 0, daysTouched: 0, seconds: (this.clock.now() - t0) / 1000 };
    const maxId = Math.max(...dirty.map((d) => d[0]));
    const pairs = new Set<string>();
    const meters = new Set<number>();
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, meter, from, to] of dirty) {
      meters.add(meter);
      const a = localDayOf(from);
      const b = localDayOf(to);
      for (let d = a; d <= b; d++) pairs.add(`${meter}:${d}`);
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    // A huge change (a first import of years of data) is cheaper as one streaming pass than
    // pair by pair; both give the same rows.
    if (pairs.size > LARGE_CHANGE) {
      const r = await this.rebuild();
      return { ...r, seconds: (this.clock.now() - t0) / 1000 };
    }
    this.ensureCalendar(lo, hi + 1);
    this.withoutForeignKeys(() => this.incrementalPass(pairs, maxId));
    return { metersTouched: meters.size, daysTouched: pairs.size, seconds: (this.clock.now() - t0) / 1000 };
  }

  private incrementalPass(pairs: Set<string>, maxId: number): void {
    this.sqlite.transaction(() => {
      this.sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS dirty_days (meter_id INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (meter_id, day)) WITHOUT ROWID;
        DELETE FROM temp.dirty_days;`);
      const add = this.sqlite.prepare('INSERT INTO temp.dirty_days VALUES (?, ?)');
      for (const p of pairs) {
        const i = p.indexOf(':');
        add.run(Number(p.slice(0, i)), Number(p.slice(i + 1)));
      }
      // recompute the dirty meter-days in place (grouped by the driving table's key, so SQLite
      // streams the groups in order with no sort); a day left with no readings (a cancelled import) is deleted
      this.sqlite.exec(`INSERT OR REPLACE INTO daily_aggregates (meter_id, day, kwh, min, max, baseload, peak_ts, actual, estimated, half_hours)
          SELECT g.meter_id, g.day, ${DAY_COLUMNS}, c.half_hours
          FROM (SELECT dd.meter_id, dd.day, ${DAY_AGGS} FROM temp.dirty_days dd CROSS JOIN readings r ON r.meter_id = dd.meter_id AND r.day = dd.day GROUP BY dd.meter_id, dd.day) g
          JOIN temp.cal_days c ON c.day = g.day`);
      const delDay = this.sqlite.prepare('DELETE FROM daily_aggregates WHERE meter_id = ? AND day = ?');
      const emptied = this.sqlite
        .prepare('SELECT meter_id, day FROM temp.dirty_days dd WHERE NOT EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = dd.meter_id AND r.day = dd.day)')
        .raw()
        .all() as [number, number][];
      for (const [m, d] of emptied) delDay.run(m, d);
      this.sqlite.prepare('DELETE FROM aggregation_dirty WHERE id <= ?').run(maxId);
    })();
  }
}
