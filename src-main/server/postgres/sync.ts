/**
 * The shared server's sync engine on PostgreSQL (docs/sync.md: "Protocol", "Conflicts", "Roles on
 * the server"): `push` applies a client's numbered mutations once each, `pull` answers one page of
 * everything after a cursor.
 *
 * - A push is checked whole before anything applies: the role (a viewer pulls only; tariffs,
 *   tariff versions and shared settings need an admin), the request's shape, every packed day and
 *   field group. Then each mutation runs in its own transaction under `applyOnce`, so its writes
 *   and its ledger row commit together and a repeat answers `applied: false`.
 * - Meter-days follow the readings conflict rule (day-merge.ts); entities are last-writer-wins per
 *   field group (entities.ts); a conflict decision writes the chosen value and travels.
 * - A pull is one REPEATABLE READ, read-only snapshot: meter-days after the cursor in (version,
 *   meter_id, day) order, then every entity row, conflict and activity entry up to the page's
 *   last version. Versions follow commit order, so nothing committed later can carry a version at
 *   or below the page's.
 */
import type { z } from 'zod';
import { AppError } from '../../../src-shared/contract/errors';
import {
  ENTITY_GROUPS,
  ENTITY_PUSH_ROLE,
  MAX_DAYS_PER_PAGE,
  pullRequestSchema,
  pushRequestSchema,
  type EntityChange,
  type Mutation,
  type MutationResult,
  type PulledDay,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type ReadingConflict,
} from '../../../src-shared/contract/sync';
import { ROLE_RANK } from '../../../src-shared/contract/types';
import { dayHalfHours, dayStartUtc, isoDay } from '../../../src-shared/domain/periods';
import type { SharedSync, SyncPrincipal } from './api';
import {
  dayKwh,
  emptyDay,
  mergeDay,
  packDay,
  samePacked,
  setSlot,
  unpackDay,
  type DayImage,
  type SlotConflict,
} from './day-merge';
import {
  applyChange,
  entityKey,
  pullActivity,
  pullEntities,
  readEntities,
  sameJson,
  writeActivity,
  writeEntities,
  type Author,
  type StoredEntity,
} from './entities';
import {
  applyOnce,
  HEAD_STATEMENT,
  headVersion,
  meterIds,
  pullDays,
  putDays,
  readDays,
  type DayPosition,
  type PackedDay,
  type StoredDay,
} from './rows';
import type { Client, ServerStore } from './store';

/** A pushed day, decoded and checked before any transaction starts. */
interface CheckedDay {
  meter: string;
  day: number;
  base: number;
  removed: boolean;
  packed: { vals: Buffer; quality: Buffer | null; volumes: Buffer | null };
}

type CheckedMutation =
  | { seq: number; kind: 'days'; days: CheckedDay[] }
  | { seq: number; kind: 'entities'; rows: EntityChange[] }
  | { seq: number; kind: 'resolve'; conflicts: { id: number; keep: 'server' | 'pushed' }[] };

const bad = (message: string, field?: string) => new AppError('BAD_INPUT', message, field ? { field } : undefined);

/** A zod issue path as people read it: mutations[0].days[3].vals. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Validates a request body; the first problem is named (BAD_INPUT, details.field). */
function parse<T>(schema: z.ZodType<T>, x: unknown, what: string): T {
  const r = schema.safeParse(x);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = fieldName(issue.path);
  throw bad(`The ${what} is not valid: ${field || 'the body'}: ${issue.message}`, field);
}

/** Base64 that decodes to exactly these bytes and back (what a desktop sends). */
function bytes(s: string, field: string): Buffer {
  const b = Buffer.from(s, 'base64');
  if (b.toString('base64') !== s) throw bad(`The field ${field} is not base64 as the desktop encodes it`, field);
  return b;
}

const VALID_TAG = (t: number) => t === 0 || (t >= 0x10 && t <= 0x16) || (t >= 0x20 && t <= 0x26);

