/**
 * The sync protocol between a desktop and the shared server (docs/sync.md): what travels over
 * `POST /sync/push` and `POST /sync/pull`, validated on both sides with these schemas.
 *
 * - Every change on the server gets a version from one sequence. A client pulls "everything since
 *   its cursor" in pages and stores the page's `cursor` once the page is applied.
 * - A client pushes its changes as mutations numbered by its own counter (`clientId` + `seq`): the
 *   server applies each (clientId, seq) once, so a push retried after a dropped connection never
 *   applies twice.
 * - Meter-days travel whole, packed exactly as the desktop stores them (src-main/core/readings/codec.ts),
 *   base64 in JSON; bodies may be gzip-encoded. Small entities travel as rows of field groups with
 *   tombstones for deletes.
 */
import { z } from 'zod';
import type { Role } from './types';

/** The kinds of small entities that sync, and each one's field groups (the unit of last-writer-wins). */
export const ENTITY_GROUPS = {
  /** key: the site's uid. */
  site: ['details', 'hours', 'closures'],
  /** key: the meter's identifier (MPAN core, MPRN or file id). */
  meter: ['details', 'site'],
  /** key: the tariff's id. */
  tariff: ['details'],
  /** key: `${tariffId}|${validFrom}` (validFrom a UK local day number). */
  tariffVersion: ['spec'],
  /** key: `${meterIdentifier}|${fromDay}`. */
  assignment: ['tariff'],
  /** key: the rule's id. */
  alertRule: ['rule', 'enabled'],
  /** key: `${ruleId}|${generation}|${subject}|${period}` (an alert is one per rule, subject and period). */
  alertState: ['alert', 'state'],
  /** key: `${siteUid}|${month}` (month YYYY-MM). */
  budget: ['amounts'],
  /** key: the setting's key (only SHARED_SETTINGS; secrets never travel). */
  setting: ['value'],
} as const satisfies Record<string, readonly string[]>;

export type EntityType = keyof typeof ENTITY_GROUPS;
export const ENTITY_TYPES = Object.keys(ENTITY_GROUPS) as EntityType[];

/** The least role that may push a change to each kind of entity (pulling needs viewer). */
export const ENTITY_PUSH_ROLE: Record<EntityType, Role> = {
  site: 'manager',
  meter: 'manager',
  tariff: 'admin',
  tariffVersion: 'admin',
  assignment: 'manager',
  alertRule: 'manager',
  alertState: 'manager',
  budget: 'manager',
  setting: 'admin',
};

/**
 * Whether a field group's value that another write replaced was a person's edit, worth an activity
 * entry. What an alert fired (`alertState` `alert`), and an alert state nobody acknowledged,
 * resolved, annotated or snoozed, are every desktop's own findings (each judges the same rules on
 * the same readings): replaced without an entry.
 */
export function personsEdit(
  type: EntityType,
  group: string,
  value: Record<string, unknown> | null | undefined,
): boolean {
  if (type !== 'alertState' || value === null || value === undefined) return true;
  if (group === 'alert') return false;
  return ['acknowledgedBy', 'resolvedBy', 'note', 'snoozedUntil'].some(
    (f) => value[f] !== null && value[f] !== undefined,
  );
}

/** Settings that are the team's, not the laptop's: they sync (everything else stays local). */
export const SHARED_SETTINGS = [
  'notify.email.from',
  'notify.email.to',
  'notify.quietHours',
  'notify.digestAt',
  'notify.appUrl',
] as const;

/** Most meter-days one `days` mutation carries. */
export const MAX_DAYS_PER_MUTATION = 2000;
/** Most entity changes one `entities` mutation carries. */
export const MAX_ROWS_PER_MUTATION = 1000;
/** Most mutations one push carries. */
export const MAX_MUTATIONS_PER_PUSH = 50;
/** Most meter-days one pull page returns (the client may ask for fewer). */
export const MAX_DAYS_PER_PAGE = 5000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const version = z.number().int().min(0);
const key = z.string().min(1).max(300);

/** One meter-day as it travels: the desktop's packed BLOBs (codec.ts), base64. */
export const wireDaySchema = z
  .object({
    meter: z.string().min(1).max(64),
    day: z.number().int().min(0).max(200_000),
    vals: base64,
    quality: base64.nullable(),
    volumes: base64.nullable(),
  })
  .strict();
export type WireDay = z.infer<typeof wireDaySchema>;

/** A meter-day the client pushes: `base` is the server version of the day it last had (0: none). */
export const pushedDaySchema = wireDaySchema
  .extend({
    base: version,
    /** The day's readings were removed on the desktop (an import undone, readings deleted). */
    removed: z.boolean().optional(),
  })
  .strict();
export type PushedDay = z.infer<typeof pushedDaySchema>;

/** A field group's new value and the server version of that group the client last had (0: none). */
const groupChange = z.object({ base: version, value: z.record(z.string(), z.unknown()) }).strict();

/** A change to one entity: changed field groups, or a tombstone (`deleted`, with the row's base). */
export const entityChangeSchema = z
  .object({
    type: z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]]),
    key,
    groups: z.record(z.string(), groupChange).optional(),
    deleted: z.object({ base: version }).strict().optional(),
  })
  .strict()
  .refine((c) => (c.groups === undefined) !== (c.deleted === undefined), 'Either groups or deleted');
export type EntityChange = z.infer<typeof entityChangeSchema>;

