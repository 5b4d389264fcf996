/**
 * The `--database postgres://USER@HOST:PORT/DB` option of `serve`, `users` and `tokens`: the shared
 * server's PostgreSQL database, checked on the command line and opened with its migrations applied.
 */
import { AppError } from '../../src-shared/contract/errors';
import { ServerStore } from '../server/postgres/store';
import { databaseDown } from '../server/shared-host';
import { str, UsageError, type Opts } from './command';

/** The `--database` URL, or undefined when the option is absent. */
export function databaseOption(o: Opts): string | undefined {
  const url = str(o, 'database');
  if (url === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--database must be a URL such as postgres://eclectyc@localhost:5432/eclectyc, not "${url}"`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new UsageError(`--database must start with postgres:// (a PostgreSQL server), not "${u.protocol}//"`);
  if (u.pathname.length <= 1) throw new UsageError('--database must name the database: postgres://USER@HOST:PORT/DB');
  return url;
}

/** The URL as it may be shown: without its password. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** A failure to reach PostgreSQL, said in words; any other failure as it was. */
export function openFailure(e: unknown, url: string): unknown {
  if (!databaseDown(e)) return e;
  return new AppError('UNAVAILABLE', `Cannot reach PostgreSQL at ${shownUrl(url)}: ${(e as Error).message}`);
}

/** Opens the shared server's database (applying its migrations) for the length of `fn`. */
export async function withDatabase<T>(url: string, fn: (store: ServerStore) => Promise<T>): Promise<T> {
  let store: ServerStore;
  try {
    store = await ServerStore.open({ url, max: 2 });
  } catch (e) {
    throw openFailure(e, url);
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
