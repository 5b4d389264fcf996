/**
 * The two ways a renderer reaches the core, for the contract suite: in-memory (dispatch called
 * directly, arguments structured-cloned as IPC would) and HTTP (a real server on 127.0.0.1).
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { CallContext, Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { StoredFile } from '../../src-shared/contract/types';
import type { Core } from '../../src-main/core/app';
import { dispatch } from '../../src-main/core/rpc/dispatch';
import { closeHttpHost, createHttpHost, listen } from '../../src-main/server/http';
import { makeCore } from './core';

export interface TestTransport {
  name: string;
  invoke(method: string, args: unknown): Promise<Reply<unknown>>;
  upload(name: string, content: string | Buffer): Promise<Reply<StoredFile>>;
  subscribe(listener: (e: PushedEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

export async function memoryTransport(
  core: Core,
  ctx: CallContext = { role: 'admin', actor: 'test' },
): Promise<TestTransport> {
  return {
    name: 'memory',
    invoke: (m, a) => dispatch(core.handlers, m, structuredClone(a), ctx, core.log),
    upload: (name, content) =>
      dispatch(
        core.handlers,
        'files.upload',
        { name },
        { ...ctx, body: Readable.from([Buffer.from(content)]) },
        core.log,
      ) as Promise<Reply<StoredFile>>,
    subscribe: async (l) => core.events.subscribe((e) => l(structuredClone(e))),
    close: async () => {},
  };
}

export async function httpTransport(
  core: Core,
  ctx: CallContext = { role: 'admin', actor: 'test' },
): Promise<TestTransport & { url: string; server: http.Server }> {
  const server = createHttpHost(core, { context: () => ctx });
  const url = await listen(server, 0, '127.0.0.1');
  const aborts = new Set<AbortController>();
  return {
    name: 'http',
    url,
    server,
    async invoke(m, a) {
      const r = await fetch(`${url}rpc/${encodeURIComponent(m)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(a),
      });
      return (await r.json()) as Reply<unknown>;
    },
    async upload(name, content) {
      const r = await fetch(`${url}upload?name=${encodeURIComponent(name)}`, { method: 'POST', body: content });
      return (await r.json()) as Reply<StoredFile>;
    },
    async subscribe(listener) {
      const ac = new AbortController();
      aborts.add(ac);
      const res = await fetch(`${url}events`, { signal: ac.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let first = true;
      let buf = '';
      let ready!: () => void;
      const connected = new Promise<void>((r) => (ready = r));
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buf += decoder.decode(value, { stream: true });
            let i;
            while ((i = buf.indexOf('\n\n')) !== -1) {
              const block = buf.slice(0, i);
              buf = buf.slice(i + 2);
              if (first) {
                first = false;
                ready();
              }
              const data = block
                .split('\n')
                .filter((l) => l.startsWith('data: '))
                .map((l) => l.slice(6))
                .join('\n');
              if (data) listener(JSON.parse(data) as PushedEvent);
            }
          }
        } catch {
          /* aborted */
        }
      })();
      await connected;
      return () => ac.abort();
    },
    async close() {
      for (const ac of aborts) ac.abort();
      await closeHttpHost(server);
    },
  };
}

/** Both transports, for `describe.each`: every contract suite runs over each. */
export const TRANSPORTS = [
  ['memory', memoryTransport],
  ['http', httpTransport],
] as const;

/** A started server-mode core on a fresh data folder, reached through `make` as `role`. */
export async function contractHost(
  make: (typeof TRANSPORTS)[number][1],
  role: CallContext['role'] = 'admin',
): Promise<{ core: Core; t: TestTransport }> {
  const core = await makeCore({ host: 'server', version: '9.9.9' });
  core.start();
  return { core, t: await make(core, { role, actor: 'tester' }) };
}
