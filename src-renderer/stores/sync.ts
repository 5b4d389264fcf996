/**
 * The link to the shared server as the frame shows it: `sync.status`, fetched once and then kept up
 * to date by the `sync.status` event. A call's answer can arrive after events the core sent later
 * (a connect's answer says "syncing" when the sync it started has already ended), so an answer is
 * only taken when no event came while it was on its way.
 */
import { create } from 'zustand';
import type { SyncStatus } from '../../src-shared/contract/types';
import { getClient } from '../api/instance';

/** The server and account of the last link seen, offered again in the connect form after a disconnect. */
export interface LastLink {
  server: string;
  username: string;
}

/** The link a status shows, or the one known before when it shows none. */
export function lastLinkOf(status: SyncStatus, before: LastLink | null): LastLink | null {
  return status.configured && status.server
    ? { server: status.server, username: status.user?.name ?? before?.username ?? '' }
    : before;
}

interface SyncStore {
  status: SyncStatus | null;
  /** The last server and account this desktop was linked with, while the app is open. */
  lastLink: LastLink | null;
  /** How many `sync.status` events have arrived: a call's answer started at an older count is stale. */
  events: number;
  fetch(): Promise<void>;
  /** A status pushed by the core (the `sync.status` event): always the latest. */
  set(status: SyncStatus): void;
  /** A status a call answered with, the call made when `events` was `since`: kept unless an event came since. */
  answer(status: SyncStatus, since: number): void;
}

export const useSyncStore = create<SyncStore>((set, get) => ({
  status: null,
  lastLink: null,
  events: 0,

  async fetch() {
    const since = get().events;
    try {
      get().answer(await getClient().call('sync.status', {}), since);
    } catch {
      // the frame shows nothing; Settings → Shared server says what went wrong when opened
    }
  },

  set(status) {
    set({ status, events: get().events + 1, lastLink: lastLinkOf(status, get().lastLink) });
  },

  answer(status, since) {
    if (get().events === since) set({ status, lastLink: lastLinkOf(status, get().lastLink) });
  },
}));
