/**
 * Synced entities on the server (docs/sync.md, "Entities and field groups" and "Conflicts"): one
 * `entities` row per (type, key) holding each field group's value, version and author. A push
 * writes field groups last-writer-wins; a group it replaces that another client changed after the
 * pusher last pulled is kept in `activity` (the losing value, who made it and from where). A group
 * pushed with base 0 that the server already holds is a second creation, not an edit: the server's
 * value is kept (and travels again), the pushed one goes to `activity`. A group equal to what is
 * stored changes nothing. Deletes are tombstones that keep the groups.
 */
import {
  ENTITY_TYPES,
  personsEdit,
  type EntityChange,
  type EntityRow,
  type EntityType,
  type SyncActivity,
} from '../../../src-shared/contract/sync';
import type { Client } from './store';

/** A field group as stored: its value, the version it was written at, and who wrote it from where. */
export interface StoredGroup {
  version: number;
  value: Record<string, unknown>;
  by: string;
  from: string;
}

/** An entity row as stored. */
export interface StoredEntity {
  type: EntityType;
  key: string;
  groups: Record<string, StoredGroup>;
  version: number;
  deleted: boolean;
  deletedBy: string | null;
  deletedFrom: string | null;
}

/** An activity entry to write: an edit replaced by a later one (null value: a deletion). */
export type NewActivity = Omit<SyncActivity, 'id' | 'at' | 'version'>;

/** Who is writing: the principal's name and the client's name. */
export interface Author {
  by: string;
  from: string;
}

/** Deep equality of JSON values, whatever the order of object keys (jsonb sorts them). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => sameJson(x, y[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x).filter((k) => x[k] !== undefined);
  const ky = Object.keys(y).filter((k) => y[k] !== undefined);
  return kx.length === ky.length && kx.every((k) => Object.hasOwn(y, k) && sameJson(x[k], y[k]));
}

/**
 * Applies one change to the stored row (undefined: none yet) at `version`: the new row, or null
 * when nothing changes, the activity entries for what it replaced, and the groups whose stored
 * value it kept (pushed with base 0).
 */
export function applyChange(
  stored: StoredEntity | undefined,
  change: EntityChange,
  who: Author,
  version: number,
): { row: StoredEntity | null; activity: NewActivity[]; kept: string[] } {
  const activity: NewActivity[] = [];
  const kept: string[] = [];
  const entry = (
    group: string,
    lost: StoredGroup | null,
    won: Record<string, unknown> | null,
    loser: Author,
    winner: Author = who,
  ) =>
    activity.push({
      type: change.type,
      key: change.key,
      group,
      lost: lost?.value ?? null,
      lostBy: loser.by,
      lostFrom: loser.from,
      won,
      wonBy: winner.by,
      wonFrom: winner.from,
    });
  if (change.deleted) {
    if (!stored || stored.deleted) return { row: null, activity, kept };
    for (const [g, st] of Object.entries(stored.groups)) if (st.version > change.deleted.base) entry(g, st, null, st);
    return {
      row: { ...stored, version, deleted: true, deletedBy: who.by, deletedFrom: who.from },
      activity,
      kept,
    };
  }
  const row: StoredEntity = stored
    ? { ...stored, groups: { ...stored.groups } }
    : { type: change.type, key: change.key, groups: {}, version, deleted: false, deletedBy: null, deletedFrom: null };
  // An edit to a deleted row brings it back: the later push wins over the deletion.
  let changed = !stored || stored.deleted;
  for (const [g, { base, value }] of Object.entries(change.groups ?? {})) {
    const st = row.groups[g];
    if (stored?.deleted && stored.version > base)
      entry(g, null, value, { by: stored.deletedBy ?? '', from: stored.deletedFrom ?? '' });
    if (st && sameJson(st.value, value)) continue;
    // Base 0 on a group the server holds: the desktop made the entity again (the same meter imported
    // there) without ever having the server's row. That is a second creation, not an edit: the
    // server's value stays, stamped at this version so it travels again (to the pusher too), and
    // the pushed value is logged as the edit that lost.
    if (st && base === 0 && st.version !== version && !stored?.deleted) {
      if (personsEdit(change.type, g, value)) entry(g, { ...st, value }, st.value, who, st);
      row.groups[g] = { ...st, version };
      kept.push(g);
      changed = true;
      continue;
    }
    // A group written earlier in this same mutation is not another desktop's edit.
    if (st && st.version > base && st.version !== version && !stored?.deleted && personsEdit(change.type, g, st.value))
      entry(g, st, value, st);
    row.groups[g] = { version, value, by: who.by, from: who.from };
    changed = true;
  }
  if (!changed) return { row: null, activity, kept };
  return { row: { ...row, version, deleted: false, deletedBy: null, deletedFrom: null }, activity, kept };
}

interface EntityDbRow {
  type: EntityType;
  key: string;
  groups: Record<string, StoredGroup>;
  version: string;
  deleted: boolean;
  deleted_by: string | null;
  deleted_from: string | null;
}