/** Decodes and checks one pushed day: its packed BLOBs hold the day's half-hours (46, 48 or 50). */
function checkDay(d: Mutation & { kind: 'days' }, i: number, m: number): CheckedDay {
  const x = d.days[i]!;
  const at = `mutations[${m}].days[${i}]`;
  const what = `Meter ${x.meter} on ${isoDay(x.day)} (${at})`;
  const vals = bytes(x.vals, `${at}.vals`);
  const quality = x.quality === null ? null : bytes(x.quality, `${at}.quality`);
  const volumes = x.volumes === null ? null : bytes(x.volumes, `${at}.volumes`);
  if (x.removed) return { meter: x.meter, day: x.day, base: x.base, removed: true, packed: { vals, quality, volumes } };
  const n = dayHalfHours(x.day);
  const tag = vals[0] ?? -1;
  const width = tag === 0 ? 8 : tag >= 0x20 ? 4 : 2;
  if (!VALID_TAG(tag) || vals.length !== 1 + n * width)
    throw bad(`${what}: vals is not a packed day of ${n} half-hours`, `${at}.vals`);
  if (quality && (quality.length !== n || quality.some((q) => q > 3)))
    throw bad(`${what}: quality is not ${n} quality codes (0 to 3)`, `${at}.quality`);
  if (volumes && volumes.length !== n * 8) throw bad(`${what}: volumes is not ${n} float64 values`, `${at}.volumes`);
  return { meter: x.meter, day: x.day, base: x.base, removed: false, packed: { vals, quality, volumes } };
}

/** Checks a whole push before anything applies; returns it decoded. */
function checkPush(who: SyncPrincipal, body: unknown): { req: PushRequest; mutations: CheckedMutation[] } {
  if (ROLE_RANK[who.role] < ROLE_RANK.manager)
    throw new AppError(
      'FORBIDDEN',
      `Viewers may only pull: ${who.name}'s push was refused and nothing was applied ` +
        '(an admin can give them the manager role)',
    );
  const req = parse(pushRequestSchema, body, 'push');
  const seqs = new Set<number>();
  const mutations = req.mutations.map((mu, m): CheckedMutation => {
    if (seqs.has(mu.seq)) throw bad(`Mutation ${mu.seq} appears twice in one push`, `mutations[${m}].seq`);
    seqs.add(mu.seq);
    if (mu.kind === 'entities') {
      mu.rows.forEach((row, r) => {
        const need = ENTITY_PUSH_ROLE[row.type];
        if (ROLE_RANK[who.role] < ROLE_RANK[need])
          throw new AppError(
            'FORBIDDEN',
            `Pushing ${row.type} "${row.key}" (mutations[${m}].rows[${r}]) needs the ${need} role and ` +
              `${who.name} is a ${who.role}: nothing was pushed`,
            { field: `mutations[${m}].rows[${r}]` },
          );
        const groups: readonly string[] = ENTITY_GROUPS[row.type];
        for (const g of Object.keys(row.groups ?? {}))
          if (!groups.includes(g))
            throw bad(
              `The ${row.type} "${row.key}" (mutations[${m}].rows[${r}]) has no field group "${g}": ` +
                `its groups are ${groups.join(', ')}`,
              `mutations[${m}].rows[${r}].groups.${g}`,
            );
      });
      return mu;
    }
    if (mu.kind === 'resolve') return mu;
    const seen = new Set<string>();
    return {
      seq: mu.seq,
      kind: 'days',
      days: mu.days.map((_, i) => {
        const d = checkDay(mu, i, m);
        const k = `${d.meter}:${d.day}`;
        if (seen.has(k))
          throw bad(
            `Meter ${d.meter} on ${isoDay(d.day)} appears twice in mutation ${mu.seq}`,
            `mutations[${m}].days[${i}]`,
          );
        seen.add(k);
        return d;
      }),
    };
  });
  return { req, mutations };
}

/** A conflict to raise: a half-hour, or (slot -1, no qualities) a removed day. */
interface NewConflict extends Omit<SlotConflict, 'serverQuality' | 'pushedQuality'> {
  meterId: number;
  day: number;
  serverQuality: number | null;
  pushedQuality: number | null;
}

/** Writes conflicts at `version`, leaving out one already open with the same pushed value; returns how many. */
async function raiseConflicts(c: Client, list: readonly NewConflict[], who: Author, version: number): Promise<number> {
  if (list.length === 0) return 0;
  const r = await c.query({
    name: 'conflicts-raise',
    text: `INSERT INTO reading_conflicts (meter_id, day, slot, server_kwh, server_quality, pushed_kwh, pushed_quality,
                                           pushed_volume, pushed_by, pushed_from, version)
           SELECT t.*, $9, $10, $11::bigint
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::float8[], $5::smallint[], $6::float8[], $7::smallint[],
                       $8::float8[]) AS t (m, d, s, sk, sq, pk, pq, pv)
           WHERE NOT EXISTS (SELECT 1 FROM reading_conflicts o
                             WHERE o.meter_id = t.m AND o.day = t.d AND o.slot = t.s AND o.status = 'open'
                               AND o.pushed_kwh IS NOT DISTINCT FROM t.pk AND o.pushed_quality IS NOT DISTINCT FROM t.pq)`,
    values: [
      list.map((x) => x.meterId),
      list.map((x) => x.day),
      list.map((x) => x.slot),
      list.map((x) => x.serverKwh),
      list.map((x) => x.serverQuality),
      list.map((x) => x.pushedKwh),
      list.map((x) => x.pushedQuality),
      list.map((x) => x.pushedVolume),
      who.by,
      who.from,
      version,
    ],
  });
  return r.rowCount ?? 0;
}

