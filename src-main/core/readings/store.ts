/**
 * The readings store: the one owner of half-hourly data. No other module names its tables
 * (`meter_days`, `day_stats`, `readings_*`; a test fails if one does). Everything else asks it for
 * day vectors and day summaries in typed arrays, and imports write through `merge`.
 *
 * Layout (docs/architecture.md): one row per meter per UK local day in `meter_days` with the day's
 * half-hours packed (codec.ts), and the day's summary in `day_stats`, computed as the day is
 * written. Every write is attributed per half-hour to the import job that made it, and what a job
 * overwrote is kept (`readings_undo`), so a job can be undone exactly. Every write carries a change
 * number (`seq`, one per import chunk), so "what changed since" is one indexed read.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import { DayBatch, STRIDE } from './batch';
import { lengthOf, localDayOf, startOf } from './calendar';
import {
  ESTIMATED,
  MISSING,
  NOT_RECEIVED,
  packQuality,
  packValues,
  packVolumes,
  packWriters,
  packedLength,
  summarise,
  unpackValues,
  unpackVolumes,
  unpackWriters,
  type DaySummary,
} from './codec';

/** A meter's stored days over a range, as flat typed arrays. */
export interface DayVectors {
  /** The stored days (UK local day numbers), ascending. */
  days: Int32Array;
  /** Day i's half-hours are [offsets[i], offsets[i + 1]) of values/quality. */
  offsets: Int32Array;
  /** kWh per half-hour; NaN where there is no value (missing or not received). */
  values: Float64Array;
  /** ACTUAL, ESTIMATED, MISSING or NOT_RECEIVED per half-hour. */
  quality: Uint8Array;
  /** Gas volumes (m³) per half-hour when asked for; NaN where none. */
  volumes: Float64Array | null;
  /** The import job that wrote each half-hour, when asked for; 0 where nothing was received. */
  writers: Int32Array | null;
}

/** A meter's received half-hours over a time range (one entry per stored reading, as the contract lists them). */
export interface HalfHours {
  count: number;
  ts: Float64Array;
  /** NaN for a half-hour listed as missing. */
  kwh: Float64Array;
  quality: Uint8Array;
}

/** Day summaries of several meters, one entry per stored meter-day. */
export interface DaySummaries {
  count: number;
  meter: Int32Array;
  day: Int32Array;
  halfHours: Uint8Array;
  kwh: Float64Array;
  present: Int32Array;
  estimated: Int32Array;
  missing: Int32Array;
  /** NaN when the day has no values. */
  min: Float64Array;
  max: Float64Array;
  /** UTC start of the day's first half-hour at its maximum; NaN when none. */
  peakTs: Float64Array;
}

export interface Conflict {
  /** Batch day index and half-hour. */
  index: number;
  slot: number;
  line: number;
  col: number;
  /** The file's value (NaN = missing) and the one it met. */
  value: number;
  stored: number | null;
  /** True when the stored value stays (keep, or a blank that "replace" does not apply). */
  kept: boolean;
}

/** How an import's half-hours met what was stored. */
export interface MergeResult {
  imported: number;
  duplicates: number;
  /**
   * Half-hours stored with a different value, with where the file gave them and the value they met (null = missing).
   */
  conflicts: Conflict[];
  /** Meter-days written (new or changed). */
  daysWritten: number;
}

export interface MergeOptions {
  jobId: number;
  replace: boolean;
  dryRun: boolean;
  /** The change number of this write (nextSeq(), in the same transaction). */
  seq: number;
}

/** What undoing an import job did (or would do). */
export interface UndoResult {
  /** Meters whose stored days changed. */
  meterIds: number[];
  /** Meter-days rewritten or removed. */
  days: number;
  /** Half-hours the job had added, now gone. */
  removed: number;
  /** Half-hours it had overwritten, holding their earlier value again. */
  restored: number;
}

/** Half-hours an undo gave back, per meter and day: one mark per slot (0 untouched, REMOVED, RESTORED). */
export type TouchedSlots = Map<number, Map<number, Uint8Array>>;
export const REMOVED = 1;
export const RESTORED = 2;

/** What a meter's days over a range hold: stored meter-days and received half-hours (present or listed missing). */
export interface DayCounts {
  days: number;
  halfHours: number;
}

/** Days of a deletion that readings were stored into since: [meter id, day, writing job ids]. */
export type TrashClash = { meterId: number; day: number; jobs: number[] };

/** Rows per multi-row INSERT: fewer JavaScript ↔ SQLite crossings. */
const BULK = 32;
const DAY_COLS = 7;
const STAT_COLS = 11;
const sameValue = (a: number, b: number): boolean => a === b || Math.abs(a - b) < 1e-9;

/** A readings_undo row of one meter: [job, day, slot, kwh, quality, volume, prior job]. */
type UndoRow = [number, number, number, number | null, number, number | null, number];

type DayRow = [
  day: number,
  vals: Buffer,
  quality: Buffer | null,
  volumes: Buffer | null,
  jobId: number,
  writers: Buffer | null,
];

export class ReadingsStore {
  private readonly stmts = new Map<string, Database.Statement>();
  // scratch for decoding one stored day
  private readonly sv = new Float64Array(STRIDE);
  private readonly sq = new Uint8Array(STRIDE);
  private readonly svol = new Float64Array(STRIDE);
  private readonly sw = new Int32Array(STRIDE);
  private dayInserts: Bulk | null = null;
  private statInserts: Bulk | null = null;

