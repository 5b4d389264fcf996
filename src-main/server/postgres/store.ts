/**
 * The shared server's store on PostgreSQL: a `pg` pool, its own migrations, and `transaction(fn)`
 * that retries serialization failures and deadlocks with backoff.
 *
 * - Every connection runs with a statement timeout, so one stuck query cannot hold a pooled client.
 * - An idle client whose server went away (PostgreSQL restarted) raises `error` on the pool; it is
 *   dropped, and the next query opens a new connection. A query that fails because the connection
 *   was cut (57P01 admin shutdown, or a socket error) is retried on a new connection by `query`,
 *   and as a whole transaction by `transaction`. A cut can come after the server committed, so
 *   what either runs must be safe to repeat: reads, or writes under `applyOnce` (rows.ts).
 * - On open, migrations are applied in one transaction under an advisory lock, so two servers
 *   starting together apply each migration once. A database with a migration newer than this
 *   code knows is refused: an older server must not write into a newer schema.
 */
import pg from 'pg';
import { AppError } from '../../../src-shared/contract/errors';
import { MIGRATIONS, type Migration } from './migrations';

/** Arbitrary constant key of the advisory lock that serialises migrations across servers. */
const MIGRATION_LOCK = 0x45_43_4c_59; // "ECLY"

/** SQLSTATEs worth running a whole transaction again for. */
const RETRY_CODES = new Set(['40001', '40P01']);
/** SQLSTATEs (and node socket codes) that mean the connection, not the statement, failed. */
const CONNECTION_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

export interface ServerStoreOptions {
  /** postgres://USER@HOST:PORT/DB */
  url: string;
  /** Largest pool size (default 10). */
  max?: number;
  /** Per-statement timeout in ms (default 30 s). */
  statementTimeoutMs?: number;
  /** Attempts for a transaction that keeps failing to serialize (default 8). */
  maxAttempts?: number;
  /** The migrations to apply (default: all this code knows; tests pass their own). */
  migrations?: readonly Migration[];
}

export type Client = pg.PoolClient;

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** A read-only transaction (PostgreSQL refuses any write in it). */
  readOnly?: boolean;
}

function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null ? (e as { code?: string }).code : undefined;
}

/** True when the failure was the connection (server restarted or unreachable), not the SQL. */
export function isConnectionError(e: unknown): boolean {
  const code = codeOf(e);
  if (code && CONNECTION_CODES.has(code)) return true;
  const msg = e instanceof Error ? e.message : '';
  return /Connection terminated|connection terminated|Client has encountered a connection error/.test(msg);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ServerStore {
  readonly pool: pg.Pool;
  private readonly maxAttempts: number;
  /** How many times transaction() ran a body again after a retryable failure (for tests and logs). */
  retries = 0;

  private constructor(pool: pg.Pool, maxAttempts: number) {
    this.pool = pool;
    this.maxAttempts = maxAttempts;
  }

  /** Connects, applies pending migrations, and refuses a database newer than this code. */
  static async open(opts: ServerStoreOptions): Promise<ServerStore> {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.max ?? 10,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // A pooled idle client that loses its server emits here; without a listener the process dies.
    // The pool has already discarded the client, so there is nothing else to do.
    pool.on('error', () => {});
    const store = new ServerStore(pool, opts.maxAttempts ?? 8);
    try {
      await store.migrate(opts.migrations ?? MIGRATIONS);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return store;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** One statement on any pooled connection; retried once on a new connection if the old one was cut. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    // Several idle clients may have been cut at once; each failed try drops one from the pool.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.query<R>(text as string, values);
      } catch (e) {
        if (!isConnectionError(e) || attempt >= 4) throw e;
      }
    }
  }

  /**
   * Runs fn in one transaction and commits. A serialization failure (40001), a deadlock (40P01)
   * or a cut connection rolls back and runs fn again from the start, after a random backoff that
   * doubles each time (10 ms, 20 ms, … up to 1 s), up to maxAttempts; fn must therefore do nothing
   * outside the database that it cannot repeat.
   */
  async transaction<T>(fn: (c: Client) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const begin =
      `BEGIN ISOLATION LEVEL ${(opts.isolation ?? 'read committed').toUpperCase()}` +
      (opts.readOnly ? ' READ ONLY' : '');
    for (let attempt = 1; ; attempt++) {
      let client: Client | null = null;
      let broken = false;
      // A connection cut while the client is checked out is also emitted on the client; unheard,
      // it would end the process. The query in flight fails too, and that is handled below.
      const cut = () => (broken = true);
      try {
        client = await this.pool.connect();
        client.on('error', cut);
        await client.query(begin);
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        broken ||= isConnectionError(e);
        if (client && !broken) await client.query('ROLLBACK').catch(() => (broken = true));
        const retryable = RETRY_CODES.has(codeOf(e) ?? '') || broken;
        if (!retryable || attempt >= this.maxAttempts) throw e;
        this.retries++;
        await sleep(Math.min(1000, 10 * 2 ** (attempt - 1)) * (0.5 + Math.random()));
      } finally {
        // A client whose connection broke is destroyed (keeping its listener for late errors), not
        // returned to the pool.
        if (!broken) client?.removeListener('error', cut);
        client?.release(broken ? true : undefined);
      }
    }
  }

  /** The highest migration the database has, 0 for a new one. */
  async schemaVersion(): Promise<number> {
    const r = await this.query<{ v: number | null }>(
      "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT max(id) FROM schema_migrations) END AS v",
    );
    return Number(r.rows[0]?.v ?? 0);
  }

  private async migrate(migrations: readonly Migration[]): Promise<void> {
    const known = migrations.reduce((m, x) => Math.max(m, x.id), 0);
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           id integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await c.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
      const have = new Set(rows.map((r) => r.id));
      const newest = rows.length ? rows[rows.length - 1]!.id : 0;
      if (newest > known)
        throw new AppError(
          'CONFLICT',
          `The database's schema is at migration ${newest}, newer than this version of Eclectyc knows ` +
            `(${known}): upgrade Eclectyc on this server, or point it at another database`,
          { reason: 'newer-schema', database: newest, known },
        );
      for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
        if (have.has(m.id)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      }
    });
  }
}
