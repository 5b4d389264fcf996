/**
 * One data feed (#/sources/<id>): where it reads from and how often, its status (the reason when its
 * last run failed), the imports of its latest run as they progress, its run history (why each run
 * started, what it found and queued, what it did after: a host key pinned, files moved or deleted)
 * and the files or fetched windows it took in, once each.
 */
import { useEffect, useState } from 'react';
import type { ImportJob, SourceDetail, SourceItem, SourceRun } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan } from '../../components/Can';
import { DataTable } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { Breadcrumb, PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { ProgressBar } from '../../components/ProgressBar';
import { OutcomeBadge } from '../../components/StatusBadge';
import { EmptyState, Skeleton } from '../../components/States';
import { formatBytes, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href, navigate } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import { useImportsStore } from '../../stores/imports';
import '../../styles/sources.css';
import { jobPercent } from '../imports/JobRow';
import { RunNowButton, SourceStatusBadge, useSourceEvents } from './SourceBits';
import { SourceForm } from './SourceForm';
import { KIND_LABEL, TRIGGER_LABEL, everyText, runSummary, ukDateTime, whereText } from './words';

export function SourcePage({ id }: { id: number }) {
  const q = useQuery(`source:${id}`, () => getClient().call('sources.get', { id }));
  useSourceEvents(q.reload);
  const s = q.data;
  useDocumentTitle(s?.name ?? 'Data feed');
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);

  const remove = async (src: SourceDetail) => {
    try {
      await getClient().call('sources.remove', { id: src.id });
      useAppStore.getState().toast({
        kind: 'success',
        title: `Data feed “${src.name}” removed`,
        message: 'Its imports and readings stay.',
      });
      navigate(href.sources);
    } catch (e) {
      useAppStore.getState().toastError(`Could not remove ${src.name}`, e);
    }
  };

  if (q.load === 'error' && !s)
    return (
      <div className="page">
        <Breadcrumb steps={[<a href={href.sources}>Data feeds</a>, <span>{`Feed ${id}`}</span>]} />
        <section className="card">
          <QueryProblem title={q.code === 'NOT_FOUND' ? 'No such data feed' : 'Could not load the data feed'} q={q} />
        </section>
      </div>
    );
  if (!s)
    return (
      <div className="page">
        <Skeleton rows={4} label="Loading the data feed" />
      </div>
    );
  const c = s.config as Record<string, unknown>;
  // the imports of the latest run that found something new (later runs may have found nothing)
  const latest = s.runs.find((r) => r.jobIds.length > 0) ?? null;

  return (
    <div className="page source-page" data-testid="source-page">
      <Breadcrumb steps={[<a href={href.sources}>Data feeds</a>, <span>{s.name}</span>]} />
      <PageHeader
        title={s.name}
        subtitle={`${KIND_LABEL[s.kind]} · ${whereText(s)} · ${s.enabled ? everyText(s.everyMinutes) : 'Switched off'}`}
        actions={
          <>
            <RunNowButton source={s} onRun={() => q.reload()} />
            {can('sources.save') && (
              <>
                <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="source-edit">
                  Edit
                </button>
                {removing ? (
                  <span className="source-buttons" role="group" aria-label="Confirm removing">
                    <button
                      type="button"
                      className="btn btn-danger"
                      onClick={() => void remove(s)}
                      data-testid="source-remove-confirm"
                    >
                      Remove, keeping its imports
                    </button>
                    <button type="button" className="btn btn-quiet" onClick={() => setRemoving(false)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    className="btn btn-quiet"
                    onClick={() => setRemoving(true)}
                    data-testid="source-remove"
                  >
                    Remove
                  </button>
                )}
              </>
            )}
          </>
        }
      >
        <div className="meter-sub">
          <SourceStatusBadge status={s.status} />
        </div>
      </PageHeader>
      {s.status === 'failed' && s.lastError && (
        <div className="callout callout-error" role="alert" data-testid="source-error">
          <div>
            <strong>The last run failed.</strong> {s.lastError}
          </div>
        </div>
      )}
      {s.status === 'behind' && (
        <div className="callout callout-warn" role="status">
          This feed is behind: {s.lastOkAt ? `it last worked ${ukDateTime(s.lastOkAt)}` : 'it has not worked yet'}, and
          runs {everyText(s.everyMinutes).toLowerCase()}. Run it now, or check the app has been running.
        </div>
      )}
      {editing && (
        <SourceForm
          source={s}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            q.reload();
          }}
        />
      )}
      <section className="card card-pad">
        <dl className="source-facts">
          <div>
            <dt>Last run</dt>
            <dd>{ukDateTime(s.lastRunAt)}</dd>
          </div>
          <div>
            <dt>Last worked</dt>
            <dd>{ukDateTime(s.lastOkAt)}</dd>
          </div>
          <div>
            <dt>Next run</dt>
            <dd data-testid="source-next">{s.enabled ? ukDateTime(s.nextRunAt) : 'Off'}</dd>
          </div>
          <div>
            <dt>Last received</dt>
            <dd data-testid="source-received">{ukDateTime(s.lastReceivedAt)}</dd>
          </div>
          <div>
            <dt>Meters fed</dt>
            <dd data-testid="source-meters">
              {s.meters.length === 0
                ? 'None yet'
                : s.meters.map((m, i) => (
                    <span key={m}>
                      {i > 0 ? ', ' : ''}
                      <a className="mono" href={href.meter(m)}>
                        {m}
                      </a>
                    </span>
                  ))}
            </dd>
          </div>
          {s.kind === 'sftp' && (
            <div>
              <dt>Host key</dt>
              <dd className="mono small">{typeof c.hostKey === 'string' ? c.hostKey : 'Pinned at the first run'}</dd>
            </div>
          )}
          {(s.kind === 'octopus' || s.kind === 'n3rgy') && (
            <div>
              <dt>Fetched up to</dt>
              <dd>{s.cursor ?? 'Nothing yet'}</dd>
            </div>
          )}
        </dl>
      </section>
      {latest && <LatestRun run={latest} />}
      <section className="card">
        <div className="card-header">
          <h2>Runs</h2>
        </div>
        <DataTable<SourceRun>
          rows={s.runs}
          rowKey={(r) => r.id}
          testId="source-runs"
          exportName={exportName(`feed-${s.name}-runs`)}
          rowProps={(r) => ({ 'data-testid': 'source-run-row', 'data-status': r.status })}
          empty={<EmptyState title="No runs yet">It runs on its schedule, or now with Run now.</EmptyState>}
          columns={[
            {
              header: 'Started',
              rowHeader: true,
              cell: (r) => ukDateTime(r.startedAt),
              csv: timeColumns<SourceRun>('Started', (r) => r.startedAt),
            },
            { header: 'Why', cell: (r) => TRIGGER_LABEL[r.trigger], csv: (r) => TRIGGER_LABEL[r.trigger] },
            {
              header: 'Result',
              cell: (r) => (
                <span
                  className={`badge badge-tone-${r.status === 'ok' ? 'green' : r.status === 'failed' ? 'red' : 'blue'}`}
                >
                  {r.status === 'ok' ? 'OK' : r.status === 'failed' ? 'Failed' : 'Running'}
                </span>
              ),
              csv: (r) => (r.status === 'ok' ? 'OK' : r.status === 'failed' ? 'Failed' : 'Running'),
            },
            {
              header: 'What it did',
              cell: (r) => (
                <>
                  <div>{runSummary(r)}</div>
                  {r.error && <div className="source-error small">{r.error}</div>}
                  {r.notes.map((n, i) => (
                    <div key={i} className="muted small">
                      {n}
                    </div>
                  ))}
                </>
              ),
              csv: [
                { header: 'What it did', value: (r) => runSummary(r) },
                { header: 'Error', value: (r) => r.error },
                { header: 'Notes', value: (r) => r.notes.join(' | ') },
              ],
            },
            {
              header: 'Imports',
              cell: (r) =>
                r.jobIds.length === 0 ? '—' : <a href={href.imports}>{plural(r.jobIds.length, 'import')}</a>,
              csv: (r) => r.jobIds.join(' '),
              csvHeader: 'Import jobs',
            },
          ]}
        />
      </section>
      <section className="card">
        <div className="card-header">
          <h2>Taken in</h2>
          <span className="muted small">Each file (or fetched window) once, by its content</span>
        </div>
        <DataTable<SourceItem>
          rows={s.items}
          rowKey={(i) => `${i.sha256}`}
          testId="source-items"
          exportName={exportName(`feed-${s.name}-taken-in`)}
          empty={<EmptyState title="Nothing taken in yet" />}
          columns={[
            {
              header: 'File',
              rowHeader: true,
              cell: (i) => <span className="mono">{i.key}</span>,
              csv: [
                { header: 'File', value: (i) => i.key },
                { header: 'SHA-256', value: (i) => i.sha256 },
              ],
            },
            {
              header: 'Received',
              cell: (i) => ukDateTime(i.seenAt),
              csv: timeColumns<SourceItem>('Received', (i) => i.seenAt),
            },
            {
              header: 'Size',
              num: true,
              cell: (i) => formatBytes(i.bytes),
              csv: (i) => i.bytes,
              csvHeader: 'Size (bytes)',
            },
            {
              header: 'Import',
              cell: (i) => (i.jobId === null ? '—' : <a href={href.imports}>{`Job ${i.jobId}`}</a>),
              csv: (i) => i.jobId,
              csvHeader: 'Import job',
            },
          ]}
        />
      </section>
    </div>
  );
}

