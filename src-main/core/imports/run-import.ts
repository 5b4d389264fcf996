/**
 * Runs one import job over a stored file. The parsing half (parse-chunks.ts) reads ~1 MB chunks
 * of whole records as bytes and turns them into meter-days (no string or object per reading on the
 * common path) — on a thread of its own for large files, so parsing and storing overlap. This half
 * hands each chunk's days to the readings store, which classifies every half-hour against what is
 * stored (new, duplicate, conflict) and writes whole days, in the same transaction as the job's
 * resume point, counts and row errors: a crash at any moment leaves a clean prefix, and the job
 * resumes after it.
 *
 * A file imported before (same SHA-256) whose result cannot have changed — same options, same
 * meter settings, nothing written since over the days it covered — is recognised at once and
 * reported as all duplicates without reading a row.
 */
import type Database from 'better-sqlite3';
import type { RowError } from '../../../src-shared/contract/types';
import { ReadingsStore, type Conflict } from '../readings/store';
import { CancelledError, InterruptedError, LostClaimError, UnreadableFileError } from './errors';
import {
  meterLookup,
  openReader,
  parseChunks,
  parseInWorker,
  ParseThreadUnavailable,
  type ChunkMeter,
  type ParsedChunk,
  type ParseJob,
} from './parse-chunks';
import { MAX_STORED_ERRORS, type Counts } from './sink';
import { isoUtc } from '../../../src-shared/domain/london-time';

export { CancelledError, InterruptedError, LostClaimError, UnreadableFileError };

/** Bumped when parsing changes what a file yields: results of older parsers are not reused. */
export const PARSER_VERSION = 2;

export interface JobRow {
  id: number;
  file_id: string;
  path: string;
  bytes: number;
  dry_run: number;
  bytes_done: number;
  line_done: number;
  rows_read: number;
  readings_imported: number;
  duplicates: number;
  conflicts: number;
  rows_rejected: number;
  errors: string;
  meters_created: string;
  preview: string | null;
  on_conflict: 'keep' | 'replace';
  format_override: string | null;
  meter_override: string | null;
  cancel_requested: number;
}

export interface Progress {
  bytesDone: number;
  rowsRead: number;
}

interface Preview {
  meters: string[];
  first: number | null;
  last: number | null;
  /** A dry run's sites named in the file (the first MAX_PREVIEW_SITES): meter, name, address, postcode. */
  sites?: [string, string, string | null, string | null][];
}

/** Most sites a dry run's preview lists. */
export const MAX_PREVIEW_SITES = 200;

const iso = isoUtc;

/** Files at least this big are parsed on a thread of their own while the importing thread stores. */
export const PIPELINE_MIN_BYTES = 4 << 20;

export interface ImportOptions {
  /**
   * The bundled worker script (dist/import-worker.cjs) that parses large files on a thread of their own; null parses
   * here.
   */
  parseWorker?: string | null;
  /** The database file (for the parsing thread's own read-only connection). */
  dbPath?: string;
  /** True once the host is shutting down: the job stops after the chunk just committed, resumable. */
  shouldStop?: () => boolean;
}

/**
 * Imports `job`'s file. `owner` is the claim this process holds on the job: every chunk commit
 * checks it, so a process presumed dead that wakes up again cannot write into a job taken over.
 */
