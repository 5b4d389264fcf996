/** The connection settings every database connection of the app uses (main, import thread). */
import type Database from 'better-sqlite3';

/**
 * Checkpoint the WAL into the database every ~40 MB of changes rather than SQLite's default ~4 MB:
 * a day's import plus its roll-up then commits without also copying the import's pages (that was a
 * third of the roll-up's time), and the copying happens less often, in bigger, cheaper runs.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export function applyPragmas(sqlite: Database.Database, busyTimeoutMs: number): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('cache_size = -32768'); // 32 MB: keys arrive mostly in order, so a small cache serves
  sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}
