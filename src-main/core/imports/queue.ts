/**
 * The persisted import queue: jobs live in SQLite, run one at a time (one writer), highest
 * priority then oldest first; I/O failures retry after 1, 2, 4 and 8 minutes, then fail for good.
 * Each running job is claimed by one process ("host:pid:nonce"); a job whose owner died (a crash, a
 * kill) is taken over and resumes from its last committed chunk.
 */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  AlreadyImported,
  EnqueuedPaths,
  ImportJob,
  ImportStatus,
  Priority,
} from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { FILE_FAILURE_KINDS, type ImportFailureKind } from '../../../src-shared/domain/import-outcome';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import { ReadingsStore } from '../readings/store';
import type { FileStore } from './files';
import { backoffMinutes, HOST, MAX_ATTEMPTS, ownerIsDead, PRIORITY, SELECT, toJob, type DbJob } from './job-record';
import { JobRunner, type Outcome, type RunnerOptions } from './job-runner';

/** Why a failed file will fail again, for `retry`'s refusal. */
const RETRY_REFUSAL = {
  binary: 'is not a text file, so it is not a meter file.',
  'not-meter-file': 'is not a meter file this app can read; check it is the right file, or choose its format.',
  malformed: 'cannot be read as it is; correct the file and import it again.',
  empty: 'has no rows of readings; import a file that has some.',
} as const;

/** Statuses a job is still on its way out of (`wait` waits for them). */
const UNSETTLED: ReadonlySet<ImportStatus> = new Set(['queued', 'running']);

export interface EnqueueOptions {
  dryRun?: boolean;
  priority?: Priority;
  onConflict?: 'keep' | 'replace';
  format?: string;
  meter?: string;
  notes?: string;
  tags?: string[];
  /** Import files already imported (the same SHA-256, done, not undone) again; without it, CONFLICT. */
  reimport?: boolean;
  /** The data source whose run queues the files (import_jobs.source_id). */
  sourceId?: number;
}

const ukTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export type QueueOptions = RunnerOptions;

