/**
 * Rolling back a finished import, as if it had never run: every half-hour it wrote is given back —
 * the value it overwrote restored (readings_undo), or removed — and later imports keep what they
 * wrote since. A later import that gave the same half-hours (a duplicate, or a conflict it kept
 * the stored value on) wrote nothing there, so its file is read again (replay.ts) and its values
 * take those half-hours, in the order the imports ran: the result is what a fresh import of the
 * remaining files gives. Meters the import created that are left with no readings are deleted
 * (kept for undo, trash.ts). All of it is one transaction; the job becomes 'rolled-back', and its
 * file can be imported again.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type { ImportStatus, RollbackResult } from '../../../src-shared/contract/types';
import { localDayOf } from '../../../src-shared/domain/periods';
import type { Clock } from '../clock';
import type { ImportQueue } from '../imports/queue';
import { NOT_RECEIVED } from '../readings/codec';
import { SourceStore } from '../sources/store';
import { REMOVED, type ReadingsStore, type TouchedSlots, type UndoResult } from '../readings/store';
import { collectReplays, type LaterImport, type Replay } from './replay';
import { ukDay, type TrashService } from './trash';

interface JobRow {
  id: number;
  file_name: string;
  status: ImportStatus;
  dry_run: number;
  started_at: number | null;
  finished_at: number | null;
  meters_created: string;
  rolled_back_at: number | null;
  rolled_back_by: string | null;
  on_conflict: 'keep' | 'replace';
  format_override: string | null;
  meter_override: string | null;
  path: string;
  bytes: number;
}

/** Readings changed while the later files were being read: the roll-back starts again. */
class ReadingsMoved extends Error {}

/** Attempts before giving up when other imports keep writing. */
const ATTEMPTS = 3;

/** The order imports wrote in (one writer at a time): finished, then started, then queued. */
const order = (j: JobRow): [number, number, number] => [j.finished_at ?? 0, j.started_at ?? 0, j.id];
const after = (a: JobRow, b: JobRow): boolean => {
  const x = order(a);
  const y = order(b);
  return x[0] !== y[0] ? x[0] > y[0] : x[1] !== y[1] ? x[1] > y[1] : x[2] > y[2];
};

