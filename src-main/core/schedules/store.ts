/**
 * The schedules and their delivery log in the database: each schedule's settings (what, when,
 * where, as JSON), its pinned SFTP host key, its next due time, the lease that lets one process at a
 * time run it (the app, `serve` and the CLI share the database), and its runs.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/contract/errors';
import type {
  ScheduleCadence,
  ScheduleDestination,
  ScheduleRun,
  ScheduleWhat,
} from '../../../src-shared/contract/types';
import { isoUtc, isoUtcOrNull } from '../../../src-shared/domain/london-time';
import { ownerIsDead } from '../imports/job-record';

/** A schedule as stored (times in ms). */
export interface ScheduleRow {
  id: number;
  name: string;
  what: string;
  cadence: string;
  destination: string;
  host_key: string | null;
  enabled: number;
  owner: string | null;
  running_since: number | null;
  next_run_at: number | null;
  last_run_at: number | null;
  created_at: number;
  updated_at: number;
}

interface RunRow {
  id: number;
  schedule_id: number;
  trigger: ScheduleRun['trigger'];
  status: ScheduleRun['status'];
  due_at: number;
  started_at: number;
  finished_at: number | null;
  attempts: number;
  file_name: string | null;
  bytes: number | null;
  target: string | null;
  error: string | null;
  notes: string;
}

/** A schedule's settings, parsed. */
export interface ScheduleSettings {
  name: string;
  what: ScheduleWhat;
  cadence: ScheduleCadence;
  destination: ScheduleDestination;
  enabled: boolean;
  nextRunAt: number | null;
}

/** How a run ended. */
export interface RunOutcome {
  ok: boolean;
  attempts: number;
  fileName: string | null;
  bytes: number | null;
  target: string | null;
  error: string | null;
  notes: string[];
}

const sec = (ms: number): number => Math.floor(ms / 1000);

function toRun(r: RunRow): ScheduleRun {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    trigger: r.trigger,
    status: r.status,
    dueAt: isoUtc(sec(r.due_at)),
    startedAt: isoUtc(sec(r.started_at)),
    finishedAt: isoUtcOrNull(r.finished_at === null ? null : sec(r.finished_at)),
    attempts: r.attempts,
    fileName: r.file_name,
    bytes: r.bytes,
    target: r.target,
    error: r.error,
    notes: JSON.parse(r.notes) as string[],
  };
}

/** The settings as the columns name, what, cadence, destination, enabled, next_run_at. */
const columns = (s: ScheduleSettings) =>
  [
    s.name,
    JSON.stringify(s.what),
    JSON.stringify(s.cadence),
    JSON.stringify(s.destination),
    s.enabled ? 1 : 0,
    s.nextRunAt,
  ] as const;

export class ScheduleStore {
  constructor(private readonly sqlite: Database.Database) {}

  rows(): ScheduleRow[] {
    return this.sqlite.prepare('SELECT * FROM schedules ORDER BY name COLLATE NOCASE, id').all() as ScheduleRow[];
  }

  find(id: number): ScheduleRow | null {
    return (this.sqlite.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as ScheduleRow | undefined) ?? null;
  }

  /** The schedule, or NOT_FOUND. */
  row(id: number): ScheduleRow {
    const r = this.find(id);
    if (!r) throw new AppError('NOT_FOUND', `There is no schedule ${id}; list them with schedules list`);
    return r;
  }

  settings(r: ScheduleRow): ScheduleSettings {
    return {
      name: r.name,
      what: JSON.parse(r.what) as ScheduleWhat,
      cadence: JSON.parse(r.cadence) as ScheduleCadence,
      destination: JSON.parse(r.destination) as ScheduleDestination,
      enabled: r.enabled === 1,
      nextRunAt: r.next_run_at,
    };
  }

  /** Another schedule's id with this name, if any. */
  nameTaken(name: string, except?: number): number | null {
    const id = this.sqlite
      .prepare('SELECT id FROM schedules WHERE name = ? COLLATE NOCASE AND id IS NOT ?')
      .pluck()
      .get(name, except ?? null) as number | undefined;
    return id ?? null;
  }

