/** Copies incoming files into the data folder's imports/ directory, hashing them on the way. */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredFile } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { PRIVATE_FILE, privateDir, privateFile } from '../db/file-modes';

/** Largest file accepted (a year of HH data for 1,000 meters is ~1 GB in long format). */
export const MAX_FILE_BYTES = 8 * 1024 ** 3;

/** An uploaded file not queued for import within this many seconds is removed. */
export const UNQUEUED_MAX_AGE_SEC = 10 * 60;

// eslint-disable-next-line no-control-regex -- stripping control characters from a file name is the point
const UNSAFE_IN_NAME = /[\u0000-\u001f<>:"|?*]/g;

/** Keeps a display name safe: no folders, no control characters, bounded length. */
export function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(UNSAFE_IN_NAME, '_').trim();
  return (base || 'upload.csv').slice(0, 200);
}

/** A file's identity on disk: where it is, and its device, inode, size, modification and change times. */
function sourceKey(resolved: string, st: fs.BigIntStats): string {
  return `${resolved}\u0000${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** SHA-256 of a file, read in 8 MB pieces. */
async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

export class FileStore {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly dir: string,
  ) {}

  /** Streams `source` into imports/, records it and returns its id and checksum. */
  async store(name: string, source: Readable): Promise<StoredFile> {
    privateDir(this.dir);
    const id = crypto.randomUUID();
    const clean = safeName(name);
    const dest = path.join(this.dir, `${id}${path.extname(clean).slice(0, 10) || '.csv'}`);
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > MAX_FILE_BYTES)
          return cb(new AppError('BAD_INPUT', `${clean} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GB`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(dest, { flags: 'wx', mode: PRIVATE_FILE }));
    } catch (e) {
      fs.rmSync(dest, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    return this.share(clean, dest, bytes, sha256, null);
  }

  /**
   * Copies a local file (a path dropped on the desktop window, or named on the CLI): the kernel
   * copies it while it is hashed. A file already stored — the same path, unchanged since (device,
   * inode, size, modification and change times, as git and rsync tell an unchanged file), or the
   * same SHA-256 — shares the stored copy instead of making another.
   */
  async storePath(filePath: string): Promise<StoredFile> {
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(filePath, { bigint: true });
    } catch {
      throw new AppError('NOT_FOUND', `${filePath}: no such file`);
    }
    if (!st.isFile()) throw new AppError('BAD_INPUT', `${filePath} is not a file`);
    const name = safeName(path.basename(filePath));
    if (st.size > BigInt(MAX_FILE_BYTES))
      throw new AppError('BAD_INPUT', `${name} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GB`);
    const source = sourceKey(path.resolve(filePath), st);
    // unchanged since it was stored: its change time is older than the record (a file changed in the
    // same second as it was hashed is hashed again)
    const known = this.sqlite
      .prepare(
        'SELECT path, bytes, sha256, created_at FROM stored_files WHERE source = ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(source) as { path: string; bytes: number; sha256: string; created_at: number } | undefined;
    if (known && st.ctimeMs < BigInt(known.created_at - 1) * 1000n && fs.existsSync(known.path))
      return this.record(name, known.path, known.bytes, known.sha256, source);

    privateDir(this.dir);
    const id = crypto.randomUUID();
    const dest = path.join(this.dir, `${id}${path.extname(name).slice(0, 10) || '.csv'}`);
    let sha256: string;
    try {
      const copied = fs.promises.copyFile(filePath, dest, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE);
      sha256 = await hashFile(filePath).finally(() => copied.catch(() => undefined));
      await copied;
      // the copy takes the original's permissions; imports/ is the owner's only meanwhile
      privateFile(dest);
      const after = fs.statSync(filePath, { bigint: true });
      if (sourceKey(path.resolve(filePath), after) !== source)
        throw new AppError(
          'BAD_INPUT',
          `${name} changed while it was being copied; import it again once it is complete`,
        );
    } catch (e) {
      fs.rmSync(dest, { force: true });
      throw e;
    }
    return this.share(name, dest, Number(st.size), sha256, source);
  }

  /** Records a new copy, or — when the same bytes are stored already — drops it and shares that one. */
  private share(name: string, dest: string, bytes: number, sha256: string, source: string | null): StoredFile {
    const same = this.sqlite
      .prepare('SELECT path FROM stored_files WHERE sha256 = ? AND bytes = ? ORDER BY created_at LIMIT 1')
      .pluck()
      .get(sha256, bytes) as string | undefined;
    if (same !== undefined && same !== dest && fs.existsSync(same)) {
      fs.rmSync(dest, { force: true });
      return this.record(name, same, bytes, sha256, source);
    }
    return this.record(name, dest, bytes, sha256, source);
  }

  private record(name: string, filePath: string, bytes: number, sha256: string, source: string | null): StoredFile {
    const id = crypto.randomUUID();
    this.sqlite
      .prepare('INSERT INTO stored_files (id, original_name, path, bytes, sha256, source) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, name, filePath, bytes, sha256, source);
    return { fileId: id, name, bytes, sha256 };
  }

  /** Forgets a stored file no job uses (its enqueue failed): the record, and the copy unless shared. */
  forget(id: string): void {
    if (this.sqlite.prepare('SELECT 1 FROM import_jobs WHERE file_id = ?').get(id)) return;
    this.discardCopy(id);
    this.sqlite.prepare('DELETE FROM stored_files WHERE id = ?').run(id);
  }

  /**
   * Removes files stored more than `olderThanSec` ago that no import job uses (uploaded, then
   * never queued): their records, and their copies unless a file still kept shares them.
   */
  removeUnqueued(olderThanSec: number = UNQUEUED_MAX_AGE_SEC): { filesRemoved: number } {
    const stale = this.sqlite
      .prepare(
        `SELECT id FROM stored_files f WHERE created_at < unixepoch() - ?
           AND NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.file_id = f.id)`,
      )
      .pluck()
      .all(olderThanSec) as string[];
    let filesRemoved = 0;
    for (const id of stale) {
      const f = this.get(id);
      this.sqlite.prepare('DELETE FROM stored_files WHERE id = ?').run(id);
      if (f && !this.sqlite.prepare('SELECT 1 FROM stored_files WHERE path = ?').get(f.path)) {
        fs.rmSync(f.path, { force: true });
        filesRemoved++;
      }
    }
    // copies no record names, untouched for as long: uploads cut off when a process stopped mid-write
    // (one still being written is touched as its bytes arrive)
    const known = new Set(
      (this.sqlite.prepare('SELECT path FROM stored_files').pluck().all() as string[]).map((p) => path.resolve(p)),
    );
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      // no imports folder yet
    }
    for (const n of names) {
      const file = path.resolve(this.dir, n);
      if (known.has(file)) continue;
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (st?.isFile() && st.mtimeMs < Date.now() - olderThanSec * 1000) {
        fs.rmSync(file, { force: true });
        filesRemoved++;
      }
    }
    return { filesRemoved };
  }

  /**
   * Removes the stored copy of a file that could not be read (its record stays, for the job's
   * history), unless another stored file shares it.
   */
  discardCopy(id: string): void {
    const f = this.get(id);
    if (!f) return;
    if (this.sqlite.prepare('SELECT 1 FROM stored_files WHERE path = ? AND id != ?').get(f.path, id)) return;
    fs.rmSync(f.path, { force: true });
  }

  get(id: string): { id: string; original_name: string; path: string; bytes: number } | undefined {
    return this.sqlite.prepare('SELECT id, original_name, path, bytes FROM stored_files WHERE id = ?').get(id) as
      { id: string; original_name: string; path: string; bytes: number } | undefined;
  }
}