export async function runImport(
  sqlite: Database.Database,
  job: JobRow,
  owner: string,
  onProgress: (p: Progress) => Promise<void> | void,
  opts: ImportOptions = {},
): Promise<void> {
  const parseJob: ParseJob = {
    jobId: job.id,
    path: job.path,
    bytes: job.bytes,
    bytesDone: job.bytes_done,
    lineDone: job.line_done,
    rowsRead: job.rows_read,
    formatOverride: job.format_override,
    meterOverride: job.meter_override,
  };
  const opened = await openReader(parseJob);
  const { reader } = opened;
  const store = new ReadingsStore(sqlite);
  const updateJob = sqlite.prepare(
    `UPDATE import_jobs SET bytes_done = ?, line_done = ?, rows_read = ?, readings_imported = ?, duplicates = ?, conflicts = ?,
       rows_rejected = ?, errors = ?, meters_created = ?, preview = ?, format = ?, heartbeat_at = unixepoch()
     WHERE id = ? AND owner = ?`,
  );

  const fresh = job.bytes_done === 0 && job.rows_read === 0;
  if (fresh && reuseEarlierImport(sqlite, store, job, owner, reader.format, updateJob)) {
    await onProgress({
      bytesDone: job.bytes,
      rowsRead: (sqlite.prepare('SELECT rows_read FROM import_jobs WHERE id = ?').pluck().get(job.id) as number) ?? 0,
    });
    return;
  }

  const dry = job.dry_run === 1;
  const errors: RowError[] = JSON.parse(job.errors);
  const created: string[] = JSON.parse(job.meters_created);
  const preview: Preview = job.preview ? JSON.parse(job.preview) : { meters: [], first: null, last: null };
  const seenPreview = new Set(preview.meters);
  const counts: Counts = {
    rowsRead: job.rows_read,
    imported: job.readings_imported,
    duplicates: job.duplicates,
    conflicts: job.conflicts,
    rejected: job.rows_rejected,
  };
  const insertMeter = sqlite.prepare('INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)');
  // the first sighting of a meter's site stays (an earlier job's, or one the user dismissed)
  const insertSite = sqlite.prepare(
    'INSERT OR IGNORE INTO file_sites (meter_id, name, address, postcode, job_id, seen_at) VALUES (?, ?, ?, ?, ?, unixepoch())',
  );
  const cancelled = sqlite.prepare('SELECT cancel_requested FROM import_jobs WHERE id = ?').pluck();
  /** The job's meters by the parser's index: database id (created when first stored) and identifier. */
  const meters: ChunkMeter[] = [];
  const meterIds: number[] = [];

  /** Stores one parsed chunk with the job's resume point and counts, in one transaction. */
  const commit = sqlite.transaction((chunk: ParsedChunk) => {
    const before = { ...counts, errors: errors.length, created: created.length, preview: JSON.stringify(preview) };
    const madeNow: ChunkMeter[] = [];
    try {
      counts.rowsRead += chunk.records;
      counts.rejected += chunk.rejected;
      for (const e of chunk.errors) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
      const freshMeters = new Set<number>();
      for (const m of chunk.meters) {
        meters[m.index] = m;
        if (!seenPreview.has(m.identifier)) {
          seenPreview.add(m.identifier);
          preview.meters.push(m.identifier);
        }
        if (m.dbId === -1 && !dry) {
          m.dbId = Number(insertMeter.run(m.identifier, m.kind, m.fuel, m.topLine).lastInsertRowid);
          created.push(m.identifier);
          freshMeters.add(m.index);
          madeNow.push(m);
        }
        meterIds[m.index] = m.dbId;
      }
      for (const site of chunk.sites) {
        if (!dry) insertSite.run(meterIds[site.index], site.name, site.address, site.postcode, job.id);
        else if ((preview.sites ??= []).length < MAX_PREVIEW_SITES)
          preview.sites.push([meters[site.index]!.identifier, site.name, site.address, site.postcode]);
      }
      const batch = chunk.batch;
      if (batch.count > 0) {
        if (preview.first === null || batch.first < preview.first) preview.first = batch.first;
        if (preview.last === null || batch.last > preview.last) preview.last = batch.last;
        const res = store.merge(batch, meterIds, (m) => freshMeters.has(m) || meterIds[m]! <= 0, {
          jobId: job.id,
          replace: job.on_conflict === 'replace',
          dryRun: dry,
          seq: dry ? 0 : store.nextSeq(),
        });
        counts.imported += res.imported;
        counts.duplicates += res.duplicates;
        counts.conflicts += res.conflicts.length;
        // conflicts after the chunk's rejections, in file order
        res.conflicts.sort((a, b) => a.line - b.line || a.col - b.col);
        for (const c of res.conflicts) {
          if (errors.length >= MAX_STORED_ERRORS) break;
          errors.push(
            conflictError(
              c,
              meters[batch.meter[c.index]!]!.identifier,
              batch.start[c.index]! + c.slot * 1800,
              job.on_conflict === 'replace',
            ),
          );
        }
      }
      const r = updateJob.run(
        chunk.endOffset,
        chunk.endLine,
        counts.rowsRead,
        counts.imported,
        counts.duplicates,
        counts.conflicts,
        counts.rejected,
        JSON.stringify(errors),
        JSON.stringify(created),
        JSON.stringify(preview),
        chunk.format,
        job.id,
        owner,
      );
      if (r.changes !== 1) throw new LostClaimError(`import job ${job.id} was taken over by another process`);
    } catch (e) {
      // the transaction rolls back: so do the in-memory counts, the preview and the meters it created
      Object.assign(counts, {
        rowsRead: before.rowsRead,
        imported: before.imported,
        duplicates: before.duplicates,
        conflicts: before.conflicts,
        rejected: before.rejected,
      });
      errors.length = before.errors;
      created.length = before.created;
      delete preview.sites;
      Object.assign(preview, JSON.parse(before.preview));
      seenPreview.clear();
      for (const m of preview.meters) seenPreview.add(m);
      for (const m of madeNow) {
        m.dbId = -1;
        meterIds[m.index] = -1;
      }
      throw e;
    }
  });

  // large text files: parsed on a thread of their own while this one stores (both cores)
  let pipelined =
    !!opts.parseWorker &&
    !!opts.dbPath &&
    reader.kind === 'records' &&
    job.bytes - job.bytes_done >= PIPELINE_MIN_BYTES;
  const inline = (): AsyncGenerator<ParsedChunk> => parseChunks(parseJob, opened, meterLookup(sqlite, job.id), false);
  let source = pipelined ? parseInWorker(opts.parseWorker!, { dbPath: opts.dbPath!, job: parseJob }) : inline();
  try {
    for (;;) {
      let next: IteratorResult<ParsedChunk>;
      try {
        next = await source.next();
      } catch (e) {
        if (!(e instanceof ParseThreadUnavailable)) throw e;
        // the thread could not start (nothing parsed yet): parse here instead
        pipelined = false;
        source = inline();
        continue;
      }
      if (next.done) break;
      commit(next.value);
      await onProgress({ bytesDone: next.value.endOffset, rowsRead: counts.rowsRead });
      if (cancelled.get(job.id) === 1) throw new CancelledError('cancelled');
      if (opts.shouldStop?.()) throw new InterruptedError(`import job ${job.id} stopped for shutdown`);
      if (!pipelined) await new Promise((r) => setImmediate(r)); // let the host answer the window between chunks
    }
  } finally {
    await source.return(undefined);
  }
  // a file that yields no rows at all (none read, none rejected) is not "done": say so, and why it may be
  if (counts.rowsRead === 0 && counts.rejected === 0) {
    throw new UnreadableFileError(
      reader.kind === 'document'
        ? 'The export holds no readings'
        : `The file has a header (line ${reader.headerLine}) but no rows after it (is each reading or day on a line of its own? lines must end with a line feed, CR LF or CR)`,
      'empty',
    );
  }
  if (!dry) {
    sqlite
      .prepare('UPDATE import_jobs SET last_seq = ?, reuse_key = ? WHERE id = ? AND owner = ?')
      .run(store.currentSeq(), reuseKey(sqlite, job, preview.meters), job.id, owner);
  }
}

