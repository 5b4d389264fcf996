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
