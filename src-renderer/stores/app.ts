/** App-wide state: startup, connection, toasts and the fatal error screen. */
import { create } from 'zustand';
import type { AppInfo } from '../../src-shared/contract/types';
import { errorMessage, type Client } from '../api/client';
import { AppError } from '../../src-shared/contract/errors';
import { getClient } from '../api/instance';
import type { ConnectionState } from '../api/transport';

export type AppState = 'loading' | 'ready' | 'fatal';
export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
}

export interface FatalError {
  title: string;
  message: string;
  details: string;
}

interface AppStore {
  state: AppState;
  info: AppInfo | null;
  fatal: FatalError | null;
  connection: ConnectionState;
  toasts: Toast[];
  start(): Promise<void>;
  setConnection(s: ConnectionState): void;
  toast(t: Omit<Toast, 'id'>, ttlMs?: number): number;
  /** Shows an action's failure as an error toast. */
  toastError(title: string, e: unknown): void;
  dismiss(id: number): void;
}

let nextToast = 1;

function waitForConnection(client: Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let off: (() => void) | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => off?.());
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    off = client.onConnection((s) => {
      if (s === 'connected') finish();
    });
    if (done) off();
  });
}
const MAX_TOASTS = 5;

export const useAppStore = create<AppStore>((set, get) => ({
  state: 'loading',
  info: null,
  fatal: null,
  connection: 'connecting',
  toasts: [],

  async start() {
    set({ state: 'loading', fatal: null });
    const client = getClient();
    try {
      // Wait briefly for the event stream too, so the first import's events are not missed.
      const [info] = await Promise.all([client.call('app.info', {}), waitForConnection(client, 2500)]);
      set({ state: 'ready', info });
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'UNAVAILABLE';
      const message = errorMessage(e);
      const details = [
        `Eclectyc Energy could not start.`,
        `Error: ${code}: ${message}`,
        `Transport: ${client.kind}`,
        `Address: ${typeof window !== 'undefined' ? window.location.href : 'n/a'}`,
        `Time: ${new Date().toISOString()}`,
        `Browser: ${typeof navigator !== 'undefined' ? navigator.userAgent : 'n/a'}`,
      ].join('\n');
      set({
        state: 'fatal',
        fatal: {
          title: code === 'UNAVAILABLE' ? 'Cannot reach the Eclectyc Energy host' : 'Eclectyc Energy could not start',
          message,
          details,
        },
      });
    }
  },

  setConnection(connection) {
    set({ connection });
  },

  toast(t, ttlMs = t.kind === 'error' ? 10_000 : 5_000) {
    const id = nextToast++;
    set({ toasts: [...get().toasts, { ...t, id }].slice(-MAX_TOASTS) });
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
    return id;
  },

  toastError(title, e) {
    get().toast({ kind: 'error', title, message: errorMessage(e) });
  },

  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));
