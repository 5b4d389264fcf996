/**
 * Exports and reports saved as files: written under `<file>.part` and renamed over `<file>` only when
 * complete, so a reader (or a program watching the folder) never sees half a file, and a failure
 * leaves neither name behind. The CLI, the desktop app's save dialog and folder deliveries use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError } from '../../../src-shared/contract/errors';
import { exportRequestSchema } from '../../../src-shared/contract/exports';
import { exportDays, runExport, type ExportDeps, type ExportRequest } from './export';
import { isoDay } from '../../../src-shared/domain/periods';

/** A file written whole: its absolute path and size in bytes. */
export interface SavedFile {
  file: string;
  bytes: number;
}

/** A failure to open or write the file, in words that name it. */
function writeError(file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AppError('BAD_INPUT', `Cannot write ${file}: its folder does not exist`);
  if (code === 'EACCES' || code === 'EPERM')
    return new AppError('BAD_INPUT', `Cannot write ${file}: permission denied; choose another folder`);
  if (code === 'EISDIR') return new AppError('BAD_INPUT', `Cannot write ${file}: it is a folder; give a file name`);
  if (code === 'ENOSPC') return new AppError('UNAVAILABLE', `Cannot write ${file}: the disk is full`);
  return e;
}

/**
 * Runs `write` on a stream to `<file>.part`, then renames it to `file`; resolves with what `write`
 * resolved and the file's size. On any failure the part file is removed and `file` is untouched.
 */
export async function writeWhole<T>(
  file: string,
  write: (out: Writable) => Promise<T>,
): Promise<SavedFile & { result: T }> {
  const target = path.resolve(file);
  const part = `${target}.part`;
  const stream = fs.createWriteStream(part, { highWaterMark: 1 << 20 });
  try {
    await once(stream, 'ready'); // opened, so a failure below removes what it made
  } catch (e) {
    throw writeError(target, e);
  }
  try {
    const result = await write(stream);
    stream.end();
    await finished(stream);
    fs.renameSync(part, target);
    return { file: target, bytes: fs.statSync(target).size, result };
  } catch (e) {
    stream.destroy();
    fs.rmSync(part, { force: true });
    throw writeError(target, e);
  }
}

/** Writes bytes (a report) to `file` whole. */
export async function saveBytes(file: string, bytes: Uint8Array): Promise<SavedFile> {
  const { result: _done, ...saved } = await writeWhole(file, async (out) => {
    if (!out.write(bytes)) await once(out, 'drain');
  });
  return saved;
}

/**
 * A file name for an export: `eclectyc-<table>-<what>-<first day>-to-<last day>.csv` (the last day
 * included, as people name periods), safe on every filesystem.
 */
export function exportFileName(req: ExportRequest): string {
  const s = req.scope;
  const what = 'meter' in s ? `meter-${s.meter}` : 'siteId' in s ? `site-${s.siteId}` : 'portfolio';
  const table = req.what === 'readings' && req.layout === 'wide' ? 'readings-wide' : req.what;
  const { fromDay, toDay } = exportDays(req.from, req.to);
  return `eclectyc-${table}-${what}-${isoDay(fromDay)}-to-${isoDay(toDay - 1)}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Writes an export to `file` whole; `rows` counts the data rows (the header not included). */
export async function exportToFile(
  deps: ExportDeps,
  req: ExportRequest,
  file: string,
): Promise<SavedFile & { rows: number }> {
  const { result, ...saved } = await writeWhole(file, (out) => runExport(deps, req, out));
  return { ...saved, rows: result - 1 };
}

/**
 * The desktop app's "save an export": checks the request as sent (INVALID_ARGS when it is not one),
 * asks `choose` where to save it (given a suggested file name; null when the person cancels, which
 * writes nothing) and writes it there whole.
 */
export async function saveExportAs(
  deps: ExportDeps,
  body: unknown,
  choose: (suggested: string) => Promise<string | null>,
): Promise<(SavedFile & { rows: number }) | null> {
  const req = exportRequestSchema.parse(body) as ExportRequest;
  const file = await choose(exportFileName(req));
  return file ? exportToFile(deps, req, file) : null;
}
