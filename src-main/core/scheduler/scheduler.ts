/**
 * The nightly run (default 01:30 UK time, configurable): the roll-up run that records what changed
 * since the last one. A run missed while the machine was off or asleep runs at the next start.
 * Imports trigger a roll-up run straight away. Every run is logged in scheduler_runs.
 */
import type Database from 'better-sqlite3';
import type { SchedulerRun } from '../../../src-shared/contract/types';
import { AppError } from '../../../src-shared/contract/errors';
import { resolveLondon, toLondonParts, isoUtcOrNull } from '../../../src-shared/domain/london-time';
import type { Clock } from '../clock';
import type { EventBus, Logger } from '../events';
import type { SettingsStore } from '../settings/settings-store';
import type { AggregationService } from '../aggregation/aggregation-service';

export const NIGHTLY = 'nightly-rollup';
const MAX_SLEEP_MS = 15 * 60 * 1000; // re-check at least this often: sleeping laptops stop timers

/** The latest scheduled instant at or before `now` (UTC seconds), for a local `HH:MM`. */
export function lastScheduledAt(nowSec: number, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const p = toLondonParts(nowSec);
  for (let back = 0; back < 3; back++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day - back));
    let r = resolveLondon(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h, m);
    // in the skipped spring hour, run when it ends; in the repeated autumn hour, the first time
    if (r.kind === 'nonexistent') r = resolveLondon(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), h + 1, 0);
    const t = r.kind === 'ok' ? r.utc : r.kind === 'ambiguous' ? r.first : NaN;
    if (t <= nowSec) return t;
  }
  throw new Error('no scheduled time found');
}

export function nextScheduledAt(nowSec: number, hhmm: string): number {
  // the next one is the last one as seen from 26 hours later, or earlier
  let t = lastScheduledAt(nowSec + 26 * 3600, hhmm);
  while (t > nowSec) {
    const earlier = lastScheduledAt(t - 1, hhmm);
    if (earlier <= nowSec) return t;
    t = earlier;
  }
  return t;
}

type RunRow = {
  id: number;
  task: string;
  trigger: SchedulerRun['trigger'];
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  status: SchedulerRun['status'];
  summary: string | null;
  error: string | null;
};

const iso = isoUtcOrNull;

export function toRun(r: RunRow): SchedulerRun {
  return {
    id: r.id,
    task: r.task,
    trigger: r.trigger,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    status: r.status,
    summary: r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null,
    error: r.error,
  };
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<unknown> = Promise.resolve();
  /** Set by stop(): the database is about to close, so no run starts any more. */
  private stopped = false;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly clock: Clock,
    private readonly settings: SettingsStore,
    private readonly aggregation: AggregationService,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  private nowSec(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  runs(limit = 100): SchedulerRun[] {
    return (this.sqlite.prepare('SELECT * FROM scheduler_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(
      toRun,
    );
  }

  lastRun(task?: string): SchedulerRun | null {
    const r = (
      task
        ? this.sqlite
            .prepare("SELECT * FROM scheduler_runs WHERE task = ? AND status = 'done' ORDER BY id DESC LIMIT 1")
            .get(task)
        : this.sqlite.prepare("SELECT * FROM scheduler_runs WHERE status = 'done' ORDER BY id DESC LIMIT 1").get()
    ) as RunRow | undefined;
    return r ? toRun(r) : null;
  }

  /** Starts the schedule; runs now if the last scheduled run was missed. */
  start(): void {
    void this.tick();
  }

  /** Stops the schedule; runs not yet begun are skipped, and the one in progress is waited for. */
  stop(): Promise<unknown> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return this.busy;
  }

  /** Runs now when due (or missed), then sleeps until the next scheduled time. */
  async tick(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const now = this.nowSec();
    const hhmm = this.settings.get().nightlyRunAt;
    const due = lastScheduledAt(now, hhmm);
    const last = this.sqlite
      .prepare("SELECT max(started_at) FROM scheduler_runs WHERE task = ? AND status = 'done'")
      .pluck()
      .get(NIGHTLY) as number | null;
    // before the first nightly run, the schedule counts from when it was first started
    this.sqlite
      .prepare("INSERT INTO settings (key, value) VALUES ('schedulerSince', ?) ON CONFLICT (key) DO NOTHING")
      .run(String(now));
    const since = Number(this.sqlite.prepare("SELECT value FROM settings WHERE key = 'schedulerSince'").pluck().get());
    // a run refused because the app is shutting down is the next start's catch-up
    if ((last ?? since) < due) await this.nightly(now - due < 120 ? 'schedule' : 'catch-up').catch(() => null);
    if (this.stopped) return;
    const next = nextScheduledAt(this.nowSec(), hhmm);
    const wait = Math.min(MAX_SLEEP_MS, Math.max(1000, next * 1000 - this.clock.now()));
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }

  /** The nightly job: the incremental roll-up. */
  nightly(trigger: SchedulerRun['trigger'] = 'manual'): Promise<SchedulerRun> {
    return this.record(NIGHTLY, trigger, () => this.aggregation.incremental());
  }

  /** After an import: the meter-days it changed (null when another run already reported them). */
  afterImport(): Promise<SchedulerRun | null> {
    return this.exclusive(() =>
      !this.stopped && this.aggregation.pending()
        ? this.execute('rollup', 'import', () => this.aggregation.incremental())
        : Promise.resolve(null),
    );
  }

  /** Runs `fn` after every run already queued: one writer at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** Resolves when no run is in progress or queued. */
  async idle(): Promise<void> {
    for (let b = this.busy; ; b = this.busy) {
      await b;
      if (b === this.busy) return;
    }
  }

  /** A full rebuild (Settings, CLI). */
  rebuild(): Promise<SchedulerRun> {
    return this.record('rollup-full', 'manual', () => this.aggregation.rebuild());
  }

  /** Runs `work` after any run in progress (one writer), logging start, end, duration and summary. */
  private record(task: string, trigger: SchedulerRun['trigger'], work: () => Promise<object>): Promise<SchedulerRun> {
    return this.exclusive(() => {
      if (this.stopped) throw new AppError('UNAVAILABLE', `The app is shutting down; the ${task} run was not started`);
      return this.execute(task, trigger, work);
    });
  }

  private async execute(
    task: string,
    trigger: SchedulerRun['trigger'],
    work: () => Promise<object>,
  ): Promise<SchedulerRun> {
    {
      const t0 = this.clock.now();
      const id = Number(
        this.sqlite
          .prepare("INSERT INTO scheduler_runs (task, trigger, started_at, status) VALUES (?, ?, ?, 'running')")
          .run(task, trigger, Math.floor(t0 / 1000)).lastInsertRowid,
      );
      try {
        const summary = await work();
        const ms = Math.round(this.clock.now() - t0);
        this.sqlite
          .prepare(
            "UPDATE scheduler_runs SET status = 'done', finished_at = ?, duration_ms = ?, summary = ? WHERE id = ?",
          )
          .run(this.nowSec(), ms, JSON.stringify(summary), id);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        this.log.error(`${task} failed`, e);
        this.sqlite
          .prepare(
            "UPDATE scheduler_runs SET status = 'failed', finished_at = ?, duration_ms = ?, error = ? WHERE id = ?",
          )
          .run(this.nowSec(), Math.round(this.clock.now() - t0), msg, id);
        this.events.emit('app.error', { message: `The ${task} run failed: ${msg}` });
      }
      const done = toRun(this.sqlite.prepare('SELECT * FROM scheduler_runs WHERE id = ?').get(id) as RunRow);
      this.events.emit('aggregation.completed', { run: done });
      return done;
    }
  }
}