/** The latest run's imports as they progress (live from the import events). */
function LatestRun({ run }: { run: SourceRun }) {
  const all = useImportsStore((st) => st.jobs);
  const jobs = run.jobIds.map((j) => all[j]).filter((j): j is ImportJob => !!j);
  const progress = useImportsStore((st) => st.progress);
  const key = run.jobIds.join(',');
  useEffect(() => {
    const store = useImportsStore.getState();
    const missing = run.jobIds.filter((j) => !store.jobs[j]);
    for (const j of missing)
      void getClient()
        .call('imports.get', { id: j })
        .then((job) => useImportsStore.getState().upsert(job))
        .catch(() => undefined);
  }, [key]);
  return (
    <section className="card" data-testid="source-latest">
      <div className="card-header">
        <h2>Latest imports</h2>
        <span className="muted small">From the run of {ukDateTime(run.startedAt)}</span>
        <a href={href.imports} className="small">
          All imports
        </a>
      </div>
      <ul className="source-jobs">
        {jobs.map((j) => (
          <li key={j.id} data-testid="source-job" data-status={j.status}>
            <span className="mono">{j.file}</span>
            <OutcomeBadge outcome={j.outcome} />
            <span className="source-job-bar">
              <ProgressBar
                value={jobPercent(j, progress[j.id])}
                label={`${j.file}: ${j.outcome.label}`}
                tone={j.status === 'failed' ? 'failed' : j.status === 'done' ? 'done' : 'active'}
              />
            </span>
            <span className="muted small">{j.outcome.summary}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
