import { useState } from 'react';
import { useCan } from '../../components/Can';
import type { ImportJob, ImportProgress, RowError } from '../../../src-shared/contract/types';
import { ProgressBar } from '../../components/ProgressBar';
import { ExportBar } from '../../components/ExportCsv';
import { exportName, type CsvColumn } from '../../components/table-export';
import { OutcomeBadge } from '../../components/StatusBadge';
import { formatBytes, formatDuration, formatInt, formatUkDateTime, plural } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { href } from '../../lib/route';
import { useImportsStore } from '../../stores/imports';
import { problemsSummary, progressTone } from './outcome';
import { RollbackAction, RolledBackNote } from '../undo/RollbackJob';

const ACTIVE = new Set(['queued', 'running', 'retrying']);

/** A job's problems as CSV: the line and column in the file, the value as read, and what was wrong. */
const PROBLEM_CSV: CsvColumn<RowError>[] = [
  { header: 'Line', value: (e) => e.line },
  { header: 'Column', value: (e) => e.column },
  { header: 'Value', value: (e) => e.value },
  { header: 'Problem', value: (e) => e.message },
];

function seconds(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t / 1000;
}

export function jobPercent(job: ImportJob, progress: ImportProgress | undefined): number {
  if (job.status === 'done') return 100;
  if (job.status === 'queued' && job.bytesDone === 0) return progress?.percent ?? 0;
  const fromJob = job.bytes > 0 ? (job.bytesDone / job.bytes) * 100 : 0;
  return Math.max(fromJob, progress?.percent ?? 0);
}

