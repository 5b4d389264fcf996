/**
 * The health checks (docs/health.md): the database's integrity and size, free disk space, the import
 * queue, stuck and failing imports, the roll-ups' age, the grid carbon values' age, meters gone quiet
 * and updates. Each answers ok, warn or fail with what it found and what to do, in words a person
 * understands; none names the data folder's path or a secret.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { HEALTH_CHECKS, HealthCheck, HealthStatus } from '../../../src-shared/contract/types';
import { STALE_DAYS } from '../analytics/analytics-service';
import type { CarbonService } from '../carbon/carbon-service';
import type { Clock } from '../clock';
import { dbFile } from '../db/paths';
import type { ReadingsStore } from '../readings/store';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const HOUR = 3600;

/** quick_check runs at most this often; in between its last result is reused. */
export const QUICK_CHECK_EVERY_S = 6 * HOUR;
/** A write-ahead log larger than this is not being checkpointed. */
export const WAL_WARN_BYTES = 256 * MB;
export const DISK_WARN_BYTES = 1 * GB;
export const DISK_FAIL_BYTES = 200 * MB;
/** Import jobs waiting (queued or retrying) from which the queue counts as backed up. */
export const QUEUE_WARN = 100;
/** A job running longer than this is stuck. */
export const STUCK_AFTER_S = HOUR;
/** Failed share of the last 24 hours' finished imports above which the check warns, and fails. */
export const FAILED_WARN_SHARE = 0.1;
export const FAILED_FAIL_SHARE = 0.5;
/** The last successful roll-up run may be this old (a nightly run plus two hours' slack). */
export const ROLLUP_WARN_S = 26 * HOUR;
/** The latest stored carbon intensity may be this old while the API answers. */
export const CARBON_WARN_S = 2 * HOUR;

/** Free space of a file system, as fs.statfsSync gives it. */
export type StatFs = (dir: string) => { bavail: number; bsize: number };

/** What the host says about updates (the desktop app: the auto-updater's state). */
export type UpdateStatus = () => { status: HealthStatus; detail: string };

export interface HealthDeps {
  sqlite: Database.Database;
  clock: Clock;
  dataDir: string;
  readings: ReadingsStore;
  carbon: CarbonService;
  statfs?: StatFs;
  updateStatus?: UpdateStatus;
}

/** Where the last quick_check's time and result are kept (settings table), so the CLI reuses them too. */
const QUICK_CHECK_KEY = 'healthQuickCheck';

/** Each check's name and its label, in the order reports list them. */
export const CHECK_LABELS = {
  database: 'Database',
  disk: 'Free disk space',
  queue: 'Import queue',
  'stuck-jobs': 'Stuck imports',
  'failed-imports': 'Failed imports',
  rollup: 'Roll-ups',
  carbon: 'Grid carbon intensity',
  'stale-meters': 'Meters without recent data',
  updates: 'Updates',
} as const satisfies Record<(typeof HEALTH_CHECKS)[number], string>;
export type CheckName = keyof typeof CHECK_LABELS;

const check = (
  name: CheckName,
  status: HealthStatus,
  detail: string,
  action: string,
  value: number | null = null,
): HealthCheck => ({
  name,
  label: CHECK_LABELS[name],
  status,
  detail,
  action: status === 'ok' ? '' : action,
  value,
});

/** Bytes in words: "512 KB", "12.3 MB", "4.1 GB". */
export function bytes(n: number): string {
  if (n >= GB) return `${(n / GB).toFixed(1)} GB`;
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

/** A duration in words: "under a minute", "12 min", "61 min", "3 h", "2 days" (minutes up to 2 hours). */
export function duration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 60) return 'under a minute';
  if (s < 2 * HOUR) return `${Math.floor(s / 60)} min`;
  if (s < 48 * HOUR) return `${Math.floor(s / HOUR)} h`;
  return `${Math.floor(s / 86400)} days`;
}

