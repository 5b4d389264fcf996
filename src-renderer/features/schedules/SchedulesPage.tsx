/**
 * Schedules (#/schedules): the reports, exports and digests made and delivered by themselves — what
 * each makes, when it runs (UK time), where it goes, its next run and its last result (the reason
 * when it failed). A manager can run one now; an administrator adds, changes, switches off and
 * deletes them.
 */
import { useState } from 'react';
import type { ScheduleSummary } from '../../../src-shared/contract/types';
import { getClient } from '../../api/instance';
import { useCan, WhyNot } from '../../components/Can';
import { DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/Page';
import { QueryProblem } from '../../components/ProblemState';
import { EmptyState, Skeleton } from '../../components/States';
import { useDocumentTitle } from '../../lib/hooks';
import { useQuery } from '../../lib/query';
import { href } from '../../lib/route';
import '../../styles/schedules.css';
import { ukDateTime } from '../sources/words';
import {
  EnabledSwitch,
  RemoveButton,
  RunBadge,
  RunNowButton,
  Slashed,
  useScopeLists,
  useWhileRunning,
} from './ScheduleBits';
import { ScheduleForm } from './ScheduleForm';
import { cadenceText, destinationText, triedText, whatText } from './words';

export function SchedulesPage() {
  useDocumentTitle('Schedules');
  const q = useQuery('schedules', () => getClient().call('schedules.list', {}));
  const { names } = useScopeLists();
  const can = useCan();
  const canEdit = can('schedules.save');
  const [editing, setEditing] = useState<{ schedule: ScheduleSummary | null } | null>(null);
  const list = q.data ?? null;
  useWhileRunning(list, q.reload);
  const failed = (list ?? []).filter((s) => s.lastRun?.status === 'failed');
  const add = () => setEditing({ schedule: null });

  return (
    <div className="page" data-testid="schedules-page">
      <PageHeader
        title="Schedules"
        subtitle="Reports, CSV exports and email digests made and delivered by themselves: to a folder, by email or to an SFTP server, on the day and time you choose (UK time)."
        actions={
          canEdit && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={add}
              disabled={editing !== null}
              title={editing ? 'Save or cancel the schedule being edited first' : undefined}
              data-testid="schedule-add"
            >
              New schedule
            </button>
          )
        }
      />
      <WhyNot method="schedules.save" />
      {failed.length > 0 && (
        <div className="callout callout-error" role="status" data-testid="schedules-attention">
          The last run of {failed.length === 1 ? 'one schedule' : `${failed.length} schedules`} failed:{' '}
          {failed.map((s, i) => (
            <span key={s.id}>
              {i > 0 ? ', ' : ''}
              <a href={href.schedule(s.id)}>{s.name}</a>
            </span>
          ))}
          .
        </div>
      )}
      {editing && (
        <ScheduleForm
          key={editing.schedule?.id ?? 'new'}
          schedule={editing.schedule}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            q.reload();
          }}
        />
      )}
      <section className="card">
        {q.load === 'error' && !list ? (
          <QueryProblem title="Could not load the schedules" q={q} />
        ) : !list ? (
          <Skeleton rows={3} label="Loading the schedules" />
        ) : (
          <DataTable<ScheduleSummary>
            rows={list}
            rowKey={(s) => s.id}
            testId="schedules-table"
            className="schedules-table"
            defaultSort={{ column: 0, dir: 'asc' }}
            rowProps={(s) => ({
              'data-testid': 'schedule-row',
              'data-id': s.id,
              'data-status': s.lastRun?.status ?? 'none',
            })}
            empty={
              <EmptyState
                title="No schedules yet"
                action={
                  canEdit &&
                  !editing && (
                    <button type="button" className="btn btn-primary" onClick={add} data-testid="schedule-add-empty">
                      New schedule
                    </button>
                  )
                }
              >
                A schedule makes a report, a CSV export or an email digest on the day and time you choose and delivers
                it by itself: the monthly pack into the finance folder, readings to the bureau’s SFTP server, a weekly
                digest to the site managers. It catches up on a run missed while the app was closed.
                {!canEdit && ' An administrator can add them.'}
              </EmptyState>
            }
            columns={[
              {
                header: 'Schedule',
                rowHeader: true,
                className: 'schedule-name',
                sortValue: (s) => s.name.toLowerCase(),
                cell: (s) => (
                  <>
                    <a href={href.schedule(s.id)} className="strong" data-testid="schedule-name">
                      {s.name}
                    </a>
                    <div className="muted small" data-testid="schedule-what">
                      {whatText(s.what, names)}
                    </div>
                  </>
                ),
              },
              {
                header: 'When (UK time)',
                className: 'schedule-when',
                sortValue: (s) => (s.enabled ? s.nextRunAt : null),
                cell: (s) => (
                  <>
                    <div data-testid="schedule-cadence">{cadenceText(s.cadence)}</div>
                    <div className="muted small" data-testid="schedule-next">
                      {s.enabled ? `Next ${ukDateTime(s.nextRunAt)}` : 'Switched off'}
                    </div>
                  </>
                ),
              },
              {
                header: 'Delivers to',
                className: 'schedule-where',
                sortValue: (s) => destinationText(s.destination).toLowerCase(),
                cell: (s) => <Slashed text={destinationText(s.destination)} testId="schedule-dest" />,
              },
              {
                header: 'Last result',
                className: 'schedule-last',
                sortValue: (s) => s.lastRun?.startedAt ?? null,
                cell: (s) =>
                  s.lastRun ? (
                    <>
                      <RunBadge status={s.lastRun.status} />{' '}
                      <span className="muted small">{ukDateTime(s.lastRun.startedAt)}</span>
                      {s.lastRun.status === 'failed' && s.lastRun.error && (
                        <div className="schedule-error small" data-testid="schedule-error">
                          {s.lastRun.error}
                          {triedText(s.lastRun)}
                        </div>
                      )}
                      {s.lastRun.status === 'ok' && s.lastRun.fileName && (
                        <div className="muted small mono schedule-file">{s.lastRun.fileName}</div>
                      )}
                    </>
                  ) : (
                    <span className="muted">Not run yet</span>
                  ),
              },
              {
                header: 'On',
                className: 'schedule-on',
                sortValue: (s) => (s.enabled ? 0 : 1),
                cell: (s) => <EnabledSwitch schedule={s} onChanged={q.reload} />,
              },
              {
                header: <span className="sr-only">Actions</span>,
                className: 'schedule-actions',
                cell: (s) => (
                  <span className="schedule-buttons">
                    <RunNowButton schedule={s} small onRun={() => q.reload()} />
                    {canEdit && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => setEditing({ schedule: s })}
                        data-testid="schedule-edit"
                      >
                        Edit
                      </button>
                    )}
                    <RemoveButton schedule={s} small onRemoved={q.reload} />
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
