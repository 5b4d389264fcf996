/**
 * The persisted import queue: jobs live in SQLite, run one at a time (one writer), highest
 * priority then oldest first; I/O failures retry after 1, 2, 4 and 8 minutes, then fail for good.
 * A job found "running" at start-up was interrupted and resumes from its last committed chunk.
 */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import type { ImportJob, ImportStatus, Priority } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import { runImport, UnreadableFileError, type JobRow } from './run-import';
import type { FileStore } from './files';

export const MAX_ATTEMPTS = 5;
const PRIORITY: Record<Priority, number> = { low: 0, normal: 1, high: 2 };
const PRIORITY_NAME = ['low', 'normal', 'high'] as const;

export interface EnqueueOptions {
  dryRun?: boolean;
  priority?: Priority;
  onConflict?: 'keep' | 'replace';
  format?: string;
  meter?: string;
  notes?: string;
  tags?: string[];
}

/** Minutes to wait after the n-th failed attempt (1-based): 1, 2, 4, 8. */
export const backoffMinutes = (attempt: number): number => 2 ** (attempt - 1);

interface DbJob extends JobRow {
  batch_id: string;
  file_name: string;
  format: string | null;
  status: ImportStatus;
  priority: number;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

const iso = (s: number | null): string | null => (s === null ? null : new Date(s * 1000).toISOString().replace('.000Z', 'Z'));

function toJob(r: DbJob): ImportJob {
  const preview = r.preview ? (JSON.parse(r.preview) as { meters: string[]; first: number | null; last: number | null }) : null;
  return {
    id: r.id,
    batchId: r.batch_id,
    file: r.file_name,
    format: r.format,
    status: r.status,
    priority: PRIORITY_NAME[r.priority] ?? 'normal',
    dryRun: r.dry_run === 1,
    attempts: r.attempts,
    bytes: r.bytes,
    bytesDone: r.bytes_done,
    rowsRead: r.rows_read,
    readingsImported: r.readings_imported,
    duplicates: r.duplicates,
    conflicts: r.conflicts,
    rowsRejected: r.rows_rejected,
    metersCreated: JSON.parse(r.meters_created) as string[],
    errors: JSON.parse(r.errors) as ImportJob['errors'],
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    preview: r.dry_run === 1 && preview ? { meters: preview.meters, firstReading: iso(preview.first), lastReading: iso(preview.last) } : null,
  };
}

const SELECT = `SELECT j.*, f.path, f.bytes FROM import_jobs j JOIN stored_files f ON f.id = j.file_id`;

export class ImportQueue {
  private running = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly sqlite: Database.Database,
    private readonly files: FileStore,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  private nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  enqueue(fileIds: string[], opts: EnqueueOptions = {}): { batchId: string; jobIds: number[] } {
    const batchId = crypto.randomUUID();
    const insert = this.sqlite.prepare(
      `INSERT INTO import_jobs (batch_id, file_id, file_name, priority, dry_run, created_at, on_conflict, format_override, meter_override, notes, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const jobIds = this.sqlite.transaction(() =>
      fileIds.map((fid) => {
        const f = this.files.get(fid);
        if (!f) throw new AppError('NOT_FOUND', `no stored file with id ${fid}; upload the file first`);
        return Number(
          insert.run(
            batchId, fid, f.original_name, PRIORITY[opts.priority ?? 'normal'], opts.dryRun ? 1 : 0, this.nowSec(),
            opts.onConflict ?? 'keep', opts.format && opts.format !== 'auto' ? opts.format : null, opts.meter ?? null, opts.notes ?? null, JSON.stringify(opts.tags ?? []),
          ).lastInsertRowid,
        );
      }),
    )();
    for (const id of jobIds) this.events.emit('imports.updated', { job: this.get(id) });
    this.kick();
    return { batchId, jobIds };
  }

  get(id: number): ImportJob {
    const r = this.sqlite.prepare(`${SELECT} WHERE j.id = ?`).get(id) as DbJob | undefined;
    if (!r) throw new AppError('NOT_FOUND', `no import job ${id}`);
    return toJob(r);
  }

  list(opts: { status?: ImportStatus; limit?: number } = {}): ImportJob[] {
    const rows = (
      opts.status
        ? this.sqlite.prepare(`${SELECT} WHERE j.status = ? ORDER BY j.id DESC LIMIT ?`).all(opts.status, opts.limit ?? 200)
        : this.sqlite.prepare(`${SELECT} ORDER BY j.id DESC LIMIT ?`).all(opts.limit ?? 200)
    ) as DbJob[];
    return rows.map(toJob);
  }

  /** Starts processing: interrupted jobs are put back in the queue and resume where they stopped. */
  start(): void {
    this.started = true;
    this.sqlite.prepare("UPDATE import_jobs SET status = 'queued' WHERE status = 'running'").run();
    this.kick();
  }

  stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.whenIdle();
  }

  /** Resolves when no job is running. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Runs due jobs in the foreground until none is due (the CLI's worker and `import`). */
  async drain(filter?: (jobId: number) => boolean): Promise<void> {
    this.sqlite.prepare("UPDATE import_jobs SET status = 'queued' WHERE status = 'running'").run();
    for (;;) {
      const next = this.nextDue(filter);
      if (!next) return;
      await this.runJob(next);
    }
  }

  private nextDue(filter?: (jobId: number) => boolean): DbJob | undefined {
    const rows = this.sqlite
      .prepare(
        `${SELECT} WHERE j.status IN ('queued','retrying') AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= ?)
         ORDER BY j.priority DESC, j.created_at, j.id`,
      )
      .all(this.nowSec()) as DbJob[];
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
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
    if (!this.started) return;
    const wake = this.sqlite.prepare("SELECT min(next_attempt_at) FROM import_jobs WHERE status = 'retrying'").pluck().get() as number | null;
    if (wake !== null) this.timer = setTimeout(() => void this.loop(), Math.max(0, wake * 1000 - this.clock.now()));
  }

  private async runJob(job: DbJob): Promise<void> {
    const now = this.nowSec();
    this.sqlite.prepare("UPDATE import_jobs SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, ?) WHERE id = ?").run(now, job.id);
    this.events.emit('imports.updated', { job: this.get(job.id) });
    const t0 = this.clock.now();
    let lastEmit = 0;
    const rows0 = job.rows_read;
    try {
      await runImport(this.sqlite, job, (p) => {
        const t = this.clock.now();
        if (t - lastEmit < 250 && p.bytesDone < job.bytes) return;
        lastEmit = t;
        const secs = Math.max((t - t0) / 1000, 1e-3);
        const rate = (p.rowsRead - rows0) / secs;
        const fraction = job.bytes > 0 ? Math.min(1, p.bytesDone / job.bytes) : 1;
        const bytesRate = (p.bytesDone - job.bytes_done) / secs;
        this.events.emit('imports.progress', {
          jobId: job.id,
          percent: Math.round(fraction * 1000) / 10,
          rowsRead: p.rowsRead,
          rowsPerSecond: Math.round(rate),
          etaSeconds: bytesRate > 0 ? Math.round((job.bytes - p.bytesDone) / bytesRate) : null,
        });
      });
      this.finish(job.id, 'done', null);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (e instanceof UnreadableFileError) {
        this.finish(job.id, 'failed', msg);
      } else {
        const attempts = job.attempts + 1;
        if (attempts >= MAX_ATTEMPTS) {
          this.finish(job.id, 'failed', `${msg} (gave up after ${attempts} attempts)`);
          this.events.emit('app.error', { message: `Import of ${job.file_name} failed for good: ${msg}` });
        } else {
          const at = this.nowSec() + backoffMinutes(attempts) * 60;
          this.sqlite.prepare("UPDATE import_jobs SET status = 'retrying', next_attempt_at = ?, last_error = ? WHERE id = ?").run(at, msg, job.id);
          this.log.warn(`import job ${job.id} failed (attempt ${attempts}), retrying in ${backoffMinutes(attempts)} min: ${msg}`);
          this.events.emit('imports.updated', { job: this.get(job.id) });
        }
      }
    }
  }

  private finish(id: number, status: ImportStatus, lastError: string | null): void {
    this.sqlite.prepare('UPDATE import_jobs SET status = ?, last_error = ?, finished_at = ?, next_attempt_at = NULL WHERE id = ?').run(status, lastError, this.nowSec(), id);
    const job = this.get(id);
    this.events.emit('imports.updated', { job });
    if (status === 'done' && !job.dryRun && (job.readingsImported > 0 || job.metersCreated.length > 0)) {
      this.events.emit('meters.changed', { meterIds: job.metersCreated });
    }
  }
}