  constructor(private readonly sqlite: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- change numbers

  /** The last change number given out. */
  currentSeq(): number {
    return this.stmt("SELECT value FROM readings_meta WHERE key = 'seq'").pluck().get() as number;
  }

  /** A new change number (call inside the write's transaction). */
  nextSeq(): number {
    return this.stmt("UPDATE readings_meta SET value = value + 1 WHERE key = 'seq' RETURNING value")
      .pluck()
      .get() as number;
  }

  /** Meter-days written or removed after change number `seq`. */
  changedSince(seq: number): { meterId: number; day: number; removed: boolean }[] {
    return this.changesAfter(seq).map(({ meterId, day, removed }) => ({ meterId, day, removed }));
  }

  /** Meter-days written or removed after change number `seq`, each with the change number that last did. */
  changesAfter(seq: number): { meterId: number; day: number; removed: boolean; seq: number }[] {
    const changed = this.stmt('SELECT meter_id, day, seq FROM day_stats WHERE seq > ?').raw().all(seq) as [
      number,
      number,
      number,
    ][];
    // a day removed and later written again is listed once, as written
    const removed = this.stmt(`SELECT meter_id, day, seq FROM readings_removed r WHERE seq > ? AND ${STILL_GONE}`)
      .raw()
      .all(seq) as [number, number, number][];
    return [
      ...changed.map(([meterId, day, s]) => ({ meterId, day, removed: false, seq: s })),
      ...removed.map(([meterId, day, s]) => ({ meterId, day, removed: true, seq: s })),
    ];
  }

  /** How many meter-days (and meters) were written or removed after change number `seq`, counted in SQL. */
  changeCounts(seq: number): { meters: number; days: number } {
    return this.stmt(
      `SELECT count(DISTINCT meter_id) AS meters, count(*) AS days FROM (SELECT meter_id FROM day_stats WHERE seq > ? UNION ALL SELECT meter_id FROM readings_removed r WHERE seq > ? AND ${STILL_GONE})`,
    ).get(seq, seq) as { meters: number; days: number };
  }

  /** The roll-up mark: the change number up to which the last roll-up run reported changes. */
  rolledSeq(): number {
    return this.stmt("SELECT value FROM readings_meta WHERE key = 'rolled'").pluck().get() as number;
  }

  setRolledSeq(seq: number): void {
    this.stmt("UPDATE readings_meta SET value = ? WHERE key = 'rolled'").run(seq);
  }

  /** True when nothing `jobId` wrote has been changed or removed since change number `seq`. */
  unchangedSince(jobId: number, seq: number): boolean {
    const spans = this.stmt('SELECT meter_id, from_day, to_day FROM readings_job_spans WHERE job_id = ?')
      .raw()
      .all(jobId) as [number, number, number][];
    const changed = this.stmt(
      'SELECT 1 FROM day_stats WHERE meter_id = ? AND day >= ? AND day <= ? AND seq > ? LIMIT 1',
    ).pluck();
    const removed = this.stmt(
      'SELECT 1 FROM readings_removed WHERE meter_id = ? AND day >= ? AND day <= ? AND seq > ? LIMIT 1',
    ).pluck();
    for (const [m, a, b] of spans) if (changed.get(m, a, b, seq) || removed.get(m, a, b, seq)) return false;
    return true;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Stores a batch of meter-days: each half-hour is new (stored), a duplicate (same value: nothing
   * written) or a conflict (a different value: kept, or replaced when `replace`, with what it
   * overwrote kept for undo). Days with nothing stored yet are inserted whole; a day already
   * stored is read once and merged half-hour by half-hour. `meterIds` maps the batch's meter
   * indexes to database ids; `fresh` marks meters created in this write (nothing stored to read).
   */
  merge(
    batch: DayBatch,
    meterIds: ArrayLike<number>,
    fresh: (meterIndex: number) => boolean,
    o: MergeOptions,
  ): MergeResult {
    const res: MergeResult = { imported: 0, duplicates: 0, conflicts: [], daysWritten: 0 };
    const n = batch.count;
    if (n === 0) return res;
    // each meter's day range in the batch, and what is stored in it (one range read per meter)
    const lo = new Map<number, number>();
    const hi = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const m = batch.meter[i]!;
      const d = batch.day[i]!;
      if (!(lo.get(m)! <= d)) lo.set(m, d);
      if (!(hi.get(m)! >= d)) hi.set(m, d);
    }
    const stored = new Map<number, Map<number, DayRow>>();
    const read = this.stmt(
      'SELECT day, vals, quality, volumes, job_id, writers FROM meter_days WHERE meter_id = ? AND day >= ? AND day <= ?',
    ).raw();
    for (const [m, a] of lo) {
      if (fresh(m)) continue;
      const rows = read.all(meterIds[m], a, hi.get(m)) as DayRow[];
      if (rows.length) stored.set(m, new Map(rows.map((r) => [r[0], r])));
    }

    const days = (this.dayInserts ??= new Bulk(
      this.sqlite,
      'INSERT INTO meter_days (meter_id, day, vals, quality, volumes, job_id, writers) VALUES',
      DAY_COLS,
    ));
    const stats = (this.statInserts ??= new Bulk(
      this.sqlite,
      'INSERT INTO day_stats (meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot, seq) VALUES',
      STAT_COLS,
    ));
    days.reset(); // a merge that failed part-way leaves nothing behind
    stats.reset();
    const { values, quality } = batch;
    const vols = batch.volumes;
    // repeats (a half-hour given again in the batch), per day, in file order
    const reps = batch.repeats;
    const repsOf = new Map<number, number[]>();
    for (let r = 0; r < reps.n; r++) {
      const list = repsOf.get(reps.index[r]!);
      if (list) list.push(r);
      else repsOf.set(reps.index[r]!, [r]);
    }
    const { sv, sq, svol, sw } = this;
    for (let i = 0; i < n; i++) {
      const m = batch.meter[i]!;
      const id = meterIds[m]!;
      const day = batch.day[i]!;
      const len = batch.halfHours[i]!;
      const base = i * STRIDE;
      const row = stored.get(m)?.get(day);
      const again = repsOf.get(i);
      if (!row) {
        for (let s = base; s < base + len; s++) if (quality[s] !== NOT_RECEIVED) res.imported++;
        // repeats meet the batch's own first values (this job wrote them: nothing to keep for undo)
        if (again) {
          for (const r of again) {
            const j = base + reps.slot[r]!;
            if (this.classify(quality[j]!, values[j]!, reps, r, i, o, res)) continue;
            values[j] = reps.value[r]!;
            quality[j] = reps.quality[r]!;
            if (reps.volume[r] === reps.volume[r] || vols) batch.ensureVolumes()[j] = reps.volume[r]!;
          }
        }
        if (o.dryRun) continue;
        const v = batch.volumes;
        const sum = summarise(values, quality, base, len);
        days.row(
          id,
          day,
          packValues(values, quality, base, len),
          packQuality(quality, base, len),
          packVolumes(v, base, len),
          o.jobId,
          null,
        );
        stats.row(
          id,
          day,
          len,
          sum.kwh,
          sum.present,
          sum.estimated,
          sum.missing,
          sum.min,
          sum.max,
          sum.peakSlot,
          o.seq,
        );
        res.daysWritten++;
        continue;
      }
      // merge into the stored day: first values, then repeats, half-hour by half-hour
      this.decode(row, len);
      let changed = false;
      const apply = (s: number, v: number, q: number, vol: number, line: number, col: number): void => {
        const pq = sq[s]!;
        if (pq === NOT_RECEIVED) res.imported++;
        else {
          if (this.classifyValue(pq, sv[s]!, v, q, { index: i, slot: s, line, col }, o, res)) return;
          if (res.conflicts[res.conflicts.length - 1]!.kept) return;
          // keep what is overwritten, once per job and half-hour (a job's own earlier write needs no record)
          if (!o.dryRun && sw[s] !== o.jobId) {
            this.stmt(
              'INSERT OR IGNORE INTO readings_undo (job_id, meter_id, day, slot, kwh, quality, volume, prior_job) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            ).run(
              o.jobId,
              id,
              day,
              s,
              pq === MISSING ? null : sv[s]!,
              pq,
              svol[s] === svol[s] ? svol[s]! : null,
              sw[s]!,
            );
          }
        }
        sv[s] = v === v ? v : 0;
        sq[s] = q;
        svol[s] = vol;
        sw[s] = o.jobId;
        changed = true;
      };
      for (let s = 0; s < len; s++) {
        const q = quality[base + s]!;
        if (q !== NOT_RECEIVED)
          apply(s, values[base + s]!, q, vols ? vols[base + s]! : NaN, batch.line[base + s]!, batch.col[base + s]!);
      }
      if (again)
        for (const r of again)
          apply(reps.slot[r]!, reps.value[r]!, reps.quality[r]!, reps.volume[r]!, reps.line[r]!, reps.col[r]!);
      if (!changed || o.dryRun) continue;
      this.writeDay(id, day, len, o.seq);
      res.daysWritten++;
    }
    days.flush();
    stats.flush();
    // the days the job covered (written or compared): what undoing it visits, and what a re-import of the same file
    // checks
    if (!o.dryRun) for (const [m, a] of lo) this.addJobSpan(o.jobId, meterIds[m]!, a, hi.get(m)!);
    return res;
  }

  /**
   * Classifies a value given for a half-hour that already holds (q, v): true for a duplicate
   * (counted), false for a conflict (recorded; the caller replaces the value when asked to).
   */
  private classifyValue(
    pq: number,
    pv: number,
    v: number,
    q: number,
    at: Omit<Conflict, 'value' | 'stored' | 'kept'>,
    o: MergeOptions,
    res: MergeResult,
  ): boolean {
    const wasMissing = pq === MISSING;
    if (wasMissing ? q === MISSING : q !== MISSING && sameValue(pv, v)) {
      res.duplicates++;
      return true;
    }
    // a blank never replaces a value: "replace" means take the file's value, and it gives none
    res.conflicts.push({
      ...at,
      value: q === MISSING ? NaN : v,
      stored: wasMissing ? null : pv,
      kept: !o.replace || q === MISSING,
    });
    return false;
  }

  /** classifyValue for a batch repeat against the batch's first value; true when nothing is to change. */
  private classify(
    pq: number,
    pv: number,
    reps: DayBatch['repeats'],
    r: number,
    index: number,
    o: MergeOptions,
    res: MergeResult,
  ): boolean {
    if (
      this.classifyValue(
        pq,
        pv,
        reps.value[r]!,
        reps.quality[r]!,
        { index, slot: reps.slot[r]!, line: reps.line[r]!, col: reps.col[r]! },
        o,
        res,
      )
    )
      return true;
    return res.conflicts[res.conflicts.length - 1]!.kept;
  }

  /** Decodes a stored day into the scratch arrays (sv, sq, svol, sw). */
  private decode(row: DayRow, len: number): void {
    const [, vals, q, vol, jobId, writers] = row;
    if (packedLength(vals) !== len)
      throw new Error(`a stored day has ${packedLength(vals)} half-hours where ${len} were expected`);
    if (q) this.sq.set(q.subarray(0, len));
    else this.sq.fill(0, 0, len);
    unpackValues(vals, null, this.sv, 0);
    unpackVolumes(vol, this.svol, 0, len);
    unpackWriters(jobId, writers, this.sq, this.sw, 0, len);
  }

  /**
   * Writes one whole day as given (values, quality, volumes or null, writer per half-hour, from
   * index 0): the upgrade from the row-per-half-hour table uses it.
   */
  putDay(
    meterId: number,
    day: number,
    values: Float64Array,
    quality: Uint8Array,
    volumes: Float64Array | null,
    writers: Int32Array,
    seq: number,
  ): void {
    const len = lengthOf(day);
    this.sv.set(values.subarray(0, len));
    this.sq.set(quality.subarray(0, len));
    if (volumes) this.svol.set(volumes.subarray(0, len));
    else this.svol.fill(NaN);
    this.sw.set(writers.subarray(0, len));
    this.writeDay(meterId, day, len, seq);
  }

  /** Gives job `to` the day ranges job `from` covered (a re-import that reused its result covers the same days). */
  copyJobSpans(from: number, to: number): void {
    this.stmt(
      'INSERT OR IGNORE INTO readings_job_spans (job_id, meter_id, from_day, to_day) SELECT ?, meter_id, from_day, to_day FROM readings_job_spans WHERE job_id = ?',
    ).run(to, from);
  }

  /** Records that `jobId` wrote the meter's days [fromDay, toDay] (what undoing it visits). */
  addJobSpan(jobId: number, meterId: number, fromDay: number, toDay: number): void {
    this.stmt('INSERT OR IGNORE INTO readings_job_spans (job_id, meter_id, from_day, to_day) VALUES (?, ?, ?, ?)').run(
      jobId,
      meterId,
      fromDay,
      toDay,
    );
  }

  /** Writes the scratch day (sv, sq, svol, sw) back, or removes it when nothing is left in it. */
  private writeDay(meterId: number, day: number, len: number, seq: number): void {
    const { sv, sq, svol, sw } = this;
    let any = false;
    for (let s = 0; s < len; s++) if (sq[s] !== NOT_RECEIVED) any = true;
    if (!any) {
      this.stmt('DELETE FROM meter_days WHERE meter_id = ? AND day = ?').run(meterId, day);
      this.stmt('DELETE FROM day_stats WHERE meter_id = ? AND day = ?').run(meterId, day);
      this.stmt('INSERT OR REPLACE INTO readings_removed (meter_id, day, seq) VALUES (?, ?, ?)').run(meterId, day, seq);
      return;
    }
    const w = packWriters(sw, sq, 0, len);
    this.stmt(
      'INSERT OR REPLACE INTO meter_days (meter_id, day, vals, quality, volumes, job_id, writers) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      meterId,
      day,
      packValues(sv, sq, 0, len),
      packQuality(sq, 0, len),
      packVolumes(svol, 0, len),
      w.jobId,
      w.blob,
    );
    const sum = summarise(sv, sq, 0, len);
    this.stmt(
      'INSERT OR REPLACE INTO day_stats (meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(meterId, day, len, sum.kwh, sum.present, sum.estimated, sum.missing, sum.min, sum.max, sum.peakSlot, seq);
  }

  /**
   * Undoes everything `jobId` wrote: half-hours it added are removed, half-hours it overwrote get
   * their earlier value back; later jobs' writes stay. Returns the meters whose data changed and how
   * many half-hours went (`removed`) or got their earlier value back (`restored`); `touched`, when
   * given, is filled with those half-hours (per meter and day: 1 removed, 2 restored).
   */
  undoJob(jobId: number, touched?: TouchedSlots): UndoResult {
    const spans = this.jobSpans(jobId);
    if (spans.length === 0) return { meterIds: [], days: 0, removed: 0, restored: 0 };
    const r = this.undoDays(jobId, spans, this.nextSeq(), touched);
    this.finishUndo(jobId);
    this.stmt('DELETE FROM readings_job_spans WHERE job_id = ?').run(jobId);
    return r;
  }

  /**
   * What undoing `jobId` would do, writing nothing: the same counts as undoJob, and `touched` filled
   * with the half-hours it would give back.
   */
  undoPreview(jobId: number, touched?: TouchedSlots): UndoResult {
    return this.undoDays(jobId, this.jobSpans(jobId), null, touched);
  }

  /** The meter-day ranges a job wrote or compared (what undoing it visits). */
  private jobSpans(jobId: number): [number, number, number][] {
    return this.stmt('SELECT meter_id, from_day, to_day FROM readings_job_spans WHERE job_id = ?').raw().all(jobId) as [
      number,
      number,
      number,
    ][];
  }

  /** Import jobs other than `jobId` that wrote or compared days of the meters and days it did. */
  jobsOverlapping(jobId: number): number[] {
    const other = this.stmt(
      'SELECT DISTINCT job_id FROM readings_job_spans WHERE meter_id = ? AND from_day <= ? AND to_day >= ? AND job_id != ?',
    ).pluck();
    const out = new Set<number>();
    for (const [m, a, b] of this.jobSpans(jobId)) for (const j of other.all(m, b, a, jobId) as number[]) out.add(j);
    return [...out].sort((x, y) => x - y);
  }

  /**
   * Gives back what `jobId` wrote over `spans` (inclusive day ranges): each half-hour it holds gets
   * the value it overwrote (readings_undo) or is removed. With `seq` null nothing is written.
   */
  private undoDays(
    jobId: number,
    spans: [number, number, number][],
    seq: number | null,
    touched?: TouchedSlots,
  ): UndoResult {
    const rows = this.stmt(
      'SELECT day, vals, quality, volumes, job_id, writers FROM meter_days WHERE meter_id = ? AND day >= ? AND day <= ?',
    ).raw();
    const priors = this.stmt(
      'SELECT slot, kwh, quality, volume, prior_job FROM readings_undo WHERE job_id = ? AND meter_id = ? AND day = ?',
    ).raw();
    const meters = new Set<number>();
    const seen = new Set<string>();
    const res: UndoResult = { meterIds: [], days: 0, removed: 0, restored: 0 };
    for (const [meterId, a, b] of spans) {
      for (const row of rows.all(meterId, a, b) as DayRow[]) {
        const day = row[0];
        const key = `${meterId}:${day}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const len = lengthOf(day);
        this.decode(row, len);
        const { sv, sq, svol, sw } = this;
        let mine = false;
        for (let s = 0; s < len; s++) if (sw[s] === jobId && sq[s] !== NOT_RECEIVED) mine = true;
        if (!mine) continue;
        const before = new Map<number, [number | null, number, number | null, number]>();
        for (const [slot, kwh, q, vol, prior] of priors.all(jobId, meterId, day) as [
          number,
          number | null,
          number,
          number | null,
          number,
        ][])
          before.set(slot, [kwh, q, vol, prior]);
        let marks: Uint8Array | undefined;
        if (touched) {
          let days = touched.get(meterId);
          if (!days) touched.set(meterId, (days = new Map()));
          days.set(day, (marks = new Uint8Array(len)));
        }
        for (let s = 0; s < len; s++) {
          if (sw[s] !== jobId || sq[s] === NOT_RECEIVED) continue;
          const p = before.get(s);
          if (p && p[1] !== NOT_RECEIVED) {
            sv[s] = p[0] ?? 0;
            sq[s] = p[1];
            svol[s] = p[2] ?? NaN;
            sw[s] = p[3];
            res.restored++;
            if (marks) marks[s] = RESTORED;
          } else {
            sv[s] = 0;
            sq[s] = NOT_RECEIVED;
            svol[s] = NaN;
            sw[s] = 0;
            res.removed++;
            if (marks) marks[s] = REMOVED;
          }
        }
        if (seq !== null) this.writeDay(meterId, day, len, seq);
        meters.add(meterId);
        res.days++;
      }
    }
    res.meterIds = [...meters];
    return res;
  }

  /**
   * Later jobs that overwrote half-hours `jobId` wrote (and hold them still, so undoing it left them
   * alone) now overwrote what was there before it: undoing them must not bring back its values. Then
   * its own records of what it overwrote go.
   */
  private finishUndo(jobId: number): void {
    const pointers = this.stmt(
      'SELECT job_id, meter_id, day, slot FROM readings_undo WHERE prior_job = ? AND job_id != ?',
    )
      .raw()
      .all(jobId, jobId) as [number, number, number, number][];
    const mineAt = this.stmt(
      'SELECT kwh, quality, volume, prior_job FROM readings_undo WHERE job_id = ? AND meter_id = ? AND day = ? AND slot = ?',
    ).raw();
    const repoint = this.stmt(
      'UPDATE readings_undo SET kwh = ?, quality = ?, volume = ?, prior_job = ? WHERE job_id = ? AND meter_id = ? AND day = ? AND slot = ?',
    );
    for (const [later, meterId, day, s] of pointers) {
      const p = mineAt.get(jobId, meterId, day, s) as [number | null, number, number | null, number] | undefined;
      repoint.run(p ? p[0] : null, p ? p[1] : NOT_RECEIVED, p ? p[2] : null, p ? p[3] : 0, later, meterId, day, s);
    }
    this.stmt('DELETE FROM readings_undo WHERE job_id = ?').run(jobId);
  }

  /**
   * Moves every half-hour of meter `fromId` into meter `intoId` through `merge` (so each is new,
   * a duplicate or a conflict, and a conflict keeps the stored value unless `replace`), keeping
   * which import job wrote each half-hour and what those imports overwrote (so each can still be
   * rolled back on `intoId`); then removes what `fromId` held (recorded as removed, so
   * roll-ups and "changed since" see it). With `dryRun` nothing is written: the counts and
   * conflicts say what a move would do.
   */
  moveMeter(
    fromId: number,
    intoId: number,
    o: { replace: boolean; dryRun: boolean },
  ): {
    moved: number;
    duplicates: number;
    conflicts: { ts: number; value: number; stored: number | null; kept: boolean }[];
  } {
    const all = this.readDays(fromId, -1_000_000, 1_000_000, { volumes: true, writers: true });
    const out = {
      moved: 0,
      duplicates: 0,
      conflicts: [] as { ts: number; value: number; stored: number | null; kept: boolean }[],
    };
    const seq = o.dryRun ? 0 : this.nextSeq();
    // what `into` holds over those days: the half-hours whose value moves (new, or replacing) are found before
    const n = all.days.length;
    const held = n ? this.readDays(intoId, all.days[0]!, all.days[n - 1]! + 1) : null;
    const heldAt = new Map<number, number>();
    if (held) for (let i = 0; i < held.days.length; i++) heldAt.set(held.days[i]!, held.offsets[i]!);
    const moves = new Set<number>();
    // one batch per writing job, so every half-hour stays attributed to the import that brought it
    const byWriter = new Map<number, DayBatch>();
    for (let i = 0; i < n; i++) {
      const day = all.days[i]!;
      const at = all.offsets[i]!;
      const len = all.offsets[i + 1]! - at;
      const h = heldAt.get(day);
      for (let s = 0; s < len; s++) {
        const q = all.quality[at + s]!;
        if (q === NOT_RECEIVED) continue;
        const pq = h === undefined ? NOT_RECEIVED : held!.quality[h + s]!;
        const same =
          pq === MISSING ? q === MISSING : q !== MISSING && sameValue(held!.values[h! + s]!, all.values[at + s]!);
        if (pq === NOT_RECEIVED || (!same && o.replace && q !== MISSING)) moves.add(day * STRIDE + s);
        const w = all.writers![at + s]!;
        let b = byWriter.get(w);
        if (!b) byWriter.set(w, (b = new DayBatch()));
        const idx = b.dayIndex(0, day, len, startOf(day));
        const j = idx * STRIDE + s;
        b.values[j] = all.values[at + s]!;
        b.quality[j] = q;
        const vol = all.volumes![at + s]!;
        if (vol === vol) b.ensureVolumes()[j] = vol;
        b.received++;
      }
    }
    for (const [jobId, b] of byWriter) {
      const r = this.merge(b, [intoId], () => false, { jobId, replace: o.replace, dryRun: o.dryRun, seq });
      out.moved += r.imported;
      out.duplicates += r.duplicates;
      for (const c of r.conflicts)
        out.conflicts.push({ ts: b.start[c.index]! + c.slot * 1800, value: c.value, stored: c.stored, kept: c.kept });
    }
    out.conflicts.sort((a, b) => a.ts - b.ts);
    if (o.dryRun) return out;
    // provenance: what the imports behind each moved half-hour overwrote in `from` moves with it (the merge's own
    // record of a value it replaced in `into` comes first), so each of them can still be rolled back
    const undoRows = this.stmt(
      'SELECT job_id, day, slot, kwh, quality, volume, prior_job FROM readings_undo WHERE meter_id = ?',
    ).raw();
    const keep = this.stmt(
      'INSERT OR IGNORE INTO readings_undo (job_id, meter_id, day, slot, kwh, quality, volume, prior_job) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const [job, day, slot, kwh, q, vol, prior] of undoRows.all(fromId) as UndoRow[])
      if (moves.has(day * STRIDE + slot)) keep.run(job, intoId, day, slot, kwh, q, vol, prior);
    this.stmt(
      'INSERT OR IGNORE INTO readings_job_spans (job_id, meter_id, from_day, to_day) SELECT job_id, ?, from_day, to_day FROM readings_job_spans WHERE meter_id = ?',
    ).run(intoId, fromId);
    for (const day of all.days)
      this.stmt('INSERT OR REPLACE INTO readings_removed (meter_id, day, seq) VALUES (?, ?, ?)').run(fromId, day, seq);
    this.stmt('DELETE FROM meter_days WHERE meter_id = ?').run(fromId);
    this.stmt('DELETE FROM day_stats WHERE meter_id = ?').run(fromId);
    this.stmt('DELETE FROM readings_undo WHERE meter_id = ?').run(fromId);
    this.stmt('DELETE FROM readings_job_spans WHERE meter_id = ?').run(fromId);
    return out;
  }

  /** Drops what undoing `jobId` would need (its job record is being deleted); its half-hours stay. */
  forgetJob(jobId: number): void {
    this.stmt('DELETE FROM readings_undo WHERE job_id = ?').run(jobId);
    this.stmt('DELETE FROM readings_trash_undo WHERE job_id = ?').run(jobId);
    this.stmt('DELETE FROM readings_job_spans WHERE job_id = ?').run(jobId);
  }

  // ---------------------------------------------------------------- deleted by hand (undoable)

  /** A meter's stored days and received half-hours (a value or listed missing) over local days [fromDay, toDay). */
  dayCounts(meterId: number, fromDay: number, toDay: number): DayCounts {
    return this.stmt(
      'SELECT count(*) AS days, coalesce(sum(present + missing), 0) AS halfHours FROM day_stats WHERE meter_id = ? AND day >= ? AND day < ?',
    ).get(meterId, fromDay, toDay) as DayCounts;
  }

  /**
   * Moves a meter's days over local days [fromDay, toDay) into deletion `trashId` (readings_trash), as
   * stored — values, quality, volumes and the import that wrote each half-hour — with what those
   * imports overwrote (readings_trash_undo), so `restoreTrash` puts them back exactly. The removal
   * gets a change number, so roll-ups and "changed since" see it. Returns what went.
   */
  trashDays(trashId: number, meterId: number, fromDay: number, toDay: number): DayCounts {
    const counts = this.dayCounts(meterId, fromDay, toDay);
    const stored = this.stmt('SELECT count(*) FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ?')
      .pluck()
      .get(meterId, fromDay, toDay) as number;
    if (counts.days === 0 && stored === 0) return counts;
    const seq = this.nextSeq();
    const range = [meterId, fromDay, toDay];
    this.stmt(
      'INSERT INTO readings_trash (trash_id, meter_id, day, vals, quality, volumes, job_id, writers) SELECT ?, meter_id, day, vals, quality, volumes, job_id, writers FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ?',
    ).run(trashId, ...range);
    this.stmt(
      'INSERT INTO readings_trash_undo (trash_id, job_id, meter_id, day, slot, kwh, quality, volume, prior_job) SELECT ?, job_id, meter_id, day, slot, kwh, quality, volume, prior_job FROM readings_undo WHERE meter_id = ? AND day >= ? AND day < ?',
    ).run(trashId, ...range);
    this.stmt(
      'INSERT OR REPLACE INTO readings_removed (meter_id, day, seq) SELECT meter_id, day, ? FROM day_stats WHERE meter_id = ? AND day >= ? AND day < ? UNION SELECT meter_id, day, ? FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ?',
    ).run(seq, ...range, seq, ...range);
    this.stmt('DELETE FROM readings_undo WHERE meter_id = ? AND day >= ? AND day < ?').run(...range);
    this.stmt('DELETE FROM day_stats WHERE meter_id = ? AND day >= ? AND day < ?').run(...range);
    this.stmt('DELETE FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ?').run(...range);
    return counts;
  }

  /** The days of deletion `trashId` that hold readings again (imported since), with the imports that wrote them. */
  trashClashes(trashId: number): TrashClash[] {
    const rows = this.stmt(
      `SELECT t.meter_id, m.day, m.vals, m.quality, m.volumes, m.job_id, m.writers FROM readings_trash t
       JOIN meter_days m ON m.meter_id = t.meter_id AND m.day = t.day WHERE t.trash_id = ? ORDER BY t.meter_id, t.day`,
    )
      .raw()
      .all(trashId) as [number, ...DayRow][];
    return rows.map(([meterId, ...row]) => {
      const len = lengthOf(row[0]);
      this.decode(row, len);
      const jobs = new Set<number>();
      for (let s = 0; s < len; s++) if (this.sq[s] !== NOT_RECEIVED && this.sw[s] !== 0) jobs.add(this.sw[s]!);
      return { meterId, day: row[0], jobs: [...jobs].sort((a, b) => a - b) };
    });
  }

  /**
   * Puts deletion `trashId`'s days back as they were (check `trashClashes` first: a day stored again
   * is not overwritten), with what their imports overwrote, under a new change number. Imports
   * undone while the days were deleted (`undone`: rolled back, cancelled) are undone on them now, so
   * their values do not come back with the rest.
   */
  restoreTrash(trashId: number, undone: (jobId: number) => boolean): { meterIds: number[]; days: number } {
    const rows = this.stmt(
      'SELECT meter_id, day, vals, quality, volumes, job_id, writers FROM readings_trash WHERE trash_id = ? ORDER BY meter_id, day',
    )
      .raw()
      .all(trashId) as [number, ...DayRow][];
    if (rows.length === 0) return { meterIds: [], days: 0 };
    const seq = this.nextSeq();
    const jobs = new Set<number>();
    const spans = new Map<number, [number, number, number]>();
    for (const [meterId, ...row] of rows) {
      const day = row[0];
      const len = lengthOf(day);
      this.decode(row, len);
      for (let s = 0; s < len; s++) if (this.sq[s] !== NOT_RECEIVED) jobs.add(this.sw[s]!);
      this.writeDay(meterId, day, len, seq);
      const sp = spans.get(meterId);
      if (sp) sp[2] = day;
      else spans.set(meterId, [meterId, day, day]);
    }
    this.stmt(
      'INSERT OR IGNORE INTO readings_undo (job_id, meter_id, day, slot, kwh, quality, volume, prior_job) SELECT job_id, meter_id, day, slot, kwh, quality, volume, prior_job FROM readings_trash_undo WHERE trash_id = ?',
    ).run(trashId);
    const undoJobs = this.stmt('SELECT job_id, prior_job FROM readings_trash_undo WHERE trash_id = ?')
      .raw()
      .all(trashId) as [number, number][];
    for (const [j, prior] of undoJobs) jobs.add(j).add(prior);
    for (const j of [...jobs].sort((a, b) => a - b)) {
      if (j === 0 || !undone(j)) continue;
      this.undoDays(j, [...spans.values()], seq);
      this.finishUndo(j);
    }
    this.stmt('DELETE FROM readings_trash WHERE trash_id = ?').run(trashId);
    this.stmt('DELETE FROM readings_trash_undo WHERE trash_id = ?').run(trashId);
    return { meterIds: [...spans.keys()], days: rows.length };
  }

  /** The import jobs whose readings the meter holds (those undone or forgotten are not listed), oldest first. */
  jobsWritingMeter(meterId: number): number[] {
    return this.stmt('SELECT DISTINCT job_id FROM readings_job_spans WHERE meter_id = ? ORDER BY job_id')
      .pluck()
      .all(meterId) as number[];
  }

  /** The meters the jobs wrote readings for (by meter id), each once. */
  metersWrittenBy(jobIds: readonly number[]): number[] {
    const out = new Set<number>();
    const q = this.stmt('SELECT DISTINCT meter_id FROM readings_job_spans WHERE job_id = ?').pluck();
    for (const j of jobIds) for (const m of q.all(j) as number[]) out.add(m);
    return [...out];
  }

  /**
   * True when `jobId` wrote the meter's half-hour starting at `ts` (a resumed import placing the repeated autumn hour).
   */
  wroteHalfHour(meterId: number, ts: number, jobId: number): boolean {
    const day = localDayOf(ts);
    const row = this.stmt(
      'SELECT day, vals, quality, volumes, job_id, writers FROM meter_days WHERE meter_id = ? AND day = ?',
    )
      .raw()
      .get(meterId, day) as DayRow | undefined;
    if (!row) return false;
    const len = lengthOf(day);
    this.decode(row, len);
    const s = (ts - startOf(day)) / 1800;
    return this.sq[s] !== NOT_RECEIVED && this.sw[s] === jobId;
  }

  // ---------------------------------------------------------------- reads

  /** A meter's stored days over local days [fromDay, toDay). */
  readDays(
    meterId: number,
    fromDay: number,
    toDay: number,
    opts: { volumes?: boolean; writers?: boolean } = {},
  ): DayVectors {
    const rows = this.stmt(
      `SELECT day, vals, quality${opts.volumes || opts.writers ? ', volumes, job_id, writers' : ''} FROM meter_days WHERE meter_id = ? AND day >= ? AND day < ? ORDER BY day`,
    )
      .raw()
      .all(meterId, fromDay, toDay) as [number, Buffer, Buffer | null, Buffer | null, number, Buffer | null][];
    let total = 0;
    for (const r of rows) total += packedLength(r[1]);
    const out: DayVectors = {
      days: new Int32Array(rows.length),
      offsets: new Int32Array(rows.length + 1),
      values: new Float64Array(total),
      quality: new Uint8Array(total),
      volumes: opts.volumes ? new Float64Array(total) : null,
      writers: opts.writers ? new Int32Array(total) : null,
    };
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const [day, vals, q, vol, jobId, writers] = rows[i]!;
      out.days[i] = day;
      out.offsets[i] = at;
      const len = unpackValues(vals, q, out.values, at);
      if (q) out.quality.set(q, at);
      if (out.volumes) unpackVolumes(vol ?? null, out.volumes, at, len);
      if (out.writers) unpackWriters(jobId, writers, out.quality, out.writers, at, len);
      at += len;
    }
    out.offsets[rows.length] = at;
    return out;
  }

  /** The latest local day before `beforeDay` on which a meter has a half-hour with a value; null when none. */
  lastDayWithValues(meterId: number, beforeDay: number): number | null {
    return this.stmt('SELECT max(day) FROM day_stats WHERE meter_id = ? AND day < ? AND present > 0')
      .pluck()
      .get(meterId, beforeDay) as number | null;
  }

  /** A meter's received half-hours with UTC starts in [fromTs, toTs), in time order. */
  halfHours(meterId: number, fromTs: number, toTs: number): HalfHours {
    const fromDay = localDayOf(Math.max(fromTs, 0));
    const toDay = localDayOf(Math.min(toTs, 4102444800) - 1) + 1;
    const v = this.readDays(meterId, fromDay, Math.max(toDay, fromDay));
    const out: HalfHours = {
      count: 0,
      ts: new Float64Array(v.values.length),
      kwh: new Float64Array(v.values.length),
      quality: new Uint8Array(v.values.length),
    };
    for (let i = 0; i < v.days.length; i++) {
      const start = startOf(v.days[i]!);
      for (let k = v.offsets[i]!; k < v.offsets[i + 1]!; k++) {
        if (v.quality[k] === NOT_RECEIVED) continue;
        const ts = start + (k - v.offsets[i]!) * 1800;
        if (ts < fromTs || ts >= toTs) continue;
        const j = out.count++;
        out.ts[j] = ts;
        out.kwh[j] = v.values[k]!;
        out.quality[j] = v.quality[k]!;
      }
    }
    return out;
  }

  /** Day summaries of `meterIds` over local days [fromDay, toDay). */
  summaries(meterIds: number[], fromDay: number, toDay: number): DaySummaries {
    const rows = this.stmt(
      `SELECT meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot FROM day_stats WHERE meter_id IN (${placeholders(meterIds.length)}) AND day >= ? AND day < ?`,
    )
      .raw()
      .all(...meterIds, fromDay, toDay) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number | null,
      number | null,
      number | null,
    ][];
    const n = rows.length;
    const out: DaySummaries = {
      count: n,
      meter: new Int32Array(n),
      day: new Int32Array(n),
      halfHours: new Uint8Array(n),
      kwh: new Float64Array(n),
      present: new Int32Array(n),
      estimated: new Int32Array(n),
      missing: new Int32Array(n),
      min: new Float64Array(n),
      max: new Float64Array(n),
      peakTs: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      out.meter[i] = r[0];
      out.day[i] = r[1];
      out.halfHours[i] = r[2];
      out.kwh[i] = r[3];
      out.present[i] = r[4];
      out.estimated[i] = r[5];
      out.missing[i] = r[6];
      out.min[i] = r[7] ?? NaN;
      out.max[i] = r[8] ?? NaN;
      out.peakTs[i] = r[9] === null ? NaN : startOf(r[1]) + r[9] * 1800;
    }
    return out;
  }

  /** kWh and half-hours with a value of `meterIds` over local days [fromDay, toDay), summed in SQL. */
  total(meterIds: number[], fromDay: number, toDay: number): { kwh: number; present: number } {
    if (meterIds.length === 0 || toDay <= fromDay) return { kwh: 0, present: 0 };
    return this.stmt(
      `SELECT total(kwh) AS kwh, total(present) AS present FROM day_stats WHERE meter_id IN (${placeholders(meterIds.length)}) AND day >= ? AND day < ?`,
    ).get(...meterIds, fromDay, toDay) as { kwh: number; present: number };
  }

  /**
   * Present and estimated half-hours of `meterIds` over local days [fromDay, toDay), summed from
   * the day summaries (the expected half-hours are the calendar's: data-quality.ts).
   */
  counts(meterIds: number[], fromDay: number, toDay: number): { kwh: number; present: number; estimated: number } {
    if (meterIds.length === 0 || toDay <= fromDay) return { kwh: 0, present: 0, estimated: 0 };
    return this.stmt(
      `SELECT total(kwh) AS kwh, total(present) AS present, total(estimated) AS estimated FROM day_stats WHERE meter_id IN (${placeholders(meterIds.length)}) AND day >= ? AND day < ?`,
    ).get(...meterIds, fromDay, toDay) as { kwh: number; present: number; estimated: number };
  }

  /**
   * Each meter's last complete day before `beforeDay`: the latest UK local day with at least
   * `minPresent` present half-hours (meters with none are left out). One backward walk of each
   * meter's key, so it stays fast for many meters and long histories.
   */
  lastCompleteDays(meterIds: number[], beforeDay: number, minPresent: number): Map<number, number> {
    const q = this.stmt(
      'SELECT day FROM day_stats WHERE meter_id = ? AND day < ? AND present >= ? ORDER BY day DESC LIMIT 1',
    ).pluck();
    const out = new Map<number, number>();
    for (const id of meterIds) {
      const d = q.get(id, beforeDay, minPresent) as number | undefined;
      if (d !== undefined) out.set(id, d);
    }
    return out;
  }

  /**
   * Each meter's kWh over local days [fromDay, toDay) (meters with no stored day there are left out);
   * every meter's, or those of `meterIds`.
   */
  kwhByMeter(fromDay: number, toDay: number, meterIds?: readonly number[]): Map<number, number> {
    return this.sumByMeter('kwh', fromDay, toDay, meterIds);
  }

  /**
   * Each meter's present half-hours over local days [fromDay, toDay) (meters with no day there are
   * left out); every meter's, or those of `meterIds`.
   */
  presentByMeter(fromDay: number, toDay: number, meterIds?: readonly number[]): Map<number, number> {
    return this.sumByMeter('present', fromDay, toDay, meterIds);
  }

  private sumByMeter(
    column: 'kwh' | 'present',
    fromDay: number,
    toDay: number,
    meterIds?: readonly number[],
  ): Map<number, number> {
    const sum = (id: string): string =>
      `(SELECT sum(d.${column}) FROM day_stats d WHERE d.meter_id = ${id} AND d.day >= ? AND d.day < ?)`;
    const rows = (
      meterIds
        ? this.stmt(`SELECT m.value, ${sum('m.value')} FROM json_each(?) m`)
            .raw()
            .all(fromDay, toDay, JSON.stringify(meterIds))
        : this.stmt(`SELECT m.id, ${sum('m.id')} FROM meters m`)
            .raw()
            .all(fromDay, toDay)
    ) as [number, number | null][];
    return new Map(rows.filter((r) => r[1] !== null) as [number, number][]);
  }

  /**
   * Each meter's latest (highest id) of `jobIds` that wrote some of its days, by the jobs' recorded
   * day ranges (an undone job has none); meters none of them wrote are left out.
   */
  latestWriters(jobIds: readonly number[]): Map<number, number> {
    if (jobIds.length === 0) return new Map();
    const rows = this.stmt(
      'SELECT meter_id, max(job_id) FROM readings_job_spans WHERE job_id IN (SELECT value FROM json_each(?)) GROUP BY meter_id',
    )
      .raw()
      .all(JSON.stringify(jobIds)) as [number, number][];
    return new Map(rows);
  }

  /** First and last received half-hour of every meter with data, and how many half-hours it has stored. */
  spans(meterIds?: number[]): Map<number, { first: number; last: number; count: number }> {
    const ids = meterIds ?? (this.stmt('SELECT id FROM meters ORDER BY id').pluck().all() as number[]);
    const ends = this.stmt(
      `SELECT (SELECT day FROM day_stats WHERE meter_id = ? ORDER BY day LIMIT 1), (SELECT day FROM day_stats WHERE meter_id = ? ORDER BY day DESC LIMIT 1),
              (SELECT total(present + missing) FROM day_stats WHERE meter_id = ?)`,
    ).raw();
    const quality = this.stmt('SELECT quality FROM meter_days WHERE meter_id = ? AND day = ?').pluck();
    const out = new Map<number, { first: number; last: number; count: number }>();
    for (const id of ids) {
      const [a, b, count] = ends.get(id, id, id) as [number | null, number | null, number];
      if (a === null || b === null) continue;
      const qa = quality.get(id, a) as Buffer | null;
      const qb = quality.get(id, b) as Buffer | null;
      let fa = 0;
      if (qa) while (qa[fa] === NOT_RECEIVED) fa++;
      let lb = lengthOf(b) - 1;
      if (qb) while (qb[lb] === NOT_RECEIVED) lb--;
      out.set(id, { first: startOf(a) + fa * 1800, last: startOf(b) + lb * 1800, count });
    }
    return out;
  }

  /** A meter's first and last half-hours with a value (UTC starts), or null when it has none. */
  valueSpan(meterId: number): { first: number; last: number } | null {
    const a = this.stmt('SELECT day FROM day_stats WHERE meter_id = ? AND present > 0 ORDER BY day LIMIT 1')
      .pluck()
      .get(meterId) as number | undefined;
    if (a === undefined) return null;
    const b = this.stmt('SELECT day FROM day_stats WHERE meter_id = ? AND present > 0 ORDER BY day DESC LIMIT 1')
      .pluck()
      .get(meterId) as number;
    const first = this.readDays(meterId, a, a + 1);
    const last = this.readDays(meterId, b, b + 1);
    let i = 0;
    while (first.quality[i]! > ESTIMATED) i++;
    let j = last.values.length - 1;
    while (last.quality[j]! > ESTIMATED) j--;
    return { first: startOf(a) + i * 1800, last: startOf(b) + j * 1800 };
  }

  /** True when the meter has any stored half-hour. */
  hasData(meterId: number): boolean {
    return this.stmt('SELECT 1 FROM day_stats WHERE meter_id = ? LIMIT 1').get(meterId) !== undefined;
  }

  /** Ids of meters with any stored half-hour. */
  metersWithData(): number[] {
    return this.stmt(
      'SELECT id FROM meters m WHERE EXISTS (SELECT 1 FROM day_stats d WHERE d.meter_id = m.id) ORDER BY id',
    )
      .pluck()
      .all() as number[];
  }

  /** Stored meter-days in all. */
  dayCount(): number {
    return this.stmt('SELECT count(*) FROM day_stats').pluck().get() as number;
  }

  // ---------------------------------------------------------------- another copy's days (sync)

  /** The stored meter-day's packed BLOBs exactly as stored (codec.ts), or null when the day is not stored. */
  packedDay(meterId: number, day: number): PackedDay | null {
    const r = this.stmt('SELECT vals, quality, volumes FROM meter_days WHERE meter_id = ? AND day = ?')
      .raw()
      .get(meterId, day) as [Buffer, Buffer | null, Buffer | null] | undefined;
    return r ? { vals: r[0], quality: r[1], volumes: r[2] } : null;
  }

  /** The change number that last wrote or removed the meter-day, or null when it never held readings. */
  daySeq(meterId: number, day: number): number | null {
    const written = this.stmt('SELECT seq FROM day_stats WHERE meter_id = ? AND day = ?').pluck().get(meterId, day) as
      number | undefined;
    if (written !== undefined) return written;
    const removed = this.stmt('SELECT seq FROM readings_removed WHERE meter_id = ? AND day = ?')
      .pluck()
      .get(meterId, day) as number | undefined;
    return removed ?? null;
  }

  /**
   * Writes a whole meter-day as another copy holds it (the shared server): the packed BLOBs are
   * stored as given and the day's summary is computed from them, under change number `seq` (call
   * inside the write's transaction). Half-hours equal to what was stored keep their import job (so
   * undoing that import still finds them); the others have none. A day with no half-hour received
   * is removed. Returns false when the day was stored exactly so already (nothing written).
   * Throws BAD_INPUT for BLOBs that do not fit the day.
   */
  putPackedDay(meterId: number, day: number, p: PackedDay, seq: number): boolean {
    const len = lengthOf(day);
    checkPacked(p, len, day);
    const row = this.stmt(
      'SELECT day, vals, quality, volumes, job_id, writers FROM meter_days WHERE meter_id = ? AND day = ?',
    )
      .raw()
      .get(meterId, day) as DayRow | undefined;
    if (row && samePacked(row, p)) return false;
    const q = new Uint8Array(len);
    if (p.quality) q.set(p.quality);
    const v = new Float64Array(len);
    unpackValues(p.vals, p.quality, v, 0);
    let received = false;
    for (let s = 0; s < len; s++) if (q[s] !== NOT_RECEIVED) received = true;
    if (!received) return this.removeDay(meterId, day, seq);
    const w = new Int32Array(len);
    if (row) {
      this.decode(row, len);
      for (let s = 0; s < len; s++)
        if (q[s] !== NOT_RECEIVED && q[s] === this.sq[s] && (q[s]! > ESTIMATED || v[s] === this.sv[s]))
          w[s] = this.sw[s]!;
    }
    const writers = packWriters(w, q, 0, len);
    this.stmt(
      'INSERT OR REPLACE INTO meter_days (meter_id, day, vals, quality, volumes, job_id, writers) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(meterId, day, p.vals, p.quality, p.volumes, writers.jobId, writers.blob);
    const sum = summarise(v, q, 0, len);
    this.stmt(
      'INSERT OR REPLACE INTO day_stats (meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(meterId, day, len, sum.kwh, sum.present, sum.estimated, sum.missing, sum.min, sum.max, sum.peakSlot, seq);
    return true;
  }

  /**
   * Removes a stored meter-day whole under change number `seq` (another copy removed it); false
   * when it was not stored.
   */
  removeDay(meterId: number, day: number, seq: number): boolean {
    const gone = this.stmt('DELETE FROM meter_days WHERE meter_id = ? AND day = ?').run(meterId, day).changes > 0;
    if (!gone) return false;
    this.stmt('DELETE FROM day_stats WHERE meter_id = ? AND day = ?').run(meterId, day);
    this.stmt('INSERT OR REPLACE INTO readings_removed (meter_id, day, seq) VALUES (?, ?, ?)').run(meterId, day, seq);
    return true;
  }

  // ---------------------------------------------------------------- roll-ups

  /**
   * Brings the portfolio's day totals per fuel (fuel_days) up to date with the day summaries: the
   * days changed since the last refresh are summed again across all meters (one key lookup per
   * meter and day), or — after a change to many days, such as a first import — all of them in one
   * grouped pass (beyond `fullBeyond` changed meter-days). Returns the days refreshed.
   */
  refreshFuelDays(fullBeyond = FUEL_DAYS_FULL): number {
    const seq = this.currentSeq();
    const since = this.stmt("SELECT value FROM readings_meta WHERE key = 'portfolio'").pluck().get() as number;
    if (since >= seq) return 0;
    const changed =
      (this.stmt('SELECT count(*) FROM day_stats WHERE seq > ?').pluck().get(since) as number) +
      (this.stmt('SELECT count(*) FROM readings_removed WHERE seq > ?').pluck().get(since) as number);
    let days = 0;
    this.sqlite.transaction(() => {
      if (changed > fullBeyond) {
        this.stmt('DELETE FROM fuel_days').run();
        // a fuel at a time, its meters' rows read along the key (a join would drive the scan from another index)
        const all = this.stmt(
          'INSERT INTO fuel_days (fuel, day, kwh, present, meters) SELECT ?, s.day, total(s.kwh), total(s.present), count(*) FROM day_stats s WHERE s.meter_id IN (SELECT id FROM meters WHERE fuel = ?) GROUP BY s.day',
        );
        for (const fuel of ['electricity', 'gas']) days += all.run(fuel, fuel).changes;
      } else {
        const list = this.stmt(
          'SELECT DISTINCT day FROM (SELECT day FROM day_stats WHERE seq > ? UNION SELECT day FROM readings_removed WHERE seq > ?)',
        )
          .pluck()
          .all(since, since) as number[];
        const del = this.stmt('DELETE FROM fuel_days WHERE day = ?');
        const put = this.stmt(
          'INSERT INTO fuel_days (fuel, day, kwh, present, meters) SELECT m.fuel, ?, total(s.kwh), total(s.present), count(*) FROM meters m CROSS JOIN day_stats s ON s.meter_id = m.id AND s.day = ? GROUP BY m.fuel',
        );
        for (const d of list) {
          del.run(d);
          put.run(d, d);
        }
        days = list.length;
      }
      this.stmt("UPDATE readings_meta SET value = ? WHERE key = 'portfolio'").run(seq);
    })();
    return days;
  }

  /**
   * The portfolio's kWh and half-hours with a value for one fuel over local days [fromDay, toDay), or null when
   * fuel_days is not current.
   */
  fuelTotal(fuel: 'electricity' | 'gas', fromDay: number, toDay: number): { kwh: number; present: number } | null {
    const since = this.stmt("SELECT value FROM readings_meta WHERE key = 'portfolio'").pluck().get() as number;
    if (since !== this.currentSeq()) return null;
    return this.stmt(
      'SELECT total(kwh) AS kwh, total(present) AS present FROM fuel_days WHERE fuel = ? AND day >= ? AND day < ?',
    ).get(fuel, fromDay, toDay) as { kwh: number; present: number };
  }

  /** Meters with stored days or day summaries. */
  summarisedMeters(): number[] {
    return this.stmt('SELECT DISTINCT meter_id FROM meter_days UNION SELECT DISTINCT meter_id FROM day_stats')
      .pluck()
      .all() as number[];
  }

  /**
   * Recomputes the summary of every stored day of `meterIds` from its packed half-hours and lists
   * the ones that differ from `day_stats`, and summaries with no day behind them. Reads only, so it
   * can run on another thread's connection; `applySummaryRepairs` writes the result.
   */
  summaryRepairs(meterIds: number[]): SummaryRepairs {
    const dayRows = this.stmt('SELECT day, vals, quality FROM meter_days WHERE meter_id = ? ORDER BY day').raw();
    const statRows = this.stmt(
      'SELECT day, half_hours, kwh, present, estimated, missing, min, max, peak_slot FROM day_stats WHERE meter_id = ? ORDER BY day',
    ).raw();
    const v = new Float64Array(STRIDE);
    const q = new Uint8Array(STRIDE);
    const out: SummaryRepairs = { days: 0, stale: [], orphans: [] };
    for (const id of meterIds) {
      const stats = statRows.all(id) as StatRow[];
      let k = 0;
      for (const [day, vals, quality] of dayRows.all(id) as [number, Buffer, Buffer | null][]) {
        out.days++;
        while (k < stats.length && stats[k]![0] < day) out.orphans.push([id, stats[k++]![0]]);
        const old = k < stats.length && stats[k]![0] === day ? stats[k++]! : null;
        const len = unpackValues(vals, null, v, 0);
        if (quality) q.set(quality.subarray(0, len));
        else q.fill(0, 0, len);
        if (!old || !sameSummary(old, len, summarise(v, q, 0, len))) out.stale.push([id, day]);
      }
      while (k < stats.length) out.orphans.push([id, stats[k++]![0]]);
    }
    return out;
  }

  /**
   * Writes what summaryRepairs found, in one transaction with one change number. Each day is
   * recomputed from what is stored now (an import may have written it since it was checked).
   */
  applySummaryRepairs(r: SummaryRepairs): number {
    if (r.stale.length === 0 && r.orphans.length === 0) return 0;
    const row = this.stmt('SELECT vals, quality FROM meter_days WHERE meter_id = ? AND day = ?').raw();
    const put = this.stmt(
      'INSERT OR REPLACE INTO day_stats (meter_id, day, half_hours, kwh, present, estimated, missing, min, max, peak_slot, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const v = new Float64Array(STRIDE);
    const q = new Uint8Array(STRIDE);
    let rewritten = 0;
    this.sqlite.transaction(() => {
      const seq = this.nextSeq(); // a repaired summary is a change
      for (const [id, day] of r.stale) {
        const d = row.get(id, day) as [Buffer, Buffer | null] | undefined;
        if (!d) continue;
        const len = unpackValues(d[0], null, v, 0);
        if (d[1]) q.set(d[1].subarray(0, len));
        else q.fill(0, 0, len);
        const s = summarise(v, q, 0, len);
        put.run(id, day, len, s.kwh, s.present, s.estimated, s.missing, s.min, s.max, s.peakSlot, seq);
        rewritten++;
      }
      for (const [id, day] of r.orphans) {
        if (row.get(id, day)) continue;
        this.stmt('DELETE FROM day_stats WHERE meter_id = ? AND day = ?').run(id, day);
        this.stmt('INSERT OR REPLACE INTO readings_removed (meter_id, day, seq) VALUES (?, ?, ?)').run(id, day, seq);
        rewritten++;
      }
    })();
    return rewritten;
  }

  /**
   * Recomputes every day's summary from its packed half-hours and rewrites the ones that differ
   * (a repair: summaries are written with the days, so normally none does). Returns the meters
   * and days examined and the summaries rewritten.
   */
  rebuildSummaries(): { meters: number; days: number; rewritten: number } {
    const ids = this.summarisedMeters();
    const r = this.summaryRepairs(ids);
    return { meters: ids.length, days: r.days, rewritten: this.applySummaryRepairs(r) };
  }
}

/** Days whose summary differs from their half-hours, and summaries with no day: [meter id, day]. */
export interface SummaryRepairs {
  days: number;
  stale: [number, number][];
  orphans: [number, number][];
}

/** A day_stats row as summaryRepairs reads it. */
type StatRow = [
  day: number,
  halfHours: number,
  kwh: number,
  present: number,
  estimated: number,
  missing: number,
  min: number | null,
  max: number | null,
  peakSlot: number | null,
];

function sameSummary(r: StatRow, len: number, s: DaySummary): boolean {
  return (
    r[1] === len &&
    Object.is(r[2], s.kwh) &&
    r[3] === s.present &&
    r[4] === s.estimated &&
    r[5] === s.missing &&
    r[6] === s.min &&
    r[7] === s.max &&
    r[8] === s.peakSlot
  );
}

/** A meter-day's BLOBs as stored and as they travel to and from the shared server (codec.ts). */
export interface PackedDay {
  vals: Buffer;
  quality: Buffer | null;
  volumes: Buffer | null;
}

const sameBlob = (a: Buffer | null, b: Buffer | null): boolean => (a === null ? b === null : b !== null && a.equals(b));

/** True when the stored row holds exactly these BLOBs. */
function samePacked(row: DayRow, p: PackedDay): boolean {
  return row[1].equals(p.vals) && sameBlob(row[2], p.quality) && sameBlob(row[3], p.volumes);
}

/** Refuses BLOBs that do not hold one value (quality byte, volume) per half-hour of the day. */
function checkPacked(p: PackedDay, len: number, day: number): void {
  const tag = p.vals[0];
  const width = tag === 0 ? 8 : tag !== undefined && tag >> 4 === 1 ? 2 : tag !== undefined && tag >> 4 === 2 ? 4 : 0;
  const bad =
    width === 0 ||
    (tag! & 0x0f) > 6 ||
    p.vals.length !== 1 + len * width ||
    (p.quality !== null && (p.quality.length !== len || p.quality.some((b) => b > NOT_RECEIVED))) ||
    (p.volumes !== null && p.volumes.length !== len * 8);
  if (bad)
    throw new AppError(
      'BAD_INPUT',
      `A day of readings (day ${day}) is not packed as ${len} half-hours: it was not stored`,
    );
}

/** Changed meter-days beyond which fuel_days is summed again whole rather than day by day. */
const FUEL_DAYS_FULL = 20_000;

/** A removed day that has not been written again since. */
const STILL_GONE = 'NOT EXISTS (SELECT 1 FROM day_stats d WHERE d.meter_id = r.meter_id AND d.day = r.day)';

const placeholders = (n: number): string => (n === 0 ? 'NULL' : Array(n).fill('?').join(','));

/** Multi-row INSERT with a reused parameter array: BULK rows per statement, the rest one by one. */
class Bulk {
  private readonly params: unknown[];
  private n = 0;
  private bulk: Database.Statement | null = null;
  private one: Database.Statement | null = null;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    private readonly cols: number,
  ) {
    this.params = new Array(BULK * cols);
  }

  private tuple(): string {
    return `(${Array(this.cols).fill('?').join(', ')})`;
  }

  row(...vals: unknown[]): void {
    const o = this.n * this.cols;
    for (let k = 0; k < this.cols; k++) this.params[o + k] = vals[k];
    if (++this.n === BULK) {
      this.bulk ??= this.sqlite.prepare(`${this.head} ${Array(BULK).fill(this.tuple()).join(', ')}`);
      this.bulk.run(this.params);
      this.n = 0;
    }
  }

  reset(): void {
    this.n = 0;
  }

  flush(): void {
    if (this.n === 0) return;
    this.one ??= this.sqlite.prepare(`${this.head} ${this.tuple()}`);
    for (let j = 0; j < this.n; j++) this.one.run(this.params.slice(j * this.cols, (j + 1) * this.cols));
    this.n = 0;
  }
}
