/**
 * Runs one import job over a stored file. Reads ~1 MB chunks of whole records as bytes, lets the
 * detected format turn them into meter-days (no string or object per reading on the common path),
 * and hands each chunk's days to the readings store, which classifies every half-hour against
 * what is stored (new, duplicate, conflict) and writes whole days — in the same transaction as the
 * job's resume point, counts and row errors: a crash at any moment leaves a clean prefix, and the
 * job resumes after it.
 *
 * A file imported before (same SHA-256) whose result cannot have changed — same options, same
 * meter settings, nothing written since over the days it covered — is recognised at once and
 * reported as all duplicates without reading a row.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import type { RowError } from '../../../src-shared/contract/types';
import { ReadingsStore, type Conflict } from '../readings/store';
import { CsvRecord, detectEncoding, readChunks, scanRecords, type TextEncodingName } from './csv';
import { CancelledError, LostClaimError, UnreadableFileError } from './errors';
import { detectReader } from './formats/detect';
import type { DocumentReader, RecordReader } from './formats/types';
import { DaySink, MAX_STORED_ERRORS, type Counts, type MeterLookup } from './sink';

export { CancelledError, LostClaimError, UnreadableFileError };

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
}

const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * Imports `job`'s file. `owner` is the claim this process holds on the job: every chunk commit
 * checks it, so a process presumed dead that wakes up again cannot write into a job taken over.
 */
export async function runImport(sqlite: Database.Database, job: JobRow, owner: string, onProgress: (p: Progress) => Promise<void> | void): Promise<void> {
  const head = readHead(job.path);
  let enc: { encoding: TextEncodingName; bomBytes: number };
  try {
    enc = detectEncoding(head);
  } catch (e) {
    throw new UnreadableFileError((e as Error).message);
  }
  if (enc.encoding === 'utf8' && head.includes(0)) {
    throw new UnreadableFileError('the file contains binary data (NUL bytes); expected a CSV or JSON text file');
  }
  const headText = head.toString(enc.encoding, enc.bomBytes);
  const reader = await detectReader(job.path, headText, enc, { meter: job.meter_override ?? undefined, format: job.format_override ?? undefined });
  const store = new ReadingsStore(sqlite);
  const updateJob = sqlite.prepare(
    `UPDATE import_jobs SET bytes_done = ?, line_done = ?, rows_read = ?, readings_imported = ?, duplicates = ?, conflicts = ?,
       rows_rejected = ?, errors = ?, meters_created = ?, preview = ?, format = ?, heartbeat_at = unixepoch()
     WHERE id = ? AND owner = ?`,
  );

  const fresh = job.bytes_done === 0 && job.rows_read === 0;
  if (fresh && reuseEarlierImport(sqlite, store, job, owner, reader.format, updateJob)) {
    await onProgress({ bytesDone: job.bytes, rowsRead: (sqlite.prepare('SELECT rows_read FROM import_jobs WHERE id = ?').pluck().get(job.id) as number) ?? 0 });
    return;
  }

  const dry = job.dry_run === 1;
  const errors: RowError[] = JSON.parse(job.errors);
  const created: string[] = JSON.parse(job.meters_created);
  const preview: Preview = job.preview ? JSON.parse(job.preview) : { meters: [], first: null, last: null };
  const seenPreview = new Set(preview.meters);
  const counts: Counts = { rowsRead: job.rows_read, imported: job.readings_imported, duplicates: job.duplicates, conflicts: job.conflicts, rejected: job.rows_rejected };

  const findMeter = sqlite.prepare('SELECT id, fuel, max_kwh_per_half_hour AS ceiling, calorific_value AS cv FROM meters WHERE identifier = ?');
  const lookup: MeterLookup = {
    find: (identifier) => findMeter.get(identifier) as ReturnType<MeterLookup['find']>,
    ownReading: (id, ts) => store.wroteHalfHour(id, ts, job.id),
  };
  const sink = new DaySink(lookup, errors, reader.format.includes('gas') ? 'gas' : null);
  sink.rejected = counts.rejected;
  const insertMeter = sqlite.prepare('INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)');
  const cancelled = sqlite.prepare('SELECT cancel_requested FROM import_jobs WHERE id = ?').pluck();
  const meterIds: number[] = [];

  /** Stores the sink's chunk: meters first, then its days through the readings store. */
  const store_ = (): void => {
    const batch = sink.batch;
    const freshMeters = new Set<number>();
    for (const m of sink.meters) {
      if (!seenPreview.has(m.identifier)) {
        seenPreview.add(m.identifier);
        preview.meters.push(m.identifier);
      }
      if (m.dbId === -1 && !dry) {
        m.dbId = Number(insertMeter.run(m.identifier, m.kind, m.fuel, m.topLine).lastInsertRowid);
        created.push(m.identifier);
        freshMeters.add(m.index);
      }
      meterIds[m.index] = m.dbId;
    }
    if (batch.count === 0) return;
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
    if (res.conflicts.length) {
      // in file order, as the rows came
      res.conflicts.sort((a, b) => a.line - b.line || a.col - b.col);
      for (const c of res.conflicts) {
        if (errors.length >= MAX_STORED_ERRORS) break;
        errors.push(conflictError(c, sink.meters[batch.meter[c.index]!]!.identifier, batch.start[c.index]! + c.slot * 1800, job.on_conflict === 'replace'));
      }
    }
  };

  const commitChunk = sqlite.transaction((parse: () => { endOffset: number; endLine: number }, format: string) => {
    const before = { ...counts, rejected: sink.rejected, errors: errors.length, created: created.length, preview: JSON.stringify(preview) };
    try {
      const { endOffset, endLine } = parse();
      store_();
      counts.rejected = sink.rejected;
      const r = updateJob.run(endOffset, endLine, counts.rowsRead, counts.imported, counts.duplicates, counts.conflicts, counts.rejected, JSON.stringify(errors), JSON.stringify(created), JSON.stringify(preview), format, job.id, owner);
      if (r.changes !== 1) throw new LostClaimError(`import job ${job.id} was taken over by another process`);
    } catch (e) {
      // the transaction rolls back: so do the in-memory counts, the preview and the meters it created
      Object.assign(counts, { rowsRead: before.rowsRead, imported: before.imported, duplicates: before.duplicates, conflicts: before.conflicts });
      sink.rejected = before.rejected;
      errors.length = before.errors;
      Object.assign(preview, JSON.parse(before.preview));
      seenPreview.clear();
      for (const m of preview.meters) seenPreview.add(m);
      for (const id of created.splice(before.created)) {
        const m = sink.meters.find((mm) => mm.identifier === id);
        if (m) m.dbId = -1;
      }
      throw e;
    } finally {
      sink.resetChunk();
    }
  });

  const checkCancel = (): void => {
    if (cancelled.get(job.id) === 1) throw new CancelledError('cancelled');
  };

  if (reader.kind === 'document') await runDocument(reader, sink, commitChunk, counts, job, onProgress, checkCancel);
  else await runRecords(reader, sink, commitChunk, counts, job, enc, onProgress, checkCancel);
  if (!dry) {
    sqlite.prepare('UPDATE import_jobs SET last_seq = ?, reuse_key = ? WHERE id = ? AND owner = ?').run(store.currentSeq(), reuseKey(sqlite, job, preview.meters), job.id, owner);
  }
}

