/**
 * The desktop's link to a shared server as keys in `sync_state` (docs/sync.md): which server, this
 * desktop's client id (a UUID made once) and name, who it signed in as, the pull cursor, the
 * mutation counter, the readings change number pushed up to, and how the last sync went. The
 * session token is not here: it is in the secret store (`sync.sessionToken`).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { Role } from '../../../src-shared/contract/types';

/** Minutes between automatic syncs unless configured otherwise. */
export const DEFAULT_EVERY_MINUTES = 5;

/** The keys of `sync_state` and what each holds. */
interface Keys {
  /** The configured server's base URL (no trailing slash); absent: not set up. */
  server: string;
  /** The server the cursor, marks and day versions belong to (kept across a disconnect). */
  syncedServer: string;
  clientId: string;
  clientName: string;
  /** JSON `{ name, role }` of the account signed in. */
  user: string;
  /** The pull cursor: where the last applied page ended. */
  cursor: string;
  /** The next mutation number. */
  nextSeq: string;
  /** The readings change number up to which local changes were taken into the outbox. */
  pushedSeq: string;
  /** The server version pulled up to. */
  version: string;
  lastSyncAt: string;
  offlineSince: string;
  lastError: string;
  /** JSON array of site uids, or absent for every site. */
  keptSites: string;
  everyMinutes: string;
}

export type SyncUser = { name: string; role: Role };

export class SyncState {
  private readonly getStmt: Database.Statement;
  private readonly setStmt: Database.Statement;
  private readonly delStmt: Database.Statement;

  constructor(private readonly sqlite: Database.Database) {
    this.getStmt = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
    this.setStmt = sqlite.prepare(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.delStmt = sqlite.prepare('DELETE FROM sync_state WHERE key = ?');
  }

  private get(key: keyof Keys): string | null {
    return (this.getStmt.get(key) as string | undefined) ?? null;
  }

  private set(key: keyof Keys, value: string | number | null): void {
    if (value === null) this.delStmt.run(key);
    else this.setStmt.run(key, String(value));
  }

  get server(): string | null {
    return this.get('server');
  }
  set server(v: string | null) {
    this.set('server', v);
  }

  get syncedServer(): string | null {
    return this.get('syncedServer');
  }
  set syncedServer(v: string | null) {
    this.set('syncedServer', v);
  }

  /** This data folder's client id, made the first time it is asked for. */
  get clientId(): string {
    let id = this.get('clientId');
    if (id === null) {
      id = randomUUID();
      this.sqlite.prepare('INSERT OR IGNORE INTO sync_state (key, value) VALUES (?, ?)').run('clientId', id);
      id = this.get('clientId')!;
    }
    return id;
  }

  get clientName(): string {
    return this.get('clientName') ?? (os.hostname() || 'This desktop').slice(0, 100);
  }
  set clientName(v: string) {
    this.set('clientName', v);
  }

  get user(): SyncUser | null {
    const u = this.get('user');
    return u === null ? null : (JSON.parse(u) as SyncUser);
  }
  set user(v: SyncUser | null) {
    this.set('user', v === null ? null : JSON.stringify(v));
  }

  get cursor(): string {
    return this.get('cursor') ?? '';
  }
  set cursor(v: string) {
    this.set('cursor', v);
  }

  /** Takes the next `n` mutation numbers; returns the first (call inside the write's transaction). */
  takeSeqs(n: number): number {
    const first = Number(this.get('nextSeq') ?? '1');
    this.set('nextSeq', first + n);
    return first;
  }

  get pushedSeq(): number {
    return Number(this.get('pushedSeq') ?? '0');
  }
  set pushedSeq(v: number) {
    this.set('pushedSeq', v);
  }

  get version(): number {
    return Number(this.get('version') ?? '0');
  }
  set version(v: number) {
    this.set('version', v);
  }

  get lastSyncAt(): string | null {
    return this.get('lastSyncAt');
  }
  set lastSyncAt(v: string | null) {
    this.set('lastSyncAt', v);
  }

  get offlineSince(): string | null {
    return this.get('offlineSince');
  }
  set offlineSince(v: string | null) {
    this.set('offlineSince', v);
  }

  get lastError(): string | null {
    return this.get('lastError');
  }
  set lastError(v: string | null) {
    this.set('lastError', v);
  }

  get keptSites(): string[] | null {
    const s = this.get('keptSites');
    return s === null ? null : (JSON.parse(s) as string[]);
  }
  set keptSites(v: string[] | null) {
    this.set('keptSites', v === null ? null : JSON.stringify([...new Set(v)].sort()));
  }

  get everyMinutes(): number {
    return Number(this.get('everyMinutes') ?? DEFAULT_EVERY_MINUTES);
  }
  set everyMinutes(v: number) {
    this.set('everyMinutes', v);
  }
}
