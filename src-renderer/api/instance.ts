/** The app's client: IPC inside Electron (window.energy), otherwise HTTP on the same origin. */
import { createClient, type Client } from './client';
import { createHttpTransport } from './transport-http';
import { createIpcTransport, hasIpcBridge } from './transport-ipc';

let client: Client | null = null;

export function defaultClient(): Client {
  if (hasIpcBridge() && window.energy) return createClient(createIpcTransport(window.energy));
  return createClient(createHttpTransport());
}

export function getClient(): Client {
  if (!client) client = defaultClient();
  return client;
}

/** Tests and the bootstrap can install their own client. */
export function setClient(c: Client): void {
  client = c;
}