/** The empty packed day a removed day is stored as. */
const REMOVED: Pick<PackedDay, 'vals' | 'quality' | 'volumes'> = {
  vals: Buffer.alloc(0),
  quality: null,
  volumes: null,
};

/** Applies a days mutation at `version` (inside its transaction): the conflicts it raised. */
async function applyDays(
  c: Client,
  days: readonly CheckedDay[],
  clientId: string,
  who: Author,
  version: number,
): Promise<number> {
  const ids = await meterIds(c, [...new Set(days.map((d) => d.meter))]);
  const keyed = days.map((d) => ({ ...d, meterId: ids.get(d.meter)! }));
  const stored = await readDays(c, keyed);
  const writes: PackedDay[] = [];
  const conflicts: NewConflict[] = [];
  for (const d of keyed) {
    const cur: StoredDay | undefined = stored.get(`${d.meterId}:${d.day}`);
    const current = cur?.version ?? 0;
    const at = { meterId: d.meterId, day: d.day };
    if (d.removed) {
      // Nothing to remove where the server has no readings for the day.
      if (!cur || cur.removed) continue;
      if (d.base === current) writes.push({ ...at, ...REMOVED, removed: true, writer: clientId });
      else {
        conflicts.push({
          ...at,
          slot: -1,
          serverKwh: dayKwh(unpackDay(cur)),
          serverQuality: null,
          pushedKwh: null,
          pushedQuality: null,
          pushedVolume: null,
        });
      }
      continue;
    }
    if (d.base === current || !cur || cur.removed) {
      // The server's day again, unchanged: nothing to write (and no new version to send everyone).
      if (cur && !cur.removed && samePacked(cur, d.packed)) continue;
      writes.push({ ...at, ...d.packed, removed: false, writer: clientId });
      continue;
    }
    const server = unpackDay(cur);
    const merged = mergeDay(server, unpackDay(d.packed));
    for (const x of merged.conflicts) conflicts.push({ ...at, ...x });
    if (!merged.changed) continue;
    const packed = packDay(server);
    writes.push({ ...at, ...packed, removed: false, writer: samePacked(packed, d.packed) ? clientId : null });
  }
  await putDays(c, writes, version);
  const live = new Set(writes.filter((w) => !w.removed).map((w) => w.meterId));
  await metersRevived(c, [...new Set(keyed.filter((d) => live.has(d.meterId)).map((d) => d.meter))], who, version);
  return raiseConflicts(c, conflicts, who, version);
}

type KeptGroup = NonNullable<MutationResult['kept']>[number];

/** What applying one mutation did. */
type Applied = { conflicts: number; overrode: number; kept?: KeptGroup[] };

/**
 * Applies an entities mutation at `version`: how many groups it replaced that another client had
 * changed (or, pushed with base 0, lost to the server's), and the groups whose server value it kept.
 */
async function applyEntities(
  c: Client,
  rows: readonly EntityChange[],
  who: Author,
  version: number,
): Promise<{ overrode: number; kept: KeptGroup[] }> {
  const stored = await readEntities(c, rows);
  const changed = new Map<string, StoredEntity>();
  const activity = [];
  const kept: KeptGroup[] = [];
  for (const change of rows) {
    const k = entityKey(change);
    const r = applyChange(changed.get(k) ?? stored.get(k), change, who, version);
    activity.push(...r.activity);
    for (const group of r.kept) kept.push({ type: change.type, key: change.key, group });
    if (r.row) changed.set(k, r.row);
  }
  await writeEntities(c, [...changed.values()]);
  await writeActivity(c, activity, version);
  const gone = [...changed.values()].filter(
    (r) => r.type === 'meter' && r.deleted && !stored.get(entityKey(r))?.deleted,
  );
  await meterDeleted(
    c,
    gone.map((r) => r.key),
    who,
    version,
  );
  return { overrode: activity.length, kept };
}

