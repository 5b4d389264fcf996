/**
 * When sources run by themselves: each enabled source when its next run is due (a source overdue
 * after the computer slept or the app was closed runs once, as a catch-up, not once per interval
 * missed), and a watched folder soon after a change in it (fs.watch, debounced) while the app runs —
 * the schedule stays the fallback when a folder cannot be watched (a network drive, say).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SourceRun } from '../../../src-shared/contract/types';
import type { Clock } from '../clock';
import type { Logger } from '../events';
import type { SourceRunner } from './runner';
import type { SourceStore } from './store';

/** A run this late (seconds) is a catch-up: the computer slept or the app was closed when it was due. */
export const CATCH_UP_AFTER_SEC = 120;
/** The timer wakes at least this often (sleeping laptops stop timers; other programs add sources). */
const MAX_SLEEP_MS = 60_000;
/** How long after a change in a watched folder it is run (more changes meanwhile push it back). */
const WATCH_DEBOUNCE_MS = 2000;
/** How soon a run that left files still being written looks again, and how many times in a row. */
const WAITING_RECHECK_MS = 5000;
const WAITING_RECHECKS = 3;

export interface ScheduleOptions {
  /** Watch folders for changes (hosts that stay up: the desktop app, `serve`). */
  watch?: boolean;
  debounceMs?: number;
}

export class SourceSchedule {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private ticking: Promise<SourceRun[]> = Promise.resolve([]);
  private readonly watchers = new Map<number, { spec: string; watcher: fs.FSWatcher }>();
  private readonly soon = new Map<number, NodeJS.Timeout>();
  private readonly rechecks = new Map<number, number>();

  constructor(
    private readonly store: SourceStore,
    private readonly runner: SourceRunner,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: ScheduleOptions = {},
  ) {}

  start(): void {
    this.started = true;
    this.runner.onWaiting = (id) => {
      const n = (this.rechecks.get(id) ?? 0) + 1;
      this.rechecks.set(id, n);
      if (n <= WAITING_RECHECKS) this.runSoon(id, WAITING_RECHECK_MS);
    };
    this.watch();
    void this.tick();
  }

  /**
   * Runs the sources that are due, one after another, then sleeps until the next is due. Resolves
   * with the runs (a source another program is running gives that program's run).
   */
  tick(): Promise<SourceRun[]> {
    const next = this.ticking.then(
      () => this.runDue(),
      () => this.runDue(),
    );
    this.ticking = next;
    return next;
  }

  private async runDue(): Promise<SourceRun[]> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const runs: SourceRun[] = [];
    const now = Math.floor(this.clock.now() / 1000);
    for (const s of this.store.due(now)) {
      const late = s.next_run_at === null ? 0 : now - s.next_run_at;
      try {
        runs.push(await this.runner.run(s.id, late > CATCH_UP_AFTER_SEC ? 'catch-up' : 'schedule'));
      } catch (e) {
        this.log.warn(`data source ${s.id} (${s.name}) was not run: ${(e as Error).message}`);
      }
    }
    this.watch();
    this.arm();
    return runs;
  }

  /** Looks for due sources now (a source added or switched on runs at once) when the schedule is running. */
  poke(): void {
    if (this.started) void this.tick();
  }

  /** Sets the timer for the next due source (within a minute; soon again when one is run elsewhere). */
  private arm(): void {
    if (!this.started) return;
    const next = this.store.nextDue();
    const now = this.clock.now();
    const wait = next === null ? MAX_SLEEP_MS : next * 1000 <= now ? 15_000 : next * 1000 - now;
    this.timer = setTimeout(() => void this.tick(), Math.min(MAX_SLEEP_MS, Math.max(1000, wait)));
    this.timer.unref();
  }

  /** Runs a source shortly (pushed back by further calls meanwhile); a run in progress is followed by another. */
  runSoon(id: number, delayMs: number = this.opts.debounceMs ?? WATCH_DEBOUNCE_MS): void {
    if (!this.started) return;
    const old = this.soon.get(id);
    if (old) clearTimeout(old);
    const timer = setTimeout(() => {
      this.soon.delete(id);
      void (async () => {
        try {
          if (this.runner.isRunning(id)) await this.runner.run(id, 'watch');
          if (!this.started) return;
          const run = await this.runner.run(id, 'watch');
          if (run.status !== 'running' && !run.notes.some((n) => /still being written/.test(n)))
            this.rechecks.delete(id);
        } catch (e) {
          this.log.warn(`data source ${id} was not run after a change in its folder: ${(e as Error).message}`);
        }
      })();
    }, delayMs);
    timer.unref();
    this.soon.set(id, timer);
  }

  /**
   * Watches the enabled watched folders (again after a change of settings; one that cannot be watched
   * is tried again at each tick).
   */
  watch(): void {
    if (!this.started || !this.opts.watch) return;
    const want = new Map<number, string>();
    for (const r of this.store.rows()) {
      if (!r.enabled || r.kind !== 'folder') continue;
      const c = this.store.config(r);
      if (c.kind === 'folder') want.set(r.id, `${path.resolve(c.path)}\0${c.recursive ? 'r' : ''}`);
    }
    for (const [id, w] of this.watchers)
      if (want.get(id) !== w.spec) {
        w.watcher.close();
        this.watchers.delete(id);
      }
    for (const [id, spec] of want) {
      if (this.watchers.has(id)) continue;
      const [dir, recursive] = spec.split('\0') as [string, string];
      try {
        const watcher = fs.watch(dir, { recursive: recursive === 'r', persistent: false }, () => this.runSoon(id));
        watcher.on('error', () => {
          watcher.close();
          if (this.watchers.get(id)?.watcher === watcher) this.watchers.delete(id);
        });
        this.watchers.set(id, { spec, watcher });
      } catch {
        // not there or not watchable: the schedule runs it, and the run says what is wrong
      }
    }
  }

  /** Stops the timer and the folder watchers; resolves when the tick in progress has ended. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.soon.values()) clearTimeout(t);
    this.soon.clear();
    for (const w of this.watchers.values()) w.watcher.close();
    this.watchers.clear();
    this.runner.onWaiting = null;
    await this.ticking.catch(() => undefined);
  }
}