type Commit = (parse: () => { endOffset: number; endLine: number }, format: string) => void;

async function runRecords(
  reader: RecordReader,
  sink: DaySink,
  commit: Commit,
  counts: Counts,
  job: JobRow,
  enc: { encoding: TextEncodingName; bomBytes: number },
  onProgress: (p: Progress) => Promise<void> | void,
  checkCancel: () => void,
): Promise<void> {
  const headerEnd = await offsetAfterLine(job.path, enc.bomBytes, reader.headerLine, enc.encoding);
  const resuming = job.bytes_done > headerEnd;
  let line = resuming ? job.line_done : reader.headerLine;
  const rec = new CsvRecord();
  const delimiter = reader.delimiter.charCodeAt(0);
  const onRecord = (r: CsvRecord): void => {
    if (r.problem) sink.reject(r.line, r.problem.column, undefined, r.problem.message);
    else reader.parse(r, sink);
  };
  const fast = reader.fastPath?.(sink) ?? null;
  const fh = await fs.promises.open(job.path, 'r');
  try {
    const chunks = readChunks(fh, resuming ? job.bytes_done : headerEnd, enc.encoding);
    for (let next = await chunks.next(); !next.done; ) {
      const chunk = next.value;
      let consumed = 0;
      let lines = 0;
      commit(() => {
        const r = scanRecords(chunk.buf, 0, chunk.len, chunk.eof, delimiter, line + 1, rec, onRecord, fast);
        counts.rowsRead += r.records;
        consumed = r.consumed;
        lines = r.lines;
        return { endOffset: chunk.base + chunk.fileBytes(r.consumed), endLine: line + r.lines };
      }, reader.format);
      line += lines;
      await onProgress({ bytesDone: chunk.base + chunk.fileBytes(consumed), rowsRead: counts.rowsRead });
      checkCancel();
      await new Promise((r) => setImmediate(r)); // let the host answer the window between chunks
      next = await chunks.next(consumed);
    }
  } finally {
    await fh.close();
  }
}