const fromDb = (x: EntityDbRow): StoredEntity => ({
  type: x.type,
  key: x.key,
  groups: x.groups,
  version: Number(x.version),
  deleted: x.deleted,
  deletedBy: x.deleted_by,
  deletedFrom: x.deleted_from,
});

/** The stored rows of the given (type, key) pairs, keyed `${type}\u0000${key}`. */
export async function readEntities(
  c: Client,
  keys: readonly { type: string; key: string }[],
): Promise<Map<string, StoredEntity>> {
  const r = await c.query<EntityDbRow>({
    name: 'entities-read',
    text: `SELECT e.type, e.key, e.groups, e.version, e.deleted, e.deleted_by, e.deleted_from
           FROM unnest($1::text[], $2::text[]) AS t (type, key)
           JOIN entities e ON e.type = t.type AND e.key = t.key`,
    values: [keys.map((k) => k.type), keys.map((k) => k.key)],
  });
  return new Map(r.rows.map((x) => [entityKey(x), fromDb(x)]));
}

/** The map key of an entity. */
export const entityKey = (e: { type: string; key: string }): string => `${e.type}\u0000${e.key}`;

/** Writes whole rows (insert or replace). */
export async function writeEntities(c: Client, rows: readonly StoredEntity[]): Promise<void> {
  if (rows.length === 0) return;
  await c.query({
    name: 'entities-write',
    text: `INSERT INTO entities (type, key, groups, version, deleted, deleted_by, deleted_from)
           SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::bigint[], $5::boolean[], $6::text[], $7::text[])
           ON CONFLICT (type, key) DO UPDATE
             SET groups = EXCLUDED.groups, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
                 deleted_by = EXCLUDED.deleted_by, deleted_from = EXCLUDED.deleted_from`,
    values: [
      rows.map((r) => r.type),
      rows.map((r) => r.key),
      rows.map((r) => JSON.stringify(r.groups)),
      rows.map((r) => r.version),
      rows.map((r) => r.deleted),
      rows.map((r) => r.deletedBy),
      rows.map((r) => r.deletedFrom),
    ],
  });
}

/** Writes activity entries at `version`. */
export async function writeActivity(c: Client, entries: readonly NewActivity[], version: number): Promise<void> {
  if (entries.length === 0) return;
  await c.query({
    name: 'activity-write',
    text: `INSERT INTO activity (type, key, grp, lost, lost_by, lost_from, won, won_by, won_from, version)
           SELECT t.*, $10::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[],
                                              $7::jsonb[], $8::text[], $9::text[]) AS t`,
    values: [
      entries.map((e) => e.type),
      entries.map((e) => e.key),
      entries.map((e) => e.group),
      entries.map((e) => (e.lost === null ? null : JSON.stringify(e.lost))),
      entries.map((e) => e.lostBy),
      entries.map((e) => e.lostFrom),
      entries.map((e) => (e.won === null ? null : JSON.stringify(e.won))),
      entries.map((e) => e.wonBy),
      entries.map((e) => e.wonFrom),
      version,
    ],
  });
}

/**
 * Entity rows with version in (since, upTo], as they travel (a tombstone without its groups); in
 * version order, and within a version in ENTITY_GROUPS order (sites before the meters on them).
 */
export async function pullEntities(c: Client, since: number, upTo: number): Promise<EntityRow[]> {
  const r = await c.query<EntityDbRow>({
    name: 'entities-pull',
    text: `SELECT type, key, groups, version, deleted, deleted_by, deleted_from FROM entities
           WHERE version > $1 AND version <= $2 ORDER BY version, array_position($3::text[], type), key`,
    values: [since, upTo, ENTITY_TYPES],
  });
  return r.rows.map((x) => ({
    type: x.type,
    key: x.key,
    version: Number(x.version),
    deleted: x.deleted,
    groups: x.deleted
      ? {}
      : Object.fromEntries(Object.entries(x.groups).map(([g, v]) => [g, { version: v.version, value: v.value }])),
  }));
}

/** Activity entries with version in (since, upTo]. */
export async function pullActivity(c: Client, since: number, upTo: number): Promise<SyncActivity[]> {
  const r = await c.query<{
    id: string;
    at: Date;
    type: EntityType;
    key: string;
    grp: string;
    lost: Record<string, unknown> | null;
    lost_by: string;
    lost_from: string;
    won: Record<string, unknown> | null;
    won_by: string;
    won_from: string;
    version: string;
  }>({
    name: 'activity-pull',
    text: `SELECT id, at, type, key, grp, lost, lost_by, lost_from, won, won_by, won_from, version FROM activity
           WHERE version > $1 AND version <= $2 ORDER BY version, id`,
    values: [since, upTo],
  });
  return r.rows.map((x) => ({
    id: Number(x.id),
    at: x.at.toISOString(),
    type: x.type,
    key: x.key,
    group: x.grp,
    lost: x.lost,
    lostBy: x.lost_by,
    lostFrom: x.lost_from,
    won: x.won,
    wonBy: x.won_by,
    wonFrom: x.won_from,
    version: Number(x.version),
  }));
}
