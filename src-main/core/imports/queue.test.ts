import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../app';
import { FIXTURES, importFiles, makeCore, writeTemp, storedReadings } from '../../../tests/helpers/core';
import { backoffMinutes } from './job-record';

const SAMPLE = path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv');
let core: Core;
afterEach(async () => {
  await core?.stop();
});

describe('import queue', () => {
  it('runs high priority first, then oldest', async () => {
    core = await makeCore();
    const a = (await core.files.storePath(SAMPLE)).fileId;
    const b = (await core.files.storePath(SAMPLE)).fileId;
    const c = (await core.files.storePath(SAMPLE)).fileId;
    const low = core.imports.enqueue([a], { priority: 'low' }).jobIds[0]!;
    const normal = core.imports.enqueue([b]).jobIds[0]!;
    const high = core.imports.enqueue([c], { priority: 'high' }).jobIds[0]!;
    const order: number[] = [];
    core.events.subscribe((e) => {
      if (e.event === 'imports.updated' && e.payload.job.status === 'running') order.push(e.payload.job.id);
    });
    await core.imports.drain();
    expect(order).toEqual([high, normal, low]);
  });

  it('retries I/O failures after 1, 2, 4 and 8 minutes, then fails for good with an alert', async () => {
    expect([1, 2, 3, 4].map(backoffMinutes)).toEqual([1, 2, 4, 8]);
    let now = Date.parse('2025-01-01T00:00:00Z');
    core = await makeCore({ clock: { now: () => now } });
    const f = await core.files.storePath(SAMPLE);
    const { jobIds } = core.imports.enqueue([f.fileId]);
    fs.rmSync(core.files.get(f.fileId)!.path); // the stored copy vanished: an I/O error every attempt
    const alerts: string[] = [];
    core.events.subscribe((e) => e.event === 'app.error' && alerts.push(e.payload.message));
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await core.imports.drain();
      const j = core.imports.get(jobIds[0]!);
      if (j.status !== 'retrying') break;
      const wait = (Date.parse(j.nextAttemptAt!) - now) / 60000;
      waits.push(wait);
      now += (wait - 0.5) * 60000;
      await core.imports.drain(); // not due yet: nothing runs
      expect(core.imports.get(jobIds[0]!).attempts).toBe(i + 1);
      now += 30000;
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    const j = core.imports.get(jobIds[0]!);
    expect(j).toMatchObject({ status: 'failed', attempts: 5 });
    expect(j.lastError).toMatch(/gave up after 5 attempts/);
    expect(alerts).toEqual([expect.stringMatching(/failed for good/)]);
  });

  it('cancel removes what the job wrote; retry runs it again from the start', async () => {
    core = await makeCore();
    const [job] = await importFiles(core, [SAMPLE]);
    expect(() => core.imports.cancel(job!.id)).toThrow(/already finished/);
    const f = await core.files.storePath(
      writeTemp('more.csv', 'MPAN,Timestamp,kWh\n2336533093112,2025-01-01T00:00:00Z,1\n'),
    );
    const { jobIds } = core.imports.enqueue([f.fileId]);
    const cancelled = core.imports.cancel(jobIds[0]!);
    expect(cancelled.status).toBe('cancelled');
    await core.imports.drain();
    expect(core.meters.list().map((m) => m.mpan)).not.toContain('2336533093112');
    const again = core.imports.retry(jobIds[0]!);
    expect(again.status).toBe('queued');
    await core.imports.drain();
    expect(core.imports.get(jobIds[0]!)).toMatchObject({ status: 'done', readingsImported: 1 });
    expect(() => core.imports.retry(jobIds[0]!)).toThrow(/only failed, cancelled or retrying/);
  });

  it('cancelling a running job stops it after the current chunk and undoes its readings and new meters', async () => {
    core = await makeCore();
    const lines = ['MPAN,Timestamp,kWh'];
    for (let i = 0; i < 80000; i++)
      lines.push(`2336533093112,${new Date(Date.UTC(2024, 0, 1) + i * 1800000).toISOString()},1`);
    const f = await core.files.storePath(writeTemp('big.csv', lines.join('\n')));
    const { jobIds } = core.imports.enqueue([f.fileId]);
    let cancelledOnce = false;
    core.events.subscribe((e) => {
      if (e.event === 'imports.progress' && !cancelledOnce) {
        cancelledOnce = true;
        expect(core.imports.cancel(jobIds[0]!).status).toBe('running');
      }
    });
    await core.imports.drain();
    expect(core.imports.get(jobIds[0]!)).toMatchObject({ status: 'cancelled', readingsImported: 0 });
    expect(storedReadings(core)).toHaveLength(0);
    expect(core.meters.list()).toEqual([]);
  });

  it("replace resolves conflicts with the file's values when the user chooses it", async () => {
    core = await makeCore();
    await importFiles(core, [
      writeTemp(
        'a.csv',
        'MPAN,Timestamp,kWh\n1012477457919,2025-01-01T00:00:00Z,1.5\n1012477457919,2025-01-01T00:30:00Z,2\n',
      ),
    ]);
    const f = await core.files.storePath(
      writeTemp(
        'b.csv',
        'MPAN,Timestamp,kWh\n1012477457919,2025-01-01T00:00:00Z,9\n1012477457919,2025-01-01T00:30:00Z,2\n',
      ),
    );
    const { jobIds } = core.imports.enqueue([f.fileId], { onConflict: 'replace' });
    await core.imports.drain();
    const j = core.imports.get(jobIds[0]!);
    expect(j).toMatchObject({ conflicts: 1, duplicates: 1, readingsImported: 0 });
    expect(j.errors[0]!.message).toMatch(/replaced it/);
    expect(core.meters.readings('1012477457919', '2025-01-01T00:00:00Z', '2025-01-01T00:30:00Z')[0]!.kwh).toBe(9);
  });

  it('takes over a job whose process died, and resumes it', async () => {
    core = await makeCore();
    const f = await core.files.storePath(SAMPLE);
    const { jobIds } = core.imports.enqueue([f.fileId]);
    // a claim by a process that no longer exists on this machine
    core.sqlite
      .prepare("UPDATE import_jobs SET status = 'running', owner = ? WHERE id = ?")
      .run(`${os.hostname()}:999999:dead`, jobIds[0]);
    await core.imports.drain();
    expect(core.imports.get(jobIds[0]!)).toMatchObject({ status: 'done', readingsImported: 14 });
  });

  it('keeps a job claimed by a live process alone', async () => {
    core = await makeCore();
    const f = await core.files.storePath(SAMPLE);
    const { jobIds } = core.imports.enqueue([f.fileId]);
    core.sqlite
      .prepare("UPDATE import_jobs SET status = 'running', owner = ?, heartbeat_at = unixepoch() WHERE id = ?")
      .run(`${os.hostname()}:${process.ppid}:alive`, jobIds[0]);
    await core.imports.drain();
    expect(core.imports.get(jobIds[0]!).status).toBe('running');
  });

  it('cleans finished jobs and their files after the retention period; readings stay', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    core = await makeCore({ clock: { now: () => now } });
    const [job] = await importFiles(core, [SAMPLE]);
    const stored = core.sqlite.prepare('SELECT path FROM stored_files').pluck().get() as string;
    expect(core.imports.cleanup(30)).toEqual({ jobsRemoved: 0, filesRemoved: 0 });
    now += 31 * 86400 * 1000;
    expect(core.imports.cleanup(30)).toEqual({ jobsRemoved: 1, filesRemoved: 1 });
    expect(fs.existsSync(stored)).toBe(false);
    expect(() => core.imports.get(job!.id)).toThrow(/^No import job/);
    expect(core.meters.list().reduce((s, m) => s + m.readings, 0)).toBe(14);
  });

  it('lists jobs filtered by status, batch and text', async () => {
    core = await makeCore();
    const f1 = await core.files.storePath(SAMPLE);
    const f2 = await core.files.storePath(path.join(FIXTURES, 'csv', 'not-a-meter-file.csv'));
    const { batchId } = core.imports.enqueue([f1.fileId, f2.fileId], { notes: 'October upload', tags: ['school'] });
    await core.imports.drain();
    expect(core.imports.list({ batchId })).toHaveLength(2);
    expect(core.imports.list({ status: 'failed' }).map((j) => j.file)).toEqual(['not-a-meter-file.csv']);
    expect(core.imports.list({ search: 'autumn' }).map((j) => j.file)).toEqual(['long-autumn-with-errors.csv']);
    expect(core.imports.list({ search: 'school' })).toHaveLength(2);
    expect(core.imports.list({ search: '100%' })).toHaveLength(0);
  });
});
