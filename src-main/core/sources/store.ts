/**
 * The sources tables (sources, source_runs, source_items) as the contract shows them: a source's
 * settings and status, its runs and what it took in, and the lease that lets one process at a time
 * run it. Times are stored in epoch seconds (source_items.mtime in milliseconds).
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { sourceConfigSchema } from '../../../src-shared/contract/api';
import { AppError } from '../../../src-shared/contract/errors';
import type {
  SourceItem,
  SourceKind,
  SourceRun,
  SourceStatus,
  SourceSummary,
} from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import { dayFromDate, isoDay } from '../../../src-shared/domain/periods';
import { ownerIsDead } from '../imports/job-record';

export type SourceConfig = z.output<typeof sourceConfigSchema>;

/** A sources row. */
export interface SourceRow {
  id: number;
  name: string;
  kind: SourceKind;
  config: string;
  every_minutes: number;
  enabled: number;
  owner: string | null;
  running_since: number | null;
  last_run_at: number | null;
  last_ok_at: number | null;
  next_run_at: number | null;
  last_error: string | null;
  cursor: string | null;
  created_at: number;
  updated_at: number;
}

interface RunRow {
  id: number;
  source_id: number;
  trigger: SourceRun['trigger'];
  status: SourceRun['status'];
  started_at: number;
  finished_at: number | null;
  items_found: number;
  items_queued: number;
  job_ids: string;
  error: string | null;
  notes: string;
}

/** A source_items row. */
export interface ItemRow {
  id: number;
  source_id: number;
  key: string;
  sha256: string;
  bytes: number;
  mtime: number | null;
  job_id: number | null;
  seen_at: number;
}

const iso = (s: number | null): string | null => (s === null ? null : isoUtc(s));

/** A run as the contract shows it. */
export function toRun(r: RunRow): SourceRun {
  return {
    id: r.id,
    sourceId: r.source_id,
    trigger: r.trigger,
    status: r.status,
    startedAt: isoUtc(r.started_at),
    finishedAt: iso(r.finished_at),
    itemsFound: r.items_found,
    itemsQueued: r.items_queued,
    jobIds: JSON.parse(r.job_ids) as number[],
    error: r.error,
    notes: JSON.parse(r.notes) as string[],
  };
}

/**
 * A source's status at `now` (seconds): switched off; running (its lease is held by a live process);
 * its last run failed; behind (no successful run for two intervals, or its next run is overdue by
 * more than one); its last run was fine; or waiting for a first run.
 */
export function sourceStatus(r: SourceRow, lastRun: SourceRun['status'] | null, now: number): SourceStatus {
  if (!r.enabled) return 'disabled';
  if (r.owner !== null && !ownerIsDead(r.owner, r.running_since, now)) return 'running';
  if (lastRun === 'failed') return 'failed';
  const interval = r.every_minutes * 60;
  if (now - (r.last_ok_at ?? r.created_at) > 2 * interval) return 'behind';
  if (r.next_run_at !== null && now - r.next_run_at > interval) return 'behind';
  return lastRun === 'ok' ? 'ok' : 'idle';
}

export class SourceStore {
  constructor(private readonly sqlite: Database.Database) {}

  row(id: number): SourceRow {
    const r = this.sqlite.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', `No data source ${id}; see the list of data feeds`);
    return r;
  }

  /** The source, or null when there is none (removed meanwhile). */
  find(id: number): SourceRow | null {
    return (this.sqlite.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined) ?? null;
  }

  rows(): SourceRow[] {
    return this.sqlite.prepare('SELECT * FROM sources ORDER BY name COLLATE NOCASE, id').all() as SourceRow[];
  }

  config(r: SourceRow): SourceConfig {
    return JSON.parse(r.config) as SourceConfig;
  }

  /** The id of another source with this name (names are compared without case). */
  nameTaken(name: string, exceptId?: number): number | null {
    const id = this.sqlite
      .prepare('SELECT id FROM sources WHERE lower(name) = lower(?) AND id IS NOT ? LIMIT 1')
      .pluck()
      .get(name.trim(), exceptId ?? null) as number | undefined;
    return id ?? null;
  }

