/**
 * A real PostgreSQL 15 server for one test: `initdb` and `pg_ctl` on a temporary directory, a free
 * port on 127.0.0.1, trust authentication, one database. initdb refuses to run as root (and CI
 * runs as root), so as root the binaries run as the `postgres` user with the directory chowned to
 * it. Tuned to start fast: fsync off, small shared buffers, no WAL-level extras.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface TestPostgres {
  /** postgres://postgres@127.0.0.1:PORT/DB */
  url: string;
  port: number;
  /** Stops the server (fast shutdown) and deletes its directory. */
  stop(): void;
  /** Stops the server and starts it again on the same port and data. */
  restart(): void;
  /** Stops the server without deleting anything (immediate: like a crash). */
  kill(): void;
  /** Starts a stopped server again. */
  start(): void;
}

function binDir(): string {
  for (const v of ['17', '16', '15']) {
    const d = `/usr/lib/postgresql/${v}/bin`;
    if (existsSync(join(d, 'pg_ctl'))) return d;
  }
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, 'pg_ctl'))) return d;
  throw new Error('PostgreSQL is not installed: no pg_ctl in /usr/lib/postgresql/*/bin or on PATH');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL and creates database `db`; call stop() in afterAll. `durable` keeps
 * PostgreSQL's own defaults for writes (fsync, synchronous commit, full-page writes) and 128 MB of
 * shared buffers, as a real server runs: the benchmarks use it; tests start faster without.
 */
export async function startPostgres(db = 'eclectyc_test', { durable = false } = {}): Promise<TestPostgres> {
  const bin = binDir();
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'eclectyc-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? postgresIds() : null;
  if (ids) chownSync(root, ids.uid, ids.gid);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = ids ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    execFileSync(file, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const opts = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${root}'`,
    ...(durable
      ? ['-c shared_buffers=128MB']
      : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c shared_buffers=16MB']),
    '-c max_connections=40',
  ].join(' ');
  let running = false;
  const start = (): void => {
    run('pg_ctl', ['-D', data, '-o', opts, '-l', join(root, 'log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const halt = (mode: 'fast' | 'immediate'): void => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  start();
  execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${db}`,
    port,
    start,
    restart() {
      halt('fast');
      start();
    },
    kill() {
      halt('immediate');
    },
    stop() {
      try {
        halt('fast');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const out = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: out('-u'), gid: out('-g') };
  } catch {
    throw new Error('Running as root needs a `postgres` user to run initdb (Debian creates one with the package)');
  }
}
