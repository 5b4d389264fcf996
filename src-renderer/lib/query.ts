/** Loading a page's data: one async call with load/error state, re-run when its key changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import { AppError } from '../../src-shared/contract/errors';
import type { LoadState } from '../stores/imports';

export interface Query<T> {
  load: LoadState;
  data: T | null;
  error: string | null;
  /** The contract's error code of the last failure. */
  code: string | null;
  /** Its structured details (e.g. `{ reason: 'no-tariff', meter, from }`), for the UI's own wording. */
  details?: unknown;
  reload(): void;
}

/**
 * Runs `fn` when `key` changes (and on reload). Keeps the previous data while refreshing so
 * screens do not flash; a reply to an older key is dropped.
 */
export function useQuery<T>(key: string | null, fn: () => Promise<T>): Query<T> {
  const [state, setState] = useState<{
    load: LoadState;
    data: T | null;
    error: string | null;
    code: string | null;
    details?: unknown;
  }>({
    load: 'idle',
    data: null,
    error: null,
    code: null,
  });
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const seq = useRef(0);

  useEffect(() => {
    if (key === null) return;
    const my = ++seq.current;
    setState((s) => ({ ...s, load: 'loading', error: null, code: null }));
    fnRef.current().then(
      (data) => {
        if (seq.current === my) setState({ load: 'ready', data, error: null, code: null });
      },
      (e: unknown) => {
        if (seq.current === my)
          setState((s) => ({
            ...s,
            load: 'error',
            error: errorMessage(e),
            code: e instanceof AppError ? e.code : null,
            details: e instanceof AppError ? e.details : undefined,
          }));
      },
    );
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** INVALID_ARGS details as a message per field (`{ path, message }[]` from the host). */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof AppError) || e.code !== 'INVALID_ARGS' || !Array.isArray(e.details)) return out;
  for (const d of e.details as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    const key = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
    if (typeof message === 'string' && !(key in out)) out[key] = message;
  }
  return out;
}