  insert(v: { name: string; config: SourceConfig; everyMinutes: number; enabled: boolean }, now: number): number {
    return Number(
      this.sqlite
        .prepare(
          `INSERT INTO sources (name, kind, config, every_minutes, enabled, next_run_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(v.name, v.config.kind, JSON.stringify(v.config), v.everyMinutes, v.enabled ? 1 : 0, now, now, now)
        .lastInsertRowid,
    );
  }

  update(
    id: number,
    v: { name: string; config: SourceConfig; everyMinutes: number; enabled: boolean; nextRunAt: number | null },
    now: number,
  ): void {
    this.sqlite
      .prepare(
        `UPDATE sources SET name = ?, kind = ?, config = ?, every_minutes = ?, enabled = ?, next_run_at = ?,
           updated_at = ? WHERE id = ?`,
      )
      .run(v.name, v.config.kind, JSON.stringify(v.config), v.everyMinutes, v.enabled ? 1 : 0, v.nextRunAt, now, id);
  }

  /** Replaces the settings alone (a host key pinned on first use). */
  setConfig(id: number, config: SourceConfig): void {
    this.sqlite.prepare('UPDATE sources SET config = ? WHERE id = ?').run(JSON.stringify(config), id);
  }

  setCursor(id: number, cursor: string): void {
    this.sqlite.prepare('UPDATE sources SET cursor = ? WHERE id = ?').run(cursor, id);
  }

  remove(id: number): boolean {
    return this.sqlite.prepare('DELETE FROM sources WHERE id = ?').run(id).changes > 0;
  }

  /** Enabled sources whose next run is due at `now` (seconds), most overdue first. */
  due(now: number): SourceRow[] {
    return this.sqlite
      .prepare(
        'SELECT * FROM sources WHERE enabled = 1 AND coalesce(next_run_at, 0) <= ? ORDER BY coalesce(next_run_at, 0), id',
      )
      .all(now) as SourceRow[];
  }

  /** The earliest next run of an enabled source (seconds), or null when none is scheduled. */
  nextDue(): number | null {
    return this.sqlite.prepare('SELECT min(next_run_at) FROM sources WHERE enabled = 1').pluck().get() as number | null;
  }

  // ---------------------------------------------------------------- the lease

  /**
   * Takes the source for a run by `owner`: only when no live process holds it. A holder that died
   * (its process is gone, or it has not renewed the lease for 10 minutes on another machine) is
   * replaced, and its unfinished runs are marked failed. True when taken.
   */
  claim(id: number, owner: string, now: number): boolean {
    return this.sqlite.transaction(() => {
      const r = this.row(id);
      if (r.owner !== null && !ownerIsDead(r.owner, r.running_since, now)) return false;
      if (r.owner !== null)
        this.sqlite
          .prepare(
            `UPDATE source_runs SET status = 'failed', finished_at = ?,
               error = 'The run was interrupted (the program running it stopped); the next run carries on'
             WHERE source_id = ? AND status = 'running'`,
          )
          .run(now, id);
      this.sqlite.prepare('UPDATE sources SET owner = ?, running_since = ? WHERE id = ?').run(owner, now, id);
      return true;
    })();
  }

  /** Renews the lease (a long run shows it is alive). */
  renew(id: number, owner: string, now: number): void {
    this.sqlite.prepare('UPDATE sources SET running_since = ? WHERE id = ? AND owner = ?').run(now, id, owner);
  }

  release(id: number, owner: string): void {
    this.sqlite
      .prepare('UPDATE sources SET owner = NULL, running_since = NULL WHERE id = ? AND owner = ?')
      .run(id, owner);
  }

  /** Who holds the source and since when, if a live process does. */
  holder(id: number, now: number): { owner: string; since: number } | null {
    const r = this.row(id);
    return r.owner !== null && !ownerIsDead(r.owner, r.running_since, now)
      ? { owner: r.owner, since: r.running_since ?? now }
      : null;
  }

  // ---------------------------------------------------------------- runs

  /** Takes the lease and records a run starting, together; null when a live process holds the source. */
  begin(id: number, owner: string, trigger: SourceRun['trigger'], now: number): number | null {
    return this.sqlite.transaction(() => {
      if (!this.claim(id, owner, now)) return null;
      return Number(
        this.sqlite
          .prepare("INSERT INTO source_runs (source_id, trigger, status, started_at) VALUES (?, ?, 'running', ?)")
          .run(id, trigger, now).lastInsertRowid,
      );
    })();
  }

  /** The run in progress, if any. */
  currentRun(sourceId: number): SourceRun | null {
    const r = this.sqlite
      .prepare("SELECT * FROM source_runs WHERE source_id = ? AND status = 'running' ORDER BY id DESC LIMIT 1")
      .get(sourceId) as RunRow | undefined;
    return r ? toRun(r) : null;
  }

  /** Adds a line to the notes of the run that queued the job (a file moved after its import). */
  addNoteForJob(jobId: number, note: string): void {
    const r = this.sqlite
      .prepare(
        'SELECT id, notes FROM source_runs r WHERE EXISTS (SELECT 1 FROM json_each(r.job_ids) WHERE value = ?) LIMIT 1',
      )
      .get(jobId) as { id: number; notes: string } | undefined;
    if (!r) return;
    const notes = [...(JSON.parse(r.notes) as string[]), note];
    this.sqlite.prepare('UPDATE source_runs SET notes = ? WHERE id = ?').run(JSON.stringify(notes), r.id);
  }

  /** Records what the run has found, queued and said so far. */
  progress(runId: number, found: number, jobIds: number[], notes: string[]): void {
    this.sqlite
      .prepare('UPDATE source_runs SET items_found = ?, items_queued = ?, job_ids = ?, notes = ? WHERE id = ?')
      .run(found, jobIds.length, JSON.stringify(jobIds), JSON.stringify(notes), runId);
  }

  /** Ends a run and sets the source's last run, last success or error, and next run. */
  finishRun(
    runId: number,
    sourceId: number,
    outcome: { ok: boolean; error: string | null; nextRunAt: number },
    now: number,
  ): void {
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare('UPDATE source_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?')
        .run(outcome.ok ? 'ok' : 'failed', now, outcome.error, runId);
      this.sqlite
        .prepare(
          `UPDATE sources SET last_run_at = ?, last_ok_at = CASE WHEN ? THEN ? ELSE last_ok_at END, last_error = ?,
             next_run_at = ? WHERE id = ?`,
        )
        .run(now, outcome.ok ? 1 : 0, now, outcome.error, outcome.nextRunAt, sourceId);
    })();
  }

  run(runId: number): SourceRun {
    return toRun(this.sqlite.prepare('SELECT * FROM source_runs WHERE id = ?').get(runId) as RunRow);
  }

  runs(sourceId: number, limit = 50): SourceRun[] {
    return (
      this.sqlite
        .prepare('SELECT * FROM source_runs WHERE source_id = ? ORDER BY started_at DESC, id DESC LIMIT ?')
        .all(sourceId, limit) as RunRow[]
    ).map(toRun);
  }

  lastRunStatus(sourceId: number): SourceRun['status'] | null {
    return (
      (this.sqlite
        .prepare("SELECT status FROM source_runs WHERE source_id = ? AND status != 'running' ORDER BY id DESC LIMIT 1")
        .pluck()
        .get(sourceId) as SourceRun['status'] | undefined) ?? null
    );
  }

  // ---------------------------------------------------------------- items

  /** The item this source took with these bytes, if any. */
  itemByHash(sourceId: number, sha256: string): ItemRow | null {
    return (
      (this.sqlite.prepare('SELECT * FROM source_items WHERE source_id = ? AND sha256 = ?').get(sourceId, sha256) as
        ItemRow | undefined) ?? null
    );
  }

  /** The latest item taken under `key` (a file's path in the folder). */
  itemByKey(sourceId: number, key: string): ItemRow | null {
    return (
      (this.sqlite
        .prepare('SELECT * FROM source_items WHERE source_id = ? AND key = ? ORDER BY id DESC LIMIT 1')
        .get(sourceId, key) as ItemRow | undefined) ?? null
    );
  }

  item(id: number): ItemRow | null {
    return (this.sqlite.prepare('SELECT * FROM source_items WHERE id = ?').get(id) as ItemRow | undefined) ?? null;
  }

  /** The items a source's import job took in (none for a job given by hand). */
  itemsOfJob(jobId: number): ItemRow[] {
    const sourceId = this.sqlite.prepare('SELECT source_id FROM import_jobs WHERE id = ?').pluck().get(jobId) as
      number | null | undefined;
    if (sourceId === null || sourceId === undefined) return [];
    return this.sqlite
      .prepare('SELECT * FROM source_items WHERE source_id = ? AND job_id = ?')
      .all(sourceId, jobId) as ItemRow[];
  }

  addItem(v: { sourceId: number; key: string; sha256: string; bytes: number; mtime: number | null }, now: number) {
    return Number(
      this.sqlite
        .prepare('INSERT INTO source_items (source_id, key, sha256, bytes, mtime, seen_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(v.sourceId, v.key, v.sha256, v.bytes, v.mtime, now).lastInsertRowid,
    );
  }

  /** Forgets an item (its bytes are then taken again when they arrive). */
  removeItem(itemId: number): void {
    this.sqlite.prepare('DELETE FROM source_items WHERE id = ?').run(itemId);
  }

  /**
   * After import job `jobId` is rolled back: when a smart-meter API source (Octopus, n3rgy) fetched it, the first
   * day of the window it came from, so the source fetches those days again. With `apply`, the source's cursor goes
   * back to the day before that (never forward), the window's item is forgotten (the same bytes are then taken
   * again) and the run that queued the job says so. Null for a job no API source fetched.
   */
  refetchAfterRollback(jobId: number, apply: boolean): { sourceId: number; source: string; from: string } | null {
    const items = this.itemsOfJob(jobId);
    if (items.length === 0) return null;
    const src = this.row(items[0]!.source_id);
    if (src.kind !== 'octopus' && src.kind !== 'n3rgy') return null;
    const firsts = items
      .map((i) => /^[a-z]+:(\d{4})-(\d{2})-(\d{2})\.\./.exec(i.key))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => dayFromDate(Number(m[1]), Number(m[2]), Number(m[3])));
    if (firsts.length === 0) return null;
    const first = Math.min(...firsts);
    const from = isoDay(first);
    if (apply) {
      const before = isoDay(first - 1);
      // YYYY-MM-DD compares as text in day order
      if (src.cursor !== null && src.cursor > before) this.setCursor(src.id, before);
      for (const i of items) this.removeItem(i.id);
      this.addNoteForJob(jobId, `Import job ${jobId} was rolled back: the next run fetches ${from} onwards again`);
    }
    return { sourceId: src.id, source: src.name, from };
  }

  setItemJob(itemId: number, jobId: number): void {
    this.sqlite.prepare('UPDATE source_items SET job_id = ? WHERE id = ?').run(jobId, itemId);
  }

  items(sourceId: number, limit = 200): SourceItem[] {
    return (
      this.sqlite
        .prepare('SELECT * FROM source_items WHERE source_id = ? ORDER BY seen_at DESC, id DESC LIMIT ?')
        .all(sourceId, limit) as ItemRow[]
    ).map((r) => ({ key: r.key, sha256: r.sha256, bytes: r.bytes, seenAt: isoUtc(r.seen_at), jobId: r.job_id }));
  }

  /** When the source last took in something new (seconds). */
  lastReceived(sourceId: number): number | null {
    return this.sqlite.prepare('SELECT max(seen_at) FROM source_items WHERE source_id = ?').pluck().get(sourceId) as
      number | null;
  }

  /** The import jobs the source's runs queued. */
  jobIds(sourceId: number): number[] {
    return this.sqlite
      .prepare('SELECT id FROM import_jobs WHERE source_id = ? ORDER BY id')
      .pluck()
      .all(sourceId) as number[];
  }

  /** A summary without its meters, status and secrets (the caller adds them). */
  base(r: SourceRow): Omit<SourceSummary, 'status' | 'secretsSet' | 'meters'> {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      config: JSON.parse(r.config) as Record<string, unknown>,
      everyMinutes: r.every_minutes,
      enabled: r.enabled === 1,
      lastRunAt: iso(r.last_run_at),
      lastOkAt: iso(r.last_ok_at),
      nextRunAt: iso(r.next_run_at),
      lastError: r.last_error,
      lastReceivedAt: iso(this.lastReceived(r.id)),
      cursor: r.cursor,
    };
  }
}
