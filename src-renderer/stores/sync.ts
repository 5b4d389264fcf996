/**
 * The link to the shared server as the frame shows it: `sync.status`, fetched once and then kept up
 * to date by the `sync.status` event.
 */
import { create } from 'zustand';
import type { SyncStatus } from '../../src-shared/contract/types';
import { getClient } from '../api/instance';

interface SyncStore {
  status: SyncStatus | null;
  fetch(): Promise<void>;
  set(status: SyncStatus): void;
}

export const useSyncStore = create<SyncStore>((set, get) => ({
  status: null,

  async fetch() {
    try {
      get().set(await getClient().call('sync.status', {}));
    } catch {
      // the frame shows nothing; Settings → Shared server says what went wrong when opened
    }
  },

  set(status) {
    set({ status });
  },
}));
