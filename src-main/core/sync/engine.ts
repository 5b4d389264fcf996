/**
 * The desktop's sync engine (docs/sync.md): pushes what changed here and pulls what changed on the
 * shared server, one sync at a time, never throwing into the app when the server cannot be reached.
 *
 * A sync: (1) in one local transaction, the changes made since the last push — meter-days (days.ts),
 * entity field groups (entities.ts) — become numbered mutations in the outbox and the marks move;
 * (2) the outbox is sent oldest first, each acknowledged mutation removed (and its days' and
 * groups' server versions recorded) in one transaction per push, so a push cut part-way sends the
 * same mutations again; (3) pages are pulled from the cursor, each applied in one transaction with
 * its cursor. Days holding local changes not yet on the server stay as they are (the server merges
 * them when they are pushed). The state and the outcome are kept in `sync_state` and announced as
 * the `sync.status` event.
 */
import os from 'node:os';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import {
  ENTITY_PUSH_ROLE,
  MAX_DAYS_PER_MUTATION,
  MAX_DAYS_PER_PAGE,
  MAX_MUTATIONS_PER_PUSH,
  MAX_ROWS_PER_MUTATION,
  type EntityChange,
  type EntityType,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type ReadingConflict,
  type SyncActivity,
} from '../../../src-shared/contract/sync';
import type { Role, SyncRunResult, SyncStatus } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import { SYNC_TOKEN_KEY, type SecretStore } from '../notify/secrets';
import type { ReadingsStore } from '../readings/store';
import { writeAudit } from '../rpc/audit';
import { DaySync } from './days';
import type { EntitySync } from './entity-api';
import { canonicalJson, PENDING_KEY, SYNC_ACTOR } from './entities';
import { changesText, describeHeld } from './held';
import { itemsOf, Outbox, type OutboxEntry } from './outbox';
import { SyncState, type SyncUser } from './state';
import { normaliseServer, SyncFailure, SyncTransport, type TransportOptions } from './transport';

/** Most bytes (compressed) of stored mutations one push carries, besides MAX_MUTATIONS_PER_PUSH. */
const PUSH_BYTES = 4 * 1024 * 1024;

const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

/** How long after a local change the status is read again (changes made together are counted once). */
const LOCAL_CHANGE_MS = 250;

/** How long a sync's hold on its data folder lasts if its process dies on another machine. */
const LEASE_MS = 60 * 60_000;

/** Whether process `pid` on this machine is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a pull told the app about, so the windows, roll-ups and alert checks catch up. */
export interface PulledChanges {
  /** Identifiers of meters whose readings or details changed. */
  meters: string[];
  /** Whether any meter-day was written or removed. */
  readings: boolean;
  /** Kinds of entities changed. */
  types: EntityType[];
}

export interface SyncEngineDeps {
  sqlite: Database.Database;
  readings: ReadingsStore;
  entities: EntitySync;
  secrets: SecretStore;
  events: EventBus;
  clock: Clock;
  log: Logger;
  /** Runs after a pull changed something: events, roll-ups and alert checks as after an import. */
  afterPull(changes: PulledChanges): Promise<unknown>;
}

export interface SyncEngineOptions extends TransportOptions {
  /** Most meter-days asked for in one pull page (default and maximum MAX_DAYS_PER_PAGE). */
  pageSize?: number;
}

/** A sync's outcome: what it did, and why it stopped short if it did. */
interface Outcome {
  result: SyncRunResult;
  failure: SyncFailure | null;
}

/** A mutation before it is numbered. */
type Unnumbered = { [K in Mutation['kind']]: Omit<Extract<Mutation, { kind: K }>, 'seq'> }[Mutation['kind']];

/** The server version a cursor (`V` or `V:meter:day`) has pulled up to. */
const cursorVersion = (cursor: string): number => Number.parseInt(cursor, 10) || 0;

