import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/app';
import { silentLogger } from '../core/events';
import type { PushedEvent } from '../../src-shared/contract/events';
import { importPaths, MAX_FILES, parseImportRequest } from './drop';

const CSV = path.resolve('tests/fixtures/csv');
let core: Core;
afterEach(async () => {
  await core?.stop();
});

async function realCore() {
  core = await createCore({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'eclectyc-desktop-')),
    migrationsDir: path.resolve('drizzle'),
    log: silentLogger,
    host: 'desktop',
  });
  const events: PushedEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  return events;
}

describe('importPaths (drag and drop, file input, tray import)', () => {
  it('stores every dropped file and enqueues them as ONE batch that really imports', async () => {
    const events = await realCore();
    const files = [path.join(CSV, 'long-autumn-with-errors.csv'), path.join(CSV, 'long-dry-run.csv')];
    const r = await importPaths(core, files);
    expect(r.failed).toEqual([]);
    expect(r.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.jobIds).toHaveLength(2);
    const jobs = core.imports.list();
    expect(new Set(jobs.map((j) => j.batchId))).toEqual(new Set([r.batchId]));
    expect(jobs.map((j) => j.file).sort()).toEqual(['long-autumn-with-errors.csv', 'long-dry-run.csv']);
    // The files were copied into the data folder, byte for byte.
    const stored = fs.readdirSync(path.join(core.dataDir, 'imports'));
    expect(stored).toHaveLength(2);
    const sizes = stored.map((f) => fs.statSync(path.join(core.dataDir, 'imports', f)).size).sort();
    expect(sizes).toEqual(files.map((f) => fs.statSync(f).size).sort());
    // Audited like any other enqueue.
    expect(core.sqlite.prepare('SELECT actor, action FROM audit_log').all()).toEqual([
      { actor: `${os.userInfo().username} (desktop)`, action: 'imports.enqueue' },
    ]);
    // And it runs: the queue imports the readings.
    await core.imports.drain();
    expect(core.imports.get(r.jobIds[0]!).status).toBe('done');
    expect(core.meters.list().map((m) => m.mpan)).toContain('2336533093112');
    expect(events.filter((e) => e.event === 'app.error')).toEqual([]);
  });

  it('a file dropped again asks the window first (imports.duplicate) and queues nothing until told to', async () => {
    const events = await realCore();
    const file = path.join(CSV, 'long-autumn-with-errors.csv');
    await importPaths(core, [file]);
    await core.imports.drain();
    const again = await importPaths(core, [file, path.join(CSV, 'long-dry-run.csv')], {
      options: { meter: '1012477457919' },
    });
    expect(again).toEqual({ batchId: null, jobIds: [], failed: [] });
    expect(core.imports.list()).toHaveLength(1);
    const asked = events.filter((e) => e.event === 'imports.duplicate');
    expect(asked).toHaveLength(1);
    const payload = (asked[0] as PushedEvent<'imports.duplicate'>).payload;
    expect(payload.message).toMatch(/^long-autumn-with-errors\.csv was already imported on /);
    expect(payload.options).toEqual({ meter: '1012477457919', dryRun: false });
    expect(payload.details.files.map((f) => f.earlier.jobId)).toEqual([core.imports.list()[0]!.id]);
    expect(payload.details.fileIds).toHaveLength(2);
    expect(events.filter((e) => e.event === 'app.error')).toEqual([]);
    // told to, the window queues both stored copies again
    const r = core.imports.enqueue(payload.details.fileIds, { reimport: true });
    expect(r.jobIds).toHaveLength(2);
  });

  it('passes the dry-run flag to the batch, writing no readings', async () => {
    await realCore();
    const r = await importPaths(core, [path.join(CSV, 'long-dry-run.csv')], { dryRun: true });
    await core.imports.drain();
    const job = core.imports.get(r.jobIds[0]!);
    expect(job).toMatchObject({ status: 'done', dryRun: true });
    expect(job.preview?.meters).toEqual(['2336533093112']);
    expect(core.readings.dayCount()).toBe(0);
  });

  it("carries the Imports page's options (priority, notes, tags, conflicts) and refuses invalid ones with the reason", async () => {
    const events = await realCore();
    const r = await importPaths(core, [path.join(CSV, 'long-dry-run.csv')], {
      options: { priority: 'high', notes: 'from the March invoice', tags: ['march', 'hq'], onConflict: 'replace' },
    });
    expect(core.imports.get(r.jobIds[0]!)).toMatchObject({
      priority: 'high',
      notes: 'from the March invoice',
      tags: ['march', 'hq'],
      onConflict: 'replace',
    });
    const bad = await importPaths(core, [path.join(CSV, 'long-dry-run.csv')], { options: { priority: 'urgent' } });
    expect(bad.jobIds).toEqual([]);
    expect(bad.failed[0]!.message).toMatch(/priority/);
    expect(events.filter((e) => e.event === 'app.error')).toHaveLength(1);
  });

  it('imports the files it can and reports the rest as one app.error', async () => {
    const events = await realCore();
    const missing = path.join(os.tmpdir(), 'eclectyc-no-such-file.csv');
    const r = await importPaths(core, [path.join(CSV, 'long-dry-run.csv'), missing, CSV]);
    expect(r.jobIds).toHaveLength(1);
    expect(r.failed.map((f) => f.path)).toEqual([missing, CSV]);
    const errors = events.filter((e) => e.event === 'app.error');
    expect(errors).toHaveLength(1);
    expect((errors[0]!.payload as { message: string }).message).toMatch(
      /^2 files could not be imported: .*no such file.*is not a file/,
    );
  });

  it('enqueues nothing when no file could be stored', async () => {
    const events = await realCore();
    const r = await importPaths(core, [path.join(os.tmpdir(), 'eclectyc-missing-1.csv')]);
    expect(r).toMatchObject({ batchId: null, jobIds: [] });
    expect(core.imports.list()).toEqual([]);
    expect(events.map((e) => e.event)).toEqual(['app.error']);
  });

  it('refuses more files than one batch may hold, storing none', async () => {
    const events = await realCore();
    const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => path.join(CSV, `f${i}.csv`));
    const r = await importPaths(core, many);
    expect(r.jobIds).toEqual([]);
    expect(fs.existsSync(path.join(core.dataDir, 'imports'))).toBe(false);
    expect(events.map((e) => e.event)).toEqual(['app.error']);
  });
});

describe('parseImportRequest', () => {
  it('accepts a list of paths, an optional boolean dryRun and an options object only', () => {
    expect(parseImportRequest({ paths: ['/a.csv'], dryRun: true })).toEqual({
      paths: ['/a.csv'],
      dryRun: true,
      options: {},
    });
    expect(parseImportRequest({ paths: ['/a.csv'] })).toEqual({ paths: ['/a.csv'], dryRun: false, options: {} });
    // the options never choose the files or the dry run
    expect(
      parseImportRequest({ paths: ['/a.csv'], options: { priority: 'high', fileIds: ['x'], dryRun: true } }),
    ).toEqual({ paths: ['/a.csv'], dryRun: false, options: { priority: 'high' } });
    for (const bad of [
      null,
      'x',
      {},
      { paths: [] },
      { paths: [1] },
      { paths: [''] },
      { paths: ['/a\0b'] },
      { paths: ['/a'], dryRun: 'yes' },
      { paths: ['/a'], options: [] },
      { paths: ['/a'], options: 'high' },
      { paths: ['/a'], options: { notes: 'x'.repeat(20_000) } },
    ]) {
      expect(parseImportRequest(bad)).toBeNull();
    }
  });
});