/**
 * The groups an entities mutation applied before at `version` kept (a resend after a cut): those
 * still stamped with that version whose value is not the pushed one.
 */
async function keptBefore(c: Client, rows: readonly EntityChange[], version: number): Promise<KeptGroup[]> {
  const stored = await readEntities(c, rows);
  const kept: KeptGroup[] = [];
  for (const change of rows) {
    const row = stored.get(entityKey(change));
    for (const [group, g] of Object.entries(change.groups ?? {})) {
      const st = row?.groups[group];
      if (st && st.version === version && !sameJson(st.value, g.value))
        kept.push({ type: change.type, key: change.key, group });
    }
  }
  return kept;
}

/**
 * What goes with a meter's tombstone, at its version: every live day of the meter is removed (so
 * the days travel as removed and no desktop re-creates the meter from them), its open readings
 * conflicts are decided "keep the server's" (there is nothing left to apply them to), and the alert
 * states about it are tombstoned.
 */
async function meterDeleted(c: Client, meters: readonly string[], who: Author, version: number): Promise<void> {
  if (meters.length === 0) return;
  await c.query({
    name: 'meter-deleted-days',
    text: `UPDATE meter_days d SET removed = true, vals = ''::bytea, quality = NULL, volumes = NULL, writer = NULL,
                                   version = $2
           FROM meter_ids m WHERE m.identifier = ANY($1::text[]) AND d.meter_id = m.id AND NOT d.removed`,
    values: [meters, version],
  });
  await c.query({
    name: 'meter-deleted-conflicts',
    text: `UPDATE reading_conflicts c SET status = 'kept-server', resolved_by = $2, version = $3
           FROM meter_ids m WHERE m.identifier = ANY($1::text[]) AND c.meter_id = m.id AND c.status = 'open'`,
    values: [meters, who.by, version],
  });
  await c.query({
    name: 'meter-deleted-alerts',
    text: `UPDATE entities SET deleted = true, deleted_by = $2, deleted_from = $3, version = $4
           WHERE type = 'alertState' AND NOT deleted AND groups #>> '{alert,value,meter}' = ANY($1::text[])`,
    values: [meters, who.by, who.from, version],
  });
}

/**
 * A deleted meter that a days mutation writes live readings for comes back (the pusher never saw
 * the deletion): its row is live again at `version` with the groups it had, as a second creation,
 * and the deletion that lost is kept in activity. Days removed with the deletion stay removed.
 */
async function metersRevived(c: Client, meters: readonly string[], who: Author, version: number): Promise<void> {
  if (meters.length === 0) return;
  const stored = await readEntities(
    c,
    meters.map((key) => ({ type: 'meter', key })),
  );
  const back = [...stored.values()].filter((r) => r.deleted);
  if (back.length === 0) return;
  await writeEntities(
    c,
    back.map((r) => ({ ...r, version, deleted: false, deletedBy: null, deletedFrom: null })),
  );
  await writeActivity(
    c,
    back.flatMap((r) =>
      Object.entries(r.groups).map(([group, g]) => ({
        type: r.type,
        key: r.key,
        group,
        lost: null,
        lostBy: r.deletedBy ?? '',
        lostFrom: r.deletedFrom ?? '',
        won: g.value,
        wonBy: who.by,
        wonFrom: who.from,
      })),
    ),
    version,
  );
}

interface ConflictDbRow {
  id: string;
  meter_id: string;
  meter: string;
  day: number;
  slot: number;
  server_kwh: number | null;
  server_quality: number | null;
  pushed_kwh: number | null;
  pushed_quality: number | null;
  pushed_volume: number | null;
  pushed_by: string;
  pushed_from: string;
  raised_at: Date;
  status: ReadingConflict['status'];
  resolved_by: string | null;
  version: string;
}

const CONFLICT_COLUMNS = `c.id, c.meter_id, m.identifier AS meter, c.day, c.slot, c.server_kwh, c.server_quality,
  c.pushed_kwh, c.pushed_quality, c.pushed_volume, c.pushed_by, c.pushed_from, c.raised_at, c.status, c.resolved_by,
  c.version`;

