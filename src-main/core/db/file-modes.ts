/**
 * Who may read the data on disk (POSIX): the database and its WAL and shared-memory files,
 * backups and stored import copies are the owner's only (0600), and so are the folders that hold
 * them (0700) — whatever the umask, and tightened at every start when an older version or a copy
 * left them looser. Windows keeps the per-user folder's ACLs, so nothing is changed there.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

const POSIX = process.platform !== 'win32';

/** Files SQLite keeps beside a database while it is open (the write-ahead log, its index, a rollback journal). */
const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Sets `mode` on a file or folder whose permissions differ (no-op on Windows or when it is gone). */
function restrict(p: string, mode: number): void {
  if (!POSIX) return;
  try {
    if ((fs.statSync(p).mode & 0o777) !== mode) fs.chmodSync(p, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Creates a folder (and any missing parents) the owner alone may enter; an existing one is tightened. */
export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  restrict(dir, PRIVATE_DIR);
}

/** Makes a file the owner's only. */
export function privateFile(file: string): void {
  restrict(file, PRIVATE_FILE);
}

/**
 * Creates the database file owner-only before SQLite opens it (its WAL and shared-memory files
 * take the database's permissions when SQLite creates them), or tightens an existing one.
 */
export function prepareDatabaseFile(dbPath: string): void {
  if (dbPath === ':memory:') return;
  fs.closeSync(fs.openSync(dbPath, 'a', PRIVATE_FILE));
  privateDatabaseFiles(dbPath);
}

/** Tightens the database and whichever of its side files exist. */
export function privateDatabaseFiles(dbPath: string): void {
  if (dbPath === ':memory:') return;
  for (const suffix of ['', ...SQLITE_SIDE_FILES]) privateFile(dbPath + suffix);
}

/** Tightens a folder and every file directly in it (imports/, backups/), if it exists. */
export function privateTree(dir: string): void {
  if (!POSIX || !fs.existsSync(dir)) return;
  restrict(dir, PRIVATE_DIR);
  for (const e of fs.readdirSync(dir, { withFileTypes: true }))
    if (e.isFile()) privateFile(path.join(dir, e.name));
    else if (e.isDirectory()) restrict(path.join(dir, e.name), PRIVATE_DIR);
}
