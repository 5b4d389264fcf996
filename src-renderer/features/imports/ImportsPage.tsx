import { useEffect, useMemo, useRef, useState } from 'react';
import type { ImportJob, ImportStatus } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan, WhyNot } from '../../components/Can';
import { Field } from '../../components/Field';
import { Page } from '../../components/Page';
import { Segmented } from '../../components/Segmented';
import { EmptyState, ErrorState, Skeleton, Spinner } from '../../components/States';
import { useDocumentTitle } from '../../lib/hooks';
import {
  enqueueOptions,
  FORMAT_CHOICES,
  FORMAT_NAMES,
  groupByBatch,
  validateOptions,
  type ImportFormat,
} from './import-options';
import { useImportsStore } from '../../stores/imports';
import { DuplicateConfirm } from './DuplicateConfirm';
import { JobRow } from './JobRow';

const STATUS_FILTERS: { value: ImportStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'running', label: 'Running' },
  { value: 'retrying', label: 'Retrying' },
  { value: 'done', label: 'Done' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'rolled-back', label: 'Rolled back' },
];

export const ACCEPT = '.csv,.txt,.json';

const PRIORITIES = [
  { value: 'high', label: 'High' },
  { value: 'normal', label: 'Normal' },
  { value: 'low', label: 'Low' },
] as const;

