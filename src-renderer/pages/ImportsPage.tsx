import { useEffect, useRef, useState } from 'react';
import { getClient } from '../api/instance';
import { EmptyState, ErrorState, Skeleton, Spinner } from '../components/States';
import { useDocumentTitle } from '../lib/hooks';
import { useImportsStore } from '../stores/imports';
import { JobRow } from './JobRow';

export const ACCEPT = '.csv,.txt,.json';

export function ImportsPage() {
  useDocumentTitle('Imports');
  const { order, jobs, progress, load, error, dryRun, uploading, fetchJobs, setDryRun, importFiles } = useImportsStore();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const client = getClient();

  useEffect(() => {
    void fetchJobs();
  }, [fetchJobs]);

  const running = order.filter((id) => {
    const s = jobs[id]?.status;
    return s === 'running' || s === 'queued' || s === 'retrying';
  }).length;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Imports</h1>
          <p className="muted">Half-hourly meter files are checked row by row and imported in the background. You can keep working while they run.</p>
        </div>
      </header>

      <section
        className={`dropzone ${over ? 'dropzone-over' : ''}`}
        aria-label="Import files"
        data-dry-run={dryRun ? 'true' : 'false'}
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
          <div className="muted">Several files at once become one batch. CSV, TXT or JSON exports from suppliers, data collectors and AMR portals.</div>
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

      {uploading.length > 0 && (
        <div className="uploading" aria-live="polite">
          <Spinner inline label={uploading.length === 1 ? `Sending ${uploading[0]} to the importer…` : `Sending ${uploading.length} files to the importer…`} />
        </div>
      )}

      <section className="card" aria-labelledby="jobs-title">
        <div className="card-header">
          <h2 id="jobs-title">
            Import jobs {order.length > 0 && <span className="count">{order.length}</span>}
          </h2>
          <div className="card-header-actions">
            {running > 0 && <span className="muted small">{running} in progress</span>}
            <button type="button" className="btn btn-quiet" onClick={() => void fetchJobs()} disabled={load === 'loading'}>
              Refresh
            </button>
          </div>
        </div>
        {load === 'error' && order.length === 0 ? (
          <ErrorState title="Could not load the import jobs" message={error ?? 'Unknown error'} onRetry={() => void fetchJobs()} />
        ) : (load === 'loading' || load === 'idle') && order.length === 0 ? (
          <Skeleton rows={3} label="Loading import jobs" />
        ) : order.length === 0 ? (
          <EmptyState title="No imports yet" icon="⇪">
            Drop a meter file above or choose one to start. Each file gets its own job here with live progress and a list of any rows that could not be used.
          </EmptyState>
        ) : (
          <ul className="job-list">
            {order.map((id) => {
              const job = jobs[id];
              return job ? <JobRow key={id} job={job} progress={progress[id]} /> : null;
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

function UploadIcon() {
  return (
    <svg className="dropzone-icon" width="44" height="44" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 15V4m0 0-4 4m4-4 4 4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
