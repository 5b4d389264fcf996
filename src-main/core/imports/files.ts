/** Copies incoming files into the data folder's imports/ directory, hashing them on the way. */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredFile } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';

/** Largest file accepted (a year of HH data for 1,000 meters is ~1 GB in long format). */
export const MAX_FILE_BYTES = 8 * 1024 ** 3;

/** Keeps a display name safe: no folders, no control characters, bounded length. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters from a file name is the point
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f<>:"|?*]/g, '_').trim();
  return (base || 'upload.csv').slice(0, 200);
}

export class FileStore {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly dir: string,
  ) {}

  /** Streams `source` into imports/, records it and returns its id and checksum. */
  async store(name: string, source: Readable): Promise<StoredFile> {
    fs.mkdirSync(this.dir, { recursive: true });
    const id = crypto.randomUUID();
    const clean = safeName(name);
    const dest = path.join(this.dir, `${id}${path.extname(clean).slice(0, 10) || '.csv'}`);
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > MAX_FILE_BYTES) return cb(new AppError('BAD_INPUT', `${clean} is larger than ${MAX_FILE_BYTES / 1024 ** 3} GB`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(dest, { flags: 'wx' }));
    } catch (e) {
      fs.rmSync(dest, { force: true });
      throw e;
    }
    const sha256 = hash.digest('hex');
    this.sqlite.prepare('INSERT INTO stored_files (id, original_name, path, bytes, sha256) VALUES (?, ?, ?, ?, ?)').run(id, clean, dest, bytes, sha256);
    return { fileId: id, name: clean, bytes, sha256 };
  }

  /** Copies a local file (a path dropped on the desktop window, or named on the CLI). */
  async storePath(filePath: string): Promise<StoredFile> {
    let st: fs.Stats;
    try {
      st = fs.statSync(filePath);
    } catch {
      throw new AppError('NOT_FOUND', `${filePath}: no such file`);
    }
    if (!st.isFile()) throw new AppError('BAD_INPUT', `${filePath} is not a file`);
    return this.store(path.basename(filePath), fs.createReadStream(filePath));
  }

  get(id: string): { id: string; original_name: string; path: string; bytes: number } | undefined {
    return this.sqlite.prepare('SELECT id, original_name, path, bytes FROM stored_files WHERE id = ?').get(id) as
      | { id: string; original_name: string; path: string; bytes: number }
      | undefined;
  }
}