export function ImportsPage() {
  useDocumentTitle('Imports');
  const {
    order,
    jobs,
    progress,
    load,
    error,
    dryRun,
    uploading,
    fetchJobs,
    setDryRun,
    importFiles,
    filter,
    setFilter,
    options,
  } = useImportsStore();
  // the desktop app's preload reads these when files are dropped or picked (invalid ones are refused there with the
  // reason)
  const dropOptions = useMemo(() => {
    const { dryRun: _d, ...rest } = enqueueOptions(options, false);
    return rest;
  }, [options]);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const client = getClient();
  const canImport = useCan()('imports.enqueue');

  useEffect(() => {
    void fetchJobs();
  }, [fetchJobs]);

  // The search box waits for a pause in typing before asking the host.
  const [search, setSearch] = useState(filter.search);
  useEffect(() => {
    if (search === useImportsStore.getState().filter.search) return;
    const t = setTimeout(() => {
      setFilter({ search });
      void fetchJobs();
    }, 300);
    return () => clearTimeout(t);
  }, [search, setFilter, fetchJobs]);
  const filtered = filter.status !== '' || filter.search.trim() !== '';
  const groups = useMemo(
    () => groupByBatch(order.map((id) => jobs[id]).filter((j): j is ImportJob => !!j)),
    [order, jobs],
  );

  const running = order.filter((id) => {
    const s = jobs[id]?.status;
    return s === 'running' || s === 'queued' || s === 'retrying';
  }).length;

  return (
    <Page
      title="Imports"
      subtitle="Half-hourly meter files are checked row by row and imported in the background. You can keep working while they run."
    >
      {!canImport && <WhyNot method="imports.enqueue" />}
      {canImport && (
        <div className="imports-top">
          <section
            className={`dropzone dropzone-compact ${over ? 'dropzone-over' : ''}`}
            aria-label="Import files"
            data-dry-run={dryRun ? 'true' : 'false'}
            data-import-options={JSON.stringify(dropOptions)}
            onDragEnter={(e) => {
              if (!e.dataTransfer.types.includes('Files')) return;
              depth.current++;
              setOver(true);
            }}
            onDragLeave={() => {
              depth.current = Math.max(0, depth.current - 1);
              if (depth.current === 0) setOver(false);
            }}
            onDrop={() => {
              // The window-level handler (App) does the work, so the desktop preload also sees the drop.
              depth.current = 0;
              setOver(false);
            }}
          >
            <UploadIcon />
            <div className="dropzone-text">
              <div className="dropzone-title">Drop half-hourly CSV files here</div>
              <div className="muted">
                Several files at once become one batch. CSV, TXT or JSON exports from suppliers, data collectors and AMR
                portals.
              </div>
            </div>
            <div className="dropzone-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  if (input.current) {
                    input.current.value = '';
                    input.current.click();
                  }
                }}
              >
                Choose files…
              </button>
              <input
                ref={input}
                data-testid="file-input"
                data-meter-files
                data-dry-run={dryRun ? 'true' : 'false'}
                className="visually-hidden"
                type="file"
                multiple
                accept={ACCEPT}
                tabIndex={-1}
                aria-hidden="true"
                onChange={(e) => {
                  const files = Array.from(e.currentTarget.files ?? []);
                  // In the desktop app the preload reads the picked paths itself; here we send the files.
                  if (client.uploads && files.length > 0) void importFiles(files);
                }}
              />
              <label className="checkbox">
                <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
                <span>Dry run (check only, write nothing)</span>
              </label>
            </div>
          </section>
          <ImportOptionsPanel uploads={client.uploads} />
        </div>
      )}

      {uploading.length > 0 && (
        <div className="uploading" aria-live="polite">
          <Spinner
            inline
            label={
              uploading.length === 1
                ? `Sending ${uploading[0]} to the importer…`
                : `Sending ${uploading.length} files to the importer…`
            }
          />
        </div>
      )}

      <DuplicateConfirm />

      <section className="card" aria-labelledby="jobs-title">
        <div className="card-header">
          <h2 id="jobs-title">Import jobs {order.length > 0 && <span className="count">{order.length}</span>}</h2>
          <div className="card-header-actions">
            {running > 0 && <span className="muted small">{running} in progress</span>}
            <label className="visually-hidden" htmlFor="job-status-filter">
              Status
            </label>
            <select
              id="job-status-filter"
              className="input input-small"
              data-testid="job-status-filter"
              value={filter.status}
              onChange={(e) => {
                setFilter({ status: e.currentTarget.value as ImportStatus | '' });
                void fetchJobs();
              }}
            >
              {STATUS_FILTERS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.value ? f.label : 'All statuses'}
                </option>
              ))}
            </select>
            <input
              type="search"
              className="search input-small"
              placeholder="Search file, notes or tags"
              aria-label="Search import jobs by file, notes or tags"
              data-testid="job-search"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
            />
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => void fetchJobs()}
              disabled={load === 'loading'}
            >
              Refresh
            </button>
          </div>
        </div>
        {load === 'error' && order.length === 0 ? (
          <ErrorState
            title="Could not load the import jobs"
            message={error ?? 'Unknown error'}
            onRetry={() => void fetchJobs()}
          />
        ) : (load === 'loading' || load === 'idle') && order.length === 0 ? (
          <Skeleton rows={3} label="Loading import jobs" />
        ) : order.length === 0 && filtered ? (
          <EmptyState
            title="No import matches these filters"
            action={
              <button
                type="button"
                className="btn btn-link"
                onClick={() => {
                  setSearch('');
                  setFilter({ status: '', search: '' });
                  void fetchJobs();
                }}
              >
                Show all imports
              </button>
            }
          />
        ) : order.length === 0 ? (
          <EmptyState title="No imports yet" icon="⇪">
            {canImport
              ? 'Drop a meter file above or choose one to start.'
              : 'A manager or administrator imports files.'}{' '}
            Each file gets its own job here with live progress and a list of any rows that could not be used.
          </EmptyState>
        ) : (
          <ul className="job-list">
            {groups.map((g) =>
              g.jobs.length === 1 ? (
                <JobRow key={g.jobs[0]!.id} job={g.jobs[0]!} progress={progress[g.jobs[0]!.id]} />
              ) : (
                <li
                  key={`${g.batchId}-${g.jobs[0]!.id}`}
                  className="batch"
                  data-testid="job-batch"
                  data-batch-id={g.batchId}
                >
                  <BatchHeader jobs={g.jobs} />
                  <ul className="job-list batch-jobs">
                    {g.jobs.map((job) => (
                      <JobRow key={job.id} job={job} progress={progress[job.id]} />
                    ))}
                  </ul>
                </li>
              ),
            )}
          </ul>
        )}
      </section>
    </Page>
  );
}

