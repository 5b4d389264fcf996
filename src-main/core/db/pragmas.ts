/**
 * The connection settings every database connection of the app uses (main, import thread): pragmas, and write
 * transactions that take the lock up front.
 */
import type Database from 'better-sqlite3';

/**
 * Checkpoint the WAL into the database every ~40 MB of changes rather than SQLite's default ~4 MB:
 * a day's import plus its roll-up then commits without also copying the import's pages (that was a
 * third of the roll-up's time), and the copying happens less often, in bigger, cheaper runs.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export function applyPragmas(sqlite: Database.Database, busyTimeoutMs: number): void {
  immediateTransactions(sqlite);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  sqlite.pragma('cache_size = -32768'); // 32 MB: keys arrive mostly in order, so a small cache serves
  sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}

/**
 * Makes `sqlite.transaction(fn)()` begin IMMEDIATE: every transaction of the app writes, and a
 * deferred one that reads first cannot become a writer once another connection (a second import,
 * the server beside a CLI) has committed — SQLite answers SQLITE_BUSY_SNAPSHOT at once and the
 * busy timeout never helps. Taking the write lock up front makes writers wait their turn instead.
 * `.deferred`, `.immediate` and `.exclusive` stay available; nested transactions are savepoints.
 */
export function immediateTransactions(sqlite: Database.Database): void {
  const begin = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = begin(fn);
    return Object.assign((...args: unknown[]) => t.immediate(...args), {
      default: t.immediate,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
      database: sqlite,
    });
  }) as typeof sqlite.transaction;
}
