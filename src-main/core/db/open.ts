/**
 * Opens the SQLite store: backs up an existing file before migrating, applies drizzle-kit's
 * migrations (all pending ones in one transaction, with the data steps that go with them), and
 * sets the pragmas the app relies on (WAL, foreign keys, a busy timeout). The database, its side
 * files and backups are the owner's only (file-modes.ts).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { upgradeFromRowPerHalfHour } from '../readings/upgrade';
import { applyMigrations, pendingMigrations, readMigrations, type MigrationHooks } from './migrate';
import { privateDatabaseFiles, prepareDatabaseFile, privateDir, privateFile, PRIVATE_FILE } from './file-modes';
import { backupsDir } from './paths';
import { applyPragmas } from './pragmas';

export interface OpenedDb {
  sqlite: Database.Database;
  /** Path of the pre-migration backup, when one was taken. */
  backupPath: string | null;
  /** Tags of the migrations applied on this open. */
  applied: string[];
}

/** Data steps run inside the migration transaction, right after the named migration's SQL. */
export const MIGRATION_HOOKS: MigrationHooks = {
  '0006_readings_store': (sqlite) => void upgradeFromRowPerHalfHour(sqlite),
};

export async function openDb(
  dbPath: string,
  migrationsDir: string,
  hooks: MigrationHooks = MIGRATION_HOOKS,
): Promise<OpenedDb> {
  const existed = dbPath !== ':memory:' && fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
  prepareDatabaseFile(dbPath);
  const sqlite = new Database(dbPath);
  try {
    applyPragmas(sqlite, 5000);
    privateDatabaseFiles(dbPath); // the WAL and shared-memory files now exist
    const pending = pendingMigrations(sqlite, readMigrations(migrationsDir));
    let backupPath: string | null = null;
    // Back up before any migration touches an existing file: a failed upgrade must never cost data.
    if (existed && pending.length > 0) {
      const dir = backupsDir(path.dirname(dbPath));
      privateDir(dir);
      backupPath = path.join(dir, `${path.basename(dbPath)}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`);
      fs.closeSync(fs.openSync(backupPath, 'w', PRIVATE_FILE));
      await sqlite.backup(backupPath);
      privateFile(backupPath);
    }
    try {
      return { sqlite, backupPath, applied: applyMigrations(sqlite, pending, hooks) };
    } catch (e) {
      if (!backupPath) throw e;
      throw new Error(
        `the database could not be upgraded and is unchanged (a copy is also at ${backupPath}): ${(e as Error).message}`,
        { cause: e },
      );
    }
  } catch (e) {
    sqlite.close();
    throw e;
  }
}
