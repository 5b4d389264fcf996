/** App-wide state: startup, connection, toasts and the fatal error screen. */
import { create } from 'zustand';
import type { AppInfo, Me } from '../../src-shared/contract/types';
import { errorMessage, type Client } from '../api/client';
import { AppError, errorReason } from '../../src-shared/contract/errors';
import { getClient } from '../api/instance';
import type { ConnectionState } from '../api/transport';

/** 'signin': a server that asks people to sign in answered 401 (web only). */
export type AppState = 'loading' | 'ready' | 'fatal' | 'signin';
export type ToastKind = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
  /** A button beside the message ("Undo"); pressing it dismisses the toast and runs `run`. */
  action?: { label: string; run: () => void };
}

export interface FatalError {
  title: string;
  message: string;
  details: string;
}

interface AppStore {
  state: AppState;
  info: AppInfo | null;
  /** Who is calling, from `auth.me` (null until known, or when the host cannot say). */
  me: Me | null;
  fatal: FatalError | null;
  connection: ConnectionState;
  toasts: Toast[];
  start(): Promise<void>;
  /** The host wants a session: the sign-in page replaces the app. */
  needSignIn(): void;
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

/** A call refused because this browser has no session (the web transport's answer to an HTTP 401). */
export function isSignInNeeded(e: unknown): boolean {
  return e instanceof AppError && e.code === 'FORBIDDEN' && errorReason(e.details) === 'unauthenticated';
}

export const useAppStore = create<AppStore>((set, get) => ({
  state: 'loading',
  info: null,
  me: null,
  fatal: null,
  connection: 'connecting',
  toasts: [],

  async start() {
    set({ state: 'loading', fatal: null });
    const client = getClient();
    try {
      // Wait briefly for the event stream too, so the first import's events are not missed.
      const [info, me] = await Promise.all([
        client.call('app.info', {}),
        // who is calling: a host without accounts yet cannot say, and the app works without it
        client.call('auth.me', {}).catch((e: unknown) => {
          if (isSignInNeeded(e)) throw e;
          return null;
        }),
        waitForConnection(client, 2500),
      ]);
      set({ state: 'ready', info, me });
    } catch (e) {
      if (isSignInNeeded(e)) {
        get().needSignIn();
        return;
      }
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

  needSignIn() {
    set({ state: 'signin', me: null, fatal: null });
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
