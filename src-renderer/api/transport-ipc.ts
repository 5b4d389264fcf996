/**
 * Desktop mode: the preload's `window.energy` bridge. Files dropped or picked are captured by the
 * preload itself (it reads their paths and enqueues them), so this transport has no upload.
 */
import type { Reply } from '../../src-shared/contract/api';
import type { PushedEvent } from '../../src-shared/contract/events';
import { isPushedEvent, type Transport } from './transport';

export interface EnergyBridge {
  invoke(method: string, args: unknown): Promise<Reply<unknown>>;
  on(listener: (e: PushedEvent) => void): () => void;
  /** Asks where to save an export (a save dialog) and writes it there; the value is null when cancelled. */
  saveExport?(request: unknown): Promise<Reply<unknown>>;
}

declare global {
  interface Window {
    energy?: EnergyBridge;
  }
}

export function hasIpcBridge(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.energy === 'object' &&
    window.energy !== null &&
    typeof window.energy.invoke === 'function'
  );
}

export function createIpcTransport(bridge: EnergyBridge): Transport {
  return {
    kind: 'ipc',
    async invoke(method, args) {
      try {
        return await bridge.invoke(method, args ?? {});
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'UNAVAILABLE',
            message: `the desktop host did not answer (${e instanceof Error ? e.message : String(e)})`,
          },
        };
      }
    },
    subscribe(listener) {
      return bridge.on((e) => {
        if (isPushedEvent(e)) listener(e);
      });
    },
    onConnection(listener) {
      listener('connected');
      return () => {};
    },
  };
}
