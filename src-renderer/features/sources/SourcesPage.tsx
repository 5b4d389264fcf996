/**
 * Data feeds (#/sources): every source that brings data by itself — watched folders, SFTP pickups,
 * Octopus and n3rgy — with its status (behind in amber, failed in red with the reason), last and next
 * run, when it last brought something and the meters it feeds; those needing attention first. An
 * administrator adds, changes and removes feeds; a manager can run one now.
 */
import { useState } from 'react';
import type { SourceStatus, SourceSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan, WhyNot } from '../../components/Can';
import { DataTable } from '../../components/DataTable';
import { exportName, timeColumns } from '../../components/table-export';
import { PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import { useAppStore } from '../../stores/app';
import '../../styles/sources.css';
import { RunNowButton, SourceStatusBadge, useSourceEvents } from './SourceBits';
import { SourceForm } from './SourceForm';
import { KIND_LABEL, everyText, ukDateTime, whereText } from './words';

/** Feeds needing attention come first. */
const STATUS_ORDER: Record<SourceStatus, number> = { failed: 0, behind: 1, running: 2, idle: 3, ok: 4, disabled: 5 };

export function SourcesPage() {
  useDocumentTitle('Data feeds');
  const q = useQuery('sources', () => getClient().call('sources.list', {}));
  useSourceEvents(q.reload);
  const can = useCan();
  const canManage = can('sources.save');
  const [editing, setEditing] = useState<{ source: SourceSummary | null } | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const list = q.data ?? null;
  const attention = (list ?? []).filter((s) => s.status === 'failed' || s.status === 'behind');

  const remove = async (s: SourceSummary) => {
    try {
      await getClient().call('sources.remove', { id: s.id });
      useAppStore
        .getState()
        .toast({ kind: 'success', title: `Data feed “${s.name}” removed`, message: 'Its imports and readings stay.' });
      setRemoving(null);
      q.reload();
    } catch (e) {
      useAppStore.getState().toastError(`Could not remove ${s.name}`, e);
    }
  };

  return (
    <div className="page" data-testid="sources-page">
      <PageHeader
        title="Data feeds"
        subtitle="Files and readings that arrive by themselves: watched folders, SFTP pickups and smart-meter APIs. Each runs on its own schedule and imports what is new, once."
        actions={
          canManage && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setEditing({ source: null })}
              data-testid="source-add"
            >
              Add a data feed
            </button>
          )
        }
      />
      <WhyNot method="sources.save" />
      {attention.length > 0 && (
        <div
          className={`callout ${attention.some((s) => s.status === 'failed') ? 'callout-error' : 'callout-warn'}`}
          role="status"
          data-testid="sources-attention"
        >
          {plural(attention.length, 'feed')} need{attention.length === 1 ? 's' : ''} attention:{' '}
          {attention.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? ', ' : ''}
              <a href={href.source(s.id)}>{s.name}</a> {s.status === 'failed' ? 'failed' : 'is behind'}
            </span>
          ))}
          .
        </div>
      )}
      {editing && (
        <SourceForm
          key={editing.source?.id ?? 'new'}
          source={editing.source}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            q.reload();
          }}
        />
      )}
      <section className="card">
        {q.load === 'error' && !list ? (
          <QueryProblem title="Could not load the data feeds" q={q} />
        ) : !list ? (
          <Skeleton rows={3} label="Loading the data feeds" />
        ) : (
          <DataTable<SourceSummary>
            rows={list}
            rowKey={(s) => s.id}
            testId="sources-table"
            className="sources-table"
            exportName={exportName('data-feeds')}
            defaultSort={{ column: 1, dir: 'asc' }}
            rowProps={(s) => ({ 'data-testid': 'source-row', 'data-id': s.id, 'data-status': s.status })}
            empty={
              <EmptyState title="No data feeds yet">
                {canManage
                  ? 'Add one to have files from a shared folder or a data collector’s SFTP server, or readings from Octopus or n3rgy, imported by themselves.'
                  : 'An administrator can add feeds that import files and readings by themselves.'}
              </EmptyState>
            }
            columns={[
              {
                header: 'Feed',
                rowHeader: true,
                className: 'source-feed',
                sortValue: (s) => s.name.toLowerCase(),
                cell: (s) => (
                  <>
                    <a href={href.source(s.id)} className="strong" data-testid="source-name">
                      {s.name}
                    </a>
                    <div className="muted small source-where">
                      {KIND_LABEL[s.kind]} · <span className="mono">{whereText(s)}</span>
                    </div>
                  </>
                ),
                csv: [
                  { header: 'Feed', value: (s) => s.name },
                  { header: 'Kind', value: (s) => KIND_LABEL[s.kind] },
                  { header: 'Where', value: (s) => whereText(s) },
                ],
              },
              {
                header: 'Status',
                className: 'source-state',
                sortValue: (s) => STATUS_ORDER[s.status],
                sortFirst: 'asc',
                cell: (s) => (
                  <>
                    <SourceStatusBadge status={s.status} />
                    {s.status === 'failed' && s.lastError && (
                      <div className="source-error small" data-testid="source-error">
                        {s.lastError}
                      </div>
                    )}
                    {s.status === 'behind' && (
                      <div className="source-behind small">
                        {s.lastOkAt ? `Last worked ${ukDateTime(s.lastOkAt)}` : 'Has not worked yet'}
                      </div>
                    )}
                  </>
                ),
                csv: [
                  { header: 'Status', value: (s) => s.status },
                  { header: 'Last error', value: (s) => s.lastError },
                ],
              },
              {
                header: 'Last run',
                className: 'source-when',
                sortValue: (s) => s.lastRunAt,
                cell: (s) => (
                  <>
                    {ukDateTime(s.lastRunAt)}
                    <div className="muted small">{everyText(s.everyMinutes)}</div>
                  </>
                ),
                csv: [
                  ...timeColumns<SourceSummary>('Last run', (s) => s.lastRunAt),
                  { header: 'Every (minutes)', value: (s) => s.everyMinutes },
                ],
              },
              {
                header: 'Next run',
                className: 'source-when',
                sortValue: (s) => (s.enabled ? s.nextRunAt : null),
                cell: (s) => (s.enabled ? ukDateTime(s.nextRunAt) : 'Off'),
                csv: timeColumns<SourceSummary>('Next run', (s) => (s.enabled ? s.nextRunAt : null)),
              },
              {
                header: 'Last received',
                className: 'source-when',
                sortValue: (s) => s.lastReceivedAt,
                cell: (s) => (
                  <>
                    {ukDateTime(s.lastReceivedAt)}
                    <div className="muted small" data-testid="source-fed">
                      {s.meters.length === 0 ? (
                        'No meters fed yet'
                      ) : s.meters.length === 1 ? (
                        <>
                          Feeds{' '}
                          <a className="mono" href={href.meter(s.meters[0]!)}>
                            {s.meters[0]}
                          </a>
                        </>
                      ) : (
                        <span title={s.meters.join(', ')}>Feeds {plural(s.meters.length, 'meter')}</span>
                      )}
                    </div>
                  </>
                ),
                csv: [
                  ...timeColumns<SourceSummary>('Last received', (s) => s.lastReceivedAt),
                  { header: 'Meters fed', value: (s) => s.meters.join(' ') },
                ],
              },
              {
                header: <span className="sr-only">Actions</span>,
                className: 'source-actions',
                cell: (s) =>
                  removing === s.id ? (
                    <span className="source-buttons" role="group" aria-label="Confirm removing">
                      <span className="small">Remove? Its imports stay.</span>
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        onClick={() => void remove(s)}
                        data-testid="source-remove-confirm"
                      >
                        Remove
                      </button>
                      <button type="button" className="btn btn-small btn-quiet" onClick={() => setRemoving(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <span className="source-buttons">
                      <RunNowButton source={s} small onRun={() => q.reload()} />
                      {canManage && (
                        <>
                          <button
                            type="button"
                            className="btn btn-small"
                            onClick={() => setEditing({ source: s })}
                            data-testid="source-edit"
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="btn btn-small btn-quiet"
                            onClick={() => setRemoving(s.id)}
                            data-testid="source-remove"
                          >
                            Remove
                          </button>
                        </>
                      )}
                    </span>
                  ),
              },
            ]}
          />
        )}
      </section>
    </div>
  );
}