/** Applies a person's decisions at `version`. A conflict already decided stays as it was decided. */
async function applyResolve(
  c: Client,
  decisions: readonly { id: number; keep: 'server' | 'pushed' }[],
  who: Author,
  version: number,
): Promise<void> {
  const r = await c.query<ConflictDbRow>({
    name: 'conflicts-get',
    text: `SELECT ${CONFLICT_COLUMNS} FROM reading_conflicts c JOIN meter_ids m ON m.id = c.meter_id
           WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`,
    values: [decisions.map((d) => d.id)],
  });
  // Every id exists (checked before the push applied anything; conflicts are never deleted).
  const byId = new Map(r.rows.map((x) => [Number(x.id), x]));
  const apply = decisions
    .filter((d) => d.keep === 'pushed' && byId.get(d.id)!.status === 'open')
    .map((d) => byId.get(d.id)!);
  // Each affected day is read once, has the chosen half-hours written into it, and is written back.
  const days = new Map<string, { meterId: number; day: number; img: DayImage | null }>();
  for (const x of apply) days.set(`${x.meter_id}:${x.day}`, { meterId: Number(x.meter_id), day: x.day, img: null });
  const stored = await readDays(c, [...days.values()]);
  for (const [k, d] of days) {
    const cur = stored.get(k);
    d.img = cur && !cur.removed ? unpackDay(cur) : emptyDay(dayHalfHours(d.day));
  }
  const removedDays = new Set<string>();
  for (const x of apply) {
    const k = `${x.meter_id}:${x.day}`;
    if (x.slot < 0) removedDays.add(k);
    else setSlot(days.get(k)!.img!, x.slot, x.pushed_kwh ?? NaN, x.pushed_quality!, x.pushed_volume ?? NaN);
  }
  await putDays(
    c,
    [...days].map(([k, d]) =>
      removedDays.has(k) ? { ...d, ...REMOVED, removed: true } : { ...d, ...packDay(d.img!), removed: false },
    ),
    version,
  );
  const open = decisions.filter((d) => byId.get(d.id)!.status === 'open');
  await c.query({
    name: 'conflicts-decide',
    text: `UPDATE reading_conflicts c SET status = t.status, resolved_by = $3, version = $4
           FROM unnest($1::bigint[], $2::text[]) AS t (id, status) WHERE c.id = t.id`,
    values: [
      open.map((d) => d.id),
      open.map((d) => (d.keep === 'server' ? 'kept-server' : 'applied-pushed')),
      who.by,
      version,
    ],
  });
}

/** Parses a cursor: "" or "V" (everything up to V applied), or "V:meterId:day" (part-way through V's days). */
function parseCursor(cursor: string): DayPosition {
  const all = { meterId: Number.MAX_SAFE_INTEGER, day: 2 ** 31 - 1 };
  if (cursor === '') return { version: 0, ...all };
  const m = /^(\d{1,15})(?::(\d{1,15}):(\d{1,9}))?$/.exec(cursor);
  if (!m)
    throw bad(
      `The pull cursor "${cursor.slice(0, 40)}" is not one this server gave: pass "" or "0" to start from the beginning`,
      'cursor',
    );
  return m[2] === undefined
    ? { version: Number(m[1]), ...all }
    : { version: Number(m[1]), meterId: Number(m[2]), day: Number(m[3]) };
}

const b64 = (b: Buffer | null) => (b === null ? null : b.toString('base64'));

async function pullConflicts(c: Client, since: number, upTo: number): Promise<ReadingConflict[]> {
  const r = await c.query<ConflictDbRow>({
    name: 'conflicts-pull',
    text: `SELECT ${CONFLICT_COLUMNS} FROM reading_conflicts c JOIN meter_ids m ON m.id = c.meter_id
           WHERE c.version > $1 AND c.version <= $2 ORDER BY c.version, c.id`,
    values: [since, upTo],
  });
  return r.rows.map((x) => ({
    id: Number(x.id),
    meter: x.meter,
    day: x.day,
    slot: x.slot,
    at: x.slot < 0 ? null : new Date((dayStartUtc(x.day) + x.slot * 1800) * 1000).toISOString(),
    serverKwh: x.server_kwh,
    pushedKwh: x.pushed_kwh,
    serverQuality: x.server_quality,
    pushedQuality: x.pushed_quality,
    pushedBy: x.pushed_by,
    pushedFrom: x.pushed_from,
    raisedAt: x.raised_at.toISOString(),
    status: x.status,
    resolvedBy: x.resolved_by,
    version: Number(x.version),
  }));
}