function BatchHeader({ jobs }: { jobs: ImportJob[] }) {
  const first = jobs[0]!;
  const parts = [`Batch of ${jobs.length} files`];
  if (first.notes) parts.push(first.notes);
  if (first.tags.length) parts.push(first.tags.join(', '));
  const dry = jobs.every((j) => j.dryRun);
  return (
    <div className="batch-head" title={`Batch ${first.batchId}`}>
      <span className="batch-bracket" aria-hidden="true" />
      <span className="batch-text">{parts.join(' · ')}</span>
      {dry && <span className="tag tag-dry">Dry run</span>}
    </div>
  );
}

function ImportOptionsPanel({ uploads }: { uploads: boolean }) {
  const options = useImportsStore((s) => s.options);
  const setOptions = useImportsStore((s) => s.setOptions);
  const problems = validateOptions(options);
  if (!uploads) {
    return (
      <aside className="card card-pad import-options" aria-label="Import options">
        <h2>Options</h2>
        <p className="muted small">
          Files dropped here are imported with automatic format detection, normal priority and stored readings kept when
          a file disagrees.
        </p>
        <p className="muted small">More options are available when importing from the browser.</p>
      </aside>
    );
  }
  return (
    <aside
      className="card card-pad import-options form form-compact"
      aria-label="Import options"
      data-testid="import-options"
    >
      <h2>Options for the next files</h2>
      <Field id="opt-format" label="Format" plain>
        {(c) => (
          <select
            {...c}
            className="input"
            value={options.format}
            onChange={(e) => setOptions({ format: e.currentTarget.value as ImportFormat })}
          >
            {FORMAT_CHOICES.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="opt-meter" label="Meter for files without a meter column" error={problems.meter} plain>
        {(c) => (
          <input
            {...c}
            className="input mono"
            value={options.meter}
            placeholder="MPAN or MPRN (optional)"
            onChange={(e) => setOptions({ meter: e.currentTarget.value })}
          />
        )}
      </Field>
      <fieldset className="field">
        <legend className="field-label">If a reading is already stored with a different value</legend>
        <div className="radio-row">
          <label className="checkbox">
            <input
              type="radio"
              name="opt-conflict"
              checked={options.onConflict === 'keep'}
              onChange={() => setOptions({ onConflict: 'keep' })}
            />
            <span>Keep stored</span>
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="opt-conflict"
              checked={options.onConflict === 'replace'}
              onChange={() => setOptions({ onConflict: 'replace' })}
            />
            <span>Replace with file’s value</span>
          </label>
        </div>
      </fieldset>
      <div className="field">
        <span className="field-label" id="opt-priority-label">
          Priority
        </span>
        <Segmented
          options={PRIORITIES}
          value={options.priority}
          onChange={(priority) => setOptions({ priority })}
          labelledBy="opt-priority-label"
          small
        />
      </div>
      <Field id="opt-notes" label="Batch notes" error={problems.notes} plain>
        {(c) => (
          <textarea
            {...c}
            className="input"
            rows={2}
            value={options.notes}
            maxLength={2000}
            placeholder="e.g. January reads from the supplier portal"
            onChange={(e) => setOptions({ notes: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field
        id="opt-tags"
        label={
          <>
            Tags <span className="muted">(comma separated)</span>
          </>
        }
        error={problems.tags}
        plain
      >
        {(c) => (
          <input
            {...c}
            className="input"
            value={options.tags}
            placeholder="e.g. octopus, q1-2025"
            onChange={(e) => setOptions({ tags: e.currentTarget.value })}
          />
        )}
      </Field>
    </aside>
  );
}

function UploadIcon() {
  return (
    <svg className="dropzone-icon" width="44" height="44" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M12 15V4m0 0-4 4m4-4 4 4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path
        d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}
