import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, tempDir } from '../../../tests/helpers/core';
import { openDb } from './open';

describe('openDb', () => {
  it('applies every migration to an empty file with WAL and foreign keys on', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { sqlite, backupPath } = await openDb(file, MIGRATIONS);
    expect(backupPath).toBeNull();
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'organisations',
        'sites',
        'meters',
        'meter_days',
        'day_stats',
        'import_jobs',
        'stored_files',
        'audit_log',
      ]),
    );
    expect(tables).not.toContain('readings');
    // meter-days are clustered on their key: a meter's range reads follow (meter, day) order
    for (const t of ['meter_days', 'day_stats'])
      expect(sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(t)).toMatch(/WITHOUT ROWID/);
    expect(() => sqlite.prepare("INSERT INTO meter_days (meter_id, day, vals) VALUES (999, 0, x'00')").run()).toThrow(
      /FOREIGN KEY/,
    );
    sqlite.close();
  });

  it('backs up an existing file before applying a new migration, and keeps its data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.sqlite');
    const first = await openDb(file, MIGRATIONS);
    first.sqlite.prepare("INSERT INTO organisations (name) VALUES ('Acme Schools')").run();
    first.sqlite.close();
    // a later release: the shipped migrations plus one more
    const next = path.join(tempDir(), 'drizzle');
    fs.cpSync(MIGRATIONS, next, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(next, 'meta', '_journal.json'), 'utf8'));
    journal.entries.push({
      idx: journal.entries.length,
      version: '6',
      when: Date.now(),
      tag: '9999_test_extra',
      breakpoints: true,
    });
    fs.writeFileSync(path.join(next, 'meta', '_journal.json'), JSON.stringify(journal));
    fs.writeFileSync(path.join(next, '9999_test_extra.sql'), 'ALTER TABLE organisations ADD `note` text;');
    const second = await openDb(file, next);
    expect(second.backupPath).not.toBeNull();
    expect(fs.existsSync(second.backupPath!)).toBe(true);
    expect(second.sqlite.prepare('SELECT name, note FROM organisations').all()).toEqual([
      { name: 'Acme Schools', note: null },
    ]);
    second.sqlite.close();
    // opening again with nothing new takes no further backup
    const third = await openDb(file, next);
    expect(third.backupPath).toBeNull();
    third.sqlite.close();
  });
});
