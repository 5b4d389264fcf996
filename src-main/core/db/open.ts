/**
 * Opens the SQLite store: backs up an existing file before migrating, applies drizzle-kit's
 * migrations (all pending ones in one transaction, with the data steps that go with them), and
 * sets the pragmas the app relies on (WAL, foreign keys, a busy timeout).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { upgradeFromRowPerHalfHour } from '../readings/upgrade';
import { applyMigrations, pendingMigrations, readMigrations, type MigrationHooks } from './migrate';
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
  const sqlite = new Database(dbPath);
  try {
    applyPragmas(sqlite, 5000);
    const pending = pendingMigrations(sqlite, readMigrations(migrationsDir));
    let backupPath: string | null = null;
    // Back up before any migration touches an existing file: a failed upgrade must never cost data.
    if (existed && pending.length > 0) {
      const dir = path.join(path.dirname(dbPath), 'backups');
      fs.mkdirSync(dir, { recursive: true });
      backupPath = path.join(dir, `${path.basename(dbPath)}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`);
      await sqlite.backup(backupPath);
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