export class ImportRollback {
  private readonly sources: SourceStore;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly readings: ReadingsStore,
    private readonly imports: ImportQueue,
    private readonly trash: TrashService,
    private readonly clock: Clock,
  ) {
    this.sources = new SourceStore(sqlite);
  }

  private row(id: number): JobRow {
    const r = this.sqlite
      .prepare(
        `SELECT j.id, j.file_name, j.status, j.dry_run, j.started_at, j.finished_at, j.meters_created, j.rolled_back_at,
                j.rolled_back_by, j.on_conflict, j.format_override, j.meter_override, f.path, f.bytes
         FROM import_jobs j JOIN stored_files f ON f.id = j.file_id WHERE j.id = ?`,
      )
      .get(id) as JobRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No import job ${id} (finished jobs are kept for the retention period)`);
    return r;
  }

  /** CONFLICT, in words, for a job that cannot be rolled back. */
  private refuse(j: JobRow): void {
    const name = `Import job ${j.id} (${j.file_name})`;
    if (j.dry_run === 1)
      throw new AppError('CONFLICT', `${name} was a dry run: it wrote nothing, so there is nothing to roll back`, {
        reason: 'dry-run',
        jobId: j.id,
      });
    const why: Partial<Record<ImportStatus, string>> = {
      'rolled-back': `was already rolled back${j.rolled_back_at === null ? '' : ` on ${ukDay(localDayOf(j.rolled_back_at))}`}${j.rolled_back_by ? ` by ${j.rolled_back_by}` : ''}`,
      queued: 'has not run yet: cancel it instead',
      running: 'is still importing: cancel it instead (what it wrote is taken out again)',
      retrying: 'has not finished (it is waiting to retry): cancel it instead (what it wrote is taken out again)',
      failed: 'failed, so nothing from it was kept: there is nothing to roll back',
      cancelled: 'was cancelled, so nothing from it was kept: there is nothing to roll back',
    };
    const reason = why[j.status];
    if (reason) throw new AppError('CONFLICT', `${name} ${reason}`, { reason: j.status, jobId: j.id });
  }

  /** The finished imports after `j` that wrote or compared any of its meter-days, in the order they ran. */
  private laterImports(j: JobRow): JobRow[] {
    const overlapping = this.readings.jobsOverlapping(j.id).map((id) => this.row(id));
    const busy = overlapping.find((o) => o.dry_run === 0 && ['queued', 'running', 'retrying'].includes(o.status));
    if (busy)
      throw new AppError(
        'CONFLICT',
        `Import job ${busy.id} (${busy.file_name}) is importing into the same meters now: roll back when it has finished`,
        { reason: 'import-running', jobId: j.id, busy: busy.id },
      );
    return overlapping
      .filter((o) => o.status === 'done' && o.dry_run === 0 && after(o, j))
      .sort((a, b) => (after(a, b) ? 1 : -1));
  }

  /**
   * Rolls back import job `id` (or, with `dryRun`, says what a roll-back would take out and put back,
   * writing nothing). `by` is recorded on the job.
   */
  async rollback(id: number, by: string, dryRun: boolean): Promise<{ result: RollbackResult; alertsChanged: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const j = this.row(id);
      this.refuse(j);
      const seq = this.readings.currentSeq();
      const wanted: TouchedSlots = new Map();
      const preview = this.readings.undoPreview(id, wanted);
      const later = this.laterImports(j);
      if (dryRun) return { result: this.previewResult(j, preview, wanted, later), alertsChanged: false };
      const replays = await collectReplays(this.sqlite, later.map(toLater), wanted);
      try {
        return this.sqlite.transaction(() => this.apply(j, by, seq, replays))();
      } catch (e) {
        if (!(e instanceof ReadingsMoved)) throw e;
        if (attempt === ATTEMPTS)
          throw new AppError(
            'CONFLICT',
            `Readings kept changing while import job ${id} was being rolled back (other imports are running): ` +
              'try again when they have finished',
            { reason: 'readings-changing', jobId: id },
          );
      }
    }
  }

  /** The roll-back itself, in the caller's transaction; ReadingsMoved when readings changed since `seq`. */
  private apply(
    j: JobRow,
    by: string,
    seq: number,
    replays: Replay[],
  ): { result: RollbackResult; alertsChanged: boolean } {
    if (this.readings.currentSeq() !== seq || this.row(j.id).status !== 'done') throw new ReadingsMoved();
    const given: TouchedSlots = new Map();
    const undo = this.readings.undoJob(j.id, given);
    if (replays.some((r) => r.batches.length > 0)) {
      const replaySeq = this.readings.nextSeq();
      for (const r of replays)
        for (const b of r.batches)
          this.readings.merge(b.batch, b.meterIds, () => false, {
            jobId: r.job.id,
            replace: r.job.replace,
            dryRun: false,
            seq: replaySeq,
          });
    }
    // how each half-hour given back ended: gone, its earlier value, or a later import's
    const laterIds = new Set(replays.map((r) => r.job.id));
    const fromLater = new Map<number, number>();
    let removed = 0;
    let restored = 0;
    for (const [meterId, days] of given)
      for (const [day, marks] of days) {
        const d = this.readings.readDays(meterId, day, day + 1, { writers: true });
        for (let s = 0; s < marks.length; s++) {
          if (marks[s] === 0) continue;
          const w = d.days.length ? d.writers![s]! : 0;
          if (d.days.length === 0 || d.quality[s] === NOT_RECEIVED) removed++;
          else if (laterIds.has(w)) fromLater.set(w, (fromLater.get(w) ?? 0) + 1);
          else restored++;
        }
      }
    const meters = this.identifiers(undo.meterIds);
    // meters left with nothing that a rolled-back import created (this one, or one rolled back while other
    // imports' readings kept the meter): deleted, kept for undo
    const metersRemoved: string[] = [];
    let alertsChanged = false;
    const find = this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
    this.sqlite
      .prepare("UPDATE import_jobs SET status = 'rolled-back', rolled_back_at = ?, rolled_back_by = ? WHERE id = ?")
      .run(Math.floor(this.clock.now() / 1000), by, j.id);
    // the site names its file carried go with it, as a cancelled import's do
    this.sqlite.prepare('DELETE FROM file_sites WHERE job_id = ?').run(j.id);
    for (const m of [...new Set([...(JSON.parse(j.meters_created) as string[]), ...meters])]) {
      const mid = find.get(m) as number | undefined;
      if (mid === undefined || this.readings.hasData(mid) || this.creator(m)?.status !== 'rolled-back') continue;
      const gone = this.trash.removeMeter(m, by, false, `, left with no readings by rolling back import job ${j.id}`);
      alertsChanged ||= gone.alertsChanged;
      metersRemoved.push(m);
    }
    return {
      result: {
        job: this.imports.get(j.id),
        dryRun: false,
        readingsRemoved: removed,
        valuesRestored: restored,
        laterImports: replays.map((r) => ({
          jobId: r.job.id,
          file: r.job.file,
          readings: fromLater.get(r.job.id) ?? 0,
          error: r.error,
        })),
        meters: [...new Set([...meters, ...metersRemoved])].sort(),
        metersRemoved,
        refetch: this.sources.refetchAfterRollback(j.id, true),
      },
      alertsChanged,
    };
  }

  /** What a roll-back would do, from the store's preview (later imports' files are not read). */
  private previewResult(j: JobRow, p: UndoResult, wanted: TouchedSlots, later: JobRow[]): RollbackResult {
    const removedOf = new Map<number, number>();
    for (const [meterId, days] of wanted)
      for (const marks of days.values())
        for (const mark of marks) if (mark === REMOVED) removedOf.set(meterId, (removedOf.get(meterId) ?? 0) + 1);
    const find = this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
    // a meter it (or an import rolled back before) created goes when all it holds is what the import added, and no
    // later import gave those half-hours
    const created = JSON.parse(j.meters_created) as string[];
    const metersRemoved =
      later.length > 0
        ? []
        : [...new Set([...created, ...this.identifiers(p.meterIds)])].filter((m) => {
            const mid = find.get(m) as number | undefined;
            if (mid === undefined || (!created.includes(m) && this.creator(m)?.status !== 'rolled-back')) return false;
            const held = this.readings.dayCounts(mid, -1_000_000, 1_000_000).halfHours;
            return held === (removedOf.get(mid) ?? 0);
          });
    return {
      job: this.imports.get(j.id),
      dryRun: true,
      readingsRemoved: p.removed,
      valuesRestored: p.restored,
      laterImports: later.map((l) => ({ jobId: l.id, file: l.file_name, readings: null, error: null })),
      meters: this.identifiers(p.meterIds),
      metersRemoved,
      refetch: this.sources.refetchAfterRollback(j.id, false),
    };
  }

  /** The latest import that created meter `identifier` (null: none did, or its job is no longer kept). */
  private creator(identifier: string): { id: number; status: ImportStatus } | null {
    return (
      (this.sqlite
        .prepare(
          'SELECT j.id, j.status FROM import_jobs j, json_each(j.meters_created) e WHERE e.value = ? AND j.dry_run = 0 ORDER BY j.id DESC LIMIT 1',
        )
        .get(identifier) as { id: number; status: ImportStatus } | undefined) ?? null
    );
  }

  private identifiers(ids: number[]): string[] {
    const q = this.sqlite.prepare('SELECT identifier FROM meters WHERE id = ?').pluck();
    return ids
      .map((id) => q.get(id) as string | undefined)
      .filter((m): m is string => m !== undefined)
      .sort();
  }
}

const toLater = (j: JobRow): LaterImport => ({
  id: j.id,
  file: j.file_name,
  path: j.path,
  bytes: j.bytes,
  formatOverride: j.format_override,
  meterOverride: j.meter_override,
  replace: j.on_conflict === 'replace',
});
