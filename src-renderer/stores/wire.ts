/** Connects the client's pushed events and connection state to the stores. */
import type { Client } from '../api/client';
import type { ConnectionState } from '../api/transport';
import { useAppStore } from './app';
import { useDataStore } from './data';
import { useImportsStore, type PendingDuplicate } from './imports';
import { useMetersStore } from './meters';

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
  ];
  let last: ConnectionState | null = null;
  offs.push(
    client.onConnection((s) => {
      useAppStore.getState().setConnection(s);
      // Back after a drop: catch up on whatever happened while events could not arrive.
      if (s === 'connected' && (last === 'reconnecting' || last === 'offline')) {
        if (useImportsStore.getState().load === 'ready') void useImportsStore.getState().fetchJobs();
        void useMetersStore.getState().refresh();
        useDataStore.getState().bump();
      }
      last = s;
    }),
  );
  return () => offs.forEach((o) => o());
}
