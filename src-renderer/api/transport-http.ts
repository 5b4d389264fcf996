/** Web mode: POST /rpc/<method>, POST /upload, GET /events (server-sent events) on the same origin. */
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { StoredFile } from '../../src-shared/contract/types';
import { Listeners, isPushedEvent, isReply, type ConnectionState, type Transport } from './transport';

export interface HttpTransportOptions {
  /** Base URL ending in '/', default: the page's own directory. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** Silence after which the event stream counts as lost (the host pings every 4 s). */
  staleAfterMs?: number;
}

/** Three missed pings (the host sends one every 4 s, `HEARTBEAT_MS`): the connection is gone. */
const STALE_AFTER_MS = 12_000;

/** What a call gets when the host wants a signed-in session (HTTP 401, whatever its body says). */
export const SIGN_IN_NEEDED: Reply<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'Sign in to continue', details: { reason: 'unauthenticated' } },
};

async function readReply<T>(res: Response): Promise<Reply<T>> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return {
      ok: false,
      error: { code: 'UNAVAILABLE', message: `the host answered HTTP ${res.status} without a usable reply` },
    };
  }
  if (isReply(body)) return body as Reply<T>;
  return {
    ok: false,
    error: { code: 'INTERNAL', message: `the host answered HTTP ${res.status} with an unexpected reply` },
  };
}

export function createHttpTransport(opts: HttpTransportOptions = {}): Transport {
  const base = opts.baseUrl ?? new URL('./', window.location.href).href;
  const doFetch = opts.fetch ?? window.fetch.bind(window);
  const ES = opts.EventSource ?? window.EventSource;
  const events = new Listeners<PushedEvent>();
  const states = new Listeners<ConnectionState>();
  const signIn = new Listeners<void>();
  /** Set by a 401: no event stream until `resume` (the stream would only be refused). */
  let paused = false;
  let state: ConnectionState = 'connecting';
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let lastSeen = 0;
  let watchdog: ReturnType<typeof setInterval> | null = null;
  const staleAfter = opts.staleAfterMs ?? STALE_AFTER_MS;

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    states.emit(s);
  };

  const wanted = (): boolean => events.size > 0 || states.size > 0;

  const stopWatchdog = (): void => {
    if (watchdog) clearInterval(watchdog);
    watchdog = null;
  };

  /** Drops the stream and tries again after a backoff: 1 s, 2 s, 4 s … up to 30 s. */
  const retryLater = (): void => {
    source?.close();
    source = null;
    stopWatchdog();
    failures++;
    setState(failures > 2 ? 'offline' : 'reconnecting');
    if (retryTimer) clearTimeout(retryTimer);
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (wanted()) connect();
    }, delay);
  };

  const connect = (): void => {
    if (source || paused) return;
    const es = new ES(new URL('events', base).href);
    source = es;
    lastSeen = Date.now();
    const seen = (): void => {
      lastSeen = Date.now();
      failures = 0;
      setState('connected');
    };
    es.onopen = seen;
    es.addEventListener('ping', seen);
    es.onmessage = (m: MessageEvent<string>) => {
      seen();
      let data: unknown;
      try {
        data = JSON.parse(m.data);
      } catch {
        return;
      }
      if (isPushedEvent(data)) events.emit(data);
    };
    es.onerror = () => {
      // The browser retries by itself while readyState is CONNECTING, which it may do for ever
      // against a host that is down: we take over, with backoff, and say so.
      if (source !== es) return;
      retryLater();
    };
    // A stream can also go silent without an error (a host frozen, a network dropped under a
    // half-open socket): the host pings every few seconds, so silence means the connection is lost.
    stopWatchdog();
    watchdog = setInterval(
      () => {
        if (source === es && Date.now() - lastSeen > staleAfter) retryLater();
      },
      Math.max(250, Math.floor(staleAfter / 4)),
    );
  };

  const pause = (): void => {
    paused = true;
    source?.close();
    source = null;
    stopWatchdog();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  };

  /** A 401: the session is gone (or never was). Stops the stream and tells whoever listens. */
  const signInNeeded = (): Reply<never> => {
    if (!paused) {
      pause();
      signIn.emit();
    }
    return SIGN_IN_NEEDED;
  };

  const unreachable = (e: unknown): Reply<never> => ({
    ok: false,
    error: {
      code: 'UNAVAILABLE',
      message: `Cannot reach the Eclectyc host (${e instanceof Error ? e.message : String(e)})`,
    },
  });

  return {
    kind: 'http',
    async invoke(method, args) {
      let res: Response;
      try {
        res = await doFetch(new URL(`rpc/${encodeURIComponent(method)}`, base).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(args ?? {}),
        });
      } catch (e) {
        if (state === 'connected') retryLater();
        return unreachable(e);
      }
      if (res.status === 401) return signInNeeded();
      return readReply(res);
    },
    async upload(file: File): Promise<Reply<StoredFile>> {
      let res: Response;
      try {
        res = await doFetch(new URL(`upload?name=${encodeURIComponent(file.name)}`, base).href, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
      } catch (e) {
        return unreachable(e);
      }
      if (res.status === 401) return signInNeeded();
      return readReply<StoredFile>(res);
    },
    onSignInNeeded(listener) {
      return signIn.add(listener);
    },
    pause,
    resume() {
      paused = false;
      failures = 0;
      if (wanted()) connect();
    },
    subscribe(listener) {
      const off = events.add(listener);
      connect();
      return () => {
        off();
        if (events.size === 0 && states.size === 0) {
          source?.close();
          source = null;
          stopWatchdog();
          if (retryTimer) clearTimeout(retryTimer);
        }
      };
    },
    onConnection(listener) {
      const off = states.add(listener);
      listener(state);
      connect();
      return off;
    },
  };
}