const ago = (seconds: number): string => (seconds < 60 ? 'just now' : `${duration(seconds)} ago`);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const fileSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/** Integrity (quick_check, at most every 6 hours), and the database and write-ahead log sizes. */
export function databaseCheck(d: HealthDeps, now: number): HealthCheck {
  const stored = d.sqlite.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(QUICK_CHECK_KEY) as
    string | undefined;
  let last = stored ? (JSON.parse(stored) as { at: number; result: string }) : null;
  if (!last || now - last.at >= QUICK_CHECK_EVERY_S || now < last.at) {
    const rows = d.sqlite.pragma('quick_check') as { quick_check: string }[];
    last = { at: now, result: rows.map((r) => r.quick_check).join('; ') };
    d.sqlite
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(QUICK_CHECK_KEY, JSON.stringify(last));
  }
  const db = fileSize(dbFile(d.dataDir));
  const wal = fileSize(`${dbFile(d.dataDir)}-wal`);
  const sizes = `database ${bytes(db)}, write-ahead log ${bytes(wal)}`;
  const when = `integrity check ${ago(now - last.at)}`;
  if (last.result !== 'ok')
    return check(
      'database',
      'fail',
      `The integrity check found damage (${when}): ${last.result.slice(0, 300)}. ${sizes}.`,
      'Stop the app, keep a copy of the data folder, and restore the database from a backup',
      wal,
    );
  if (wal > WAL_WARN_BYTES)
    return check(
      'database',
      'warn',
      `The write-ahead log is ${bytes(wal)} (over ${bytes(WAL_WARN_BYTES)}): it is not being checkpointed. ${sizes}; ${when} passed.`,
      'Restart the app or server so the log is checkpointed into the database',
      wal,
    );
  return check('database', 'ok', `Integrity check passed (${when}); ${sizes}.`, '', wal);
}

/** Free space on the data folder's file system. */
export function diskCheck(d: HealthDeps): HealthCheck {
  const s = (d.statfs ?? fs.statfsSync)(d.dataDir);
  const free = Number(s.bavail) * Number(s.bsize);
  const detail = `${bytes(free)} free on the data folder's disk`;
  if (free < DISK_FAIL_BYTES)
    return check(
      'disk',
      'fail',
      `Only ${detail} (under ${bytes(DISK_FAIL_BYTES)}): imports and the database will fail`,
      'Free space on the disk now, or move the data folder to a larger disk',
      free,
    );
  if (free < DISK_WARN_BYTES)
    return check(
      'disk',
      'warn',
      `Only ${detail} (under ${bytes(DISK_WARN_BYTES)})`,
      'Free space on the disk, or shorten how long imported files are kept (Settings)',
      free,
    );
  return check('disk', 'ok', detail, '', free);
}

/** Import jobs waiting (queued, or retrying after a failure). */
export function queueCheck(d: HealthDeps): HealthCheck {
  const n = d.sqlite
    .prepare("SELECT count(*) FROM import_jobs WHERE status IN ('queued','retrying')")
    .pluck()
    .get() as number;
  const detail = n === 0 ? 'No import jobs waiting' : `${plural(n, 'import job')} waiting`;
  if (n >= QUEUE_WARN)
    return check(
      'queue',
      'warn',
      `${detail} (${QUEUE_WARN} or more): the queue is backing up`,
      'Check the Imports page for a slow or failing file; cancel jobs that are not needed',
      n,
    );
  return check('queue', 'ok', detail, '', n);
}

/**
 * Jobs running for over an hour. A warning rather than a failure: a very large file can take that
 * long, and a job whose process died is taken over by the next one to start the queue.
 */
export function stuckJobsCheck(d: HealthDeps, now: number): HealthCheck {
  const rows = d.sqlite
    .prepare(
      "SELECT id, file_name AS file, started_at AS started FROM import_jobs WHERE status = 'running' AND started_at <= ? ORDER BY started_at",
    )
    .all(now - STUCK_AFTER_S) as { id: number; file: string; started: number }[];
  if (rows.length === 0) return check('stuck-jobs', 'ok', 'No import has been running for over an hour', '', 0);
  const named = rows
    .slice(0, 3)
    .map((r) => `job ${r.id} (${r.file}) for ${duration(now - r.started)}`)
    .join(', ');
  return check(
    'stuck-jobs',
    'warn',
    `${plural(rows.length, 'import has', 'imports have')} been running for over an hour: ${named}${rows.length > 3 ? ', …' : ''}`,
    'Open the job on the Imports page: cancel and retry it, or restart the app if it shows no progress',
    rows.length,
  );
}

