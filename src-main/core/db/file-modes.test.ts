/**
 * Files on disk are the owner's only (POSIX): the database and its WAL and shared-memory files,
 * backups and stored import copies 0600, the data folder, imports/ and backups/ 0700 — under a
 * umask that would leave them open to everyone, and tightened at start when left looser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, makeCore, tempDir, writeTemp } from '../../../tests/helpers/core';
import { createCore } from '../app';
import { silentLogger } from '../events';
import { openDb } from './open';

const win = process.platform === 'win32';
if (win) console.log('file modes: skipped on Windows (permissions there are the per-user folder ACLs, not modes)');
const posix = describe.skipIf(win);

const mode = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8);

let umask = 0;
beforeAll(() => {
  if (!win) umask = process.umask(0); // files created by default would be 0666 and folders 0777
});
afterAll(() => {
  if (!win) process.umask(umask);
});

posix('files on disk', () => {
  it('creates the database, its WAL and shared-memory files, folders and stored copies owner-only', async () => {
    const core = await makeCore();
    try {
      const db = path.join(core.dataDir, 'eclectyc.sqlite');
      expect(mode(core.dataDir)).toBe('700');
      for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(mode(f), f).toBe('600');
      // a file others may read, copied from this machine, and one uploaded
      const csv = writeTemp('readings.csv', 'MPAN,Timestamp,kWh\n1200050000009,2024-01-01T00:00:00Z,1.5\n');
      fs.chmodSync(csv, 0o644);
      const copied = await core.files.storePath(csv);
      const uploaded = await core.files.store('sent.csv', Readable.from([Buffer.from('MPAN,Timestamp,kWh\n')]));
      const imports = path.join(core.dataDir, 'imports');
      expect(mode(imports)).toBe('700');
      for (const id of [copied.fileId, uploaded.fileId]) expect(mode(core.files.get(id)!.path)).toBe('600');
      expect(mode(csv)).toBe('644'); // the original is left as it was
    } finally {
      await core.stop();
    }
  });

  it('tightens a data folder an older version left open, at start', async () => {
    const dir = tempDir();
    const first = await createCore({ dataDir: dir, migrationsDir: MIGRATIONS, log: silentLogger });
    await first.files.storePath(writeTemp('a.csv', 'MPAN,Timestamp,kWh\n'));
    await first.stop();
    const db = path.join(dir, 'eclectyc.sqlite');
    const copy = fs.readdirSync(path.join(dir, 'imports')).map((f) => path.join(dir, 'imports', f))[0]!;
    fs.mkdirSync(path.join(dir, 'backups'));
    const backup = path.join(dir, 'backups', 'old.bak');
    fs.writeFileSync(backup, 'x');
    for (const d of [dir, path.join(dir, 'imports'), path.join(dir, 'backups')]) fs.chmodSync(d, 0o755);
    for (const f of [db, copy, backup]) fs.chmodSync(f, 0o644);
    const again = await createCore({ dataDir: dir, migrationsDir: MIGRATIONS, log: silentLogger });
    try {
      for (const d of [dir, path.join(dir, 'imports'), path.join(dir, 'backups')]) expect(mode(d), d).toBe('700');
      for (const f of [db, `${db}-wal`, `${db}-shm`, copy, backup]) expect(mode(f), f).toBe('600');
    } finally {
      await again.stop();
    }
  });

  it('makes the copy taken before a migration owner-only, in an owner-only folder', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    (await openDb(file, MIGRATIONS)).sqlite.close();
    const next = path.join(tempDir(), 'drizzle');
    fs.cpSync(MIGRATIONS, next, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(next, 'meta', '_journal.json'), 'utf8'));
    journal.entries.push({
      idx: journal.entries.length,
      version: '6',
      when: Date.now(),
      tag: '9999_x',
      breakpoints: true,
    });
    fs.writeFileSync(path.join(next, 'meta', '_journal.json'), JSON.stringify(journal));
    fs.writeFileSync(path.join(next, '9999_x.sql'), 'ALTER TABLE organisations ADD `note` text;');
    const { sqlite, backupPath } = await openDb(file, next);
    sqlite.close();
    expect(mode(path.dirname(backupPath!))).toBe('700');
    expect(mode(backupPath!)).toBe('600');
  });
});
