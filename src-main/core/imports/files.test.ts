import fs from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../app';
import { makeCore } from '../../../tests/helpers/core';

let core: Core | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await core?.stop();
  core = undefined;
});

const CSV = 'MPAN,Timestamp,kWh\n1200050000009,2025-01-01T00:00:00Z,1.5\n';

describe('uploads never queued', () => {
  it('are removed once older than the age given; queued files, fresh uploads and shared copies stay', async () => {
    core = await makeCore();
    const store = (name: string, text: string) => core!.files.store(name, Readable.from([Buffer.from(text)]));
    const queued = await store('queued.csv', CSV);
    const abandoned = await store('abandoned.csv', CSV.replace('1.5', '2.5'));
    // the same bytes as the queued file: its record shares the queued file's copy
    const twin = await store('twin.csv', CSV);
    const fresh = await store('fresh.csv', CSV.replace('1.5', '3.5'));
    core.imports.enqueue([queued.fileId], { dryRun: true });
    const path = (id: string) => core!.files.get(id)!.path;
    const paths = { queued: path(queued.fileId), abandoned: path(abandoned.fileId), fresh: path(fresh.fileId) };
    expect(path(twin.fileId)).toBe(paths.queued);
    // eleven minutes pass for all but the fresh upload
    core.sqlite.prepare('UPDATE stored_files SET created_at = created_at - 660 WHERE id != ?').run(fresh.fileId);

    expect(core.files.removeUnqueued(600)).toEqual({ filesRemoved: 1 });

    expect(core.files.get(abandoned.fileId)).toBeUndefined();
    expect(fs.existsSync(paths.abandoned)).toBe(false);
    expect(core.files.get(twin.fileId)).toBeUndefined();
    expect(fs.existsSync(paths.queued)).toBe(true);
    expect(core.files.get(queued.fileId)).toBeDefined();
    expect(core.files.get(fresh.fileId)).toBeDefined();
    expect(fs.existsSync(paths.fresh)).toBe(true);
    // the queued file still imports
    const [job] = await core.imports.wait(core.imports.list({}).map((j) => j.id));
    expect(job!.status).toBe('done');
  });

  it('are looked for every minute once the core runs', async () => {
    core = await makeCore({ host: 'server' });
    const f = await core.files.store('abandoned.csv', Readable.from([Buffer.from(CSV)]));
    const copy = core.files.get(f.fileId)!.path;
    core.sqlite.prepare('UPDATE stored_files SET created_at = created_at - 660').run();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    core.start();
    expect(core.files.get(f.fileId)).toBeDefined();
    vi.advanceTimersByTime(60_000);
    expect(core.files.get(f.fileId)).toBeUndefined();
    expect(fs.existsSync(copy)).toBe(false);
  });
});

describe('copies no record names', () => {
  it('(an upload cut off when the server stopped) are removed once untouched for the age given', async () => {
    core = await makeCore();
    const dir = `${core.dataDir}/imports`;
    fs.mkdirSync(dir, { recursive: true });
    const kept = await core.files.store('kept.csv', Readable.from([Buffer.from(CSV)]));
    const partial = `${dir}/3d2ee5e9-0000-4000-8000-000000000000.csv`;
    const writing = `${dir}/3d2ee5e9-0000-4000-8000-000000000001.csv`;
    fs.writeFileSync(partial, 'MPAN,Timestamp,kWh\n12000500');
    fs.writeFileSync(writing, 'MPAN,Timestamp,kWh\n');
    const old = new Date(Date.now() - 11 * 60 * 1000);
    fs.utimesSync(partial, old, old);
    const keptPath = core.files.get(kept.fileId)!.path;
    fs.utimesSync(keptPath, old, old);
    expect(core.files.removeUnqueued(600)).toEqual({ filesRemoved: 1 });
    expect(fs.existsSync(partial)).toBe(false);
    // still being written (touched just now), and a copy a record names: kept
    expect(fs.existsSync(writing)).toBe(true);
    expect(fs.existsSync(keptPath)).toBe(true);
  });
});

describe('imports.cleanup', () => {
  it('also removes uploads never queued (older than a minute), as the issue found a cleanup with days 0 did not', async () => {
    core = await makeCore();
    const up = await core.files.store('never-queued.csv', Readable.from([Buffer.from(CSV)]));
    const copy = core.files.get(up.fileId)!.path;
    // just uploaded: a cleanup leaves it (it may be about to be queued)
    expect(core.imports.cleanup(0).filesRemoved).toBe(0);
    core.sqlite.prepare('UPDATE stored_files SET created_at = created_at - 120 WHERE id = ?').run(up.fileId);
    expect(core.imports.cleanup(0)).toEqual({ jobsRemoved: 0, filesRemoved: 1 });
    expect(fs.existsSync(copy)).toBe(false);
  });
});
