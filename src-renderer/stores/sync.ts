/**
 * The link to the shared server as the frame shows it: `sync.status`, fetched once and then kept up
 * to date by the `sync.status` event; a counter that moves on every change so the conflicts page
 * reloads after a sync.
 */
import { create } from 'zustand';
import type { SyncStatus } from '../../src-shared/contract/types';
import { getClient } from '../api/instance';

interface SyncStore {
  status: SyncStatus | null;
  /** Moves on every status received: pages that list what a sync brings reload on it. */
  version: number;
  fetch(): Promise<void>;
  set(status: SyncStatus): void;
}

export const useSyncStore = create<SyncStore>((set, get) => ({
  status: null,
  version: 0,

  async fetch() {
    try {
      get().set(await getClient().call('sync.status', {}));
    } catch {
      // the frame shows nothing; Settings → Shared server says what went wrong when opened
    }
  },

  set(status) {
    set({ status, version: get().version + 1 });
  },
}));
