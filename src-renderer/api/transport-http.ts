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
}

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
  let state: ConnectionState = 'connecting';
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    states.emit(s);
  };

  const connect = (): void => {
    if (source) return;
    const es = new ES(new URL('events', base).href);
    source = es;
    es.onopen = () => {
      failures = 0;
      setState('connected');
    };
    es.onmessage = (m: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(m.data);
      } catch {
        return;
      }
      if (isPushedEvent(data)) events.emit(data);
    };
    es.onerror = () => {
      // The browser retries by itself while readyState is CONNECTING; once CLOSED we retry with backoff.
      if (es.readyState === ES.CLOSED) {
        es.close();
        source = null;
        failures++;
        setState(failures > 3 ? 'offline' : 'reconnecting');
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (events.size > 0 || states.size > 0) connect();
        }, delay);
      } else {
        setState('reconnecting');
      }
    };
  };

  const unreachable = (e: unknown): Reply<never> => ({
    ok: false,
    error: {
      code: 'UNAVAILABLE',
      message: `cannot reach the Eclectyc host (${e instanceof Error ? e.message : String(e)})`,
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
        return unreachable(e);
      }
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
      return readReply<StoredFile>(res);
    },
    subscribe(listener) {
      const off = events.add(listener);
      connect();
      return () => {
        off();
        if (events.size === 0 && states.size === 0) {
          source?.close();
          source = null;
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