/** The failed share of imports (not dry runs) that finished in the last 24 hours. */
export function failedImportsCheck(d: HealthDeps, now: number): HealthCheck {
  const [done, failed] = d.sqlite
    .prepare(
      "SELECT count(*) FILTER (WHERE status = 'done'), count(*) FILTER (WHERE status = 'failed') FROM import_jobs WHERE dry_run = 0 AND status IN ('done','failed') AND finished_at >= ?",
    )
    .raw()
    .get(now - 24 * HOUR) as [number, number];
  const total = done + failed;
  if (total === 0) return check('failed-imports', 'ok', 'No imports finished in the last 24 hours', '', 0);
  const share = failed / total;
  const percent = Math.round(share * 1000) / 10;
  const detail = `${failed} of ${plural(total, 'import')} in the last 24 hours failed (${percent} %)`;
  const status: HealthStatus = share > FAILED_FAIL_SHARE ? 'fail' : share > FAILED_WARN_SHARE ? 'warn' : 'ok';
  return check(
    'failed-imports',
    status,
    detail,
    "Open the failed jobs on the Imports page: each says why (a file that is not a meter file, a row's problem)",
    percent,
  );
}

const ROLLUP_TASKS = "('nightly-rollup','rollup','rollup-full')";

/** Age of the last successful roll-up run (nightly, after an import, or a rebuild). */
export function rollupCheck(d: HealthDeps, now: number, hasReadings: boolean): HealthCheck {
  const last = d.sqlite
    .prepare(`SELECT max(finished_at) FROM scheduler_runs WHERE status = 'done' AND task IN ${ROLLUP_TASKS}`)
    .pluck()
    .get() as number | null;
  const failure = d.sqlite
    .prepare(`SELECT error FROM scheduler_runs WHERE task IN ${ROLLUP_TASKS} ORDER BY id DESC LIMIT 1`)
    .pluck()
    .get() as string | null | undefined;
  const action =
    'Run `eclectyc aggregate` (or Settings → Rebuild roll-ups) and look for failed runs on the Activity page';
  const lastError = failure ? ` The latest run failed: ${failure}.` : '';
  if (last === null) {
    if (!hasReadings) return check('rollup', 'ok', 'No readings imported yet: nothing to roll up', '');
    return check('rollup', 'warn', `The roll-ups have never run.${lastError}`, action);
  }
  const age = now - last;
  if (age > ROLLUP_WARN_S)
    return check(
      'rollup',
      'warn',
      `The last roll-up run finished ${ago(age)} (over ${ROLLUP_WARN_S / HOUR} h).${lastError}`,
      action,
      age,
    );
  return check('rollup', 'ok', `The last roll-up run finished ${ago(age)}`, '', age);
}

const unavailable = (error: string | null): string =>
  (error ?? 'no answer').replace(/^The Carbon Intensity API is unavailable: /, '');

/**
 * Age of the latest stored national intensity at or before now, and whether the API answers: the
 * last fetch or poll's outcome, or (when there is none recent and the values are old) a probe.
 */