function conflictError(c: Conflict, identifier: string, ts: number, replace: boolean): RowError {
  const value = c.value === c.value ? c.value : null;
  const outcome = !c.kept
    ? "replaced it with the file's value"
    : replace
      ? 'kept the stored value (the file gives no value to replace it with)'
      : 'kept the stored value';
  return {
    line: c.line,
    column: c.col,
    value: value === null ? 'missing' : String(value),
    message: `Conflict: ${identifier} at ${iso(ts)} is already stored as ${c.stored ?? 'missing'} kWh; ${outcome}`,
  };
}

/** What a job's result depends on besides the file's bytes. */
function reuseKey(sqlite: Database.Database, job: JobRow, meters: string[]): string {
  const setting = sqlite
    .prepare('SELECT fuel, max_kwh_per_half_hour, calorific_value FROM meters WHERE identifier = ?')
    .raw();
  return JSON.stringify([
    PARSER_VERSION,
    job.format_override,
    job.meter_override,
    meters.map((m) => [m, setting.get(m) ?? null]),
  ]);
}

/**
 * A finished import of the same bytes whose result still holds: same options and meter settings,
 * nothing written since over the days it covered, and (when it met conflicts) both jobs keeping
 * stored values. Its counts are this job's, with every reading a duplicate.
 */
function reuseEarlierImport(
  sqlite: Database.Database,
  store: ReadingsStore,
  job: JobRow,
  owner: string,
  format: string,
  updateJob: Database.Statement,
): boolean {
  const prev = sqlite
    .prepare(
      `SELECT j.id, j.rows_read, j.readings_imported, j.duplicates, j.conflicts, j.rows_rejected, j.errors, j.preview, j.on_conflict, j.last_seq, j.reuse_key
       FROM import_jobs j JOIN stored_files f ON f.id = j.file_id
       WHERE f.sha256 = (SELECT sha256 FROM stored_files WHERE id = ?) AND j.id != ? AND j.status = 'done' AND j.dry_run = 0 AND j.last_seq IS NOT NULL
       ORDER BY j.id DESC LIMIT 1`,
    )
    .get(job.file_id, job.id) as
    | {
        id: number;
        rows_read: number;
        readings_imported: number;
        duplicates: number;
        conflicts: number;
        rows_rejected: number;
        errors: string;
        preview: string | null;
        on_conflict: string;
        last_seq: number;
        reuse_key: string;
      }
    | undefined;
  if (!prev) return false;
  if (prev.conflicts > 0 && !(prev.on_conflict === 'keep' && job.on_conflict === 'keep')) return false;
  const preview: Preview = prev.preview ? JSON.parse(prev.preview) : { meters: [], first: null, last: null };
  if (reuseKey(sqlite, job, preview.meters) !== prev.reuse_key) return false;
  if (!store.unchangedSince(prev.id, prev.last_seq)) return false;
  sqlite.transaction(() => {
    const r = updateJob.run(
      job.bytes,
      0,
      prev.rows_read,
      0,
      prev.readings_imported + prev.duplicates,
      prev.conflicts,
      prev.rows_rejected,
      prev.errors,
      '[]',
      JSON.stringify(preview),
      format,
      job.id,
      owner,
    );
    if (r.changes !== 1) throw new LostClaimError(`import job ${job.id} was taken over by another process`);
    if (job.dry_run !== 1) {
      store.copyJobSpans(prev.id, job.id);
      sqlite
        .prepare('UPDATE import_jobs SET last_seq = ?, reuse_key = ? WHERE id = ?')
        .run(store.currentSeq(), prev.reuse_key, job.id);
    }
  })();
  return true;
}