  insert(s: ScheduleSettings, now: number): number {
    return Number(
      this.sqlite
        .prepare(
          `INSERT INTO schedules (name, what, cadence, destination, enabled, next_run_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...columns(s), now, now).lastInsertRowid,
    );
  }

  update(id: number, s: ScheduleSettings, hostKey: string | null, now: number): void {
    this.sqlite
      .prepare(
        `UPDATE schedules SET name = ?, what = ?, cadence = ?, destination = ?, enabled = ?, next_run_at = ?,
           host_key = ?, updated_at = ? WHERE id = ?`,
      )
      .run(...columns(s), hostKey, now, id);
  }

  /** Removes the schedule and (by the foreign key) its runs. */
  remove(id: number): boolean {
    return this.sqlite.prepare('DELETE FROM schedules WHERE id = ?').run(id).changes > 0;
  }

  /** Pins the SFTP server's host key. */
  pinHostKey(id: number, fp: string): void {
    this.sqlite.prepare('UPDATE schedules SET host_key = ? WHERE id = ?').run(fp, id);
  }

  /** Enabled schedules due at `now` (ms), earliest first. */
  due(now: number): ScheduleRow[] {
    return this.sqlite
      .prepare('SELECT * FROM schedules WHERE enabled = 1 AND next_run_at <= ? ORDER BY next_run_at, id')
      .all(now) as ScheduleRow[];
  }

  /** The earliest next due time (ms) of an enabled schedule, or null. */
  nextDue(): number | null {
    return this.sqlite.prepare('SELECT min(next_run_at) FROM schedules WHERE enabled = 1').pluck().get() as
      number | null;
  }

  // ---------------------------------------------------------------- the lease

  /**
   * Takes the lease and records a run starting, together; null when a live process holds the
   * schedule. A dead holder's lease is taken over and its unfinished run marked failed.
   */
  begin(id: number, owner: string, trigger: ScheduleRun['trigger'], dueAt: number, now: number): number | null {
    return this.sqlite.transaction(() => {
      if (this.held(id, now)) return null;
      if (this.row(id).owner !== null)
        this.sqlite
          .prepare(
            `UPDATE schedule_runs SET status = 'failed', finished_at = ?,
               error = 'The run was interrupted (the program running it stopped)'
             WHERE schedule_id = ? AND status = 'running'`,
          )
          .run(now, id);
      this.sqlite.prepare('UPDATE schedules SET owner = ?, running_since = ? WHERE id = ?').run(owner, now, id);
      return Number(
        this.sqlite
          .prepare(
            "INSERT INTO schedule_runs (schedule_id, trigger, status, due_at, started_at) VALUES (?, ?, 'running', ?, ?)",
          )
          .run(id, trigger, dueAt, now).lastInsertRowid,
      );
    })();
  }

  /** Whether a live process holds the schedule's lease now (ms). */
  held(id: number, now: number): boolean {
    const r = this.row(id);
    return r.owner !== null && !ownerIsDead(r.owner, r.running_since === null ? null : sec(r.running_since), sec(now));
  }

  /** Renews the lease (a long upload shows it is alive). */
  renew(id: number, owner: string, now: number): void {
    this.sqlite.prepare('UPDATE schedules SET running_since = ? WHERE id = ? AND owner = ?').run(now, id, owner);
  }

  /**
   * Records how the run ended, releases the lease and sets the next due time, together. A manual
   * run leaves the next due time as it was (`nextRunAt` undefined).
   */
  finish(
    runId: number,
    id: number,
    owner: string,
    o: RunOutcome,
    nextRunAt: number | null | undefined,
    now: number,
  ): void {
    this.sqlite.transaction(() => {
      this.sqlite
        .prepare(
          `UPDATE schedule_runs SET status = ?, finished_at = ?, attempts = ?, file_name = ?, bytes = ?, target = ?,
             error = ?, notes = ? WHERE id = ?`,
        )
        .run(
          o.ok ? 'ok' : 'failed',
          now,
          o.attempts,
          o.fileName,
          o.bytes,
          o.target,
          o.error,
          JSON.stringify(o.notes),
          runId,
        );
      this.sqlite
        .prepare('UPDATE schedules SET owner = NULL, running_since = NULL, last_run_at = ? WHERE id = ? AND owner = ?')
        .run(now, id, owner);
      if (nextRunAt !== undefined)
        this.sqlite.prepare('UPDATE schedules SET next_run_at = ? WHERE id = ?').run(nextRunAt, id);
    })();
  }

  // ---------------------------------------------------------------- runs

  run(runId: number): ScheduleRun {
    return toRun(this.sqlite.prepare('SELECT * FROM schedule_runs WHERE id = ?').get(runId) as RunRow);
  }

  /** The schedule's runs, latest first. */
  runs(id: number, limit: number): ScheduleRun[] {
    return (
      this.sqlite
        .prepare('SELECT * FROM schedule_runs WHERE schedule_id = ? ORDER BY started_at DESC, id DESC LIMIT ?')
        .all(id, limit) as RunRow[]
    ).map(toRun);
  }

  /** The run in progress, if any. */
  currentRun(id: number): ScheduleRun | null {
    const r = this.sqlite
      .prepare("SELECT * FROM schedule_runs WHERE schedule_id = ? AND status = 'running' ORDER BY id DESC LIMIT 1")
      .get(id) as RunRow | undefined;
    return r ? toRun(r) : null;
  }
}
