/**
 * bench:sync harness (bundled by scripts/bench/sync.mjs): a real PostgreSQL (durable settings), a
 * byte-counting TCP proxy in front of the shared server, and what the bench reads from a desktop's
 * data folder to check that the second desktop received everything the first one had.
 */
import net from 'node:net';
import pg from 'pg';
import { createCore } from '../../src-main/core/app';
import { silentLogger } from '../../src-main/core/events';
import { startPostgres, type TestPostgres } from '../../tests/helpers/postgres';

export { build } from './exports-harness';

/** PostgreSQL with its own write settings (fsync and synchronous commit on). */
export function postgres(): Promise<TestPostgres> {
  return startPostgres('eclectyc_bench', { durable: true });
}

export interface CountingProxy {
  port: number;
  /** Bytes client → server and server → client since the last reset. */
  counts(): { sent: number; received: number };
  reset(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to `target`, counting the bytes each way (HTTP headers and bodies as sent). */
export function countingProxy(target: number): Promise<CountingProxy> {
  let sent = 0;
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (b: Buffer) => (sent += b.length));
    upstream.on('data', (b: Buffer) => (received += b.length));
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address() as net.AddressInfo;
      resolve({
        port: a.port,
        counts: () => ({ sent, received }),
        reset() {
          sent = 0;
          received = 0;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    }),
  );
}

/** A desktop's readings in summary: meter-days, half-hours with values, kWh (to 1 Wh), meters. */
export async function readingsSummary(
  dataDir: string,
  migrationsDir: string,
): Promise<{ days: number; present: number; kwh: number; meters: number }> {
  const core = await createCore({ dataDir, migrationsDir, log: silentLogger });
  try {
    const ids = [...core.readings.spans()].filter(([, s]) => s.count > 0).map(([id]) => id);
    // every day there is: day numbers from 1970 to well past 2100
    const t = core.readings.counts(ids, 0, 100_000);
    return {
      days: core.readings.dayCount(),
      present: t.present,
      kwh: Math.round(t.kwh * 1000) / 1000,
      meters: ids.length,
    };
  } finally {
    await core.stop();
  }
}

/** The shared database's size on disk and its meter-day rows. */
export async function serverSize(url: string): Promise<{ bytes: number; days: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ bytes: string; days: string }>(
      'SELECT pg_database_size(current_database()) AS bytes, (SELECT count(*) FROM meter_days) AS days',
    );
    return { bytes: Number(r.rows[0]!.bytes), days: Number(r.rows[0]!.days) };
  } finally {
    await c.end();
  }
}
