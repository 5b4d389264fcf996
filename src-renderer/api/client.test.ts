import { describe, expect, it, vi } from 'vitest';
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { ImportJob, StoredFile } from '../../src-shared/contract/types';
import { createClient } from './client';
import { AppError } from '../../src-shared/contract/errors';
import { createMemoryTransport } from './transport-memory';

const FILE_ID = '0b7c6f1e-6b0e-4c4f-9a55-3f1c2b9d8e7a';

function job(id: number, over: Partial<ImportJob> = {}): ImportJob {
  return {
    id,
    batchId: 'b',
    fileId: FILE_ID,
    file: 'a.csv',
    format: 'long',
    status: 'queued',
    priority: 'normal',
    dryRun: false,
    attempts: 0,
    bytes: 10,
    bytesDone: 0,
    rowsRead: 0,
    readingsImported: 0,
    duplicates: 0,
    conflicts: 0,
    rowsRejected: 0,
    metersCreated: [],
    errors: [],
    lastError: null,
    createdAt: '2025-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    rolledBackAt: null,
    rolledBackBy: null,
    sourceId: null,
    source: null,
    preview: null,
    onConflict: 'keep',
    notes: null,
    tags: [],
    nextAttemptAt: null,
    failureKind: null,
    outcome: { grade: 'queued', tone: 'grey', label: 'Queued', summary: '', retry: false },
    ...over,
  };
}

describe('createClient', () => {
  it('returns the value of an ok reply and sends the arguments', async () => {
    const invoke = vi.fn(async (): Promise<Reply<unknown>> => ({
      ok: true,
      value: { version: '1', dataDir: '/d', host: 'memory', role: 'admin' },
    }));
    const client = createClient(createMemoryTransport({ invoke }));
    const info = await client.call('app.info', {});
    expect(info.version).toBe('1');
    expect(invoke).toHaveBeenCalledWith('app.info', {});
  });

  it('throws AppError with the code and message of a failed reply', async () => {
    const client = createClient(
      createMemoryTransport({
        invoke: async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no meter 123' } }),
      }),
    );
    const err = await client.call('readings.series', { meter: '123' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no meter 123' });
  });

  it('turns a transport that cannot be reached into UNAVAILABLE', async () => {
    const client = createClient(
      createMemoryTransport({ invoke: async () => Promise.reject(new Error('socket closed')) }),
    );
    await expect(client.call('meters.list', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('delivers pushed events, filtered by name with onEvent', () => {
    let push: (e: PushedEvent) => void = () => {};
    const client = createClient(
      createMemoryTransport({
        invoke: async () => ({ ok: true, value: null }),
        subscribe: (l) => ((push = l), () => {}),
      }),
    );
    const seen: number[] = [];
    client.onEvent('imports.progress', (p) => seen.push(p.percent));
    push({ event: 'meters.changed', payload: { meterIds: [] } });
    push({
      event: 'imports.progress',
      payload: { jobId: 1, percent: 42, rowsRead: 1, rowsPerSecond: 1, etaSeconds: null },
    });
    expect(seen).toEqual([42]);
  });

  it('uploads every file, then queues the stored ones as one batch', async () => {
    const calls: [string, unknown][] = [];
    const upload = vi.fn(async (f: File): Promise<Reply<StoredFile>> =>
      f.name === 'bad.csv'
        ? { ok: false, error: { code: 'BAD_INPUT', message: 'empty file' } }
        : { ok: true, value: { fileId: FILE_ID, name: f.name, bytes: f.size, sha256: 'x' } },
    );
    const client = createClient(
      createMemoryTransport({
        invoke: async (m, a) => {
          calls.push([m, a]);
          return { ok: true, value: { batchId: 'b1', jobIds: [7] } };
        },
        upload,
      }),
    );
    expect(client.uploads).toBe(true);
    const r = await client.uploadFiles([new File(['a'], 'good.csv'), new File([''], 'bad.csv')], { dryRun: true });
    expect(upload).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([['imports.enqueue', { fileIds: [FILE_ID], dryRun: true }]]);
    expect(r.jobIds).toEqual([7]);
    expect(r.failures.map((f) => [f.name, f.error.code])).toEqual([['bad.csv', 'BAD_INPUT']]);
  });

  it('does not upload where the host brings files in itself (desktop)', async () => {
    const client = createClient(createMemoryTransport({ invoke: async () => ({ ok: true, value: null }) }));
    expect(client.uploads).toBe(false);
    await expect(client.uploadFiles([new File(['a'], 'a.csv')], { dryRun: false })).rejects.toBeInstanceOf(AppError);
  });
});

describe('imports store ordering', () => {
  it('keeps the newest state when an event and a reply cross', async () => {
    const { useImportsStore, requestMark } = await import('../stores/imports');
    const store = useImportsStore.getState();
    const mark = requestMark();
    store.upsert(job(1, { status: 'running' })); // event
    store.upsert(job(1, { status: 'done' })); // event
    store.upsert(job(1, { status: 'running' }), mark); // stale reply to a request sent before the events
    expect(useImportsStore.getState().jobs[1]?.status).toBe('done');
    store.upsert(job(1, { status: 'queued', attempts: 2 }), requestMark()); // a retry's reply, after the events
    expect(useImportsStore.getState().jobs[1]?.status).toBe('queued');
    store.upsert(job(3));
    store.upsert(job(2));
    expect(useImportsStore.getState().order).toEqual([3, 2, 1]);
  });
});
