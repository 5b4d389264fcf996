/**
 * Runs one import job over a stored file: reads whole-line chunks, validates each row, and commits
 * every chunk's readings together with the job's resume point and counts in one transaction, so a
 * crash at any moment leaves the data and counts of a clean prefix and the job resumes from there.
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import { parseMeterId } from '../../../src-shared/domain/meter-id';
import { resolveLondon } from '../../../src-shared/domain/london-time';
import type { RowError } from '../../../src-shared/contract/types';
import { detectEncoding, hasOpenQuote, readLineChunks, splitCsv } from './csv';
import { detectLongLayout, parseKwh, parseQuality, type LongLayout } from './long-format';
import { parseWallClock } from './timestamp';

export const MAX_STORED_ERRORS = 1000;
export const DEFAULT_KWH_CEILING = 10_000;

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
}

export interface Progress {
  bytesDone: number;
  rowsRead: number;
}

/** A file that cannot be imported at all (no header, binary): retrying will not help. */
export class UnreadableFileError extends Error {}

interface MeterEntry {
  id: number;
  /** Last UTC start seen for this meter in this run, to place the repeated autumn hour. */
  lastTs: number;
}

const copy = (s: string): string => (' ' + s).slice(1); // detach from the chunk it was sliced from

export async function runImport(sqlite: Database.Database, job: JobRow, onProgress: (p: Progress) => Promise<void> | void): Promise<void> {
  const fd = fs.openSync(job.path, 'r');
  const head = Buffer.alloc(4096);
  const headBytes = fs.readSync(fd, head, 0, 4096, 0);
  fs.closeSync(fd);
  if (head.subarray(0, headBytes).includes(0) && !(head[0] === 0xff && head[1] === 0xfe)) {
    throw new UnreadableFileError('the file contains binary data (NUL bytes); expected a CSV text file');
  }
  let enc;
  try {
    enc = detectEncoding(head.subarray(0, headBytes));
  } catch (e) {
    throw new UnreadableFileError((e as Error).message);
  }

  // The header: always re-read from the top, also when resuming.
  let layout: LongLayout | null = null;
  for await (const chunk of readLineChunks(job.path, enc.bomBytes, enc.encoding)) {
    const found = detectLongLayout(chunk.lines);
    if ('reason' in found) throw new UnreadableFileError(found.reason);
    layout = found;
    break;
  }
  if (!layout) throw new UnreadableFileError('the file is empty');
  const headerEndOffset = await exactOffsetAfterLine(job.path, enc.bomBytes, layout.headerLine, enc.encoding);

  const dry = job.dry_run === 1;
  const meters = new Map<string, MeterEntry | null>();
  const meterErrors = new Map<string, string>();
  const created: string[] = JSON.parse(job.meters_created);
  const errors: RowError[] = JSON.parse(job.errors);
  const preview = job.preview ? (JSON.parse(job.preview) as { meters: string[]; first: number | null; last: number | null }) : { meters: [], first: null, last: null };
  const previewMeters = new Set(preview.meters);

  const findMeter = sqlite.prepare('SELECT id FROM meters WHERE identifier = ?').pluck();
  const insertMeter = sqlite.prepare('INSERT INTO meters (identifier, kind, fuel, mpan_top_line) VALUES (?, ?, ?, ?)');
  const insertReading = sqlite.prepare('INSERT INTO readings (meter_id, ts, kwh, quality, batch_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (meter_id, ts) DO NOTHING');
  const existingReading = sqlite.prepare('SELECT kwh, quality FROM readings WHERE meter_id = ? AND ts = ?');
  const ownReading = sqlite.prepare('SELECT 1 FROM readings WHERE meter_id = ? AND ts = ? AND batch_id = ?').pluck();
  const updateJob = sqlite.prepare(
    `UPDATE import_jobs SET bytes_done = ?, line_done = ?, rows_read = ?, readings_imported = ?, duplicates = ?, conflicts = ?,
       rows_rejected = ?, errors = ?, meters_created = ?, preview = ?, format = ? WHERE id = ?`,
  );

  let c = {
    rowsRead: job.rows_read,
    imported: job.readings_imported,
    duplicates: job.duplicates,
    conflicts: job.conflicts,
    rejected: job.rows_rejected,
  };
  const startOffset = Math.max(job.bytes_done, headerEndOffset);
  let line = job.bytes_done > headerEndOffset ? job.line_done : layout.headerLine;
  const { meterCol, tsCol, kwhCol, qualityCol, delimiter } = layout;
  const colName = (i: number): string => layout!.headers[i] ?? `column ${i + 1}`;

  const reject = (ln: number, column: number | undefined, value: string | undefined, message: string): void => {
    c.rejected++;
    if (errors.length < MAX_STORED_ERRORS) errors.push({ line: ln, ...(column !== undefined ? { column: column + 1 } : {}), ...(value !== undefined ? { value: value.slice(0, 60) } : {}), message });
  };

  const meterFor = (raw: string, ln: number): MeterEntry | null => {
    const hit = meters.get(raw);
    if (hit !== undefined) {
      if (hit === null) reject(ln, meterCol, raw, meterErrors.get(raw)!);
      return hit;
    }
    const key = copy(raw);
    const parsed = parseMeterId(raw);
    if (!parsed.ok) {
      meters.set(key, null);
      meterErrors.set(key, parsed.reason);
      reject(ln, meterCol, raw, parsed.reason);
      return null;
    }
    let id = findMeter.get(parsed.id) as number | undefined;
    if (id === undefined) {
      if (dry) id = -1;
      else {
        id = Number(insertMeter.run(parsed.id, parsed.kind, parsed.fuel ?? 'electricity', parsed.topLine).lastInsertRowid);
        created.push(parsed.id);
      }
    }
    const entry = { id, lastTs: -Infinity };
    meters.set(key, entry);
    if (!previewMeters.has(parsed.id)) {
      previewMeters.add(parsed.id);
      preview.meters.push(parsed.id);
    }
    return entry;
  };

  const processLine = (text: string, ln: number): void => {
    if (text.trim() === '') return;
    c.rowsRead++;
    const f = splitCsv(text, delimiter);
    if (f.length <= Math.max(meterCol, tsCol, kwhCol)) {
      reject(ln, undefined, undefined, `expected at least ${Math.max(meterCol, tsCol, kwhCol) + 1} columns, found ${f.length}`);
      return;
    }
    const rawMeter = f[meterCol]!.trim();
    const rawTs = f[tsCol]!;
    const wc = parseWallClock(rawTs);
    if (!wc) {
      reject(ln, tsCol, rawTs, `${colName(tsCol)} "${rawTs.trim().slice(0, 40)}" is not a date-time; expected ISO 8601 (2025-01-01T00:30:00Z) or DD/MM/YYYY HH:MM`);
      return;
    }
    const value = parseKwh(f[kwhCol], DEFAULT_KWH_CEILING);
    if (value.kind === 'error') {
      reject(ln, kwhCol, f[kwhCol], value.message);
      return;
    }
    const meter = meterFor(rawMeter, ln);
    if (!meter) return;
    let ts: number;
    if (wc.offset !== null) {
      ts = Date.UTC(wc.y, wc.mo - 1, wc.d, wc.h, wc.mi, wc.s) / 1000 - wc.offset * 60;
    } else {
      const r = resolveLondon(wc.y, wc.mo, wc.d, wc.h, wc.mi, wc.s);
      if (r.kind === 'nonexistent') {
        reject(ln, tsCol, rawTs, `${rawTs.trim()} does not exist in UK time (the clocks go forward that night); give the time with an offset or in UTC`);
        return;
      }
      if (r.kind === 'ok') ts = r.utc;
      else {
        // The repeated autumn hour: the first occurrence is BST, the second GMT.
        const firstTaken = meter.lastTs >= r.first || (meter.id > 0 && ownReading.get(meter.id, r.first, job.id) === 1);
        ts = firstTaken ? r.second : r.first;
      }
    }
    if (ts % 1800 !== 0) {
      reject(ln, tsCol, rawTs, `${rawTs.trim()} is not the start of a half-hour (expected :00 or :30 past the hour)`);
      return;
    }
    if (ts > meter.lastTs) meter.lastTs = ts;
    if (preview.first === null || ts < preview.first) preview.first = ts;
    if (preview.last === null || ts > preview.last) preview.last = ts;
    const kwh = value.kind === 'value' ? value.kwh : null;
    const quality = value.kind === 'missing' ? 2 : parseQuality(qualityCol >= 0 ? f[qualityCol] : undefined);
    if (dry) {
      if (meter.id < 0) c.imported++;
      else {
        const ex = existingReading.get(meter.id, ts) as { kwh: number | null } | undefined;
        if (!ex) c.imported++;
        else if (sameKwh(ex.kwh, kwh)) c.duplicates++;
        else c.conflicts++;
      }
      return;
    }
    if (insertReading.run(meter.id, ts, kwh, quality, job.id).changes === 1) {
      c.imported++;
      return;
    }
    const ex = existingReading.get(meter.id, ts) as { kwh: number | null; quality: number };
    if (sameKwh(ex.kwh, kwh)) c.duplicates++;
    else {
      c.conflicts++;
      if (errors.length < MAX_STORED_ERRORS) {
        errors.push({ line: ln, column: kwhCol + 1, value: String(kwh ?? ''), message: `conflict: ${rawMeter} at ${rawTs.trim()} is already stored as ${ex.kwh ?? 'missing'} kWh; kept the stored value` });
      }
    }
  };

  const commit = sqlite.transaction((lines: string[], endOffset: number, firstLine: number) => {
    const before = { ...c };
    const errLen = errors.length;
    try {
      let ln = firstLine;
      for (let i = 0; i < lines.length; i++) {
        ln++;
        let text = lines[i]!;
        // a quoted field with a line break continues on the following line(s)
        while (hasOpenQuote(text) && i + 1 < lines.length) {
          i++;
          ln++;
          text += '\n' + lines[i];
        }
        processLine(text, ln);
      }
      line = ln;
      updateJob.run(endOffset, ln, c.rowsRead, c.imported, c.duplicates, c.conflicts, c.rejected, JSON.stringify(errors), JSON.stringify(created), JSON.stringify(preview), 'long', job.id);
    } catch (e) {
      c = before; // the transaction rolls back: so do the counts
      errors.length = errLen;
      throw e;
    }
  });

  for await (const chunk of readLineChunks(job.path, startOffset, enc.encoding)) {
    commit(chunk.lines, chunk.endOffset, line);
    await onProgress({ bytesDone: chunk.endOffset, rowsRead: c.rowsRead });
    await new Promise((r) => setImmediate(r)); // let the host answer the window between chunks
  }
}

function sameKwh(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-9;
}

/** Byte offset just after line `n` (1-based) counting every LF from `start`. */
async function exactOffsetAfterLine(file: string, start: number, n: number, encoding: 'utf8' | 'utf16le'): Promise<number> {
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
          seen++;
          if (seen === n) return pos + i + step;
        }
      }
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
