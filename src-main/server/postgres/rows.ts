/**
 * The first reads and writes on the server's tables: meter-days (packed as the desktop packs them,
 * src-main/core/readings/codec.ts; the bytes are stored and returned unchanged) and the
 * idempotency ledger for pushed mutations.
 */
import type { Client } from './store';

/** One meter-day as it travels: the desktop's packed BLOBs, byte for byte. */
export interface PackedDay {
  meterId: number;
  /** UK local day, days since 1970-01-01 (as the desktop's meter_days.day). */
  day: number;
  vals: Buffer;
  quality: Buffer | null;
  volumes: Buffer | null;
}

/** Writes whole days (replacing any stored day), each stamped with `version`; returns how many. */
export async function putDays(c: Client, days: readonly PackedDay[], version: number): Promise<number> {
  if (days.length === 0) return 0;
  const r = await c.query({
    name: 'put-days',
    text: `INSERT INTO meter_days (meter_id, day, vals, quality, volumes, version)
           SELECT m, d, v, q, vol, $6::bigint
           FROM unnest($1::bigint[], $2::int[], $3::bytea[], $4::bytea[], $5::bytea[]) AS t (m, d, v, q, vol)
           ON CONFLICT (meter_id, day) DO UPDATE
             SET vals = EXCLUDED.vals, quality = EXCLUDED.quality, volumes = EXCLUDED.volumes,
                 version = EXCLUDED.version`,
    values: [
      days.map((d) => d.meterId),
      days.map((d) => d.day),
      days.map((d) => d.vals),
      days.map((d) => d.quality),
      days.map((d) => d.volumes),
      version,
    ],
  });
  return r.rowCount ?? 0;
}

/** A meter's stored days in [fromDay, toDay), in day order. */
export async function getDays(c: Client, meterId: number, fromDay: number, toDay: number): Promise<PackedDay[]> {
  const r = await c.query<{
    meter_id: string;
    day: number;
    vals: Buffer;
    quality: Buffer | null;
    volumes: Buffer | null;
  }>({
    name: 'get-days',
    text: `SELECT meter_id, day, vals, quality, volumes FROM meter_days
           WHERE meter_id = $1 AND day >= $2 AND day < $3 ORDER BY day`,
    values: [meterId, fromDay, toDay],
  });
  return r.rows.map((x) => ({
    meterId: Number(x.meter_id),
    day: x.day,
    vals: x.vals,
    quality: x.quality,
    volumes: x.volumes,
  }));
}

/**
 * The next version of the one sync sequence, taken in commit order: `sync_next_version()`
 * (migration 2) holds an advisory lock until this transaction ends, so another writer waits here
 * until this one commits and a reader never sees a version above one still in flight. Take it
 * first in a transaction (before locking rows other writers may wait on) and commit promptly: it
 * serialises writers from this call to COMMIT.
 */
export async function nextVersion(c: Client): Promise<number> {
  const r = await c.query<{ v: string }>({ name: 'next-version', text: 'SELECT sync_next_version() AS v' });
  return Number(r.rows[0]!.v);
}

export interface Applied<T> {
  /** False when this (client, seq) had already been applied: `apply` did not run. */
  applied: boolean;
  /** The server version the mutation's writes carry. */
  version: number;
  result: T | null;
}

/**
 * Applies a client's mutation once. Call inside store.transaction(): the ledger row and the
 * mutation's writes commit together, so a push retried after a dropped connection either finds the
 * ledger row (and applies nothing) or finds nothing (the first attempt rolled back) and applies.
 * Two concurrent pushes of the same mutation: the second's insert waits on the first's unique key
 * and then sees the conflict.
 */
export async function applyOnce<T>(
  c: Client,
  clientId: string,
  clientSeq: number,
  apply: (version: number) => Promise<T>,
): Promise<Applied<T>> {
  const version = await nextVersion(c);
  const ins = await c.query({
    name: 'mutation-insert',
    text: `INSERT INTO mutations (client_id, client_seq, applied_version) VALUES ($1, $2, $3)
           ON CONFLICT (client_id, client_seq) DO NOTHING`,
    values: [clientId, clientSeq, version],
  });
  if (ins.rowCount === 0) {
    const r = await c.query<{ v: string }>({
      name: 'mutation-get',
      text: 'SELECT applied_version AS v FROM mutations WHERE client_id = $1 AND client_seq = $2',
      values: [clientId, clientSeq],
    });
    return { applied: false, version: Number(r.rows[0]!.v), result: null };
  }
  return { applied: true, version, result: await apply(version) };
}

/** One page of "everything since V": meter-days with version > since, in version order. */
export async function pullDays(c: Client, since: number, limit = 5000): Promise<(PackedDay & { version: number })[]> {
  const r = await c.query<{
    meter_id: string;
    day: number;
    vals: Buffer;
    quality: Buffer | null;
    volumes: Buffer | null;
    version: string;
  }>({
    name: 'pull-days',
    text: `SELECT meter_id, day, vals, quality, volumes, version FROM meter_days
           WHERE version > $1 ORDER BY version LIMIT $2`,
    values: [since, limit],
  });
  return r.rows.map((x) => ({
    meterId: Number(x.meter_id),
    day: x.day,
    vals: x.vals,
    quality: x.quality,
    volumes: x.volumes,
    version: Number(x.version),
  }));
}