async function runDocument(reader: DocumentReader, sink: DaySink, commit: Commit, counts: Counts, job: JobRow, onProgress: (p: Progress) => Promise<void> | void, checkCancel: () => void): Promise<void> {
  // A JSON document is parsed whole (API pages are small) and committed in one transaction; its
  // resume point is all-or-nothing, so a crash restarts it cleanly.
  if (job.bytes_done >= job.bytes && job.rows_read > 0) return;
  commit(() => {
    const before = sink.batch.received + sink.batch.repeats.n;
    reader.parse(sink);
    counts.rowsRead += sink.batch.received + sink.batch.repeats.n - before;
    return { endOffset: job.bytes, endLine: 0 };
  }, reader.format);
  await onProgress({ bytesDone: job.bytes, rowsRead: counts.rowsRead });
  checkCancel();
}

function conflictError(c: Conflict, identifier: string, ts: number, replaced: boolean): RowError {
  const value = c.value === c.value ? c.value : null;
  return {
    line: c.line,
    column: c.col,
    value: value === null ? 'missing' : String(value),
    message: `conflict: ${identifier} at ${iso(ts)} is already stored as ${c.stored ?? 'missing'} kWh; ${replaced ? "replaced it with the file's value" : 'kept the stored value'}`,
  };
}

/** What a job's result depends on besides the file's bytes. */
function reuseKey(sqlite: Database.Database, job: JobRow, meters: string[]): string {
  const setting = sqlite.prepare('SELECT fuel, max_kwh_per_half_hour, calorific_value FROM meters WHERE identifier = ?').raw();
  return JSON.stringify([PARSER_VERSION, job.format_override, job.meter_override, meters.map((m) => [m, setting.get(m) ?? null])]);
}

/**
 * A finished import of the same bytes whose result still holds: same options and meter settings,
 * nothing written since over the days it covered, and (when it met conflicts) both jobs keeping
 * stored values. Its counts are this job's, with every reading a duplicate.
 */
function reuseEarlierImport(sqlite: Database.Database, store: ReadingsStore, job: JobRow, owner: string, format: string, updateJob: Database.Statement): boolean {
  const prev = sqlite
    .prepare(
      `SELECT j.id, j.rows_read, j.readings_imported, j.duplicates, j.conflicts, j.rows_rejected, j.errors, j.preview, j.on_conflict, j.last_seq, j.reuse_key
       FROM import_jobs j JOIN stored_files f ON f.id = j.file_id
       WHERE f.sha256 = (SELECT sha256 FROM stored_files WHERE id = ?) AND j.id != ? AND j.status = 'done' AND j.dry_run = 0 AND j.last_seq IS NOT NULL
       ORDER BY j.id DESC LIMIT 1`,
    )
    .get(job.file_id, job.id) as
    | { id: number; rows_read: number; readings_imported: number; duplicates: number; conflicts: number; rows_rejected: number; errors: string; preview: string | null; on_conflict: string; last_seq: number; reuse_key: string }
    | undefined;
  if (!prev) return false;
  if (prev.conflicts > 0 && !(prev.on_conflict === 'keep' && job.on_conflict === 'keep')) return false;
  const preview: Preview = prev.preview ? JSON.parse(prev.preview) : { meters: [], first: null, last: null };
  if (reuseKey(sqlite, job, preview.meters) !== prev.reuse_key) return false;
  if (!store.unchangedSince(prev.id, prev.last_seq)) return false;
  sqlite.transaction(() => {
    const r = updateJob.run(
      job.bytes, 0, prev.rows_read, 0, prev.readings_imported + prev.duplicates, prev.conflicts, prev.rows_rejected, prev.errors, '[]', JSON.stringify(preview), format, job.id, owner,
    );
    if (r.changes !== 1) throw new LostClaimError(`import job ${job.id} was taken over by another process`);
    if (job.dry_run !== 1) {
      store.copyJobSpans(prev.id, job.id);
      sqlite.prepare('UPDATE import_jobs SET last_seq = ?, reuse_key = ? WHERE id = ?').run(store.currentSeq(), prev.reuse_key, job.id);
    }
  })();
  return true;
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Byte offset just after line `n` (1-based), counting line feeds from `start`. */
async function offsetAfterLine(file: string, start: number, n: number, encoding: TextEncodingName): Promise<number> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    let pos = start;
    let seen = 0;
    const step = encoding === 'utf16le' ? 2 : 1;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return pos;
      for (let i = 0; i < bytesRead; i += step) {
        if (buf[i] === 0x0a && (step === 1 || buf[i + 1] === 0)) {
          if (++seen === n) return pos + i + step;
        }
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