export async function carbonCheck(d: HealthDeps, now: number): Promise<HealthCheck> {
  const latest = d.sqlite.prepare('SELECT max(ts) FROM carbon_national WHERE ts <= ?').pluck().get(now) as
    number | null;
  const age = latest === null ? null : now - latest;
  let attempt = d.carbon.lastAttempt();
  if (age !== null && age > CARBON_WARN_S && (!attempt || now - attempt.at > CARBON_WARN_S))
    attempt = await d.carbon.probe();
  const stored = age === null ? 'No values are stored.' : `The latest stored value is ${duration(age)} old.`;
  if (attempt && !attempt.ok)
    return check(
      'carbon',
      'warn',
      `The Carbon Intensity API did not answer: ${unavailable(attempt.error)} ${stored}`,
      'Check the internet connection and the Carbon Intensity API address (Settings); stored values are used meanwhile',
      age,
    );
  if (age === null) return check('carbon', 'ok', 'No carbon intensity fetched yet', '');
  if (age > CARBON_WARN_S)
    return check(
      'carbon',
      'warn',
      `The latest carbon intensity is ${duration(age)} old (over ${CARBON_WARN_S / HOUR} h) while the API answers`,
      'Refresh it (Carbon page, or `eclectyc carbon fetch`); the app and server fetch it every 30 minutes while running',
      age,
    );
  return check('carbon', 'ok', `The latest carbon intensity is ${duration(age)} old`, '', age);
}

/** Meters whose latest reading ended 14 days or more before now. */
export function staleMetersCheck(d: HealthDeps, now: number, spans: Map<number, { last: number }>): HealthCheck {
  const cutoff = now - STALE_DAYS * 86400;
  const stale = [...spans].filter(([, s]) => s.last + 1800 <= cutoff).map(([id]) => id);
  if (spans.size === 0) return check('stale-meters', 'ok', 'No meter has readings yet', '', 0);
  if (stale.length === 0)
    return check('stale-meters', 'ok', `Every meter has a reading in the last ${STALE_DAYS} days`, '', 0);
  const name = d.sqlite.prepare('SELECT identifier FROM meters WHERE id = ?').pluck();
  const ids = stale.slice(0, 5).map((id) => name.get(id) as string);
  return check(
    'stale-meters',
    'warn',
    // the detail is what GET /health shows anyone who can reach the server: counts, never meter numbers
    `${plural(stale.length, 'meter has', 'meters have')} had no reading for ${STALE_DAYS} days or more`,
    `Import their latest data, or check the supplier's or data collector's feed for ${ids.join(', ')}` +
      `${stale.length > 5 ? ` and ${stale.length - 5} more` : ''} (the Sites & meters page lists them)`,
    stale.length,
  );
}

/** Updates: the host's provider (the desktop app's auto-updater), or a note that someone else installs them. */
export function updatesCheck(d: HealthDeps): HealthCheck {
  if (!d.updateStatus)
    return check('updates', 'ok', 'Updates are installed by whoever runs this server/command line', '');
  const u = d.updateStatus();
  return check(
    'updates',
    u.status,
    u.detail,
    'Check the internet connection; the app checks for updates every six hours and installs them when it quits',
  );
}

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst of the statuses (ok when there are none). */
export const worst = (statuses: HealthStatus[]): HealthStatus =>
  statuses.reduce<HealthStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), 'ok');

/** Runs every check (one that throws fails with its error), in the documented order. */
export async function runChecks(d: HealthDeps): Promise<HealthCheck[]> {
  const now = Math.floor(d.clock.now() / 1000);
  let spans: Map<number, { last: number }> | null = null;
  const spansOnce = (): Map<number, { last: number }> => (spans ??= d.readings.spans());
  const checks: [CheckName, () => HealthCheck | Promise<HealthCheck>][] = [
    ['database', () => databaseCheck(d, now)],
    ['disk', () => diskCheck(d)],
    ['queue', () => queueCheck(d)],
    ['stuck-jobs', () => stuckJobsCheck(d, now)],
    ['failed-imports', () => failedImportsCheck(d, now)],
    ['rollup', () => rollupCheck(d, now, spansOnce().size > 0)],
    ['carbon', () => carbonCheck(d, now)],
    ['stale-meters', () => staleMetersCheck(d, now, spansOnce())],
    ['updates', () => updatesCheck(d)],
  ];
  const out: HealthCheck[] = [];
  for (const [name, run] of checks) {
    try {
      out.push(await run());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      out.push(check(name, 'fail', `The check could not run: ${message}`, 'See the log for details'));
    }
  }
  return out;
}
