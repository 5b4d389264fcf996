import { beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src-shared/contract/types';
import { createClient } from '../api/client';
import { setClient } from '../api/instance';
import { createMemoryTransport } from '../api/transport-memory';
import { useSyncStore } from './sync';

const status = (state: SyncStatus['state'], version = 1): SyncStatus => ({
  configured: true,
  server: 'https://sync.example.org',
  held: null,
  heldCount: 0,
  user: { name: 'sam', role: 'manager' },
  clientName: 'Sam’s laptop',
  state,
  waiting: 0,
  lastSyncAt: null,
  offlineSince: null,
  lastError: null,
  version,
  keptSites: null,
  openConflicts: 0,
  everyMinutes: 5,
});

/** A host whose `sync.status` answer is held until `release` is called, with the status then current. */
function slowHost() {
  let release: (s: SyncStatus) => void = () => undefined;
  setClient(
    createClient(
      createMemoryTransport({
        invoke: (method) =>
          new Promise((resolve) => {
            expect(method).toBe('sync.status');
            release = (s) => resolve({ ok: true, value: s });
          }),
      }),
    ),
  );
  return { release: (s: SyncStatus) => release(s) };
}

describe('the sync status store', () => {
  beforeEach(() => useSyncStore.setState({ status: null, events: 0, lastLink: null }));

  it('takes a fetched status when no event came while it was asked for', async () => {
    const host = slowHost();
    const done = useSyncStore.getState().fetch();
    host.release(status('waiting'));
    await done;
    expect(useSyncStore.getState().status?.state).toBe('waiting');
  });

  it('keeps an event that arrived after the question over the older answer', async () => {
    const host = slowHost();
    const done = useSyncStore.getState().fetch();
    // the core says the sync ended; the answer, taken before, still says it runs
    useSyncStore.getState().set(status('synced', 2));
    host.release(status('syncing', 1));
    await done;
    expect(useSyncStore.getState().status).toMatchObject({ state: 'synced', version: 2 });
  });

  it('applies a call’s answer only when nothing newer came', () => {
    const before = useSyncStore.getState().events;
    useSyncStore.getState().answer(status('syncing'), before);
    expect(useSyncStore.getState().status?.state).toBe('syncing');
    useSyncStore.getState().set(status('synced', 3));
    useSyncStore.getState().answer(status('syncing', 2), before);
    expect(useSyncStore.getState().status).toMatchObject({ state: 'synced', version: 3 });
  });

  it('remembers the last server and account after a disconnect, for the connect form', () => {
    const store = useSyncStore.getState();
    store.set(status('synced'));
    expect(useSyncStore.getState().lastLink).toEqual({ server: 'https://sync.example.org', username: 'sam' });
    // disconnected: the status has no server or account, the last ones stay
    useSyncStore.getState().set({ ...status('off'), configured: false, server: null, user: null });
    expect(useSyncStore.getState().lastLink).toEqual({ server: 'https://sync.example.org', username: 'sam' });
    useSyncStore.getState().answer({ ...status('synced'), server: 'http://10.0.0.5:8787', user: null }, 2);
    expect(useSyncStore.getState().lastLink).toEqual({ server: 'http://10.0.0.5:8787', username: 'sam' });
  });
});
