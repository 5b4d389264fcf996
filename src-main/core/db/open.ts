/**
 * Opens the SQLite store: backs up an existing file before migrating, applies drizzle's
 * migrations, and sets the pragmas the app relies on (WAL, foreign keys, a busy timeout).
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from './schema';
import { applyPragmas } from './pragmas';

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenedDb {
  sqlite: Database.Database;
  db: Db;
  /** Path of the pre-migration backup, when one was taken. */
  backupPath: string | null;
}

/** Migrations that have been applied to this file (drizzle's journal table). */
function appliedCount(sqlite: Database.Database): number {
  const t = sqlite.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  if (!t) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

function journalCount(migrationsDir: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export async function openDb(dbPath: string, migrationsDir: string): Promise<OpenedDb> {
  const existed = dbPath !== ':memory:' && fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
  const sqlite = new Database(dbPath);
  try {
    applyPragmas(sqlite, 5000);
    let backupPath: string | null = null;
    // Back up before any migration touches an existing file: a failed upgrade must never cost data.
    if (existed && appliedCount(sqlite) < journalCount(migrationsDir)) {
      const dir = path.join(path.dirname(dbPath), 'backups');
      fs.mkdirSync(dir, { recursive: true });
      backupPath = path.join(dir, `${path.basename(dbPath)}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`);
      await sqlite.backup(backupPath);
    }
    const db = drizzle(sqlite, { schema, casing: 'snake_case' });
    migrate(db, { migrationsFolder: migrationsDir });
    return { sqlite, db, backupPath };
  } catch (e) {
    sqlite.close();
    throw e;
  }
}
