/**
 * An import job as stored: the row, how it becomes the contract's ImportJob, and the rules about
 * it the queue applies (attempts and back-off, priorities, when a claim's owner is gone).
 */
import os from 'node:os';
import { isoUtcOrNull } from '../../../src-shared/domain/london-time';
import type { ImportJob, ImportStatus, Priority } from '../../../src-shared/contract/types';
import { gradeImport, type ImportFailureKind } from '../../../src-shared/domain/import-outcome';
import type { JobRow } from './run-import';

export const MAX_ATTEMPTS = 5;
export const PRIORITY: Record<Priority, number> = { low: 0, normal: 1, high: 2 };
const PRIORITY_NAME = ['low', 'normal', 'high'] as const;

/** Minutes to wait after the n-th failed attempt (1-based): 1, 2, 4, 8. */
export const backoffMinutes = (attempt: number): number => 2 ** (attempt - 1);

export interface DbJob extends JobRow {
  batch_id: string;
  file_name: string;
  format: string | null;
  status: ImportStatus;
  priority: number;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  failure_kind: ImportFailureKind | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  owner: string | null;
  heartbeat_at: number | null;
  notes: string | null;
  tags: string;
  rolled_back_at: number | null;
  rolled_back_by: string | null;
  source_id: number | null;
  /** The queueing source's name (joined from sources), or null. */
  source_name: string | null;
}

/** A claim not renewed for this long is presumed dead even if its process cannot be checked. */
const STALE_SECONDS = 10 * 60;
export const HOST = os.hostname();

/** True when the process named in a claim is certainly gone (same machine, no such pid). */
export function ownerIsDead(owner: string | null, heartbeat: number | null, now: number): boolean {
  if (!owner) return true;
  const [host, pidText] = owner.split(':');
  if (host === HOST) {
    const pid = Number(pidText);
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
    return false;
  }
  return heartbeat === null || now - heartbeat > STALE_SECONDS;
}

const iso = isoUtcOrNull;

export function toJob(r: DbJob): ImportJob {
  const preview = r.preview
    ? (JSON.parse(r.preview) as {
        meters: string[];
        first: number | null;
        last: number | null;
        sites?: [string, string, string | null, string | null][];
      })
    : null;
  const job: Omit<ImportJob, 'outcome'> = {
    id: r.id,
    batchId: r.batch_id,
    fileId: r.file_id,
    file: r.file_name,
    format: r.format,
    status: r.status,
    priority: PRIORITY_NAME[r.priority] ?? 'normal',
    dryRun: r.dry_run === 1,
    attempts: r.attempts,
    bytes: r.bytes,
    bytesDone: r.bytes_done,
    rowsRead: r.rows_read,
    readingsImported: r.readings_imported,
    duplicates: r.duplicates,
    conflicts: r.conflicts,
    rowsRejected: r.rows_rejected,
    metersCreated: JSON.parse(r.meters_created) as string[],
    errors: JSON.parse(r.errors) as ImportJob['errors'],
    lastError: r.last_error,
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    rolledBackAt: iso(r.rolled_back_at),
    rolledBackBy: r.rolled_back_by,
    sourceId: r.source_id,
    source: r.source_name,
    preview:
      r.dry_run === 1 && preview
        ? {
            meters: preview.meters,
            firstReading: iso(preview.first),
            lastReading: iso(preview.last),
            sites: (preview.sites ?? []).map(([meter, name, address, postcode]) => ({
              meter,
              name,
              address,
              postcode,
            })),
          }
        : null,
    onConflict: r.on_conflict,
    notes: r.notes,
    tags: JSON.parse(r.tags) as string[],
    nextAttemptAt: iso(r.next_attempt_at),
    failureKind: r.failure_kind,
  };
  return { ...job, outcome: gradeImport(job) };
}

export const SELECT = `SELECT j.*, f.path, f.bytes, s.name AS source_name FROM import_jobs j
  JOIN stored_files f ON f.id = j.file_id LEFT JOIN sources s ON s.id = j.source_id`;
