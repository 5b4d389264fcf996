/** In-process transport for unit tests: an injected invoke and subscribe (no network, no DOM). */
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import type { StoredFile } from '../../src-shared/contract/types';
import { Listeners, type ConnectionState, type Transport } from './transport';

export interface MemoryTransportOptions {
  invoke: (method: string, args: unknown) => Promise<Reply<unknown>>;
  subscribe?: (listener: (e: PushedEvent) => void) => () => void;
  /** Optional upload; without it the client behaves as in desktop mode (host brings files in). */
  upload?: (file: File) => Promise<Reply<StoredFile>>;
}

export interface MemoryTransport extends Transport {
  /** Test hook: change the connection state seen by listeners. */
  setConnection(s: ConnectionState): void;
}

export function createMemoryTransport(opts: MemoryTransportOptions): MemoryTransport {
  const states = new Listeners<ConnectionState>();
  let state: ConnectionState = 'connected';
  const t: MemoryTransport = {
    kind: 'memory',
    invoke: (m, a) => opts.invoke(m, structuredClone(a ?? {})),
    subscribe: (l) => (opts.subscribe ? opts.subscribe(l) : () => {}),
    onConnection(l) {
      l(state);
      return states.add(l);
    },
    setConnection(s) {
      state = s;
      states.emit(s);
    },
  };
  if (opts.upload) t.upload = opts.upload;
  return t;
}
