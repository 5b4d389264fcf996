/**
 * One contract suite, run against the in-memory and the HTTP transport: both hosts must answer
 * every call the same way, errors included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { ImportJob, MeterSummary, Reading, Series, StoredFile } from '../../src-shared/contract/types';
import type { Core } from '../../src-main/core/app';
import { FIXTURES, makeCore } from '../helpers/core';
import { httpTransport, memoryTransport, type TestTransport } from '../helpers/transports';

const SAMPLE = fs.readFileSync(path.join(FIXTURES, 'csv', 'long-autumn-with-errors.csv'));

const transports = [
  ['memory', memoryTransport],
  ['http', httpTransport],
] as const;

describe.each(transports)('contract over the %s transport', (_name, make) => {
  let core: Core;
  let t: TestTransport;
  afterEach(async () => {
    await t?.close();
    await core?.stop();
  });

  async function setup(role: 'viewer' | 'manager' | 'admin' = 'admin') {
    core = await makeCore({ host: 'server', version: '9.9.9' });
    core.start();
    t = await make(core, { role, actor: 'tester' });
  }

  /** Uploads, enqueues, and resolves with the finished job, watching pushed events only. */
  async function importViaEvents(content: Buffer, dryRun = false): Promise<{ job: ImportJob; events: PushedEvent[] }> {
    const events: PushedEvent[] = [];
    let resolveDone!: (j: ImportJob) => void;
    const done = new Promise<ImportJob>((r) => (resolveDone = r));
    const off = await t.subscribe((e) => {
      events.push(e);
      if (e.event === 'imports.updated' && (e.payload.job.status === 'done' || e.payload.job.status === 'failed')) resolveDone(e.payload.job);
    });
    const up = await t.upload('sample.csv', content);
    expect(up.ok).toBe(true);
    const enq = await t.invoke('imports.enqueue', { fileIds: [(up as { value: StoredFile }).value.fileId], dryRun });
    expect(enq).toMatchObject({ ok: true, value: { jobIds: [expect.any(Number)] } });
    const job = await done;
    off();
    return { job, events };
  }

  it('app.info answers with the version and the caller role', async () => {
    await setup('viewer');
    expect(await t.invoke('app.info', {})).toMatchObject({ ok: true, value: { version: '9.9.9', host: 'server', role: 'viewer' } });
  });

  it('returns UNKNOWN_METHOD, INVALID_ARGS and NOT_FOUND as data', async () => {
    await setup();
    expect(await t.invoke('nope.nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await t.invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    const bad = await t.invoke('readings.list', { meter: '1012477457919', from: 'yesterday', to: 5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(JSON.stringify(bad)).toMatch(/from/);
    expect(await t.invoke('imports.list', { status: 'weird' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(await t.invoke('meters.list', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGS' } });
    expect(await t.invoke('readings.series', { meter: '1012477457919' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('1012477457919') } });
    expect(await t.invoke('imports.get', { id: 999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.invoke('imports.enqueue', { fileIds: ['00000000-0000-0000-0000-000000000000'] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a viewer what needs a manager, and lets a viewer read', async () => {
    await setup('viewer');
    expect(await t.invoke('imports.enqueue', { fileIds: ['00000000-0000-0000-0000-000000000000'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.invoke('meters.list', {})).toEqual({ ok: true, value: [] });
  });

  it('imports an uploaded file, pushes progress and updates, then serves the readings', async () => {
    await setup();
    const { job, events } = await importViaEvents(SAMPLE);
    expect(job).toMatchObject({ status: 'done', rowsRead: 19, readingsImported: 14, rowsRejected: 5, file: 'sample.csv' });
    const statuses = events.filter((e) => e.event === 'imports.updated').map((e) => (e.payload as { job: ImportJob }).job.status);
    expect(statuses).toEqual(['queued', 'running', 'done']);
    const progress = events.filter((e) => e.event === 'imports.progress');
    expect(progress.at(-1)!.payload).toMatchObject({ percent: 100, rowsRead: 19 });
    expect(events.some((e) => e.event === 'meters.changed')).toBe(true);

    const meters = (await t.invoke('meters.list', {})) as { ok: true; value: MeterSummary[] };
    expect(meters.value).toEqual([
      { mpan: '1012477457919', label: null, siteId: null, kind: 'mpan', fuel: 'electricity', site: null, firstReading: '2025-10-25T21:00:00Z', lastReading: '2025-10-26T02:30:00Z', readings: 12 },
      { mpan: '2200012767323', label: null, siteId: null, kind: 'mpan', fuel: 'electricity', site: null, firstReading: '2025-10-25T23:00:00Z', lastReading: '2025-10-25T23:30:00Z', readings: 2 },
    ]);
    const rows = (await t.invoke('readings.list', { meter: '1012477457919', from: '2025-10-26T00:00:00Z', to: '2025-10-26T01:30:00Z' })) as { ok: true; value: Reading[] };
    expect(rows.value).toEqual([
      { start: '2025-10-26T00:00:00Z', kwh: 1.1, quality: 'actual' },
      { start: '2025-10-26T00:30:00Z', kwh: 1.2, quality: 'actual' },
      { start: '2025-10-26T01:00:00Z', kwh: 1.3, quality: 'actual' },
    ]);
    const series = (await t.invoke('readings.series', { meter: '1012477457919' })) as { ok: true; value: Series };
    expect(series.value.ts).toHaveLength(12);
    expect(series.value.kwh[0]).toBe(0.5);
    const list = (await t.invoke('imports.list', {})) as { ok: true; value: ImportJob[] };
    expect(list.value).toHaveLength(1);
    const one = (await t.invoke('imports.get', { id: job.id })) as { ok: true; value: ImportJob };
    expect(one.value.errors).toHaveLength(5);
  });

  it('a second import of the same file reports every reading as a duplicate', async () => {
    await setup();
    await importViaEvents(SAMPLE);
    const { job } = await importViaEvents(SAMPLE);
    expect(job).toMatchObject({ readingsImported: 0, duplicates: 14, rowsRejected: 5 });
  });

  it('a dry run previews and writes nothing', async () => {
    await setup();
    const { job } = await importViaEvents(SAMPLE, true);
    expect(job).toMatchObject({ dryRun: true, readingsImported: 14, preview: { meters: ['1012477457919', '2200012767323'] } });
    expect(await t.invoke('meters.list', {})).toEqual({ ok: true, value: [] });
  });

  it('a file that cannot be read fails its job with a plain reason', async () => {
    await setup();
    const { job } = await importViaEvents(Buffer.from('just some text\nwith no header\n'));
    expect(job.status).toBe('failed');
    expect(job.lastError).toMatch(/no header row/);
  });
});
