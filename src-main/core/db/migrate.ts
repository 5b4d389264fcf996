/**
 * Applies drizzle-kit's generated migrations (drizzle/) with drizzle's own bookkeeping
 * (`__drizzle_migrations`: hash and `when` of each applied file), but all pending ones in ONE
 * transaction, with data steps in code between them: a migration that reshapes data (0006 → the
 * packed readings store) converts and checks it before the next one drops the old tables. A
 * failure rolls everything back, so the file is exactly as it was. A database made by a newer
 * release (a migration this one does not know) is refused rather than misread.
 */
import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Migration {
  tag: string;
  when: number;
  hash: string;
  statements: string[];
}

/** Code run right after a migration's SQL, inside the same transaction. */
export type MigrationHooks = Record<string, (sqlite: Database.Database) => void>;

export class NewerSchemaError extends Error {}

export function readMigrations(dir: string): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map((e) => {
    const text = fs.readFileSync(path.join(dir, `${e.tag}.sql`), 'utf8');
    return {
      tag: e.tag,
      when: e.when,
      hash: crypto.createHash('sha256').update(text).digest('hex'),
      statements: text.split('--> statement-breakpoint').filter((s) => s.trim() !== ''),
    };
  });
}

/** The migrations not yet applied to this file (by `when`, as drizzle decides). */
export function pendingMigrations(sqlite: Database.Database, all: Migration[]): Migration[] {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return all;
  const last = sqlite
    .prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1')
    .pluck()
    .get() as number | string | undefined;
  if (last === undefined) return all;
  const newest = all.length ? all[all.length - 1]!.when : 0;
  if (Number(last) > newest) {
    throw new NewerSchemaError(
      'this data folder was last used by a newer release of Eclectyc Energy (its database has changes this version does not know); install the newer version, or use another data folder',
    );
  }
  return all.filter((m) => Number(last) < m.when);
}

/** Applies `pending` in one transaction, running each migration's hook after its SQL. */
export function applyMigrations(sqlite: Database.Database, pending: Migration[], hooks: MigrationHooks = {}): string[] {
  sqlite.exec(
    'CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
  );
  if (pending.length === 0) return [];
  const record = sqlite.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)');
  // Foreign-key enforcement cannot change inside a transaction; checks are deferred to the commit instead.
  sqlite.pragma('defer_foreign_keys = ON');
  sqlite.transaction(() => {
    for (const m of pending) {
      for (const s of m.statements) sqlite.exec(s);
      hooks[m.tag]?.(sqlite);
      record.run(m.hash, m.when);
    }
  })();
  return pending.map((m) => m.tag);
}
