/** What the api client needs from a host connection: calls, pushed events and (web only) uploads. */
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { StoredFile } from '../../src-shared/contract/types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface Transport {
  readonly kind: 'http' | 'ipc' | 'memory';
  /** Calls a contract method. Must resolve with a Reply; rejects only when the host cannot be reached. */
  invoke(method: string, args: unknown): Promise<Reply<unknown>>;
  /** Pushed events from the core; returns an unsubscribe function. */
  subscribe(listener: (e: PushedEvent) => void): () => void;
  /** Connection state changes (the listener is called at once with the current state). */
  onConnection(listener: (s: ConnectionState) => void): () => void;
  /**
   * Sends one file to the host's file store. Absent where the host brings files in itself
   * (Electron: the preload captures dropped and picked files).
   */
  upload?(file: File): Promise<Reply<StoredFile>>;
  /**
   * Web only: the host answered 401 (this server asks people to sign in and the browser has no
   * session). The event stream stops until `resume`; returns an unsubscribe function.
   */
  onSignInNeeded?(listener: () => void): () => void;
  /** Web only: after signing out, the event stream stops (it would only be refused). */
  pause?(): void;
  /** Web only: after signing in, opens the event stream again at once. */
  resume?(): void;
}

/** A tiny listener set used by the transports. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(l: (v: T) => void): () => void {
    this.set.add(l);
    return () => {
      this.set.delete(l);
    };
  }
  emit(v: T): void {
    for (const l of [...this.set]) {
      try {
        l(v);
      } catch (e) {
        console.error('event listener failed', e);
      }
    }
  }
  get size(): number {
    return this.set.size;
  }
}

export function isPushedEvent(x: unknown): x is PushedEvent {
  return typeof x === 'object' && x !== null && typeof (x as { event?: unknown }).event === 'string' && 'payload' in x;
}

export function isReply(x: unknown): x is Reply<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; error?: unknown };
  if (r.ok === true) return 'value' in x;
  return r.ok === false && typeof r.error === 'object' && r.error !== null;
}