/** One mutation: a client's numbered change set, applied whole and once. */
export const mutationSchema = z.discriminatedUnion('kind', [
  z
    .object({
      seq: z.number().int().positive(),
      kind: z.literal('days'),
      days: z.array(pushedDaySchema).min(1).max(MAX_DAYS_PER_MUTATION),
    })
    .strict(),
  z
    .object({
      seq: z.number().int().positive(),
      kind: z.literal('entities'),
      rows: z.array(entityChangeSchema).min(1).max(MAX_ROWS_PER_MUTATION),
    })
    .strict(),
  z
    .object({
      seq: z.number().int().positive(),
      kind: z.literal('resolve'),
      /** Readings conflicts a person decided: keep the server's value, or apply the pushed one. */
      conflicts: z
        .array(z.object({ id: z.number().int().positive(), keep: z.enum(['server', 'pushed']) }).strict())
        .min(1)
        .max(MAX_ROWS_PER_MUTATION),
    })
    .strict(),
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z
  .object({
    /** The desktop's own id (a UUID made once per data folder). */
    clientId: z.string().uuid(),
    /** A name people recognise ("Sam's laptop"), for conflicts and the activity log. */
    clientName: z.string().min(1).max(100),
    mutations: z.array(mutationSchema).min(1).max(MAX_MUTATIONS_PER_PUSH),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export interface MutationResult {
  seq: number;
  /** False when this (clientId, seq) had been applied before: nothing was applied again. */
  applied: boolean;
  /** The server version the mutation's writes carry. */
  version: number;
  /** Readings conflicts it raised (half-hours the server kept because they differ). */
  conflicts: number;
  /** Field groups it replaced that another client had changed since this one last pulled. */
  overrode: number;
  /**
   * Field groups pushed with base 0 that the server already held (the entity made again on this
   * desktop, e.g. the same meter imported): the server kept its value and sends it in the next pull.
   */
  kept?: { type: EntityType; key: string; group: string }[];
}
export interface PushResponse {
  results: MutationResult[];
  /** The server's latest version after the push. */
  head: number;
}

export const pullRequestSchema = z
  .object({
    clientId: z.string().uuid(),
    /** Where the last applied page ended ('' or '0' for the beginning). */
    cursor: z.string().max(100),
    /** Most meter-days in this page (default and maximum MAX_DAYS_PER_PAGE). */
    limit: z.number().int().min(1).max(MAX_DAYS_PER_PAGE).optional(),
    /** Site uids whose meters' days this desktop keeps; absent = every site. Entities always all travel. */
    sites: z.array(z.string().min(1).max(64)).max(100_000).optional(),
  })
  .strict();
export type PullRequest = z.infer<typeof pullRequestSchema>;

/** An entity as the server holds it: every field group's value and version, or a tombstone. */
export interface EntityRow {
  type: EntityType;
  key: string;
  version: number;
  deleted: boolean;
  /** Each field group's value and the version it was written at (absent on a tombstone). */
  groups: Record<string, { version: number; value: Record<string, unknown> }>;
}

/** A pulled meter-day: the server's whole day at `version` (`removed`: its readings were removed). */
export interface PulledDay extends WireDay {
  version: number;
  removed: boolean;
}

/** A half-hour the server kept because a push gave a different value (slot -1: a removed day). */
export interface ReadingConflict {
  id: number;
  meter: string;
  day: number;
  /** Half-hour index in the UK local day (0-based), or -1 when the push removed the whole day. */
  slot: number;
  /** The UTC start of the half-hour (ISO), or null for a whole day. */
  at: string | null;
  serverKwh: number | null;
  pushedKwh: number | null;
  /** Quality code of each value (codec.ts): 0 actual, 1 estimated, 2 missing. */
  serverQuality: number | null;
  pushedQuality: number | null;
  pushedBy: string;
  pushedFrom: string;
  raisedAt: string;
  status: 'open' | 'kept-server' | 'applied-pushed';
  resolvedBy: string | null;
  version: number;
}

/** An entry of the server's activity log that desktops show: an edit replaced by a later one. */
export interface SyncActivity {
  id: number;
  at: string;
  type: EntityType;
  key: string;
  group: string;
  /** The value that lost, who made it and from where. */
  lost: Record<string, unknown> | null;
  lostBy: string;
  lostFrom: string;
  /** The value that replaced it. */
  won: Record<string, unknown> | null;
  wonBy: string;
  wonFrom: string;
  version: number;
}

export interface PullResponse {
  /** Entity rows changed in this page's range of versions (all kinds, tombstones included). */
  entities: EntityRow[];
  days: PulledDay[];
  conflicts: ReadingConflict[];
  activity: SyncActivity[];
  /** Pass as the next request's cursor once this page is applied. */
  cursor: string;
  /** True when there is more after this page. */
  more: boolean;
  /** The server's latest version. */
  head: number;
}

export const signInSchema = z
  .object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) })
  .strict();

/** `POST /auth/token`: a session token for `Authorization: Bearer`, and who it is. */
export interface SignedIn {
  token: string;
  expiresAt: string;
  user: { name: string; role: Role };
}

/** `GET /health` of the shared server. */
export interface SharedServerHealth {
  status: 'ok' | 'degraded';
  database: 'postgres';
  /** Whether the database answered just now. */
  databaseReachable: boolean;
  schemaVersion: number;
  head: number | null;
  appVersion: string;
}