export function JobRow({ job, progress }: { job: ImportJob; progress: ImportProgress | undefined }) {
  const active = ACTIVE.has(job.status);
  const now = useNow(job.status === 'running') / 1000;
  const [open, setOpen] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const busy = useImportsStore((s) => !!s.busy[job.id]);
  const cancelJob = useImportsStore((s) => s.cancelJob);
  const retryJob = useImportsStore((s) => s.retryJob);
  const importForReal = useImportsStore((s) => s.importForReal);
  const can = useCan();
  const canCancel = active && can('imports.cancel');
  // graded once for every host (job.outcome): retry only where it can help (not a binary or foreign file)
  const outcome = job.outcome;
  const canRetry = outcome.retry && can('imports.retry');

  const started = seconds(job.startedAt);
  const finished = seconds(job.finishedAt);
  const elapsed =
    started === null ? null : Math.max(0, (finished ?? (job.status === 'running' ? now : started)) - started);
  const rowsRead = Math.max(job.rowsRead, job.status === 'running' ? (progress?.rowsRead ?? 0) : 0);
  const rate =
    job.status === 'running' ? (progress?.rowsPerSecond ?? null) : elapsed && elapsed > 0 ? rowsRead / elapsed : null;
  const eta = job.status === 'running' ? (progress?.etaSeconds ?? null) : job.status === 'done' ? 0 : null;
  const percent = jobPercent(job, progress);
  const tone = progressTone(outcome);
  const errors = job.errors;
  const problems = problemsSummary(job);

  return (
    <li
      className={`job job-${job.status}`}
      data-testid="job-row"
      data-job-id={job.id}
      data-status={job.status}
      data-outcome={outcome.grade}
      aria-busy={active}
    >
      <div className="job-head">
        <div className="job-title">
          <FileIcon />
          <span className="job-file" title={job.file}>
            {job.file}
          </span>
          <OutcomeBadge outcome={outcome} />
          {job.dryRun && <span className="tag tag-dry">Dry run — nothing written</span>}
        </div>
        <div className="job-meta muted">
          {job.format && <span>{job.format} format</span>}
          <span>{formatBytes(job.bytes)}</span>
          <span title={`Job ${job.id}, batch ${job.batchId}`}>Queued {formatUkDateTime(job.createdAt)}</span>
          {job.source && <span data-testid="job-source">From: {job.source}</span>}
          {job.attempts > 1 && <span>Attempt {job.attempts}</span>}
          {(canCancel || canRetry) && !confirmCancel && (
            <span className="job-actions">
              {canRetry && (
                <button type="button" className="btn btn-small" disabled={busy} onClick={() => void retryJob(job.id)}>
                  {job.status === 'retrying' ? 'Retry now' : 'Retry'}
                </button>
              )}
              {canCancel && (
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  disabled={busy}
                  onClick={() => setConfirmCancel(true)}
                >
                  Cancel
                </button>
              )}
            </span>
          )}
          <RollbackAction job={job} />
        </div>
      </div>

      {confirmCancel && canCancel && (
        <div className="callout callout-warn confirm" role="alertdialog" aria-label="Confirm cancel">
          <span>
            Cancel this import?{' '}
            {job.dryRun ? 'Nothing has been written.' : 'Any readings it has already written will be removed again.'}
          </span>
          <span className="job-actions">
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={busy}
              onClick={() => {
                setConfirmCancel(false);
                void cancelJob(job.id);
              }}
            >
              Cancel import
            </button>
            <button type="button" className="btn btn-small" onClick={() => setConfirmCancel(false)}>
              Keep importing
            </button>
          </span>
        </div>
      )}

      {(job.notes || (job.tags && job.tags.length > 0)) && (
        <div className="job-notes">
          {job.tags?.map((t) => (
            <span key={t} className="tag tag-plain">
              {t}
            </span>
          ))}
          {job.notes && <span className="muted">{job.notes}</span>}
        </div>
      )}

      <div className="job-progress">
        <ProgressBar value={percent} tone={tone} label={`Import progress for ${job.file}`} />
        <span className="job-percent">
          {job.status === 'queued' ? 'Waiting' : job.status === 'failed' ? 'Stopped' : `${Math.round(percent)}%`}
        </span>
      </div>

      {!(job.status === 'failed' && rowsRead === 0) && (
        <dl className="job-stats">
          <Stat label="Rows read" value={formatInt(rowsRead)} />
          <Stat
            label={job.dryRun ? 'Readings found' : 'Readings imported'}
            value={formatInt(job.readingsImported)}
            strong
          />
          <Stat label="Duplicates" value={formatInt(job.duplicates)} />
          <Stat label="Conflicts" value={formatInt(job.conflicts)} warn={job.conflicts > 0} />
          <Stat label="Rejected rows" value={formatInt(job.rowsRejected)} warn={job.rowsRejected > 0} />
          <Stat label="Elapsed" value={formatDuration(elapsed)} />
          <Stat label="Rows/s" value={rate === null ? '—' : formatInt(rate)} />
          <Stat label="ETA" value={job.status === 'done' ? 'Finished' : formatDuration(eta)} />
        </dl>
      )}

      {job.status === 'failed' && job.lastError && (
        <div
          className={`callout ${outcome.grade === 'nothing-imported' ? 'callout-warn' : 'callout-error'}`}
          role="alert"
          data-testid="job-outcome"
        >
          <strong>
            {outcome.grade === 'nothing-imported'
              ? job.dryRun
                ? 'Nothing to import. '
                : 'Nothing was imported. '
              : job.dryRun
                ? 'The check could not finish. '
                : 'This file was not imported. '}
          </strong>
          <span className="human-message">{/[.!?]$/.test(job.lastError) ? job.lastError : `${job.lastError}.`}</span>{' '}
          {outcome.grade === 'failed' && !outcome.retry && (
            <span className="muted">
              Retrying will not help: check it is the right file, or correct it and import it again.
            </span>
          )}
        </div>
      )}
      {job.status === 'done' && outcome.grade !== 'done' && (
        <div
          className={`callout ${outcome.tone === 'grey' ? 'callout-info' : 'callout-warn'}`}
          role="status"
          data-testid="job-outcome"
        >
          <strong>{outcome.label}. </strong>
          <span className="human-message">{outcome.summary}</span>
        </div>
      )}
      <RolledBackNote job={job} />
      {job.status === 'retrying' && job.lastError && (
        <div className="callout callout-warn">
          <strong>
            The last attempt failed; it will be retried automatically
            {job.nextAttemptAt ? ` at ${formatUkDateTime(job.nextAttemptAt)}` : ''}.{' '}
          </strong>
          <span className="human-message">{job.lastError}</span>
        </div>
      )}

      {!job.dryRun && job.metersCreated.length > 0 && (
        <ul className="created-meters">
          {job.metersCreated.map((m) => (
            <li key={m}>
              Created meter{' '}
              <a className="mono" href={href.meter(m)}>
                {m}
              </a>
            </li>
          ))}
        </ul>
      )}

      {job.dryRun && job.preview && job.status === 'done' && (
        <div className="preview">
          <div className="preview-head">
            <div className="preview-title">What an import would write</div>
            {can('imports.enqueue') && (
              <button
                type="button"
                className="btn btn-small btn-primary"
                data-testid="import-for-real"
                disabled={busy || job.readingsImported === 0}
                onClick={() => void importForReal(job)}
              >
                Import for real
              </button>
            )}
          </div>
          <dl className="preview-grid">
            <div>
              <dt>Meters</dt>
              <dd className="mono">{job.preview.meters.length ? job.preview.meters.join(', ') : 'none'}</dd>
            </div>
            <div>
              <dt>First reading</dt>
              <dd>{formatUkDateTime(job.preview.firstReading, { zone: true })}</dd>
            </div>
            <div>
              <dt>Last reading</dt>
              <dd>{formatUkDateTime(job.preview.lastReading, { zone: true })}</dd>
            </div>
            <div>
              <dt>Counts</dt>
              <dd>
                {plural(job.readingsImported, 'reading')}, {plural(job.duplicates, 'duplicate')},{' '}
                {plural(job.conflicts, 'conflict')}, {plural(job.rowsRejected, 'rejected row')}
              </dd>
            </div>
          </dl>
        </div>
      )}

      {problems.label && (
        <div className="job-errors">
          <button type="button" className="btn btn-link" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            <span className={`chevron ${open ? 'open' : ''}`} aria-hidden="true">
              ›
            </span>
            {open ? 'Hide' : 'Show'} {problems.label}
          </button>
          {open && (
            <div className="table-wrap">
              {errors.length > 0 && (
                <ExportBar name={exportName(`import-${job.id}`, 'problems')} columns={PROBLEM_CSV} rows={errors} />
              )}
              {errors.length === 0 ? null : (
                <table className="table table-compact">
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Line
                      </th>
                      <th scope="col" className="num">
                        Column
                      </th>
                      <th scope="col">Value</th>
                      <th scope="col">Problem</th>
                    </tr>
                  </thead>
                  <tbody>
                    {errors.map((e, i) => (
                      <tr key={`${e.line}-${e.column ?? ''}-${i}`}>
                        <td className="num">line {e.line}</td>
                        <td className="num">{e.column ?? '—'}</td>
                        <td className="mono value-cell">
                          {e.value === undefined || e.value === '' ? <span className="muted">(empty)</span> : e.value}
                        </td>
                        <td className="human-message">{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {problems.note && <p className="muted small">{problems.note}</p>}
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function Stat({ label, value, strong, warn }: { label: string; value: string; strong?: boolean; warn?: boolean }) {
  return (
    <div className={`stat ${strong ? 'stat-strong' : ''} ${warn ? 'stat-warn' : ''}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function FileIcon() {
  return (
    <svg className="file-icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M6 2h8l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
      />
      <path d="M14 2v5h5M8 13h8M8 17h6" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
