/**
 * Reads and writes on the server's meter-days (packed as the desktop packs them,
 * src-main/core/readings/codec.ts; the bytes are stored and returned unchanged), meter ids, the
 * version sequence and head, and the idempotency ledger for pushed mutations.
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
  /** The day's readings were removed (a tombstone: vals empty). */
  removed?: boolean;
  /** The client whose push is stored exactly as it sent it (not sent back to it), else null. */
  writer?: string | null;
}

/** Writes whole days (replacing any stored day), each stamped with `version`; returns how many. */
export async function putDays(c: Client, days: readonly PackedDay[], version: number): Promise<number> {
  if (days.length === 0) return 0;
  const r = await c.query({
    name: 'put-days',
    text: `INSERT INTO meter_days (meter_id, day, vals, quality, volumes, removed, writer, version)
           SELECT m, d, v, q, vol, rm, w, $8::bigint
           FROM unnest($1::bigint[], $2::int[], $3::bytea[], $4::bytea[], $5::bytea[], $6::boolean[], $7::uuid[])
             AS t (m, d, v, q, vol, rm, w)
           ON CONFLICT (meter_id, day) DO UPDATE
             SET vals = EXCLUDED.vals, quality = EXCLUDED.quality, volumes = EXCLUDED.volumes,
                 removed = EXCLUDED.removed, writer = EXCLUDED.writer, version = EXCLUDED.version`,
    values: [
      days.map((d) => d.meterId),
      days.map((d) => d.day),
      days.map((d) => d.vals),
      days.map((d) => d.quality),
      days.map((d) => d.volumes),
      days.map((d) => d.removed ?? false),
      days.map((d) => d.writer ?? null),
      version,
    ],
  });
  return r.rowCount ?? 0;
}

/** A stored day with its version (what a push is merged into). */
export interface StoredDay extends PackedDay {
  removed: boolean;
  version: number;
}

interface DayRow {
  meter_id: string;
  day: number;
  vals: Buffer;
  quality: Buffer | null;
  volumes: Buffer | null;
  removed: boolean;
  version: string;
}

const storedDay = (x: DayRow): StoredDay => ({
  meterId: Number(x.meter_id),
  day: x.day,
  vals: x.vals,
  quality: x.quality,
  volumes: x.volumes,
  removed: x.removed,
  version: Number(x.version),
});

/** The stored rows of the given meter-days (those that exist), keyed `${meterId}:${day}`. */
export async function readDays(
  c: Client,
  keys: readonly { meterId: number; day: number }[],
): Promise<Map<string, StoredDay>> {
  const r = await c.query<DayRow>({
    name: 'read-days',
    text: `SELECT d.meter_id, d.day, d.vals, d.quality, d.volumes, d.removed, d.version
           FROM unnest($1::bigint[], $2::int[]) AS t (m, d)
           JOIN meter_days d ON d.meter_id = t.m AND d.day = t.d`,
    values: [keys.map((k) => k.meterId), keys.map((k) => k.day)],
  });
  return new Map(r.rows.map((x) => [`${x.meter_id}:${x.day}`, storedDay(x)]));
}

/** The ids of meters by identifier, creating those the server has not seen. */
export async function meterIds(c: Client, identifiers: readonly string[]): Promise<Map<string, number>> {
  await c.query({
    name: 'meter-ids-insert',
    text: `INSERT INTO meter_ids (identifier) SELECT DISTINCT unnest($1::text[]) ORDER BY 1
           ON CONFLICT (identifier) DO NOTHING`,
    values: [identifiers],
  });
  const r = await c.query<{ id: string; identifier: string }>({
    name: 'meter-ids-get',
    text: 'SELECT id, identifier FROM meter_ids WHERE identifier = ANY($1::text[])',
    values: [identifiers],
  });
  return new Map(r.rows.map((x) => [x.identifier, Number(x.id)]));
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

/** Where a pull resumes: after (version, meterId, day) in that order. */
export interface DayPosition {
  version: number;
  meterId: number;
  day: number;
}

/** A pulled meter-day: the stored row, its meter's identifier, and its version. */
export interface PagedDay extends StoredDay {
  meter: string;
}

/**
 * The statement of a pull's meter-days: those after `after` in (version, meter_id, day) order, up
 * to `limit`, leaving out those the client `skipWriter` pushed exactly and, given `meters`, those of
 * other meters. One range read on meter_days_version_idx, no sort (scripts/bench/pg-size.ts shows
 * the plan).
 */
export function pullDaysStatement(
  after: DayPosition,
  limit: number,
  skipWriter: string | null,
  meters: readonly number[] | null,
) {
  return {
    name: meters ? 'pull-days-of' : 'pull-days',
    text: `SELECT d.meter_id, m.identifier AS meter, d.day, d.vals, d.quality, d.volumes, d.removed, d.version
           FROM meter_days d JOIN meter_ids m ON m.id = d.meter_id
           WHERE (d.version, d.meter_id, d.day) > ($1::bigint, $2::bigint, $3::int)
             AND ($4::uuid IS NULL OR d.writer IS DISTINCT FROM $4::uuid)
             ${meters ? 'AND d.meter_id = ANY($6::bigint[])' : ''}
           ORDER BY d.version, d.meter_id, d.day LIMIT $5`,
    values: [after.version, after.meterId, after.day, skipWriter, limit, ...(meters ? [meters] : [])],
  };
}

/**
 * A pull's meter-days (pullDaysStatement). Days left out are passed over, so the caller's cursor
 * moves past them.
 */
export async function pullDays(
  c: Client,
  after: DayPosition,
  limit: number,
  skipWriter: string | null,
  meters: readonly number[] | null,
): Promise<PagedDay[]> {
  const r = await c.query<DayRow & { meter: string }>(pullDaysStatement(after, limit, skipWriter, meters));
  return r.rows.map((x) => ({ ...storedDay(x), meter: x.meter }));
}

/** The statement behind headVersion, for a plain query outside a transaction. */
export const HEAD_STATEMENT = {
  name: 'head-version',
  text: `SELECT GREATEST((SELECT max(version) FROM meter_days), (SELECT max(version) FROM entities),
                         (SELECT max(version) FROM reading_conflicts), (SELECT max(version) FROM activity),
                         (SELECT max(applied_version) FROM mutations)) AS v`,
};

/**
 * The latest version this transaction can see: the highest version any table holds. Versions are
 * taken in commit order, so every version at or below it is committed (or was rolled back) and
 * every write still in flight will carry a higher one.
 */
export async function headVersion(c: Client): Promise<number> {
  const r = await c.query<{ v: string | null }>(HEAD_STATEMENT);
  return Number(r.rows[0]!.v ?? 0);
}
