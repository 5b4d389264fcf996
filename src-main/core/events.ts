/** A tiny typed event bus: the core emits, each host forwards to its renderers. */
import type { EventName, Events, PushedEvent } from '../../src-shared/contract/events';

export type Listener = (e: PushedEvent) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Set<Listener>();
  return {
    emit(event, payload) {
      for (const l of listeners) {
        try {
          l({ event, payload } as PushedEvent);
        } catch (e) {
          log.error('event listener failed', e);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface Logger {
  info(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  error(msg: string, ...rest: unknown[]): void;
}

/** Logs to stderr, so stdout stays clean for the CLI's --json output. */
export const stderrLogger: Logger = {
  info: (m, ...r) => console.error(`[info] ${m}`, ...r),
  warn: (m, ...r) => console.error(`[warn] ${m}`, ...r),
  error: (m, ...r) => console.error(`[error] ${m}`, ...r),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
