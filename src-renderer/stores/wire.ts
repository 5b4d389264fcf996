/** Connects the client's pushed events and connection state to the stores. */
import type { Client } from '../api/client';
import type { ConnectionState } from '../api/transport';
import { useAlertsStore } from './alerts';
import { useAppStore } from './app';
import { useDataStore } from './data';
import { useImportsStore, type PendingDuplicate } from './imports';
import { useMetersStore } from './meters';
import { useSyncStore } from './sync';

/** Fetches again what events keep up to date (after a dropped stream, or after signing in). */
export function catchUp(): void {
  if (useImportsStore.getState().load === 'ready') void useImportsStore.getState().fetchJobs();
  void useMetersStore.getState().refresh();
  useDataStore.getState().bump();
  void useAlertsStore.getState().fetchCounts();
  void useAlertsStore.getState().fetchHealth();
  void useSyncStore.getState().fetch();
}

export function wireEvents(client: Client): () => void {
  const offs = [
    client.onEvent('imports.updated', ({ job }) => useImportsStore.getState().upsert(job)),
    client.onEvent('imports.progress', (p) => useImportsStore.getState().applyProgress(p)),
    client.onEvent('meters.changed', () => {
      void useMetersStore.getState().refresh();
      useDataStore.getState().bump();
    }),
    client.onEvent('aggregation.completed', ({ run }) => useDataStore.getState().bump(run)),
    // the desktop app's drop of files imported before: the Imports page asks what to do
    client.onEvent('imports.duplicate', ({ message, details, options }) =>
      useImportsStore.getState().askDuplicate({ message, details, options: options as PendingDuplicate['options'] }),
    ),
    client.onEvent('app.error', ({ message }) =>
      useAppStore.getState().toast({ kind: 'error', title: 'Something needs your attention', message }),
    ),
    client.onEvent('alerts.changed', ({ counts }) => useAlertsStore.getState().setCounts(counts)),
    // the desktop app shows these as system notifications; a browser shows them as toasts
    client.onEvent('alerts.notify', ({ alerts }) => {
      if (useAppStore.getState().info?.host === 'desktop') return;
      for (const a of alerts.slice(0, 3))
        useAppStore
          .getState()
          .toast({ kind: a.severity === 'critical' ? 'error' : 'info', title: a.message, message: a.subjectLabel });
      if (alerts.length > 3)
        useAppStore
          .getState()
          .toast({ kind: 'info', title: `${alerts.length - 3} more alerts`, message: 'See the Alerts page.' });
    }),
    client.onEvent('health.changed', ({ report }) => useAlertsStore.getState().setHealth(report)),
    client.onEvent('sync.status', (status) => {
      const before = useSyncStore.getState().status;
      useSyncStore.getState().set(status);
      // a sync pulled something (sites, meters, readings): it shows on the page open now
      if (before && status.version !== before.version) {
        void useMetersStore.getState().refresh();
        useDataStore.getState().bump();
      }
    }),
  ];
  // a server that asks for sign-in answered 401: the sign-in page replaces the app
  offs.push(client.onSignInNeeded(() => useAppStore.getState().needSignIn()));
  let last: ConnectionState | null = null;
  offs.push(
    client.onConnection((s) => {
      useAppStore.getState().setConnection(s);
      // Back after a drop: catch up on whatever happened while events could not arrive.
      if (s === 'connected' && (last === 'reconnecting' || last === 'offline')) catchUp();
      last = s;
    }),
  );
  return () => offs.forEach((o) => o());
}
