/**
 * Runs one import job over a stored file. Reads whole-line chunks, lets the detected format turn
 * them into readings, classifies each reading against what is stored (new, duplicate, conflict),
 * and commits the chunk's readings together with the job's resume point and counts in one
 * transaction: a crash at any moment leaves a clean prefix, and the job resumes after it.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import type { RowError } from '../../../src-shared/contract/types';
import { dayStartUtc, localDayOf } from '../../../src-shared/domain/periods';
import { detectEncoding, hasOpenQuote, readLineChunks, type TextEncodingName } from './csv';
import { CancelledError, LostClaimError, UnreadableFileError } from './errors';
import { detectReader } from './formats/detect';
import type { DocumentReader, LineReader } from './formats/types';
import { ChunkSink, type Counts, type MeterLookup } from './sink';

export { CancelledError, LostClaimError, UnreadableFileError };

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

const BULK = 100; // rows per multi-row INSERT: fewer JS↔SQLite crossings
const COLS = 7;

interface Preview {
  meters: string[];
  first: number | null;
  last: number | null;
}

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

  const dry = job.dry_run === 1;
  const errors: RowError[] = JSON.parse(job.errors);
  const created: string[] = JSON.parse(job.meters_created);
  const preview: Preview = job.preview ? JSON.parse(job.preview) : { meters: [], first: null, last: null };
  const seenPreview = new Set(preview.meters);
  const counts: Counts = { rowsRead: job.rows_read, imported: job.readings_imported, duplicates: job.duplicates, conflicts: job.conflicts, rejected: job.rows_rejected };

  const findMeter = sqlite.prepare('SELECT id, fuel, max_kwh_per_half_hour AS ceiling, calorific_value AS cv FROM meters WHERE identifier = ?');
  const own = sqlite.prepare('SELECT 1 FROM readings WHERE meter_id = ? AND day = ? AND ts = ? AND batch_id = ?').pluck();
  const lookup: MeterLookup = {
    find: (identifier) => findMeter.get(identifier) as ReturnType<MeterLookup['find']>,
    ownReading: (id, ts) => own.get(id, localDayOf(ts), ts, job.id) === 1,
  };
  const sink = new ChunkSink(lookup, errors, reader.format.includes('gas') ? 'gas' : null);
  sink.rejected = counts.rejected;

  const insertMeter = sqlite.prepare('INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)');
  const existing = sqlite.prepare('SELECT ts, kwh FROM readings WHERE meter_id = ? AND day >= ? AND day <= ? AND ts >= ? AND ts <= ?').raw();
  const insertOne = sqlite.prepare('INSERT INTO readings (meter_id, day, ts, kwh, quality, batch_id, volume_m3) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (meter_id, day, ts) DO NOTHING');
  const insertBulk = sqlite.prepare(
    `INSERT INTO readings (meter_id, day, ts, kwh, quality, batch_id, volume_m3) VALUES ${Array(BULK).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (meter_id, day, ts) DO NOTHING`,
  );
  const replace = sqlite.prepare('UPDATE readings SET kwh = ?, quality = ?, batch_id = ?, volume_m3 = ? WHERE meter_id = ? AND day = ? AND ts = ?');
  const updateJob = sqlite.prepare(
    `UPDATE import_jobs SET bytes_done = ?, line_done = ?, rows_read = ?, readings_imported = ?, duplicates = ?, conflicts = ?,
       rows_rejected = ?, errors = ?, meters_created = ?, preview = ?, format = ?, heartbeat_at = unixepoch()
     WHERE id = ? AND owner = ?`,
  );
  const cancelled = sqlite.prepare('SELECT cancel_requested FROM import_jobs WHERE id = ?').pluck();
  const markDirty = sqlite.prepare('INSERT INTO aggregation_dirty (meter_id, from_ts, to_ts) VALUES (?, ?, ?)');

  const params: (number | null)[] = new Array(BULK * COLS);
  // the UK local day of a reading: worked out once per day window, not per row
  let winStart = 0;
  let winEnd = -1;
  let winDay = 0;
  const dayOf = (t: number): number => {
    if (t < winStart || t >= winEnd) {
      winDay = localDayOf(t);
      winStart = dayStartUtc(winDay);
      winEnd = dayStartUtc(winDay + 1);
    }
    return winDay;
  };

  /** Classifies the sink's current chunk against what is stored, and stores what is new. */
  const store = (): void => {
    const n = sink.n;
    if (n === 0) return;
    const before = { imported: counts.imported, conflicts: counts.conflicts };
    const { m: ms, ts: tss, kwh: kwhs, q: qs, vol: vols } = sink;
    // meters first seen in this chunk
    for (const m of sink.meters) {
      if (!seenPreview.has(m.identifier)) {
        seenPreview.add(m.identifier);
        preview.meters.push(m.identifier);
      }
      if (m.dbId === -1 && !dry) {
        m.dbId = Number(insertMeter.run(m.identifier, m.kind, m.fuel, m.topLine).lastInsertRowid);
        created.push(m.identifier);
      }
    }
    // each meter's span in this chunk, and whether its rows come in strictly rising time order
    const k = sink.meters.length;
    const lo = new Float64Array(k).fill(Infinity);
    const hi = new Float64Array(k).fill(-Infinity);
    const rising = new Uint8Array(k).fill(1);
    for (let i = 0; i < n; i++) {
      const m = ms[i]!;
      const t = tss[i]!;
      if (t <= hi[m]!) rising[m] = 0;
      else hi[m] = t;
      if (t < lo[m]!) lo[m] = t;
    }
    // what is already stored in those spans: one range read along the primary key per meter
    const stored: (Map<number, number | null> | null)[] = new Array(k).fill(null);
    for (let m = 0; m < k; m++) {
      if (lo[m] === Infinity) continue;
      if (preview.first === null || lo[m]! < preview.first) preview.first = lo[m]!;
      if (preview.last === null || hi[m]! > preview.last) preview.last = hi[m]!;
      const info = sink.meters[m]!;
      const rows = info.dbId > 0 ? (existing.all(info.dbId, localDayOf(lo[m]!), localDayOf(hi[m]!), lo[m], hi[m]) as [number, number | null][]) : [];
      // No stored rows and rising times: every row is new, no lookups needed (the first import).
      if (rows.length === 0 && rising[m] === 1) continue;
      const map = new Map<number, number | null>();
      for (const [t, v] of rows) map.set(t, v);
      stored[m] = map;
    }
    let pending = 0;
    const jobId = job.id;
    for (let i = 0; i < n; i++) {
      const mi = ms[i]!;
      const t = tss[i]!;
      const kw = kwhs[i]!;
      const kwh = kw === kw ? kw : null; // NaN → missing
      const map = stored[mi];
      const prior = map ? map.get(t) : undefined;
      if (prior === undefined) {
        if (map) map.set(t, kwh);
        counts.imported++;
        if (dry) continue;
        const v = vols[i]!;
        const o = pending * COLS;
        params[o] = sink.meters[mi]!.dbId;
        params[o + 1] = dayOf(t);
        params[o + 2] = t;
        params[o + 3] = kwh;
        params[o + 4] = qs[i]!;
        params[o + 5] = jobId;
        params[o + 6] = v === v ? v : null;
        if (++pending === BULK) {
          insertBulk.run(params);
          pending = 0;
        }
      } else if (prior === kwh || (prior !== null && kwh !== null && Math.abs(prior - kwh) < 1e-9)) {
        counts.duplicates++;
      } else {
        const info = sink.meters[mi]!;
        counts.conflicts++;
        const replaced = job.on_conflict === 'replace';
        const v = vols[i]!;
        if (replaced && !dry) {
          replace.run(kwh, qs[i]!, jobId, v === v ? v : null, info.dbId, dayOf(t), t);
          map!.set(t, kwh);
        }
        if (errors.length < 1000) {
          errors.push({
            line: sink.line[i]!,
            column: sink.col[i]!,
            value: kwh === null ? 'missing' : String(kwh),
            message: `conflict: ${info.identifier} at ${new Date(t * 1000).toISOString().replace('.000Z', 'Z')} is already stored as ${prior ?? 'missing'} kWh; ${replaced ? "replaced it with the file's value" : 'kept the stored value'}`,
          });
        }
      }
    }
    for (let j = 0; j < pending; j++) insertOne.run(params.slice(j * COLS, j * COLS + COLS));
    // the roll-ups of these meter-days are now stale (same transaction: never lost, never early)
    if (!dry && counts.imported + counts.conflicts > before.imported + before.conflicts) {
      for (let m = 0; m < k; m++) if (lo[m] !== Infinity) markDirty.run(sink.meters[m]!.dbId, lo[m], hi[m]);
    }
  };

  const commitChunk = sqlite.transaction((work: () => void, endOffset: number, endLine: number, format: string) => {
    const before = { ...counts, rejected: sink.rejected, errors: errors.length, created: created.length };
    try {
      work();
      store();
      counts.rejected = sink.rejected;
      const r = updateJob.run(endOffset, endLine, counts.rowsRead, counts.imported, counts.duplicates, counts.conflicts, counts.rejected, JSON.stringify(errors), JSON.stringify(created), JSON.stringify(preview), format, job.id, owner);
      if (r.changes !== 1) throw new LostClaimError(`import job ${job.id} was taken over by another process`);
    } catch (e) {
      // the transaction rolls back: so do the in-memory counts and the meters it created
      Object.assign(counts, { rowsRead: before.rowsRead, imported: before.imported, duplicates: before.duplicates, conflicts: before.conflicts });
      sink.rejected = before.rejected;
      errors.length = before.errors;
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

  if (reader.kind === 'document') return runDocument(reader, sink, commitChunk, counts, job, onProgress, checkCancel);

  const lr: LineReader = reader;
  const headerEnd = await offsetAfterLine(job.path, enc.bomBytes, lr.headerLine, enc.encoding);
  const resuming = job.bytes_done > headerEnd;
  const startOffset = resuming ? job.bytes_done : headerEnd;
  let line = resuming ? job.line_done : lr.headerLine;
  for await (const chunk of readLineChunks(job.path, startOffset, enc.encoding)) {
    const firstLine = line;
    let endLine = firstLine;
    commitChunk(
      () => {
        let ln = firstLine;
        const lines = chunk.lines;
        for (let i = 0; i < lines.length; i++) {
          ln++;
          let text = lines[i]!;
          if (text.length === 0) continue;
          // a quoted field with a line break continues on the following line(s)
          if (text.indexOf('"') !== -1) {
            while (hasOpenQuote(text) && i + 1 < lines.length) {
              i++;
              ln++;
              text += '\n' + lines[i];
            }
          }
          if (text.trim() === '') continue;
          counts.rowsRead++;
          lr.parse(text, ln, sink);
        }
        endLine = ln;
      },
      chunk.endOffset,
      firstLine + chunk.lines.length,
      lr.format,
    );
    line = firstLine + chunk.lines.length;
    void endLine;
    await onProgress({ bytesDone: chunk.endOffset, rowsRead: counts.rowsRead });
    checkCancel();
    await new Promise((r) => setImmediate(r)); // let the host answer the window between chunks
  }
}

async function runDocument(
  reader: DocumentReader,
  sink: ChunkSink,
  commit: (work: () => void, endOffset: number, endLine: number, format: string) => void,
  counts: Counts,
  job: JobRow,
  onProgress: (p: Progress) => Promise<void> | void,
  checkCancel: () => void,
): Promise<void> {
  // A JSON document is parsed whole (API pages are small) and committed in one transaction; its
  // resume point is all-or-nothing, so a crash restarts it cleanly.
  if (job.bytes_done >= job.bytes && job.rows_read > 0) return;
  commit(
    () => {
      const before = sink.n;
      reader.parse(sink);
      counts.rowsRead += sink.n - before;
    },
    job.bytes,
    0,
    reader.format,
  );
  await onProgress({ bytesDone: job.bytes, rowsRead: counts.rowsRead });
  checkCancel();
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
