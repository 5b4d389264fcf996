/**
 * The health monitor: runs every check (checks.ts) at start and every 15 minutes, keeps the latest
 * report, records each check's changes of state in health_history (the first state seen, then only
 * changes), and emits `health.changed` after each run — the alerts engine's `health` rules and the
 * desktop's notifications listen to it.
 */
import type { HealthChange, HealthReport, HealthStatus } from '../../../src-shared/contract/types';
import { isoUtc } from '../../../src-shared/domain/london-time';
import type { EventBus, Logger } from '../events';
import { runChecks, worst, type HealthDeps } from './checks';

export const HEALTH_EVERY_MS = 15 * 60 * 1000;

type ChangeRow = {
  id: number;
  check: string;
  status: HealthStatus;
  previous: HealthStatus | null;
  detail: string;
  at: number;
};

const toChange = (r: ChangeRow): HealthChange => ({ ...r, at: isoUtc(r.at) });

export class HealthMonitor {
  private report: HealthReport | null = null;
  private reportAt = 0;
  private running: Promise<HealthReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Set by stop() after its grace: a run still waiting on a probe records nothing (the database is closing). */
  private stopped = false;

  constructor(
    private readonly deps: HealthDeps,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  /** Runs every check now (a run already in progress is shared), records changes and emits `health.changed`. */
  check(): Promise<HealthReport> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<HealthReport> {
    const checks = await runChecks(this.deps);
    const now = this.deps.clock.now();
    const at = Math.floor(now / 1000);
    const report: HealthReport = { status: worst(checks.map((c) => c.status)), checkedAt: isoUtc(at), checks };
    if (this.stopped) return report;
    const { sqlite } = this.deps;
    const previous = new Map(
      (
        sqlite
          .prepare(
            'SELECT h."check", h.status FROM health_history h WHERE h.id = (SELECT max(id) FROM health_history WHERE "check" = h."check")',
          )
          .raw()
          .all() as [string, HealthStatus][]
      ).map(([c, s]) => [c, s]),
    );
    const insert = sqlite.prepare(
      'INSERT INTO health_history ("check", status, previous, detail, at) VALUES (?, ?, ?, ?, ?)',
    );
    const changes: HealthChange[] = [];
    sqlite.transaction(() => {
      for (const c of checks) {
        const was = previous.get(c.name) ?? null;
        if (was === c.status) continue;
        const id = Number(insert.run(c.name, c.status, was, c.detail, at).lastInsertRowid);
        changes.push({ id, check: c.name, status: c.status, previous: was, detail: c.detail, at: report.checkedAt });
      }
    })();
    this.report = report;
    this.reportAt = now;
    this.events.emit('health.changed', { report, changes });
    return report;
  }

  /** The latest report, or null before the first run. */
  latest(): HealthReport | null {
    return this.report;
  }

  /** The latest report when it is at most `maxAgeMs` old, else a new one. */
  async fresh(maxAgeMs: number): Promise<HealthReport> {
    if (this.report && this.deps.clock.now() - this.reportAt <= maxAgeMs) return this.report;
    return this.check();
  }

  /** Changes of state, newest first. */
  history(limit = 100): HealthChange[] {
    return (
      this.deps.sqlite
        .prepare('SELECT id, "check", status, previous, detail, at FROM health_history ORDER BY id DESC LIMIT ?')
        .all(limit) as ChangeRow[]
    ).map(toChange);
  }

  /** Checks now, then every 15 minutes (the timer does not keep the process alive). */
  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.check().catch((e: unknown) => this.log.error('health check failed', e));
    };
    tick();
    this.timer = setInterval(tick, HEALTH_EVERY_MS);
    this.timer.unref();
  }

  /**
   * Stops the schedule. A run in progress is waited for at most `graceMs`: one still waiting on
   * the network after that records nothing.
   */
  async stop(graceMs = 500): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.running?.catch(() => undefined),
      new Promise<void>((r) => (timer = setTimeout(r, graceMs))),
    ]);
    clearTimeout(timer);
    this.stopped = true;
  }
}
