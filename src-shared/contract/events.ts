/** Events pushed from the core to every connected renderer (IPC `event` channel, HTTP `/events` SSE). */
import type {
  Alert,
  AlertCounts,
  AlreadyImported,
  HealthChange,
  HealthReport,
  ImportJob,
  ImportProgress,
  SchedulerRun,
  SyncStatus,
} from './types';

export interface Events {
  /** A job changed state or counts (queued, running, done, failed…). */
  'imports.updated': { job: ImportJob };
  /** Live progress of a running job, at least once a second while it runs. */
  'imports.progress': ImportProgress;
  /** Meters or readings changed (after an import committed). */
  'meters.changed': { meterIds: string[] };
  /** A roll-up run finished (after an import, the nightly run, or a rebuild). */
  'aggregation.completed': { run: SchedulerRun };
  /** Progress of a portfolio switching run (switching.runAll). */
  'switching.progress': { done: number; total: number; meter: string | null; finished: boolean };
  /**
   * Files dropped on the desktop window were imported before: nothing was queued; the window asks
   * the user and queues them again with `imports.enqueue` (`reimport`) and these options if told to.
   */
  'imports.duplicate': { message: string; details: AlreadyImported; options: Record<string, unknown> };
  /** An unexpected error the user should know about. */
  'app.error': { message: string };
  /** Alerts fired, changed state or were resolved: the badge's counts, and the alerts that fired now. */
  'alerts.changed': { counts: AlertCounts; fired: Alert[] };
  /** Alerts to show as system notifications now (their rules name the tray; quiet hours and limits applied). */
  'alerts.notify': { alerts: Alert[] };
  /** The health monitor ran: the report, and the checks whose state changed. */
  'health.changed': { report: HealthReport; changes: HealthChange[] };
  /** A data source was added, changed or removed, or a run of it started or ended. */
  'sources.changed': { sourceId: number };
  /** The link to the shared server changed state (a sync started or ended, changes waiting, offline). */
  'sync.status': SyncStatus;
}

export type EventName = keyof Events;
export const EVENT_NAMES = [
  'imports.updated',
  'imports.progress',
  'meters.changed',
  'aggregation.completed',
  'switching.progress',
  'imports.duplicate',
  'app.error',
  'alerts.changed',
  'alerts.notify',
  'health.changed',
  'sources.changed',
  'sync.status',
] as const satisfies readonly EventName[];

/** One pushed event: a union discriminated by `event`, so `payload` narrows with it. */
export type PushedEvent<E extends EventName = EventName> = { [K in E]: { event: K; payload: Events[K] } }[E];
