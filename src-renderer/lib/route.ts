/**
 * Hash routes: #/dashboard, #/imports, #/meters, #/meters/<mpan>, #/sites/<id>, #/analysis, #/carbon, #/tariffs,
 * #/savings, #/reports, #/activity, #/settings, #/settings/users (people and access), #/alerts (the inbox),
 * #/alerts/<id>, #/alerts/rules, #/health, #/sources (data feeds), #/sources/<id>, #/schedules, #/schedules/<id>,
 * #/sync/conflicts (what the shared server kept apart for a person to decide).
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'dashboard' }
  | { page: 'imports' }
  | { page: 'meters' }
  | { page: 'meter'; mpan: string }
  | { page: 'site'; id: number }
  | { page: 'analysis' }
  | { page: 'activity' }
  | { page: 'carbon' }
  | { page: 'tariffs' }
  | { page: 'savings' }
  | { page: 'reports' }
  | { page: 'settings' }
  | { page: 'users' }
  | { page: 'alerts' }
  | { page: 'alert'; id: number }
  | { page: 'alert-rules' }
  | { page: 'health' }
  | { page: 'sources' }
  | { page: 'source'; id: number }
  | { page: 'schedules' }
  | { page: 'schedule'; id: number }
  | { page: 'sync-conflicts' }
  | { page: 'not-found'; path: string };

const SIMPLE = new Set([
  'dashboard',
  'imports',
  'meters',
  'analysis',
  'carbon',
  'tariffs',
  'savings',
  'reports',
  'activity',
  'settings',
  'alerts',
  'health',
  'sources',
  'schedules',
] as const);

export function parseRoute(hash: string): Route {
  // A query after the path (`#/meters/<mpan>?view=daily`) is page state, not part of the route.
  const path = hash.replace(/^#/, '').replace(/\?.*$/, '').replace(/\/+$/, '') || '/dashboard';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { page: 'dashboard' };
  const head = parts[0] as string;
  if (parts.length === 1 && SIMPLE.has(head as 'dashboard'))
    return { page: head as typeof SIMPLE extends Set<infer P> ? P : never };
  if (head === 'alerts' && parts.length === 2 && parts[1] === 'rules') return { page: 'alert-rules' };
  if (head === 'settings' && parts.length === 2 && parts[1] === 'users') return { page: 'users' };
  if (head === 'sync' && parts.length === 2 && parts[1] === 'conflicts') return { page: 'sync-conflicts' };
  if (head === 'alerts' && parts.length === 2 && /^[1-9]\d{0,9}$/.test(parts[1] ?? ''))
    return { page: 'alert', id: Number(parts[1]) };
  if (head === 'meters' && parts.length === 2 && parts[1]) {
    let mpan = parts[1];
    try {
      mpan = decodeURIComponent(mpan);
    } catch {
      /* keep as typed */
    }
    return { page: 'meter', mpan };
  }
  if (head === 'sites' && parts.length === 2 && /^[1-9]\d{0,9}$/.test(parts[1] ?? ''))
    return { page: 'site', id: Number(parts[1]) };
  if (head === 'sources' && parts.length === 2 && /^[1-9]\d{0,9}$/.test(parts[1] ?? ''))
    return { page: 'source', id: Number(parts[1]) };
  if (head === 'schedules' && parts.length === 2 && /^[1-9]\d{0,9}$/.test(parts[1] ?? ''))
    return { page: 'schedule', id: Number(parts[1]) };
  return { page: 'not-found', path };
}

export const href = {
  dashboard: '#/dashboard',
  imports: '#/imports',
  meters: '#/meters',
  analysis: '#/analysis',
  carbon: '#/carbon',
  tariffs: '#/tariffs',
  savings: '#/savings',
  reports: '#/reports',
  /** The Reports page set to a meter's or a site's month (`YYYY-MM`). */
  reportFor: (scope: { meter: string } | { siteId: number }, month: string) =>
    `#/reports?${'meter' in scope ? `meter=${encodeURIComponent(scope.meter)}` : `site=${scope.siteId}`}&month=${month}`,
  activity: '#/activity',
  settings: '#/settings',
  users: '#/settings/users',
  /** Settings scrolled to the Shared server section. */
  sharedServer: '#/settings?section=shared-server',
  syncConflicts: '#/sync/conflicts',
  meter: (mpan: string) => `#/meters/${encodeURIComponent(mpan)}`,
  /** The meter page scrolled to its tariff (where a tariff is assigned). */
  meterTariff: (mpan: string) => `#/meters/${encodeURIComponent(mpan)}?section=tariff`,
  /** The meter page's Analysis view (baseload, hours split, data quality, exceptions). */
  /** A meter's Analysis view, over the given UK local days (`to` exclusive) or its default range. */
  meterAnalysis: (mpan: string, range?: { from: string; to: string }) =>
    `#/meters/${encodeURIComponent(mpan)}?view=analysis${range ? `&from=${range.from}&to=${range.to}` : ''}`,
  site: (id: number) => `#/sites/${id}`,
  alerts: '#/alerts',
  alert: (id: number) => `#/alerts/${id}`,
  alertRules: '#/alerts/rules',
  health: '#/health',
  sources: '#/sources',
  source: (id: number) => `#/sources/${id}`,
  schedules: '#/schedules',
  schedule: (id: number) => `#/schedules/${id}`,
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