export class ImportQueue {
  private running = false;
  private started = false;
  /** Set by stop(): no job starts any more in this process. */
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  readonly owner = `${HOST}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  private readonly readings: ReadingsStore;
  private readonly runner: JobRunner;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly files: FileStore,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: QueueOptions,
  ) {
    this.readings = new ReadingsStore(sqlite);
    this.runner = new JobRunner(sqlite, this.owner, log, opts, (id) => this.row(id));
  }

  private nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /**
   * The files among `fileIds` whose bytes (SHA-256) an earlier import brought in (done, not a dry
   * run, not undone, with readings), each with the latest such import.
   */
  alreadyImported(fileIds: string[]): AlreadyImported['files'] {
    const earlier = this.sqlite.prepare(
      `SELECT f.sha256, j.id, j.file_name, j.finished_at, j.preview
       FROM stored_files f JOIN stored_files g ON g.sha256 = f.sha256 JOIN import_jobs j ON j.file_id = g.id
       WHERE f.id = ? AND j.status = 'done' AND j.dry_run = 0 AND (j.readings_imported > 0 OR j.duplicates > 0)
       ORDER BY j.id DESC LIMIT 1`,
    );
    return fileIds.flatMap((fileId) => {
      const r = earlier.get(fileId) as
        | { sha256: string; id: number; file_name: string; finished_at: number | null; preview: string | null }
        | undefined;
      if (!r) return [];
      const meters = r.preview ? (JSON.parse(r.preview) as { meters: string[] }).meters : [];
      return [
        {
          fileId,
          file: this.files.get(fileId)?.original_name ?? r.file_name,
          sha256: r.sha256,
          earlier: {
            jobId: r.id,
            file: r.file_name,
            finishedAt: r.finished_at === null ? null : new Date(r.finished_at * 1000).toISOString(),
            meters,
          },
        },
      ];
    });
  }

  /** Refuses (CONFLICT) to import again files already imported, unless asked to with `reimport`. */
  private refuseDuplicates(fileIds: string[], opts: EnqueueOptions): void {
    if (opts.dryRun || opts.reimport) return;
    const files = this.alreadyImported(fileIds);
    if (files.length === 0) return;
    const first = files[0]!;
    const when = first.earlier.finishedAt ? ` on ${ukTime.format(new Date(first.earlier.finishedAt))}` : '';
    const into =
      first.earlier.meters.length === 0
        ? ''
        : first.earlier.meters.length === 1
          ? ` into meter ${first.earlier.meters[0]}`
          : ` into meters ${first.earlier.meters.slice(0, 3).join(', ')}${first.earlier.meters.length > 3 ? '…' : ''}`;
    const others = files.length > 1 ? ` (and ${files.length - 1} more of these files were imported before)` : '';
    const details: AlreadyImported = { reason: 'already-imported', files, fileIds };
    throw new AppError(
      'CONFLICT',
      `${first.file} was already imported${when}${into} (import job ${first.earlier.jobId})${others}. ` +
        'Importing it again can count the same readings twice if it lands on another meter; ' +
        'import it again only if you mean to (the reimport option).',
      details,
    );
  }

  enqueue(fileIds: string[], opts: EnqueueOptions = {}): { batchId: string; jobIds: number[] } {
    this.refuseDuplicates(fileIds, opts);
    const batchId = crypto.randomUUID();
    const insert = this.sqlite.prepare(
      `INSERT INTO import_jobs (batch_id, file_id, file_name, priority, dry_run, created_at, on_conflict, format_override, meter_override, notes, tags, source_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const jobIds = this.sqlite.transaction(() =>
      fileIds.map((fid) => {
        const f = this.files.get(fid);
        if (!f) throw new AppError('NOT_FOUND', `No stored file with id ${fid}; upload the file first`);
        return Number(
          insert.run(
            batchId,
            fid,
            f.original_name,
            PRIORITY[opts.priority ?? 'normal'],
            opts.dryRun ? 1 : 0,
            this.nowSec(),
            opts.onConflict ?? 'keep',
            opts.format && opts.format !== 'auto' ? opts.format : null,
            opts.meter ?? null,
            opts.notes ?? null,
            JSON.stringify(opts.tags ?? []),
            opts.sourceId ?? null,
          ).lastInsertRowid,
        );
      }),
    )();
    for (const id of jobIds) this.events.emit('imports.updated', { job: this.get(id) });
    this.kick();
    return { batchId, jobIds };
  }

  /**
   * Copies files on this machine into the store and queues the ones that could be copied as one
   * batch (`imports.enqueuePaths`). If the batch cannot be queued, the copies are forgotten.
   */
  async enqueuePaths(paths: string[], opts: EnqueueOptions = {}): Promise<EnqueuedPaths> {
    const files: EnqueuedPaths['files'] = [];
    for (const p of paths) {
      try {
        files.push({ path: p, fileId: (await this.files.storePath(path.resolve(p))).fileId, jobId: null });
      } catch (e) {
        files.push({ path: p, fileId: null, jobId: null, error: e instanceof Error ? e.message : String(e) });
      }
    }
    const stored = files.filter((f): f is typeof f & { fileId: string } => f.fileId !== null);
    if (stored.length === 0) return { batchId: null, jobIds: [], files };
    let queued: { batchId: string; jobIds: number[] };
    try {
      queued = this.enqueue(
        stored.map((f) => f.fileId),
        opts,
      );
    } catch (e) {
      // files imported before stay stored (they share the earlier copy), so the caller can confirm
      // and queue them with imports.enqueue and reimport
      const keep = e instanceof AppError && (e.details as AlreadyImported | undefined)?.reason === 'already-imported';
      if (!keep) for (const f of stored) this.files.forget(f.fileId);
      else Object.assign(e.details as AlreadyImported, { paths: files });
      throw e;
    }
    stored.forEach((f, i) => (f.jobId = queued.jobIds[i]!));
    return { ...queued, files };
  }

