/** Hash routes: #/imports, #/meters, #/meters/<mpan>. */
import { useSyncExternalStore } from 'react';

export type Route = { page: 'imports' } | { page: 'meters' } | { page: 'meter'; mpan: string } | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/imports';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || (parts[0] === 'imports' && parts.length === 1)) return { page: 'imports' };
  if (parts[0] === 'meters' && parts.length === 1) return { page: 'meters' };
  if (parts[0] === 'meters' && parts.length === 2 && parts[1]) {
    let mpan = parts[1];
    try {
      mpan = decodeURIComponent(mpan);
    } catch {
      /* keep as typed */
    }
    return { page: 'meter', mpan };
  }
  return { page: 'not-found', path };
}

export const href = {
  imports: '#/imports',
  meters: '#/meters',
  meter: (mpan: string) => `#/meters/${encodeURIComponent(mpan)}`,
};

export function navigate(to: string): void {
  if (window.location.hash !== to) window.location.hash = to;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}