export class SyncEngine {
  private readonly state: SyncState;
  private readonly outbox: Outbox;
  private readonly days: DaySync;
  private running: Promise<Outcome> | null = null;
  /** Another sync was asked for while one ran (an import finished): it runs once this one ends. */
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  /** Aborts calls in flight when the app stops. */
  private abort = new AbortController();
  /** Who the running sync pushes as (the API token's account with --token), for refusals' words. */
  private actingAs: SyncUser | null = null;
  /** The status last announced (JSON), so a local change announces only a status that differs. */
  private announced: string | null = null;
  /** Set while a local change's status check is due. */
  private changeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly d: SyncEngineDeps,
    private readonly opts: SyncEngineOptions = {},
  ) {
    this.state = new SyncState(d.sqlite);
    this.outbox = new Outbox(d.sqlite, () => Math.floor(d.clock.now() / 1000));
    this.days = new DaySync(d.sqlite, d.readings);
  }

  private nowIso(): string {
    return isoUtc(Math.floor(this.d.clock.now() / 1000));
  }

  private transport(server: string): SyncTransport {
    return new SyncTransport(server, { ...this.opts, signal: this.abort.signal });
  }

  // ---------------------------------------------------------------- status

  /**
   * Changes made here and not yet on the server (in the outbox, and not yet taken into it): those
   * the next sync sends, and those the account's role may not send (`above`: entity changes that
   * need an admin; a viewer's account sends nothing), which stay here.
   */
  private local(role: Role | null): { send: number; held: number; above: EntityChange[] } {
    const readings = this.days.pending(this.state.pushedSeq);
    const entities = this.newEntityChanges();
    const all = this.outbox.items() + readings + entities.length;
    if (role === 'viewer') return { send: 0, held: all, above: [] };
    const above = role === null ? [] : entities.filter((c) => RANK[role] < RANK[ENTITY_PUSH_ROLE[c.type]]);
    return { send: all - above.length, held: above.length, above };
  }

  status(): SyncStatus {
    const s = this.state;
    const server = s.server;
    const user = s.user;
    const local = server === null ? { send: 0, held: 0, above: [] } : this.local(user?.role ?? null);
    const waiting = local.send;
    const state: SyncStatus['state'] =
      server === null
        ? 'off'
        : this.running
          ? 'syncing'
          : s.lastError !== null
            ? 'error'
            : s.offlineSince !== null
              ? 'offline'
              : waiting > 0
                ? 'waiting'
                : 'synced';
    return {
      configured: server !== null,
      server,
      user,
      clientName: s.clientName,
      state,
      waiting,
      heldCount: local.held,
      lastSyncAt: s.lastSyncAt,
      offlineSince: s.offlineSince,
      lastError: s.lastError,
      held: local.held > 0 && user !== null ? this.heldWords(user, local) : state === 'waiting' ? s.held : null,
      version: s.version,
      keptSites: s.keptSites,
      openConflicts: this.d.sqlite
        .prepare("SELECT count(*) FROM sync_conflicts WHERE status = 'open'")
        .pluck()
        .get() as number,
      everyMinutes: s.everyMinutes,
    };
  }

  /** Announces the status (`onlyIfChanged`: only when it differs from the one announced last). */
  private announce(onlyIfChanged = false): void {
    if (this.stopped) return;
    try {
      const status = this.status();
      const text = JSON.stringify(status);
      if (onlyIfChanged && text === this.announced) return;
      this.announced = text;
      this.d.events.emit('sync.status', status);
    } catch (e) {
      this.d.log.error('reading the sync status failed', e);
    }
  }

  /**
   * A change was made here (a contract call that writes succeeded): shortly after, the status is
   * read again and announced if it differs ("1 change waiting" as soon as a site is edited).
   */
  localChange(): void {
    if (this.stopped || this.changeTimer !== null || this.state.server === null) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.announce(true);
    }, LOCAL_CHANGE_MS);
    this.changeTimer.unref();
  }

  // ---------------------------------------------------------------- set-up

  /**
   * Makes `server` the one this desktop syncs with. A different server than the one the cursor,
   * marks and versions belong to starts over: everything here is pushed to it and everything
   * there pulled (the outbox, day versions, entity shadow, conflicts and activity of the old one go).
   */
  private linkTo(server: string): void {
    const s = this.state;
    if (s.syncedServer !== null && s.syncedServer !== server) {
      s.cursor = '';
      s.version = 0;
      s.pushedSeq = 0;
      this.outbox.clear();
      this.days.clear();
      for (const t of ['sync_shadow', 'sync_conflicts', 'sync_activity'])
        this.d.sqlite.prepare(`DELETE FROM ${t}`).run();
      this.d.sqlite.prepare('DELETE FROM sync_state WHERE key = ?').run(PENDING_KEY);
    }
    s.syncedServer = server;
    s.server = server;
  }

  /** Signs in to `server` (the session token goes to the secret store, the password nowhere) and starts a sync. */
  async connect(a: {
    server: string;
    username: string;
    password: string;
    clientName?: string;
    sites?: string[] | null;
  }): Promise<SyncStatus> {
    const server = normaliseServer(a.server);
    let signed;
    try {
      signed = await this.transport(server).signIn(a.username, a.password);
    } catch (e) {
      throw toAppError(e);
    }
    this.d.sqlite.transaction(() => {
      this.linkTo(server);
      this.state.user = signed.user;
      if (a.clientName !== undefined) this.state.clientName = a.clientName;
      if (a.sites !== undefined) this.keep(a.sites);
      this.state.lastError = null;
      this.state.offlineSince = null;
    })();
    this.d.secrets.set(SYNC_TOKEN_KEY, signed.token);
    this.kick();
    this.announce();
    return this.status();
  }

  /** Stops syncing: forgets the session and the server (local data, cursor and versions stay). */
  disconnect(): SyncStatus {
    this.d.secrets.set(SYNC_TOKEN_KEY, null);
    this.d.sqlite.transaction(() => {
      this.state.server = null;
      this.state.user = null;
      this.state.lastError = null;
      this.state.held = null;
      this.state.offlineSince = null;
    })();
    this.schedule();
    this.announce();
    return this.status();
  }

  /** Sites whose readings this desktop keeps: a change starts the pull over from the beginning. */
  private keep(sites: string[] | null): void {
    const before = JSON.stringify(this.state.keptSites);
    this.state.keptSites = sites;
    if (JSON.stringify(this.state.keptSites) !== before) {
      this.state.cursor = '';
      this.state.version = 0;
    }
  }

  configure(a: { sites?: string[] | null; everyMinutes?: number; clientName?: string }): SyncStatus {
    this.d.sqlite.transaction(() => {
      if (a.sites !== undefined) this.keep(a.sites);
      if (a.everyMinutes !== undefined) this.state.everyMinutes = a.everyMinutes;
      if (a.clientName !== undefined) this.state.clientName = a.clientName;
    })();
    if (a.everyMinutes !== undefined) this.schedule();
    this.announce();
    return this.status();
  }

  // ---------------------------------------------------------------- conflicts

  /** Readings conflicts (open first, then newest) and edits replaced by a later one elsewhere (newest first). */
  conflicts(which: 'open' | 'all' = 'open'): { conflicts: ReadingConflict[]; replaced: SyncActivity[] } {
    const conflicts = (
      this.d.sqlite
        .prepare(
          `SELECT data FROM sync_conflicts ${which === 'open' ? "WHERE status = 'open'" : ''} ORDER BY status != 'open', id DESC`,
        )
        .pluck()
        .all() as string[]
    ).map((t) => JSON.parse(t) as ReadingConflict);
    const replaced = (
      this.d.sqlite.prepare('SELECT data FROM sync_activity ORDER BY id DESC LIMIT 1000').pluck().all() as string[]
    ).map((t) => JSON.parse(t) as SyncActivity);
    return { conflicts, replaced };
  }

  /**
   * Queues a decision on open readings conflicts for the next push (the server applies it; the
   * conflicts show as decided once pulled back) and starts a sync.
   */
  resolve(ids: readonly number[], keep: 'server' | 'pushed'): { queued: number } {
    if (this.state.server === null)
      throw new AppError('BAD_INPUT', 'No shared server is set up: connect in Settings → Shared server first');
    const unique = [...new Set(ids)];
    const status = this.d.sqlite.prepare('SELECT status FROM sync_conflicts WHERE id = ?').pluck();
    for (const id of unique) {
      const s = status.get(id) as string | undefined;
      if (s === undefined) throw new AppError('NOT_FOUND', `Readings conflict ${id} is not on this desktop`);
      if (s !== 'open') throw new AppError('CONFLICT', `Readings conflict ${id} was decided already (${s})`);
    }
    this.d.sqlite.transaction(() => {
      const seq = this.state.takeSeqs(1);
      this.outbox.add({ seq, kind: 'resolve', conflicts: unique.map((id) => ({ id, keep })) });
    })();
    this.kick();
    this.announce();
    return { queued: unique.length };
  }

  // ---------------------------------------------------------------- running

  /**
   * Syncs now, after the sync already running if there is one. `server` and `token` (the CLI's
   * --server and --token) sync with that API token rather than the stored session, setting the
   * server up when none is. Throws AppError when the sync could not finish (what it did is kept).
   */
  async sync(opts: { server?: string; token?: string } = {}): Promise<SyncRunResult> {
    let link: string | null = null;
    if (opts.server !== undefined) {
      const server = normaliseServer(opts.server);
      const current = this.state.server;
      if (current === null) link = server;
      else if (current !== server)
        throw new AppError(
          'BAD_INPUT',
          `This data folder syncs with ${current}, not ${server}: disconnect it first ` +
            '(eclectyc sync --disconnect, or Settings → Shared server in the app)',
        );
    }
    if (this.state.server === null && link === null)
      throw new AppError('BAD_INPUT', 'No shared server is set up: connect in Settings → Shared server first');
    // a sync already running may have taken the changes before this call's: it is waited for, and
    // then one runs that starts after this call (or the one that started since is joined)
    if (this.running) await this.running;
    if (link !== null && this.state.server !== null) return this.sync(opts);
    const o = await (this.running ?? this.begin(opts.token ?? null, link));
    if (o.failure) throw toAppError(o.failure);
    return o.result;
  }

  /** Starts a sync in the background (or once more after the running one); failures end up in the status. */
  kick(): void {
    if (this.stopped || this.state.server === null) return;
    if (this.running) this.again = true;
    else void this.begin(null);
  }

  /** Runs a sync; `link`: a server not yet linked, linked once it answered who the token is. */
  private begin(token: string | null, link: string | null = null): Promise<Outcome> {
    const run = this.runOnce(token, link).finally(() => {
      this.running = null;
      this.announce();
      if (this.again && !this.stopped) {
        this.again = false;
        void this.begin(null);
      }
    });
    this.running = run;
    this.announce();
    return run;
  }

  private async runOnce(tokenOverride: string | null, link: string | null): Promise<Outcome> {
    const result: SyncRunResult = { pushed: 0, pulled: 0, conflicts: 0, version: this.state.version };
    const server = link ?? this.state.server!;
    let refused: SyncFailure | null = null;
    let leased = false;
    try {
      this.takeLease();
      leased = true;
      const token = tokenOverride ?? this.d.secrets.get(SYNC_TOKEN_KEY);
      if (token === null)
        throw new SyncFailure('signed-out', 'Not signed in to the shared server: sign in in Settings → Shared server');
      const transport = this.transport(server);
      // who the token is, when this desktop does not know: the first exchange with a server not yet linked
      this.actingAs = this.state.user;
      let role = this.state.user?.role ?? null;
      if (link !== null || tokenOverride !== null || role === null) {
        const me = await transport.me(token);
        role = me.role;
        this.actingAs = me;
        this.d.sqlite.transaction(() => {
          if (link !== null) this.linkTo(link);
          if (link !== null || this.state.user === null) this.state.user = me;
        })();
      }
      this.collect(role);
      // a viewer's desktop only receives: nothing is sent for the server to refuse
      if (role !== 'viewer') refused = await this.push(transport, token, result);
      await this.pull(transport, token, result);
      if (!this.stopped)
        this.d.sqlite.transaction(() => {
          this.state.lastSyncAt = this.nowIso();
          this.state.offlineSince = null;
          this.state.lastError = null;
          this.state.held = this.refusedReason(role, refused);
        })();
      return { result, failure: null };
    } catch (e) {
      let failure =
        e instanceof SyncFailure ? e : new SyncFailure('refused', e instanceof Error ? e.message : String(e), null);
      // an expected failure is one plain line; anything else keeps its stack
      if (!(e instanceof SyncFailure)) this.d.log.error('sync failed', e);
      else if (e.kind === 'refused') this.d.log.error(`sync failed: ${e.message}`);
      if (failure.kind === 'signed-out' && tokenOverride !== null)
        failure = new SyncFailure(
          'signed-out',
          'The shared server did not accept the API token (401): check it, or make another',
          401,
        );
      // a server never answered is not linked, and another process's sync is not this one's: nothing is kept
      if (!this.stopped && this.state.server === server && failure.kind !== 'busy')
        this.record(failure, tokenOverride !== null);
      return { result, failure };
    } finally {
      if (leased) this.releaseLease();
    }
  }

  /**
   * Holds this data folder's sync for this process (a lease in `sync_state`, taken in one
   * transaction): another process syncing it (two `eclectyc sync` at once, the app and the CLI)
   * makes this sync stop before it takes or sends anything. A lease whose process has ended on
   * this machine, or that ran out, is taken over.
   */
  private takeLease(): void {
    const host = os.hostname();
    const now = this.d.clock.now();
    this.d.sqlite
      .transaction(() => {
        const held = this.state.lease;
        if (
          held !== null &&
          !(held.host === host && held.pid === process.pid) &&
          held.until > now &&
          (held.host !== host || alive(held.pid))
        )
          throw new SyncFailure(
            'busy',
            `Another sync of this data folder is running (process ${held.pid}${held.host === host ? '' : ` on ${held.host}`}): ` +
              'it carries these changes too; sync again once it has finished',
          );
        this.state.lease = { host, pid: process.pid, until: now + LEASE_MS };
      })
      .immediate();
  }

  private releaseLease(): void {
    this.d.sqlite.transaction(() => {
      const held = this.state.lease;
      if (held?.host === os.hostname() && held.pid === process.pid) this.state.lease = null;
    })();
  }

  /** Keeps why a sync stopped: offline since when, or the error a person has to act on. */
  private record(f: SyncFailure, overrideToken: boolean): void {
    this.d.sqlite.transaction(() => {
      if (f.kind === 'offline') {
        this.state.offlineSince ??= this.nowIso();
        this.state.lastError = null;
        return;
      }
      this.state.offlineSince = null;
      this.state.lastError = f.message;
    })();
    // a session the server no longer accepts is of no further use
    if (f.kind === 'signed-out' && !overrideToken && f.status === 401) this.d.secrets.set(SYNC_TOKEN_KEY, null);
  }

  // ---------------------------------------------------------------- push

  /** Why changes made here are not shared, in words: a viewer's account, or what needs an admin's. */
  private heldWords(user: SyncUser, local: { held: number; above: EntityChange[] }): string {
    if (user.role === 'viewer')
      return (
        `This desktop’s account (${user.name}) is a viewer: it only receives changes; ` +
        `${changesText(local.held)} made here ${local.held === 1 ? 'stays' : 'stay'} on this desktop`
      );
    return (
      `${changesText(local.held)} need an administrator’s account to be shared: ` +
      describeHeld(this.d.sqlite, local.above)
    );
  }

  /**
   * Why changes the next sync would send still wait after a sync that succeeded: the server refused
   * part of a push (a role changed there, a mutation queued under another account), or null.
   */
  private refusedReason(role: Role, refused: SyncFailure | null): string | null {
    const waiting = this.local(role).send;
    if (waiting === 0 || refused === null) return null;
    // the server's words end "nothing was pushed" for the refused mutation; the rest was pushed
    return `${changesText(waiting)} ${waiting === 1 ? 'waits' : 'wait'}: ${refused.message.replace(/: nothing was pushed$/, '')}`;
  }

  /** Takes the changes made since the last push into the outbox as numbered mutations, in one transaction. */
  private collect(role: Role): void {
    this.d.sqlite
      .transaction(() => {
        const mutations: Unnumbered[] = [];
        // entities first: a meter a day belongs to reaches the server before the day
        for (const rows of this.entityChunks(role)) mutations.push({ kind: 'entities', rows });
        const { days, upTo } = this.days.collect(this.state.pushedSeq);
        for (let i = 0; i < days.length; i += MAX_DAYS_PER_MUTATION)
          mutations.push({ kind: 'days', days: days.slice(i, i + MAX_DAYS_PER_MUTATION) });
        const first = mutations.length > 0 ? this.state.takeSeqs(mutations.length) : 0;
        mutations.forEach((m, i) => this.outbox.add({ ...m, seq: first + i } as Mutation));
        this.state.pushedSeq = upTo;
        this.days.prunePulled(upTo);
      })
      .immediate();
  }

  /**
   * The entity changes to push, in the entity side's order, cut into mutations that each need one
   * role (a manager's site edits are not refused with an admin's tariff edit). Changes the signed-in
   * role may not push stay here.
   */
  private entityChunks(role: Role): EntityChange[][] {
    const chunks: EntityChange[][] = [];
    let current: EntityChange[] = [];
    let currentRole: Role | null = null;
    for (const c of this.newEntityChanges()) {
      const need = ENTITY_PUSH_ROLE[c.type];
      if (RANK[role] < RANK[need]) continue;
      if (current.length === MAX_ROWS_PER_MUTATION || (currentRole !== null && need !== currentRole)) {
        chunks.push(current);
        current = [];
      }
      current.push(c);
      currentRole = need;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /**
   * The entity side's changes less what the outbox holds already (a group with the same value and
   * base, a tombstone with the same base): those are sent as they were queued, not queued twice.
   */
  private newEntityChanges(): EntityChange[] {
    const changes = this.d.entities.changes();
    const queued = new Set<string>();
    for (const e of this.outbox.entries()) {
      if (e.kind !== 'entities') continue;
      const m = this.outbox.read(e.seq);
      if (m.kind === 'entities') for (const c of m.rows) for (const k of changeKeys(c)) queued.add(k);
    }
    if (queued.size === 0) return changes;
    const out: EntityChange[] = [];
    for (const c of changes) {
      if (c.deleted) {
        if (!queued.has(changeKeys(c)[0]!)) out.push(c);
        continue;
      }
      const groups = Object.fromEntries(
        Object.entries(c.groups!).filter(([g, v]) => !queued.has(changeKeys({ ...c, groups: { [g]: v } })[0]!)),
      );
      if (Object.keys(groups).length > 0) out.push({ ...c, groups });
    }
    return out;
  }

  /**
   * Sends the outbox oldest first. A push the server refuses for the role is split down to single
   * mutations so what the role may push still goes; a refused mutation stays in the outbox. A
   * refused `days` or `resolve` mutation means this account cannot push at all (a viewer): the
   * rest waits. Returns the refusal, if any.
   */
  private async push(t: SyncTransport, token: string, result: SyncRunResult): Promise<SyncFailure | null> {
    const entries = this.outbox.entries();
    let refused: SyncFailure | null = null;
    let canPush = true;
    const send = async (batch: OutboxEntry[]): Promise<void> => {
      const mutations = batch.map((e) => this.outbox.read(e.seq));
      let res: PushResponse;
      try {
        res = await t.push(token, { clientId: this.state.clientId, clientName: this.state.clientName, mutations });
      } catch (e) {
        if (!(e instanceof SyncFailure) || (e.kind !== 'forbidden' && e.kind !== 'too-large')) throw e;
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await send(batch.slice(0, half));
          if (canPush) await send(batch.slice(half));
          return;
        }
        if (e.kind === 'too-large') throw new SyncFailure('refused', `Mutation ${batch[0]!.seq}: ${e.message}`);
        refused = this.refusal(e);
        if (batch[0]!.kind !== 'entities') canPush = false;
        return;
      }
      this.acknowledge(mutations, res, result);
    };
    for (let i = 0; i < entries.length && canPush;) {
      let n = 0;
      let bytes = 0;
      while (
        i + n < entries.length &&
        n < MAX_MUTATIONS_PER_PUSH &&
        (n === 0 || bytes + entries[i + n]!.bytes <= PUSH_BYTES)
      )
        bytes += entries[i + n++]!.bytes;
      await send(entries.slice(i, i + n));
      i += n;
    }
    return refused;
  }

  /** A refusal for the role, in words naming who this desktop signed in as. */
  private refusal(e: SyncFailure): SyncFailure {
    const u = this.actingAs;
    const who = u ? ` (signed in as ${u.name}, a ${u.role})` : '';
    return new SyncFailure('forbidden', `The shared server refused this desktop's changes${who}: ${e.message}`, 403);
  }

  /** Records what the server acknowledged (applied now or before) and drops it from the outbox, in one transaction. */
  private acknowledge(mutations: Mutation[], res: PushResponse, result: SyncRunResult): void {
    const bySeq = new Map(mutations.map((m) => [m.seq, m]));
    this.d.sqlite.transaction(() => {
      for (const r of res.results) {
        const m = bySeq.get(r.seq);
        if (!m) continue;
        // a day the server merged with its own (conflicts kept) is not its day yet: the pull brings it
        if (m.kind === 'days' && r.conflicts === 0) this.days.acknowledged(m.days, r.version);
        if (m.kind === 'entities') this.d.entities.markPushed(m.rows, r);
        this.outbox.remove(m.seq);
        // a mutation the server had applied before (a resend after a cut) was counted by that sync
        if (r.applied) result.pushed += itemsOf(m);
        result.conflicts += r.conflicts;
      }
    })();
  }

  // ---------------------------------------------------------------- pull

  private async pull(t: SyncTransport, token: string, result: SyncRunResult): Promise<void> {
    const waiting = this.outbox.waitingDays();
    const pulledSeq = this.d.sqlite.prepare('SELECT 1 FROM sync_pulled_seqs WHERE seq = ?').pluck();
    // a day changed here and not yet on the server keeps its local readings
    const keep = (meterId: number, meter: string, day: number): boolean => {
      if (waiting.has(`${meter}|${day}`)) return true;
      const seq = this.d.readings.daySeq(meterId, day);
      return seq !== null && seq > this.state.pushedSeq && pulledSeq.get(seq) === undefined;
    };
    const meters = new Set<string>();
    const types = new Set<EntityType>();
    /** Open readings conflicts pulled (those this sync's pushes raised among them). */
    const open = new Set<number>();
    let readings = false;
    const kept = this.state.keptSites;
    for (let more = true; more && !this.stopped;) {
      const cursor = this.state.cursor;
      const page = await t.pull(token, {
        clientId: this.state.clientId,
        cursor,
        limit: Math.min(this.opts.pageSize ?? MAX_DAYS_PER_PAGE, MAX_DAYS_PER_PAGE),
        ...(kept ? { sites: kept } : {}),
      });
      // a page that says there is more must move the cursor on, or the pull would never end
      if (page.more && page.cursor === cursor)
        throw new SyncFailure('refused', `The shared server's pull did not move on from "${cursor}"`);
      const applied = this.applyPage(page, keep);
      result.pulled += applied.rows;
      for (const [id, st] of applied.conflicts)
        if (st === 'open') open.add(id);
        else open.delete(id);
      for (const m of applied.meters) meters.add(m);
      for (const ty of applied.types) types.add(ty);
      readings ||= applied.readings;
      result.version = this.state.version;
      more = page.more;
    }
    result.conflicts = open.size;
    if (meters.size > 0 || readings || types.size > 0)
      await this.d.afterPull({ meters: [...meters], readings, types: [...types] }).catch((e: unknown) => {
        this.d.log.error('catching up after a sync failed', e);
      });
  }

  /** Applies one pulled page and its cursor in one transaction. */
  private applyPage(
    page: PullResponse,
    keep: (meterId: number, meter: string, day: number) => boolean,
  ): {
    rows: number;
    conflicts: [number, ReadingConflict['status']][];
    meters: string[];
    types: EntityType[];
    readings: boolean;
  } {
    return this.d.sqlite
      .transaction(() => {
        const ent = page.entities.length > 0 ? this.d.entities.apply(page.entities) : null;
        for (const r of ent?.replaced ?? [])
          writeAudit(this.d.sqlite, this.d.clock, {
            actor: SYNC_ACTOR,
            action: 'sync.replaced',
            details: { type: r.type, key: r.key, group: r.group, lost: r.local, won: r.server, lostBy: 'this desktop' },
            outcome: 'ok',
          });
        // a half-hour in conflict reads as the server has it until a person decides otherwise, also
        // on the desktop that pushed the other value (which the conflict keeps)
        const keptServer = page.conflicts
          .filter((c) => c.status !== 'applied-pushed' && c.slot >= 0 && c.serverQuality !== null)
          .map((c) => ({ meter: c.meter, day: c.day, slot: c.slot, kwh: c.serverKwh, quality: c.serverQuality! }));
        const days = this.days.apply(page.days, keptServer, keep);
        const upsertConflict = this.d.sqlite.prepare(
          `INSERT INTO sync_conflicts (id, status, data, version) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data, version = excluded.version
           WHERE excluded.version >= sync_conflicts.version`,
        );
        for (const c of page.conflicts) upsertConflict.run(c.id, c.status, JSON.stringify(c), c.version);
        const addActivity = this.d.sqlite.prepare(
          'INSERT INTO sync_activity (id, data, version) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
        );
        for (const a of page.activity)
          if (addActivity.run(a.id, JSON.stringify(a), a.version).changes > 0)
            writeAudit(this.d.sqlite, this.d.clock, {
              actor: `${a.wonBy} (${a.wonFrom})`,
              action: 'sync.replaced',
              details: {
                type: a.type,
                key: a.key,
                group: a.group,
                lost: a.lost,
                lostBy: `${a.lostBy} (${a.lostFrom})`,
                won: a.won,
              },
              outcome: 'ok',
            });
        this.state.cursor = page.cursor;
        this.state.version = cursorVersion(page.cursor);
        return {
          rows: days.written + (ent?.applied ?? 0),
          conflicts: page.conflicts.map((c) => [c.id, c.status] as [number, ReadingConflict['status']]),
          meters: [...days.meters, ...(ent?.meters ?? [])],
          types: ent?.types ?? [],
          readings: days.written > 0,
        };
      })
      .immediate();
  }

  // ---------------------------------------------------------------- timer

  /** Syncs now (when set up), every `everyMinutes`, and after each import. */
  start(): void {
    this.stopped = false;
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.unsubscribe = this.d.events.subscribe((e) => {
      if (
        e.event === 'imports.updated' &&
        !e.payload.job.dryRun &&
        (e.payload.job.status === 'done' || e.payload.job.status === 'cancelled')
      )
        this.kick();
    });
    this.schedule();
    this.kick();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.stopped || this.unsubscribe === null) return;
    this.timer = setInterval(() => this.kick(), this.state.everyMinutes * 60_000);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sync in progress (it stores nothing more once stopping). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.running?.catch(() => undefined);
  }
}

/** One key per changed group (or the tombstone) of an entity change: type, key, group, base and value. */
function changeKeys(c: EntityChange): string[] {
  if (c.deleted) return [JSON.stringify([c.type, c.key, null, c.deleted.base])];
  return Object.entries(c.groups!).map(([g, v]) => JSON.stringify([c.type, c.key, g, v.base, canonicalJson(v.value)]));
}

/** A sync failure as the error a contract call answers with. */
function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (!(e instanceof SyncFailure)) return new AppError('INTERNAL', e instanceof Error ? e.message : String(e));
  const code =
    e.kind === 'offline'
      ? 'UNAVAILABLE'
      : e.kind === 'signed-out'
        ? 'UNAUTHENTICATED'
        : e.kind === 'forbidden'
          ? 'FORBIDDEN'
          : e.kind === 'busy'
            ? 'CONFLICT'
            : 'BAD_INPUT';
  return new AppError(code, e.message);
}