  /**
   * Resolves when the jobs (every due job when none are named) are done, failed, cancelled or
   * waiting to retry. With the background loop stopped (the command line), they run here.
   */
  async wait(jobIds?: number[]): Promise<ImportJob[]> {
    const ids = jobIds ?? this.dueIds();
    for (const id of ids) this.row(id); // NOT_FOUND before any waiting
    const mine = new Set(ids);
    if (!this.started) {
      await this.drain((id) => mine.has(id));
      return ids.map((id) => this.get(id));
    }
    const settled = (): boolean => ids.every((id) => !UNSETTLED.has(this.row(id).status));
    if (!settled()) {
      await new Promise<void>((resolve) => {
        const finish = (): void => {
          off();
          clearInterval(poll);
          resolve();
        };
        const off = this.events.subscribe((e) => {
          if (e.event === 'imports.updated' && mine.has(e.payload.job.id) && settled()) finish();
        });
        // a job another process runs sends no events here: look again now and then
        const poll = setInterval(() => settled() && finish(), 1000);
      });
    }
    return ids.map((id) => this.get(id));
  }

  private row(id: number): DbJob {
    const r = this.sqlite.prepare(`${SELECT} WHERE j.id = ?`).get(id) as DbJob | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No import job ${id}`);
    return r;
  }

  get(id: number): ImportJob {
    return toJob(this.row(id));
  }

  list(opts: { status?: ImportStatus; batchId?: string; search?: string; limit?: number } = {}): ImportJob[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (opts.status) {
      where.push('j.status = ?');
      params.push(opts.status);
    }
    if (opts.batchId) {
      where.push('j.batch_id = ?');
      params.push(opts.batchId);
    }
    if (opts.search) {
      where.push("(j.file_name LIKE ? ESCAPE '\\' OR j.notes LIKE ? ESCAPE '\\' OR j.tags LIKE ? ESCAPE '\\')");
      const like = `%${opts.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      params.push(like, like, like);
    }
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.id DESC LIMIT ?`;
    return (this.sqlite.prepare(sql).all(...params, opts.limit ?? 200) as DbJob[]).map(toJob);
  }

  /**
   * Cancels a job. A queued or retrying job stops at once; a running one stops after its current
   * chunk. What the job wrote is undone (readings it overwrote come back), and meters it created
   * that are left with no readings are removed.
   */
  cancel(id: number): ImportJob {
    const r = this.row(id);
    if (r.status === 'done' || r.status === 'failed' || r.status === 'cancelled' || r.status === 'rolled-back') {
      const already = {
        done: 'finished',
        failed: 'failed',
        cancelled: 'been cancelled',
        'rolled-back': 'been rolled back',
      };
      throw new AppError('CONFLICT', `Import job ${id} has already ${already[r.status]}`);
    }
    if (r.status === 'running') {
      this.sqlite.prepare('UPDATE import_jobs SET cancel_requested = 1 WHERE id = ?').run(id);
      return this.get(id);
    }
    this.sqlite.transaction(() => {
      this.undo(r);
      this.sqlite
        .prepare("UPDATE import_jobs SET status = 'cancelled', finished_at = ?, next_attempt_at = NULL WHERE id = ?")
        .run(this.nowSec(), id);
    })();
    const job = this.get(id);
    this.events.emit('imports.updated', { job });
    return job;
  }

  /**
   * Undoes what a job wrote (what it overwrote comes back) and the sites it first saw in the file,
   * then removes meters it created that are now empty.
   */
  private undo(r: DbJob): void {
    if (r.dry_run === 1) return;
    this.readings.undoJob(r.id);
    this.sqlite.prepare('DELETE FROM file_sites WHERE job_id = ?').run(r.id);
    const created = JSON.parse(r.meters_created) as string[];
    const find = this.sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
    const del = this.sqlite.prepare('DELETE FROM meters WHERE id = ?');
    for (const m of created) {
      const id = find.get(m) as number | undefined;
      if (id !== undefined && !this.readings.hasData(id)) del.run(id);
    }
    this.sqlite
      .prepare(
        "UPDATE import_jobs SET bytes_done = 0, line_done = 0, rows_read = 0, readings_imported = 0, duplicates = 0, conflicts = 0, rows_rejected = 0, errors = '[]', meters_created = '[]', preview = NULL WHERE id = ?",
      )
      .run(r.id);
  }

  /**
   * Runs a job again: a failed one from where it stopped, a cancelled one from the start, a job
   * waiting for its next retry now.
   */
  retry(id: number): ImportJob {
    const r = this.row(id);
    if (r.status === 'rolled-back')
      throw new AppError(
        'CONFLICT',
        `Import job ${id} was rolled back; to bring its readings back, import ${r.file_name} again`,
      );
    if (r.status === 'running' || r.status === 'queued' || r.status === 'done') {
      throw new AppError(
        'CONFLICT',
        `Import job ${id} is ${r.status}; only failed, cancelled or retrying jobs can be retried`,
      );
    }
    if (r.status === 'failed' && r.failure_kind !== null && FILE_FAILURE_KINDS.includes(r.failure_kind)) {
      throw new AppError(
        'CONFLICT',
        `Retrying cannot help: ${r.file_name} ${RETRY_REFUSAL[r.failure_kind as keyof typeof RETRY_REFUSAL]}`,
        { reason: 'retry-cannot-help', jobId: id, failureKind: r.failure_kind },
      );
    }
    if (!fs.existsSync(r.path))
      throw new AppError(
        'CONFLICT',
        `The copy of ${r.file_name} was not kept (it could not be read); import the file again`,
      );
    this.sqlite
      .prepare(
        "UPDATE import_jobs SET status = 'queued', attempts = 0, next_attempt_at = NULL, last_error = NULL, failure_kind = NULL, cancel_requested = 0, finished_at = NULL WHERE id = ?",
      )
      .run(id);
    const job = this.get(id);
    this.events.emit('imports.updated', { job });
    this.kick();
    return job;
  }

  /**
   * Deletes finished jobs (done, failed, cancelled, rolled back) older than `days` and their stored files; readings
   * stay.
   */
  cleanup(days: number): { jobsRemoved: number; filesRemoved: number } {
    const cutoff = this.nowSec() - days * 86400;
    const old = this.sqlite
      .prepare(
        "SELECT id, file_id FROM import_jobs WHERE status IN ('done','failed','cancelled','rolled-back') AND coalesce(rolled_back_at, finished_at, created_at) < ?",
      )
      .all(cutoff) as { id: number; file_id: string }[];
    let filesRemoved = 0;
    this.sqlite.transaction(() => {
      const delJob = this.sqlite.prepare('DELETE FROM import_jobs WHERE id = ?');
      for (const j of old) {
        delJob.run(j.id);
        this.readings.forgetJob(j.id); // a job no longer listed can no longer be undone
      }
      for (const fileId of new Set(old.map((j) => j.file_id))) {
        const still = this.sqlite.prepare('SELECT 1 FROM import_jobs WHERE file_id = ?').get(fileId);
        if (still) continue;
        const f = this.files.get(fileId);
        this.sqlite.prepare('DELETE FROM stored_files WHERE id = ?').run(fileId);
        // a copy shared by a file still in use (the same bytes imported again) stays
        if (f && !this.sqlite.prepare('SELECT 1 FROM stored_files WHERE path = ?').get(f.path)) {
          fs.rmSync(f.path, { force: true });
          filesRemoved++;
        }
      }
    })();
    // uploads never queued go too (older than a minute at the least: one may be about to be queued)
    filesRemoved += this.files.removeUnqueued(Math.max(days * 86400, 60)).filesRemoved;
    return { jobsRemoved: old.length, filesRemoved };
  }

  /** Starts processing in the background; interrupted jobs resume where they stopped. */
  start(): void {
    if (this.stopping) return;
    this.started = true;
    this.kick();
  }

  /**
   * Stops processing: a running job stops after the chunk it is committing and goes back to the
   * queue (owner cleared, the attempt not counted), so the next start or `worker --once` carries on
   * from there to the same result.
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping = true;
    this.runner.interrupt();
    await this.whenIdle();
    await this.runner.stop();
  }

  /** Resolves when no job is running. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Runs due jobs in the foreground until none is due (the CLI's worker and `import`). */
  async drain(filter?: (jobId: number) => boolean): Promise<void> {
    while (!this.stopping) {
      const next = this.nextDue(filter);
      if (!next) return;
      await this.runJob(next);
    }
  }

  /** The jobs queued, running, or due to retry now. */
  private dueIds(): number[] {
    return this.sqlite
      .prepare(
        "SELECT id FROM import_jobs WHERE status IN ('queued','running') OR (status = 'retrying' AND coalesce(next_attempt_at, 0) <= ?) ORDER BY id",
      )
      .pluck()
      .all(this.nowSec()) as number[];
  }

  /** Puts back jobs whose owner died, then returns the first due job. */
  private nextDue(filter?: (jobId: number) => boolean): DbJob | undefined {
    const now = this.nowSec();
    const orphans = this.sqlite
      .prepare("SELECT id, owner, heartbeat_at FROM import_jobs WHERE status = 'running'")
      .all() as { id: number; owner: string | null; heartbeat_at: number | null }[];
    for (const o of orphans) {
      if (ownerIsDead(o.owner, o.heartbeat_at, now)) {
        this.sqlite
          .prepare(
            "UPDATE import_jobs SET status = 'queued', owner = NULL WHERE id = ? AND status = 'running' AND owner IS ?",
          )
          .run(o.id, o.owner);
        this.log.info(`import job ${o.id} was interrupted (owner ${o.owner ?? 'unknown'} is gone); resuming it`);
      }
    }
    const rows = this.sqlite
      .prepare(
        `${SELECT} WHERE j.status IN ('queued','retrying') AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= ?)
         ORDER BY j.priority DESC, j.created_at, j.id`,
      )
      .all(now) as DbJob[];
    return filter ? rows.find((r) => filter(r.id)) : rows[0];
  }

  /** Schedules the loop (after the current tick, so callers get their reply first). */
  kick(): void {
    if (!this.started || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), 0);
  }

  private async loop(): Promise<void> {
    this.timer = null;
    if (this.running || !this.started) return;
    this.running = true;
    try {
      for (let job = this.nextDue(); job && this.started; job = this.nextDue()) await this.runJob(job);
    } catch (e) {
      this.log.error('import queue stopped unexpectedly', e);
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
    if (!this.started) return;
    const wake = this.sqlite
      .prepare("SELECT min(next_attempt_at) FROM import_jobs WHERE status = 'retrying'")
      .pluck()
      .get() as number | null;
    if (wake !== null) this.timer = setTimeout(() => void this.loop(), Math.max(0, wake * 1000 - this.clock.now()));
  }

  private async runJob(job: DbJob): Promise<void> {
    const now = this.nowSec();
    const claimed = this.sqlite
      .prepare(
        "UPDATE import_jobs SET status = 'running', owner = ?, heartbeat_at = ?, attempts = attempts + 1, started_at = coalesce(started_at, ?) WHERE id = ? AND status IN ('queued','retrying')",
      )
      .run(this.owner, now, now, job.id);
    if (claimed.changes !== 1) return; // another process took it first
    this.events.emit('imports.updated', { job: this.get(job.id) });
    const t0 = this.clock.now();
    let lastEmit = 0;
    const onProgress = (p: { bytesDone: number; rowsRead: number }): void => {
      const t = this.clock.now();
      if (t - lastEmit < 250 && p.bytesDone < job.bytes) return;
      lastEmit = t;
      const secs = Math.max((t - t0) / 1000, 1e-3);
      const fraction = job.bytes > 0 ? Math.min(1, p.bytesDone / job.bytes) : 1;
      const bytesRate = (p.bytesDone - job.bytes_done) / secs;
      this.events.emit('imports.progress', {
        jobId: job.id,
        percent: Math.round(fraction * 1000) / 10,
        rowsRead: p.rowsRead,
        rowsPerSecond: Math.round((p.rowsRead - job.rows_read) / secs),
        etaSeconds: bytesRate > 0 ? Math.round((job.bytes - p.bytesDone) / bytesRate) : null,
      });
    };
    this.settle(job, await this.runner.run(job.id, onProgress));
  }

  private settle(job: DbJob, outcome: Outcome): void {
    switch (outcome.kind) {
      case 'done':
        return this.finish(job.id, 'done', null, null);
      case 'lost':
        this.log.warn(outcome.message);
        return;
      case 'interrupted': {
        this.sqlite
          .prepare(
            "UPDATE import_jobs SET status = 'queued', owner = NULL, attempts = max(attempts - 1, 0) WHERE id = ? AND owner = ?",
          )
          .run(job.id, this.owner);
        const left = this.get(job.id);
        const done = left.bytes > 0 ? Math.floor((left.bytesDone / left.bytes) * 100) : 0;
        this.log.info(`import job ${job.id} paused at ${done}% to shut down; it resumes from there at the next start`);
        this.events.emit('imports.updated', { job: left });
        return;
      }
      case 'cancelled': {
        this.sqlite.transaction(() => {
          this.undo(this.row(job.id));
          this.sqlite
            .prepare("UPDATE import_jobs SET status = 'cancelled', finished_at = ?, owner = NULL WHERE id = ?")
            .run(this.nowSec(), job.id);
        })();
        this.events.emit('imports.updated', { job: this.get(job.id) });
        this.events.emit('meters.changed', { meterIds: [] });
        return;
      }
      case 'unreadable': {
        // never left half-applied: what the job wrote before the bad part is rolled back, and a
        // copy of a file that cannot be read is not kept
        const rolledBack = this.rollBack(job.id);
        this.files.discardCopy(job.file_id);
        return this.finish(
          job.id,
          'failed',
          rolledBack
            ? `${outcome.message}; the ${rolledBack} readings stored from the file before it were taken out again, so nothing from it was kept`
            : outcome.message,
          outcome.fileKind ?? 'not-meter-file',
        );
      }
      case 'no-thread':
      case 'transient': {
        const attempts = job.attempts + 1;
        if (attempts >= MAX_ATTEMPTS) {
          const rolledBack = this.rollBack(job.id);
          this.finish(
            job.id,
            'failed',
            `${outcome.message} (gave up after ${attempts} attempts${rolledBack ? `; the ${rolledBack} readings stored before were taken out again` : ''})`,
            'transient',
          );
          this.events.emit('app.error', { message: `Import of ${job.file_name} failed for good: ${outcome.message}` });
          return;
        }
        const at = this.nowSec() + backoffMinutes(attempts) * 60;
        this.sqlite
          .prepare(
            "UPDATE import_jobs SET status = 'retrying', next_attempt_at = ?, last_error = ?, failure_kind = 'transient', owner = NULL WHERE id = ?",
          )
          .run(at, outcome.message, job.id);
        this.log.warn(
          `import job ${job.id} failed (attempt ${attempts}), retrying in ${backoffMinutes(attempts)} min: ${outcome.message}`,
        );
        this.events.emit('imports.updated', { job: this.get(job.id) });
      }
    }
  }

  /** Undoes what a job that failed for good had stored; returns how many readings it had imported. */
  private rollBack(id: number): number {
    const r = this.row(id);
    if (
      r.dry_run === 1 ||
      (r.readings_imported === 0 && r.conflicts === 0 && JSON.parse(r.meters_created).length === 0)
    )
      return 0;
    const n = r.readings_imported;
    this.sqlite.transaction(() => this.undo(r))();
    this.events.emit('meters.changed', { meterIds: [] });
    return n;
  }

  private finish(id: number, status: ImportStatus, lastError: string | null, kind: ImportFailureKind | null): void {
    this.sqlite
      .prepare(
        'UPDATE import_jobs SET status = ?, last_error = ?, failure_kind = ?, finished_at = ?, next_attempt_at = NULL, owner = NULL WHERE id = ?',
      )
      .run(status, lastError, kind, this.nowSec(), id);
    const job = this.get(id);
    this.events.emit('imports.updated', { job });
    if (
      status === 'done' &&
      !job.dryRun &&
      (job.readingsImported > 0 || job.conflicts > 0 || job.metersCreated.length > 0)
    ) {
      this.events.emit('meters.changed', { meterIds: job.metersCreated });
    }
  }
}