/** One page after `req.cursor`, read in the caller's snapshot. */
async function pullPage(c: Client, req: PullRequest): Promise<PullResponse> {
  const after = parseCursor(req.cursor);
  const head = await headVersion(c);
  if (after.version > head)
    throw new AppError(
      'CONFLICT',
      `This desktop has synced up to version ${after.version} but the server is at version ${head}: ` +
        'the server was given another database, so this desktop must sync again from the beginning',
      { reason: 'cursor-ahead', head },
    );
  const limit = req.limit ?? MAX_DAYS_PER_PAGE;
  let meters: number[] | null = null;
  if (req.sites) {
    const r = await c.query<{ id: string }>({
      name: 'meters-of-sites',
      text: `SELECT m.id FROM entities e JOIN meter_ids m ON m.identifier = e.key
             WHERE e.type = 'meter' AND NOT e.deleted AND e.groups #>> '{site,value,site}' = ANY($1::text[])`,
      values: [req.sites],
    });
    meters = r.rows.map((x) => Number(x.id));
  }
  const rows = await pullDays(c, after, limit + 1, req.clientId, meters);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  let upTo = head;
  let cursor = String(head);
  if (more) {
    const last = page[page.length - 1]!;
    upTo = last.version;
    // Part-way through a version's days, the cursor names the last day sent.
    cursor = rows[limit]!.version === last.version ? `${last.version}:${last.meterId}:${last.day}` : String(upTo);
  }
  // Entities, conflicts and activity of a version travel with its first page of days.
  const since = after.version;
  const [entities, conflicts, activity] = [
    await pullEntities(c, since, upTo),
    await pullConflicts(c, since, upTo),
    await pullActivity(c, since, upTo),
  ];
  const days: PulledDay[] = page.map((d) => ({
    meter: d.meter,
    day: d.day,
    vals: d.vals.toString('base64'),
    quality: b64(d.quality),
    volumes: b64(d.volumes),
    version: d.version,
    removed: d.removed,
  }));
  return { entities, days, conflicts, activity, cursor, more, head };
}

/** Refuses a push that decides a conflict the server does not have, before anything applies. */
async function checkConflictIds(store: ServerStore, mutations: readonly CheckedMutation[]): Promise<void> {
  const ids = mutations.flatMap((m) => (m.kind === 'resolve' ? m.conflicts.map((d) => d.id) : []));
  if (ids.length === 0) return;
  const r = await store.query<{ id: string }>({
    name: 'conflicts-missing',
    text: 'SELECT t.id FROM unnest($1::bigint[]) AS t (id) WHERE NOT EXISTS (SELECT 1 FROM reading_conflicts c WHERE c.id = t.id)',
    values: [ids],
  });
  if (r.rows.length)
    throw new AppError(
      'NOT_FOUND',
      `Readings conflict ${r.rows[0]!.id} does not exist on this server: nothing was pushed`,
      { conflicts: r.rows.map((x) => Number(x.id)) },
    );
}

/** The sync engine over a server store. */
export function createSharedSync(store: ServerStore): SharedSync {
  const head = async (): Promise<number> => {
    const r = await store.query<{ v: string | null }>(HEAD_STATEMENT);
    return Number(r.rows[0]!.v ?? 0);
  };
  return {
    head,
    async push(who, body) {
      const { req, mutations } = checkPush(who, body);
      await checkConflictIds(store, mutations);
      const author: Author = { by: who.name, from: req.clientName };
      const results: MutationResult[] = [];
      for (const mu of mutations) {
        const done = await store.transaction(async (c) => {
          const once = await applyOnce(c, req.clientId, mu.seq, async (version): Promise<Applied> => {
            if (mu.kind === 'days')
              return { conflicts: await applyDays(c, mu.days, req.clientId, author, version), overrode: 0 };
            if (mu.kind === 'entities') return { conflicts: 0, ...(await applyEntities(c, mu.rows, author, version)) };
            await applyResolve(c, mu.conflicts, author, version);
            return { conflicts: 0, overrode: 0 };
          });
          // a resend: what the first attempt kept is read back, so the desktop still takes the server's value
          const kept =
            mu.kind !== 'entities'
              ? undefined
              : once.result
                ? once.result.kept
                : await keptBefore(c, mu.rows, once.version);
          return { ...once, kept };
        });
        results.push({
          seq: mu.seq,
          applied: done.applied,
          version: done.version,
          conflicts: done.result?.conflicts ?? 0,
          overrode: done.result?.overrode ?? 0,
          ...(done.kept?.length ? { kept: done.kept } : {}),
        });
      }
      return { results, head: await head() };
    },

    async pull(_who, body) {
      const req = parse(pullRequestSchema, body, 'pull request');
      return store.transaction((c) => pullPage(c, req), { isolation: 'repeatable read', readOnly: true });
    },
  };
}
